"""The data-header fence: which CSV headers may be read, what is believed of them, what is recorded.

A checked repository is untrusted input.  Its code names the files it likes (``/etc/passwd``,
``~/.netrc``); whatever header mllint reads ends up in messages, so every surface must read only
inside the project of the analysed file, found from the file (never from the current folder,
never at or above the user's home), and must agree on it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mllint.engine.analysis import analyze
from mllint.engine.config import Config
from mllint.engine.data_headers import Kind, header_names, project_root_for, read_header, unchanged

TIMEOUT = 60
PASSWD = Path("/etc/passwd")

EXFIL = '''import pandas as pd
from sklearn.linear_model import LogisticRegression
train = pd.read_csv("train.csv")
test = pd.read_csv({target!r})
model = LogisticRegression().fit(train.drop(columns=["y"]), train["y"])
print(model.predict(test))
'''


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A fake home folder holding secrets, with a project inside it and a secret next to it."""
    home = tmp_path / "home"
    project = home / "proj"
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (project / "train.csv").write_text("a,b,y\n1,2,0\n")
    (project / "test.csv").write_text("a,inside_col,y\n1,2,0\n")
    (home / ".netrc").write_text("netrclogin,netrcpassword\nmachine x login y password z\n")
    (tmp_path / "leak.csv").write_text("leaksecret,leaktwo\n")
    return home


def surfaces(script: Path, home: Path) -> dict[str, subprocess.CompletedProcess]:
    """check (text and json), explain and flake8 on ``script``, each started from ``/``."""
    env = {**os.environ, "HOME": str(home), "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    relative = os.path.relpath(script, "/")
    commands = {
        "check": [sys.executable, "-m", "mllint", "check", "--no-cache", relative],
        "check-json": [sys.executable, "-m", "mllint", "check", "--no-cache", "--output-format", "json", relative],
        "explain": [sys.executable, "-m", "mllint", "explain", "--format", "json", relative],
        "flake8": [sys.executable, "-m", "flake8", "--select=ML", relative],
    }
    return {name: subprocess.run(command, cwd="/", env=env, capture_output=True, text=True, timeout=TIMEOUT)
            for name, command in commands.items()}


def write_exfil(folder: Path, target: str) -> Path:
    script = folder / "exfil.py"
    script.write_text(EXFIL.format(target=target))
    return script


def test_csv_inside_the_project_is_read_on_every_surface_from_another_folder(home):
    results = surfaces(write_exfil(home / "proj", "test.csv"), home)
    for name, result in results.items():
        assert "Traceback" not in result.stderr, (name, result.stderr)
        assert "inside_col" in result.stdout, (name, result.stdout, result.stderr)


@pytest.mark.parametrize("target", ["/etc/passwd", "~/.netrc", "../.netrc", "LEAK", "../../leak.csv"])
def test_no_surface_reads_outside_the_analysed_files_project(home, target):
    if target == "/etc/passwd" and not PASSWD.is_file():
        pytest.skip("no /etc/passwd here")
    if target == "LEAK":
        target = str(home.parent / "leak.csv")
    secrets = ["netrcpassword", "leaksecret"]
    if PASSWD.is_file():
        secrets.append(PASSWD.read_text(errors="replace").splitlines()[0].strip())
    results = surfaces(write_exfil(home / "proj", target), home)
    for name, result in results.items():
        assert "Traceback" not in result.stderr, (name, result.stderr)
        assert result.returncode in (0, 1), (name, result.returncode, result.stderr)
        for secret in secrets:
            assert secret not in result.stdout + result.stderr, (name, target, result.stdout)


def test_a_script_directly_in_home_reads_nothing_there(home):
    (home / "train.csv").write_text("a,b,y\n")
    (home / "test.csv").write_text("a,homesecret,y\n")
    results = surfaces(write_exfil(home, "test.csv"), home)
    for name, result in results.items():
        assert "homesecret" not in result.stdout, (name, result.stdout)


def test_a_dotfiles_repository_in_home_is_not_the_project(home):
    (home / ".git").mkdir()
    loose = home / "loose"
    loose.mkdir()
    (loose / "train.csv").write_text("a,b,y\n")
    results = surfaces(write_exfil(loose, "../.netrc"), home)
    for name, result in results.items():
        assert "netrcpassword" not in result.stdout + result.stderr, (name, result.stdout)


def test_stdin_without_a_name_reads_no_header(home):
    project = home / "proj"
    env = {**os.environ, "HOME": str(home), "NO_COLOR": "1"}
    code = EXFIL.format(target="test.csv")
    anonymous = subprocess.run([sys.executable, "-m", "mllint", "check", "-"], input=code, cwd=project, env=env,
                               capture_output=True, text=True, timeout=TIMEOUT)
    named = subprocess.run([sys.executable, "-m", "mllint", "check", "-", "--stdin-filename",
                            str(write_exfil(project, "test.csv"))], input=code, cwd=project, env=env,
                           capture_output=True, text=True, timeout=TIMEOUT)
    assert "inside_col" not in anonymous.stdout, anonymous.stdout
    assert "inside_col" in named.stdout, named.stdout


# -- the root: found from the file ---------------------------------------------------------------------

def test_project_root_is_never_home_or_above(home, monkeypatch):
    monkeypatch.setenv("HOME", str(home))
    (home / ".git").mkdir()                                  # a dotfiles repository in home
    loose = home / "scratch" / "deep"
    loose.mkdir(parents=True)
    assert project_root_for(str(home)) is None               # a script directly in home has no project
    assert project_root_for(str(loose)) == os.path.realpath(loose)   # not home, although home has .git
    assert project_root_for(str(home / "proj")) == os.path.realpath(home / "proj")
    (home / "proj" / "src").mkdir()
    assert project_root_for(str(home / "proj" / "src")) == os.path.realpath(home / "proj")
    assert project_root_for("/") is None
    assert project_root_for(str(home.parent)) is None         # an ancestor of home


def test_root_comes_from_the_file_not_the_current_folder(home, monkeypatch):
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir("/")
    project = home / "proj"
    script = write_exfil(project, "test.csv")
    assert read_header("/etc/passwd", str(script), None) is None
    assert read_header("test.csv", str(script), None) == ["a", "inside_col", "y"]
    assert read_header("../.netrc", str(script), None) is None


def test_text_without_a_file_reads_nothing(home, monkeypatch):
    from lsp_server.documents import analyse_text
    from mllint.settings import Settings

    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home / "proj")                          # test.csv is right here, relative to the cwd
    code = EXFIL.format(target="test.csv")
    for path in (None, "untitled:Untitled-1", "stdin.py"):
        analysis = analyze(code, path=path)
        assert analysis.data_files == {}, path
        assert not any("inside_col" in (n.columns or []) for n in analysis.plan.nodes()), path
        snapshot = analyse_text(code, path, Settings())
        assert not any("inside_col" in f.message for f in snapshot.findings), path


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_out_of_the_project_is_refused(home, monkeypatch):
    monkeypatch.setenv("HOME", str(home))
    project = home / "proj"
    (project / "link.csv").symlink_to(home.parent / "leak.csv")
    (project / "etc").symlink_to("/etc")
    script = write_exfil(project, "link.csv")
    reads: dict = {}
    assert read_header("link.csv", str(script), None, reads=reads) is None
    assert read_header("etc/passwd", str(script), None, reads=reads) is None
    assert [state[0] for state in reads.values()] == [Kind.OUTSIDE.value] * 2


