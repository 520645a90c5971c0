"""The ``mllint check`` cache against a hostile repository: no writes through its links, no trust in its entries.

A checked repository can ship anything inside ``.mllint_cache`` (the cache folder lives in the
tree): symbolic links named like the folder, its ``.gitignore``, an entry or a temporary file;
forged entries that say "no findings"; entries that crash a JSON parser; FIFOs.  Every test builds
such a repository in ``tmp_path``, runs the real ``mllint check`` in a subprocess (or the real
``ResultCache`` on real files), and checks that nothing outside the project was written, that the
findings are still reported, and that the run says once why it went on without a cache.

The per-user cache key lives in ``MLLINT_CACHE_KEY_DIR`` (set for every test by conftest.py, in
the pytest temporary folder): tests never touch the real home.
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mllint.cli.cache_secret import KEY_DIR_ENV, KEY_FILE, load_secret
from mllint.cli.file_report import FileReport
from mllint.cli.result_cache import CACHE_DIR, ResultCache, seal, unseal, version_folder_name
from mllint.settings import Settings
from samples import STATISTIC_LEAK

LEAK = STATISTIC_LEAK

SENSITIVE_FEATURES = """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("people.csv")
X = df.drop(columns=["approved"])
LogisticRegression().fit(X, df["approved"])
"""


def mllint(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mllint", "check", *args], cwd=str(cwd), capture_output=True,
                          text=True, timeout=120, env={**os.environ, "NO_COLOR": "1", **(env or {})})


def cache_notices(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "not using the cache" in line]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\n", encoding="utf-8")
    (root / "leak.py").write_text(LEAK, encoding="utf-8")
    return root


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """A folder outside the project, holding a file the user cares about."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me\n", encoding="utf-8")
    return folder


def entries(project: Path) -> list[Path]:
    return sorted((project / CACHE_DIR).rglob("*.json"))


def the_entry(project: Path) -> Path:
    """Run once and return the one entry written: its name is what a repository can compute."""
    first = mllint(project)
    assert first.returncode == 1 and "ML101" in first.stdout
    found = entries(project)
    assert len(found) == 1
    return found[0]


def assert_untouched(outside: Path) -> None:
    assert sorted(p.name for p in outside.iterdir()) == ["precious.txt"]
    assert (outside / "precious.txt").read_text(encoding="utf-8") == "keep me\n"


# -- writes never follow links ------------------------------------------------------------------
def test_a_symlink_planted_at_an_entry_name_is_replaced_not_written_through(project, outside):
    entry = the_entry(project)
    entry.unlink()
    entry.symlink_to(outside / "precious.txt")
    result = mllint(project)
    assert result.returncode == 1 and "ML101" in result.stdout
    assert_untouched(outside)
    assert not entry.is_symlink() and entry.is_file()     # the link itself was replaced by a real entry


def test_symlinks_named_like_temporary_files_are_never_followed(project, outside):
    """In-process, so that the writer's pid (what the old temporary names used) is known."""
    settings = Settings(project_root=str(project))
    cache = ResultCache(str(project), settings)
    key = cache.key("leak.py", LEAK.encode())
    shard = project / CACHE_DIR / version_folder_name() / key[:2]
    shard.mkdir(parents=True)
    planted = [shard / f".{key}.{os.getpid()}.tmp", shard / f".{key}.tmp", shard / f"{key}.json.tmp",
               shard / f"{key}.json"]
    for number, link in enumerate(planted):
        link.symlink_to(outside / f"created-{number}.txt")     # dangling: a write would create it
    cache.put(key, FileReport("leak.py", notes=["a note"]))
    assert_untouched(outside)
    assert cache.enabled
    assert cache.get(key) == FileReport("leak.py", notes=["a note"])
    assert not (shard / f"{key}.json").is_symlink()


def test_a_cache_folder_that_is_a_symlink_is_refused_once(project, outside):
    (project / CACHE_DIR).symlink_to(outside, target_is_directory=True)
    (project / "second.py").write_text(LEAK, encoding="utf-8")
    result = mllint(project, "--jobs", "2")
    assert result.returncode == 1
    assert [path for path in ("leak.py", "second.py") if f"{path}:4:1: ML101" in result.stdout] == \
        ["leak.py", "second.py"]
    notices = cache_notices(result.stderr)
    assert len(notices) == 1 and "symbolic link" in notices[0], result.stderr
    assert_untouched(outside)


def test_a_cache_folder_that_is_a_file_is_refused_and_left_alone(project):
    (project / CACHE_DIR).write_text("not a folder\n", encoding="utf-8")
    result = mllint(project)
    assert result.returncode == 1 and "ML101" in result.stdout
    assert len(cache_notices(result.stderr)) == 1
    assert (project / CACHE_DIR).read_text(encoding="utf-8") == "not a folder\n"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a folder away")
