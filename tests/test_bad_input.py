"""Bad input on every surface: one clear line, no traceback, the right exit code, the server stays up.

Surfaces: ``mllint check`` and ``mllint explain`` (subprocesses), the flake8 plugin
(``python -m flake8 --select=ML``), and the language server (pytest-lsp; the server must answer a
following request).  Inputs: non-UTF-8 bytes, a binary file named ``.py``, an empty file, notebooks
with broken JSON / missing keys / an R kernel, Python 2 syntax, a tab/space mix CPython accepts,
deeply nested expressions, and a generated 50,000-line file.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from test_lsp_server import LEAK, TIMEOUT, client, start, wait_for  # noqa: F401  (client is a fixture)

HEADER = "import pandas as pd\nimport sklearn\n"

R_NOTEBOOK = {
    "nbformat": 4, "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "ir", "language": "R", "display_name": "R"},
                 "language_info": {"name": "R"}},
    "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
               "source": ["library(dplyr)\n", "df <- read.csv('x.csv')\n", "df %>% filter(age > 18)\n"]}],
}

#: name -> (file name, bytes, does mllint refuse it with an error?)
INPUTS: dict[str, tuple[str, bytes, bool]] = {
    "non_utf8": ("latin1.py", HEADER.encode() + b"x = 'caf\xe9 \xff\xfe'\n", True),
    "binary": ("binary.py", bytes(range(256)) * 20, True),
    "empty": ("empty.py", b"", False),
    "broken_json": ("broken.ipynb", b'{"cells": [ {"cell_type": "code", "source": ["import pandas', True),
    "missing_keys": ("missing.ipynb", json.dumps({"metadata": {}, "nbformat": 4}).encode(), True),
    "r_kernel": ("r_kernel.ipynb", json.dumps(R_NOTEBOOK).encode(), True),
    "python2": ("py2.py", (HEADER + 'print "x"\n').encode(), True),
    "tabs_spaces": ("tabs.py", (HEADER + "if True:\n\tx = 1\n\tif x:\n\t        y = 2\n"
                                "df = pd.DataFrame({'a': [1]})\n").encode(), False),
    "attribute_chain": ("chain.py", (HEADER + "x = a" + ".b" * 3000 + "\n").encode(), True),
    "and_terms": ("ands.py", (HEADER + "x = " + " and ".join(["a"] * 20000) + "\n").encode(), True),
}
ERRORS = [name for name, (_, _, error) in INPUTS.items() if error]
OK = [name for name, (_, _, error) in INPUTS.items() if not error]

#: A subprocess on one of these small inputs must finish well within this (the analysis budget is 2 s).
SMALL_TIMEOUT = 30


def write(tmp_path: Path, name: str) -> Path:
    filename, data, _ = INPUTS[name]
    path = tmp_path / filename
    path.write_bytes(data)
    return path


def run(args: list[str], cwd: Path, timeout: float = SMALL_TIMEOUT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stdout, result.stdout[-2000:]


def sanity_check_inputs() -> None:
    assert not INPUTS["tabs_spaces"][1].decode().startswith(" ")
    compile(INPUTS["tabs_spaces"][1].decode(), "tabs.py", "exec")      # CPython accepts the mix


def test_the_tab_space_mix_is_valid_python():
    sanity_check_inputs()


# --------------------------------------------------------------------------------------------------
# mllint check
# --------------------------------------------------------------------------------------------------

MLLINT = [sys.executable, "-m", "mllint"]


@pytest.mark.parametrize("name", ERRORS)
def test_check_reports_one_error_line(name, tmp_path):
    path = write(tmp_path, name)
    result = run(MLLINT + ["check", "--no-cache", path.name], tmp_path)
    no_traceback(result)
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    output = [line for line in lines(result.stdout) if not line.startswith("Found ")] + lines(result.stderr)
    assert len(output) == 1, output     # a syntax error is one E999 line (plus the summary), others one error
    assert path.name in output[0] and "error" in output[0].lower(), output


@pytest.mark.parametrize("name", OK)
def test_check_accepts_harmless_input(name, tmp_path):
    path = write(tmp_path, name)
    result = run(MLLINT + ["check", "--no-cache", path.name], tmp_path)
    no_traceback(result)
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert lines(result.stderr) == []


def test_check_usage_error_exits_2(tmp_path):
    result = run(MLLINT + ["check", "--output-format", "nonsense", "x.py"], tmp_path)
    no_traceback(result)
    assert result.returncode == 2


def test_check_goes_on_after_bad_files(tmp_path):
    """One bad file does not stop the run: every bad file gets its line, the good file its finding."""
    for name in INPUTS:
        write(tmp_path, name)
    (tmp_path / "leak.py").write_text(LEAK, encoding="utf-8")
    result = run(MLLINT + ["check", "--no-cache", "--jobs", "1", "."], tmp_path, timeout=120)
    no_traceback(result)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "ML101" in output, output
    for name in ERRORS:
        filename = INPUTS[name][0]
        assert sum(filename in line for line in output.splitlines()) == 1, (filename, output)


# --------------------------------------------------------------------------------------------------
# mllint explain
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ERRORS)
@pytest.mark.parametrize("fmt", ["text", "mermaid"])
def test_explain_reports_one_error_line(name, fmt, tmp_path):
    path = write(tmp_path, name)
    result = run(MLLINT + ["explain", path.name, "--format", fmt], tmp_path)
    no_traceback(result)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert len(lines(result.stderr)) == 1, result.stderr
    assert result.stderr.startswith(f"mllint: {path.name}: "), result.stderr


@pytest.mark.parametrize("name", OK)
def test_explain_accepts_harmless_input(name, tmp_path):
    path = write(tmp_path, name)
    result = run(MLLINT + ["explain", path.name, "--format", "text"], tmp_path)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert lines(result.stderr) == []


def test_explain_missing_file_exits_2(tmp_path):
    result = run(MLLINT + ["explain", "does_not_exist.py"], tmp_path)
    no_traceback(result)
    assert result.returncode == 2
    assert len(lines(result.stderr)) == 1 and "cannot read" in result.stderr


# --------------------------------------------------------------------------------------------------
# flake8 plugin
# --------------------------------------------------------------------------------------------------

#: The 3,000-link chain is left out here: flake8's own ``ast.parse`` raises RecursionError on it
#: before any plugin runs (a flake8/CPython limit, not mllint).  2,000 links parse in CPython.
FLAKE8_INPUTS = [name for name in INPUTS if name != "attribute_chain"]


def _cpython_refuses_nul_bytes_with_value_error() -> bool:
    """CPython before 3.11.4 / 3.12 raises ValueError (not SyntaxError) for NUL bytes in source, and flake8's
    own ``ast.parse`` lets it escape before any plugin runs: asked of the running interpreter, not of its
    version number."""
    try:
        compile("x = 1\x00\n", "nul.py", "exec")
    except ValueError:
        return True
    except SyntaxError:
        return False
    return False


def _our_folders() -> tuple[str, ...]:
    """Where the code of mllint lives in this installation (rules and the server may be mapped elsewhere)."""
    import importlib

    return tuple(os.path.dirname(importlib.import_module(name).__file__) + os.sep
                 for name in ("mllint", "mllint.rules", "mllint.lsp_server"))


def no_mllint_traceback(result: subprocess.CompletedProcess) -> None:
    """A traceback that flake8 raises on its own (no frame in our code) is not ours to prevent."""
    files = re.findall(r'^\s*File "([^"]+)"', result.stderr, re.M)
    ours = [name for name in files if name.startswith(_our_folders())]
    assert files and not ours, result.stderr[-2000:]


@pytest.mark.parametrize("name", FLAKE8_INPUTS)
def test_flake8_plugin_never_tracebacks(name, tmp_path):
    path = write(tmp_path, name)
    result = run([sys.executable, "-m", "flake8", "--select=ML", path.name], tmp_path)
    if b"\x00" in INPUTS[name][1] and _cpython_refuses_nul_bytes_with_value_error():
        no_mllint_traceback(result)   # flake8 itself fails in ast.parse before the plugin sees the file
        assert "ValueError" in result.stderr
        return
    flake8_said_at_most_one_line(result)


def flake8_said_at_most_one_line(result: subprocess.CompletedProcess) -> None:
    """No traceback, a normal exit status, no internal error of ours, and at most one line of output."""
    no_traceback(result)
    assert result.returncode in (0, 1), result.stderr
    assert "internal error" not in result.stderr, result.stderr
    assert len(lines(result.stdout) + lines(result.stderr)) <= 1, (result.stdout, result.stderr)


def test_flake8_plugin_on_binary_bytes_without_nul(tmp_path):
    """The binary case with no NUL byte reaches the plugin on every interpreter."""
    path = tmp_path / "binary_no_nul.py"
    path.write_bytes(bytes(range(1, 256)) * 20)
    flake8_said_at_most_one_line(run([sys.executable, "-m", "flake8", "--select=ML", path.name], tmp_path))


def test_flake8_plugin_on_a_2000_link_chain(tmp_path):
    path = tmp_path / "chain2000.py"
    path.write_text(HEADER + "x = a" + ".b" * 2000 + "\n", encoding="utf-8")
    result = run([sys.executable, "-m", "flake8", "--select=ML", path.name], tmp_path)
    no_traceback(result)
    assert result.returncode in (0, 1), result.stderr
    assert "internal error" not in result.stderr


# --------------------------------------------------------------------------------------------------
# 50,000 lines
# --------------------------------------------------------------------------------------------------

def big_file(tmp_path: Path) -> Path:
    path = tmp_path / "big.py"
    body = "".join(f"v{i} = pd.DataFrame({{'a': [{i}]}})\n" for i in range(50_000 - 2))
    path.write_text(HEADER + body, encoding="utf-8")
    assert len(path.read_text(encoding="utf-8").splitlines()) == 50_000
    return path


@pytest.mark.slow
def test_check_on_50000_lines_does_not_crash_or_hang(tmp_path):
    """No traceback, no hang (a generous guard; the time budget itself is not asserted here)."""
    path = big_file(tmp_path)
    result = run(MLLINT + ["check", "--no-cache", path.name], tmp_path, timeout=180)
    no_traceback(result)
    assert result.returncode in (0, 1), result.stderr


# --------------------------------------------------------------------------------------------------
# language server
# --------------------------------------------------------------------------------------------------

def lsp_text(name: str) -> str:
    """What an editor would send: the bytes decoded leniently (the protocol carries text only)."""
    return INPUTS[name][1].decode("utf-8", errors="replace")


@pytest.mark.parametrize("name", list(INPUTS))
async def test_language_server_survives_and_answers(client: LanguageClient, name, tmp_path):  # noqa: F811
    await start(client, "visual-studio-code", tmp_path)
    filename = INPUTS[name][0]
    path = tmp_path / filename
    path.write_bytes(INPUTS[name][1])
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id="python", version=1, text=lsp_text(name))))
    # the document is analysed and published (VS Code is a push client) ...
    await wait_for(client, lambda: any(p.uri == uri for p in client.published), what=f"a publish for {filename}")
    published = [p for p in client.published if p.uri == uri][-1]
    assert len(published.diagnostics) <= 1, published.diagnostics
    # ... and the server still answers requests, on this document and on a good one
    hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri), position=types.Position(0, 0))), TIMEOUT)
    assert hover is None or isinstance(hover, types.Hover)
    good = tmp_path / "good.py"
    good_text = ("import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"
                 "df = pd.read_csv('loans.csv')\ndf = df[df.age >= 18]\n"
                 "LogisticRegression().fit(df[['income']], df['approved'])\n")
    good.write_text(good_text, encoding="utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=good.as_uri(), language_id="python", version=1, text=good_text)))
    await wait_for(client, lambda: any(d.code == "ML201" for d in client.diagnostics.get(good.as_uri(), [])),
                   what="ML201 on the good document after the bad one")
    assert client._server.returncode is None