# -- header sanity --------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, sep", [
    (b"root:x:0:0:root:/root:/bin/bash", ","),                      # a passwd line
    (b"root:x:0:0:root:/root:/bin/bash", ":"),                      # ... split on its own separator
    (b"https://example.com/secret", ","),
    (b"machine example.com login me password hunter2", ","),        # a netrc line: a sentence
    (b"\x89PNG\r\n\x1a", ","),                                      # binary
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", ","),             # gzip
    (b"PK\x03\x04\x14\x00\x06\x00", ","),                           # xlsx / zip
    (b"a,b\x1b[31m,c", ","),                                        # control characters
    (b"a," + b"x" * 300 + b",c", ","),                              # a very long name
    (b"id,/home/me/.ssh/id_rsa", ","),                              # a path is not a column name
    (b"", ","),
    (b",,", ","),
    (b"a,b", r"[,;]"),                                              # a regular expression: not guessed
])
def test_lines_that_do_not_look_like_a_header_give_no_schema(line, sep):
    assert header_names(line, sep) is None


@pytest.mark.parametrize("line, sep, names", [
    (b"id,age,sex,label", ",", ("id", "age", "sex", "label")),
    (b"\xef\xbb\xbfid;price", ";", ("id", "price")),                # BOM, semicolons
    (b"r\xe9gion,prix", ",", ("r\xe9gion", "prix")),                 # latin-1
    (b"a\tb c\td", "\t", ("a", "b c", "d")),
    (b"a  b   c", r"\s+", ("a", "b", "c")),
    (b'"Sales Amount","Q1: age (years)",km/h', ",", ("Sales Amount", "Q1: age (years)", "km/h")),
    (b"text", ",", ("text",)),
    (b"5.1,3.5,1.4,0.2,Iris-setosa", ",", ("5.1", "3.5", "1.4", "0.2", "Iris-setosa")),   # what pandas takes
])
def test_headers_are_read(line, sep, names):
    assert header_names(line, sep) == names


