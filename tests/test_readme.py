"""The README's promises that can go stale: the example output it shows, the version it names, the hook.

The shown output is compared with a real run of the shipped example (the command line in a
subprocess, from the repository root, as the quick start runs it), so that a changed message
format or a lost finding fails here rather than in a new user's first minute.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import mllint

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def run_mllint(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "mllint", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env)


def shown_console_output(command: str) -> list[str]:
    """The lines the README shows under ``$ command`` in its first console block."""
    block = re.search(r"```console\n\$ " + re.escape(command) + r"\n(.*?)```", README, re.S)
    assert block, f"the README shows no `$ {command}` block"
    return block.group(1).rstrip("\n").split("\n")


def test_the_readme_shows_what_the_leaky_example_really_prints():
    result = run_mllint("check", "--no-cache", "examples/leaky_pipeline.py")
    assert result.returncode == 1, result.stderr
    assert result.stdout.rstrip("\n").split("\n") == shown_console_output("mllint check examples/leaky_pipeline.py")


def test_every_version_the_readme_names_is_this_version():
    named = set(re.findall(r"@v(\d+\.\d+\.\d+)", README)) | set(re.findall(r"rev: v(\d+\.\d+\.\d+)", README)) \
        | set(re.findall(r"mllint_plan-(\d+\.\d+\.\d+)-py3", README))
    assert named == {mllint.__version__}, named
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^version = "' + re.escape(mllint.__version__) + '"$', pyproject, re.M)
    package = json.loads((ROOT / "vscode-client" / "package.json").read_text(encoding="utf-8"))
    assert package["version"] == mllint.__version__


def _hook_entry() -> str:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entry = re.search(r"^\s*entry:\s*(.+)$", hooks, re.M)
    assert entry
    return entry.group(1).strip()


def test_the_pre_commit_hook_and_the_local_snippet_run_the_same_command_and_it_finds_the_leak():
    entry = _hook_entry()
    assert f"entry: {entry}" in README          # the `repo: local` snippet is the shipped hook
    argv = shlex.split(entry)
    assert argv[0] == "mllint"
    result = run_mllint(*argv[1:], "examples/leaky_pipeline.py")   # pre-commit appends the staged file names
    assert result.returncode == 1 and "ML101" in result.stdout, result.stdout + result.stderr