def test_a_cache_folder_owned_by_someone_else_is_refused(project):
    folder = project / CACHE_DIR
    folder.mkdir()
    os.chown(folder, 65534, 65534)
    result = mllint(project)
    assert result.returncode == 1 and "ML101" in result.stdout
    notices = cache_notices(result.stderr)
    assert len(notices) == 1 and "not owned by the current user" in notices[0]
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("level", ["version", "shard"])
def test_a_symlinked_sub_folder_is_refused(project, outside, level):
    entry = the_entry(project)
    victim = entry.parent if level == "shard" else entry.parent.parent
    for path in sorted(victim.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    victim.rmdir()
    victim.symlink_to(outside, target_is_directory=True)
    result = mllint(project)
    assert result.returncode == 1 and "ML101" in result.stdout
    assert len(cache_notices(result.stderr)) == 1, result.stderr
    assert_untouched(outside)


def test_a_dangling_gitignore_symlink_does_not_create_its_target(project, outside):
    folder = project / CACHE_DIR
    folder.mkdir()
    (folder / ".gitignore").symlink_to(outside / "created-by-mllint")
    result = mllint(project)
    assert result.returncode == 1 and "ML101" in result.stdout
    assert_untouched(outside)
    assert (folder / ".gitignore").is_symlink()
    assert len(entries(project)) == 1          # the cache itself still works
    assert cache_notices(result.stderr) == []


def test_a_fifo_at_an_entry_name_does_not_hang_the_run(project):
    entry = the_entry(project)
    entry.unlink()
    os.mkfifo(entry)
    result = mllint(project)
    assert result.returncode == 1 and "ML101" in result.stdout
    assert stat.S_ISREG(os.lstat(entry).st_mode)      # replaced by a real entry


# -- entries are authenticated and validated ------------------------------------------------------
def forged(entry: Path, secret: bytes | None) -> None:
    """An entry of the right shape saying "no findings", sealed with ``secret`` (None: unsealed JSON)."""
    payload = json.dumps(FileReport("leak.py").to_json()).encode()
    entry.write_bytes(payload if secret is None else seal(secret, entry.stem, payload))


@pytest.mark.parametrize("secret", [None, b"an attacker's key, not the user's"[:32].ljust(32, b"!")],
                         ids=["unsealed", "wrong-key"])
def test_a_forged_entry_with_no_findings_does_not_hide_findings(project, secret):
    entry = the_entry(project)
    forged(entry, secret)
    result = mllint(project)
    assert result.returncode == 1 and "leak.py:4:1: ML101" in result.stdout
    assert result.stderr == ""
    stored = unseal(load_secret(os.environ[KEY_DIR_ENV]), entry.stem, entry.read_bytes())
    assert stored is not None and json.loads(stored)["findings"]     # overwritten by the recomputed entry
    assert mllint(project).stdout == result.stdout


@pytest.mark.parametrize("sealed", [True, False], ids=["sealed-with-the-user-key", "unsealed"])
def test_a_deeply_nested_entry_does_not_crash_the_run(project, sealed):
    entry = the_entry(project)
    payload = b"[" * 200_000 + b"]" * 200_000
    entry.write_bytes(seal(load_secret(os.environ[KEY_DIR_ENV]), entry.stem, payload) if sealed else payload)
    result = mllint(project)
    assert result.returncode == 1 and "leak.py:4:1: ML101" in result.stdout
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr


@pytest.mark.parametrize("edit", [
    lambda d: d["findings"][0]["location"].update(line="4"),
    lambda d: d["findings"][0]["location"].update(line=True),
    lambda d: d["findings"][0].update(columns="x"),
    lambda d: d.update(findings={}),
    lambda d: d.update(data_files={"/etc/passwd": {"nested": []}}),
    lambda d: d.update(extra=1),
    lambda d: d.pop("notes"),
], ids=["line-as-string", "line-as-bool", "columns-as-string", "findings-as-object", "data-file-state-object",
        "unknown-key", "missing-key"])
def test_an_authentic_entry_of_the_wrong_shape_is_recomputed(project, edit):
    """Even with a valid MAC (an older writer, a bug), only the exact shape is trusted."""
    entry = the_entry(project)
    secret = load_secret(os.environ[KEY_DIR_ENV])
    data = json.loads(entry.read_bytes().split(b"\n", 1)[1])
    data["findings"][0]["message"] = "from the damaged entry"
    edit(data)
    entry.write_bytes(seal(secret, entry.stem, json.dumps(data).encode()))
    result = mllint(project)
    assert result.returncode == 1 and "leak.py:4:1: ML101" in result.stdout
    assert "from the damaged entry" not in result.stdout
    assert "Traceback" not in result.stderr


def test_an_entry_sealed_under_another_name_is_not_accepted(project):
    """The MAC covers the entry's name: a genuine entry copied over another key's name is a miss."""
    entry = the_entry(project)
    (project / "clean.py").write_text("import pandas as pd\n", encoding="utf-8")
    mllint(project)
    other = next(p for p in entries(project) if p != entry)
    other.write_bytes(entry.read_bytes())        # clean.py's entry now holds leak.py's ML101
    result = mllint(project)
    assert "clean.py" not in result.stdout


# -- the key --------------------------------------------------------------------------------------
def test_the_key_is_private_and_outside_the_tree(project, tmp_path):
    key_dir = tmp_path / "keys" / "mllint"
    result = mllint(project, env={KEY_DIR_ENV: str(key_dir)})
    assert result.returncode == 1 and result.stderr == ""
    assert stat.S_IMODE(key_dir.stat().st_mode) == 0o700
    key = key_dir / KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == 32
    secret = key.read_bytes()
    assert not any(secret in p.read_bytes() for p in project.rglob("*") if p.is_file())
    assert mllint(project, env={KEY_DIR_ENV: str(key_dir)}).stdout == result.stdout
    assert key.read_bytes() == secret           # kept, not re-created


def test_the_key_goes_to_the_xdg_cache_home(project, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != KEY_DIR_ENV}
    env.update(XDG_CACHE_HOME=str(tmp_path / "xdg"), NO_COLOR="1")
    result = subprocess.run([sys.executable, "-m", "mllint", "check"], cwd=project, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1 and result.stderr == ""
    assert (tmp_path / "xdg" / "mllint" / KEY_FILE).is_file()


@pytest.mark.parametrize("problem", ["symlinked-folder", "open-folder", "open-key-file", "short-key",
                                     "key-is-a-folder"])
def test_an_unsafe_key_means_no_cache_said_once(project, tmp_path, problem):
    key_dir = tmp_path / "keys"
    if problem == "symlinked-folder":
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        key_dir.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    else:
        key_dir.mkdir(mode=0o700)
        if problem == "open-folder":
            key_dir.chmod(0o777)
        elif problem == "open-key-file":
            (key_dir / KEY_FILE).write_bytes(b"k" * 32)
            (key_dir / KEY_FILE).chmod(0o644)
        elif problem == "short-key":
            (key_dir / KEY_FILE).write_bytes(b"k")
            (key_dir / KEY_FILE).chmod(0o600)
        else:
            (key_dir / KEY_FILE).mkdir()
    (project / "second.py").write_text(LEAK, encoding="utf-8")
    result = mllint(project, "--jobs", "2", env={KEY_DIR_ENV: str(key_dir)})
    assert result.returncode == 1 and result.stdout.count("ML101") == 2
    notices = cache_notices(result.stderr)
    assert len(notices) == 1 and "key" in notices[0], result.stderr
    assert entries(project) == []
    if problem == "open-key-file":
        assert (key_dir / KEY_FILE).read_bytes() == b"k" * 32     # never replaced


# -- data files looked up --------------------------------------------------------------------------
def test_a_csv_that_appears_after_the_first_run_changes_the_second_run(project):
    (project / "model.py").write_text(SENSITIVE_FEATURES, encoding="utf-8")
    first = mllint(project, "model.py")
    assert first.returncode == 0 and "ML202" not in first.stdout
    (project / "people.csv").write_text("age,income,approved\n30,1,0\n", encoding="utf-8")
    second = mllint(project, "model.py")
    assert second.stdout == mllint(project, "--no-cache", "model.py").stdout
    assert "ML202" in second.stdout


def test_a_csv_header_that_changes_after_the_first_run_changes_the_second_run(project):
    (project / "model.py").write_text(SENSITIVE_FEATURES, encoding="utf-8")
    (project / "people.csv").write_text("income,approved\n1,0\n", encoding="utf-8")
    first = mllint(project, "model.py")
    assert first.returncode == 0 and "ML202" not in first.stdout
    (project / "people.csv").write_text("age,income,approved\n30,1,0\n", encoding="utf-8")
    second = mllint(project, "model.py")
    assert second.returncode == 1 and "ML202" in second.stdout
    recorded = [name for p in entries(project)
                for name in json.loads(p.read_bytes().split(b"\n", 1)[1])["data_files"]]
    assert any(name.endswith("people.csv") for name in recorded)