def test_a_passwd_like_file_inside_the_project_is_no_schema(home, monkeypatch):
    monkeypatch.setenv("HOME", str(home))
    project = home / "proj"
    (project / "users.csv").write_text("root:x:0:0:root:/root:/bin/bash\n")
    script = write_exfil(project, "users.csv")
    analysis = analyze(script.read_text(), path=str(script))
    source = next(n for n in analysis.plan.nodes() if n.description == "users.csv")
    assert source.schema.open and source.schema.names == ()


# -- every lookup recorded, re-evaluated by unchanged() ------------------------------------------------

def _analyse(script: Path, config: Config | None = None):
    return analyze(script.read_text(), path=str(script), config=config)


def test_every_lookup_is_recorded_with_its_state(home, monkeypatch):
    monkeypatch.setenv("HOME", str(home))
    project = home / "proj"
    (project / "folder.csv").mkdir()
    script = project / "many.py"
    script.write_text("import pandas as pd\n" + "".join(
        f"d{i} = pd.read_csv({p!r})\n" for i, p in enumerate(
            ["train.csv", "missing.csv", "folder.csv", "../.netrc", "https://x.org/a.csv"])))
    states = {os.path.relpath(k, project): tuple(v) for k, v in _analyse(script).data_files.items()}
    info = os.stat(project / "train.csv")
    folder = str(project)
    assert states == {
        "train.csv": ("file", folder, info.st_mtime_ns, info.st_size),
        "missing.csv": ("absent", folder),
        "folder.csv": ("not-file", folder),
        os.path.join("..", ".netrc"): ("outside", folder),
    }
    off = _analyse(script, Config(data_headers=False)).data_files
    assert set(off.values()) == {("off",)} and len(off) == 4
    assert unchanged(off)
    json.dumps(states)                                       # JSON scalars only


def test_a_csv_that_appears_later_is_a_change(home, monkeypatch):
    monkeypatch.setenv("HOME", str(home))
    script = write_exfil(home / "proj", "later.csv")
    reads = _analyse(script).data_files
    assert unchanged(reads)
    stored = json.loads(json.dumps(reads))                  # as the CLI cache keeps it: lists, not tuples
    assert unchanged(stored)
    (home / "proj" / "later.csv").write_text("a,b\n")
    assert not unchanged(reads)
    assert not unchanged(stored)
    assert unchanged(_analyse(script).data_files)


def test_changes_that_move_a_file_across_the_fence_are_changes(home, monkeypatch):
    monkeypatch.setenv("HOME", str(home))
    project = home / "proj"
    sub = project / "sub"
    sub.mkdir()
    script = write_exfil(sub, "../test.csv")
    target = str(project / "test.csv")
    reads = _analyse(script).data_files
    assert reads[target][0] == "file" and unchanged(reads)
    (project / "test.csv").write_text("a,inside_col,y,more\n")  # edited
    assert not unchanged(reads)
    reads = _analyse(script).data_files
    (sub / "pyproject.toml").write_text("")                  # sub becomes its own project: test.csv is outside
    assert not unchanged(reads)
    assert _analyse(script).data_files[target][0] == "outside"


def test_records_that_we_do_not_write_count_as_changed():
    assert unchanged(None) and unchanged({})
    for bad in ([], {"/x": 3}, {"/x": []}, {"/x": ["file"]}, {"/x": ["absent", 7]}, {3: ["off"]}):
        assert not unchanged(bad), bad


def test_the_language_servers_cache_sees_a_csv_that_appears(home, monkeypatch):
    from lsp_server.documents import AnalysisCache, analyse_text
    from mllint.settings import Settings

    monkeypatch.setenv("HOME", str(home))
    script = write_exfil(home / "proj", "later.csv")
    cache = AnalysisCache()
    first = analyse_text(script.read_text(), str(script), Settings())
    cache.put(first)
    assert cache.get(first.key) is first                      # nothing changed: served from the cache
    assert not any(f.code == "ML304" for f in first.findings)
    (home / "proj" / "later.csv").write_text("a,appeared_col,y\n")
    assert cache.get(first.key) is None                       # the CSV it looked up appeared
    second = analyse_text(script.read_text(), str(script), Settings())
    assert any("appeared_col" in f.message for f in second.findings)
