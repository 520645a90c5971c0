""".gitignore matching (mllint.cli.gitignore) against real git, in repositories made in tmp_path.

git is run only in the test's own repositories (never by mllint), with the global and system
configuration switched off so that the user's excludes cannot change git's answer.  The oracle
is ``git ls-files --others --exclude-standard``: the untracked files git does not ignore, with
every gitignore rule applied (including "a file under an excluded folder stays excluded").
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from samples import STATISTIC_LEAK

from mllint.cli.check_command import discover
from mllint.cli.gitignore import GitIgnore, parse_ignore_lines
from mllint.settings import Settings

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

FILES = (
    "a.py", "b.py", "keep.py", "debug.py", "my file.py", "#hash.py", "!bang.py", "trail .py", "x1.py", "xy.py",
    "build/out.py", "build/keep.py", "lib/build/out.py", "doc/frotz/a.py", "a/doc/frotz/b.py",
    "src/gen/g.py", "src/gen/keep.py", "src/deep/er/gen/h.py", "foo/bar/baz.py", "foo/x/y/bar/z.py",
    "logs/debug.py", "logs/monday/foo.py", "abc/def/ghi.py", "tmp/a.py", "tmp/sub/b.py",
    "data/cache.py", "notes/n.py", "Upper.py", "under/a_b.py", "nested/.gitignore-less/ok.py",
)

CASES = {
    "plain name": "a.py\n",
    "star": "*.py\n!keep.py\n",
    "question mark and class": "x?.py\n[ab].py\n",
    "negated class": "[!a-x]*.py\n",
    "named class": "[[:upper:]]*.py\n",
    "directory only": "build/\n",
    "directory only, re-include inside stays excluded": "build/\n!build/keep.py\n",
    "directory contents, re-include works": "build/*\n!build/keep.py\n",
    "anchored": "/build\n",
    "inner slash anchors": "doc/frotz/\n",
    "leading double star": "**/frotz\n",
    "trailing double star": "tmp/**\n",
    "double star in the middle": "foo/**/bar\n",
    "double star at the end of a folder": "logs/**/foo.py\n",
    "abc star": "abc/*\n",
    "escaped hash and bang": "\\#hash.py\n\\!bang.py\n",
    "comment": "#hash.py\n",
    "trailing spaces dropped": "a.py   \nb.py\t\n",
    "escaped trailing space kept": "trail\\ .py\n",
    "space inside": "my file.py\n",
    "negation order": "*.py\n!a.py\na.py\n",
    "negation later": "*.py\n!*.py\n",
    "folder name anywhere": "gen\n",
    "question mark not slash": "under?a_b.py\nunder/a?b.py\n",
    "star does not cross slash": "src/*.py\nsrc/*/g.py\n",
    "empty and blank lines": "\n   \n",
    "backslash at end": "a.py\\\n",
    "unclosed bracket": "[ab.py\n",
    "anchored star": "/*.py\n",
    "every folder": "*/\n",
    "a file is not a folder": "a.py/\n",
    "re-included folder, contents still ignored": "src/**\n!src/gen/\n",
    "re-included folder and contents": "src/**\n!src/gen/\n!src/gen/**\n",
    "ignore all but one folder": "/*\n!/src\n!.gitignore\n",
    "double star alone": "**\n!keep.py\n",
    "class with range and bracket": "[]x]*.py\n[a-c]/\n",
    "escaped star": "\\*.py\nx\\?.py\n",
    "triple star": "foo/***/baz.py\n",
    "star inside names": "d*g.py\nlo*/\n",
}


def git(repo: Path, *args: str) -> str:
    home = repo.parent / "home"
    home.mkdir(exist_ok=True)
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C"}
    result = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=repo, env=env,
                            capture_output=True, text=True, check=True)
    return result.stdout


def make_repo(root: Path, files=FILES) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n", encoding="utf-8")
    return root


def git_kept(repo: Path) -> set[str]:
    """The .py files git does not ignore."""
    listed = git(repo, "ls-files", "--others", "--exclude-standard", "-z").split("\0")
    return {name for name in listed if name.endswith(".py")}


def mllint_kept(repo: Path) -> set[str]:
    found = discover([str(repo)], Settings(exclude=("never-matches",)), respect_gitignore=True)
    return {os.path.relpath(path, repo).replace(os.sep, "/") for path in found}


@pytest.mark.parametrize("name", CASES)
def test_root_gitignore_matches_git(tmp_path, name):
    repo = make_repo(tmp_path / "repo")
    (repo / ".gitignore").write_text(CASES[name], encoding="utf-8")
    expected = git_kept(repo)
    assert mllint_kept(repo) == expected


@pytest.mark.parametrize("name", CASES)
def test_nested_gitignore_matches_git(tmp_path, name):
    """The same patterns one level down: relative to their folder, anchored there."""
    repo = make_repo(tmp_path / "repo", FILES + tuple(f"sub/{f}" for f in FILES))
    (repo / "sub" / ".gitignore").write_text(CASES[name], encoding="utf-8")
    assert mllint_kept(repo) == git_kept(repo)


def test_deeper_gitignore_overrides_and_info_exclude_is_read(tmp_path):
    repo = make_repo(tmp_path / "repo")
    (repo / ".gitignore").write_text("*.py\n!keep.py\n", encoding="utf-8")
    (repo / "src" / ".gitignore").write_text("!gen/\n!*.py\n", encoding="utf-8")
    (repo / "foo" / ".gitignore").write_text("!baz.py\n", encoding="utf-8")
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "exclude").write_text("keep.py\nnotes/\n", encoding="utf-8")
    expected = git_kept(repo)
    assert "src/gen/g.py" in expected and "keep.py" in expected      # the table checks something
    assert mllint_kept(repo) == expected


def test_checking_a_subfolder_reads_the_gitignore_files_above_it(tmp_path):
    repo = make_repo(tmp_path / "repo")
    (repo / ".gitignore").write_text("gen/\n/src/deep/\nfoo/bar\n", encoding="utf-8")
    expected = {p for p in git_kept(repo) if p.startswith(("src/", "foo/"))}
    found = discover([str(repo / "src"), str(repo / "foo")], Settings(), respect_gitignore=True)
    assert {os.path.relpath(p, repo) for p in found} == expected == {"foo/x/y/bar/z.py"}


def test_a_symlinked_gitignore_is_not_followed(tmp_path):
    repo = make_repo(tmp_path / "repo")
    outside = tmp_path / "elsewhere"
    outside.write_text("*.py\n", encoding="utf-8")
    (repo / ".gitignore").symlink_to(outside)
    assert mllint_kept(repo) == git_kept(repo) == {f for f in FILES}


def test_outside_a_repository_gitignore_files_are_not_read(tmp_path):
    """Like git: without a repository, a .gitignore means nothing."""
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "a.py").write_text("x = 1\n", encoding="utf-8")
    (folder / ".gitignore").write_text("a.py\n", encoding="utf-8")
    if GitIgnore.for_folder(str(folder)) is not None:
        pytest.skip("the temporary folder lies inside a git repository")
    assert list(discover([str(folder)], Settings())) == [str(folder / "a.py")]


def test_parse_ignore_lines_drops_comments_and_blank_lines():
    parsed = parse_ignore_lines("# comment\n\n   \n*.py\n!keep.py\n")
    assert [(p.negated, p.basename_only) for p in parsed.patterns] == [(False, True), (True, True)]


def test_the_cli_respects_gitignore_unless_told_not_to(tmp_path):
    repo = make_repo(tmp_path / "repo", ())
    (repo / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\n", encoding="utf-8")
    for name in ("kept.py", "generated/leak.py", "scratch.py", "env-like/lib/leak.py"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(STATISTIC_LEAK, encoding="utf-8")
    (repo / "env-like" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    (repo / ".gitignore").write_text("generated/\nscratch.py\n", encoding="utf-8")

    def reported(*args: str) -> set[str]:
        result = subprocess.run([sys.executable, "-m", "mllint", "check", "--no-cache", *args], cwd=repo,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 1, result.stderr
        return {line.split(":")[0] for line in result.stdout.splitlines() if ": ML101 " in line}

    assert reported() == {"kept.py"}
    assert reported("--no-respect-gitignore") == {"kept.py", "generated/leak.py", "scratch.py"}
    # a file named on the command line is always checked
    assert reported("scratch.py", ".") == {"kept.py", "scratch.py"}
    assert reported("env-like/lib/leak.py") == {"env-like/lib/leak.py"}


def test_git_is_never_run_in_the_checked_repository(tmp_path):
    """A repository's .git/config can make git run programs (core.fsmonitor): mllint must not run git."""
    repo = make_repo(tmp_path / "repo", ("a.py",))
    (repo / ".gitignore").write_text("b.py\n", encoding="utf-8")
    marker = tmp_path / "ran"
    with open(repo / ".git" / "config", "a", encoding="utf-8") as handle:
        handle.write(f'[core]\n\tfsmonitor = "touch {marker}; false"\n')
    git(repo, "status", "--porcelain")      # the trap works: git itself runs the program
    assert marker.exists()
    marker.unlink()
    result = subprocess.run([sys.executable, "-m", "mllint", "check", "--no-cache", "."], cwd=repo,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
