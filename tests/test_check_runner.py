"""The ``mllint check`` runner: one read per file, watched workers with a hard limit, streaming, a bounded cache.

Real components throughout: ``mllint check`` in a subprocess on projects built in ``tmp_path``,
the real ``ResultCache`` on real files, the real ``WorkerPool`` with real child processes.  The
slow input is a real one: a large file of long calls that LibCST needs seconds to parse (the
parse is a single native call no in-process budget can interrupt); the tests give the run a
hard limit well below that (``MLLINT_FILE_TIMEOUT``) and far above what a small file needs.
"""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mllint.cli import check_command
from mllint.cli.check_command import HARD_LIMIT_ENV, iter_checks
from mllint.cli.file_report import FileReport
from mllint.cli.result_cache import CACHE_DIR, ResultCache, version_folder_name
from mllint.settings import Settings
from mllint.cli.workers import WorkerPool
from samples import STATISTIC_LEAK

LEAK = STATISTIC_LEAK

CLEAN = """\
import pandas as pd
from sklearn.linear_model import Ridge
df = pd.read_csv("sales.csv")
train, test = df[:800], df[800:]
model = Ridge().fit(train[["x"]], train["y"])
print(model.score(test[["x"]], test["y"]))
"""


def slow_source(lines: int = 8000) -> str:
    """Valid, plain code that LibCST needs seconds to parse: its cost is per token (about 0.1 ms
    per call argument here), and these are small lines (about 50 bytes) full of tokens."""
    arguments = ", ".join("abcdefghijklmn")
    body = [f"row{i} = combine({arguments})" for i in range(lines)]
    return "\n".join(["import pandas as pd", 'df = pd.read_csv("d.csv")', *body]) + "\n"


def mllint(cwd: Path, *args: str, env: dict | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mllint", "check", *args], cwd=str(cwd), capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "NO_COLOR": "1", **(env or {})})


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


# -- analyse exactly the bytes that were hashed -------------------------------------------------------
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_edited_between_hashing_and_analysis_keeps_its_own_result(project, monkeypatch, jobs):
    """The edit lands right after mllint read the file: the old bytes' key must get the old bytes' result."""
    edited = write(project, "model.py", CLEAN)
    write(project, "other.py", CLEAN)
    read = check_command.read_source

    def read_then_edit(path: str) -> bytes:
        data = read(path)
        if path == str(edited):
            edited.write_text(LEAK, encoding="utf-8")      # saved by an editor while the run goes on
        return data

    monkeypatch.setattr(check_command, "read_source", read_then_edit)
    settings = Settings(project_root=str(project))
    cache = ResultCache(str(project), settings)
    paths = [str(edited), str(project / "other.py")]
    first = list(iter_checks(paths, settings, jobs=jobs, cache=cache, hard_limit=120))
    assert [r.findings for r in first] == [[], []]      # what was read (CLEAN), not what is on disk now
    assert cache.get(cache.key(str(edited), CLEAN.encode())).findings == []
    monkeypatch.undo()
    second = list(iter_checks(paths, settings, jobs=jobs, cache=cache, hard_limit=120))
    assert [f.code for f in second[0].findings] == ["ML101"]
    assert cache.get(cache.key(str(edited), LEAK.encode())).findings[0].code == "ML101"
    assert cache.get(cache.key(str(edited), CLEAN.encode())).findings == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_source_file_does_not_hang_the_run(project):
    write(project, "a.py", LEAK)
    os.mkfifo(project / "b.py")
    write(project, "c.py", LEAK)
    result = mllint(project, timeout=60)
    assert result.returncode == 1
    assert result.stderr == ""
    assert "b.py:1:1: E902 not a regular file (os error 22)" in result.stdout.splitlines()
    assert [line.split(":")[0] for line in result.stdout.splitlines() if " ML101 " in line] == ["a.py", "c.py"]


# -- per-file hard limit ----------------------------------------------------------------------------------
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_over_the_hard_limit_is_reported_timed_out_and_the_run_goes_on(project, jobs):
    write(project, "a.py", LEAK)
    write(project, "b_slow.py", slow_source())
    write(project, "c.py", LEAK)
    start = time.monotonic()
    result = mllint(project, "--jobs", jobs, env={HARD_LIMIT_ENV: "1.5"})
    elapsed = time.monotonic() - start
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if line] == [
        "b_slow.py: error: timed out: stopped after the 1.5 s hard limit per file"]
    assert [line.split(":")[0] for line in result.stdout.splitlines() if " ML101 " in line] == ["a.py", "c.py"]
    assert result.stdout.rstrip().endswith("Found 2 findings.")
    assert elapsed < 60
    cached = list((project / CACHE_DIR).rglob("*.json"))
    assert len(cached) == 2      # a time-out says nothing about the content: not cached


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_no_worker_outlives_a_stopped_run(project, how):
    """The hard limit is the parent's to enforce: when the parent goes, its workers go too."""
    write(project, "slow.py", slow_source())
    process = subprocess.Popen([sys.executable, "-m", "mllint", "check", "--no-cache", "slow.py"], cwd=project,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, HARD_LIMIT_ENV: "120"})
    try:
        deadline = time.monotonic() + 60
        while not (workers := _children(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert workers, "no worker started"
        process.send_signal(how)
        process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, workers))
    finally:
        process.kill()
        process.wait()


def test_an_invalid_hard_limit_override_is_a_usage_error(project):
    write(project, "a.py", LEAK)
    result = mllint(project, env={HARD_LIMIT_ENV: "soon"})
    assert result.returncode == 2 and HARD_LIMIT_ENV in result.stderr


def _pool_job(payload: str) -> str:
    if payload == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if payload == "hang":
        while True:
            time.sleep(1)
    return payload.upper()


def test_the_pool_replaces_workers_that_die_or_overrun():
    with WorkerPool(1, _pool_job, hard_limit=1.0) as pool:
        outcomes = []
        for payload in ["one", "hang", "two", "die", "three"]:
            pool.submit(payload, payload)
            while pool.busy:
                outcomes.extend(pool.wait())
    by_tag = {o.tag: o for o in outcomes}
    assert [by_tag[t].result for t in ("one", "two", "three")] == ["ONE", "TWO", "THREE"]
    assert by_tag["hang"].timed_out and "hard limit" in by_tag["hang"].failure
    assert not by_tag["die"].timed_out and "stopped unexpectedly" in by_tag["die"].failure


def _pid_job(payload: str) -> int:
    return os.getpid()


def test_a_worker_that_has_grown_large_retires_after_its_task(monkeypatch):
    from mllint.cli import workers

    monkeypatch.setattr(workers, "RETIRE_RSS_BYTES", 1)      # every child counts as large
    with WorkerPool(1, _pid_job, hard_limit=60) as pool:
        pids = []
        for payload in ["one", "two", "three"]:
            pool.submit(payload, payload)
            outcomes = pool.wait()
            assert [o.failure for o in outcomes] == [None]
            pids.append(outcomes[0].result)
    assert len(set(pids)) == 3 and os.getpid() not in pids
    monkeypatch.setattr(workers, "RETIRE_RSS_BYTES", 1 << 62)
    with WorkerPool(1, _pid_job, hard_limit=60) as pool:
        pids = []
        for payload in ["one", "two"]:
            pool.submit(payload, payload)
            pids.append(pool.wait()[0].result)
    assert len(set(pids)) == 1


# -- streaming ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["text", "github"])
def test_results_are_printed_as_files_finish(project, fmt):
    """Kill the run while the slow file is still being analysed: the first file's results are already out."""
    write(project, "a.py", LEAK)
    write(project, "b_slow.py", slow_source(20000 // 2))
    process = subprocess.Popen([sys.executable, "-m", "mllint", "check", "--no-cache", "--jobs", "1",
                                "--output-format", fmt, "a.py", "b_slow.py"], cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1", HARD_LIMIT_ENV: "120"})
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)
        assert ready, "nothing printed within 60 s"
        first = process.stdout.readline().decode()
        time.sleep(0.3)
        still_running = process.poll() is None
    finally:
        process.kill()
        rest, _ = process.communicate(timeout=60)
    assert still_running, "the run ended: the results were not streamed"
    assert "a.py" in first and "ML101" in first
    assert b"Found" not in rest


# -- control characters ---------------------------------------------------------------------------------------
def test_text_output_escapes_control_characters(project):
    name = "ev\x1b[2Jil\u202e.py"
    write(project, name, LEAK.replace('df["x"]', 'df["\x1b[31mx"]'))
    write(project, "bro\rken.py", "import pandas\nx = (\n")
    result = mllint(project, "--no-cache")
    assert result.returncode == 1
    for stream in (result.stdout, result.stderr):
        assert not any(c in stream for c in "\x1b\r\u202e"), repr(stream)
    assert "ev\\x1b[2Jil\\u202e.py:4:1: ML101 `df[\"\\x1b[31mx\"].mean()`" in result.stdout
    assert "ev\\x1b[2Jil\\u202e.py:7:1: evaluated here" in result.stdout
    assert "bro\\rken.py:2:5: E999 SyntaxError: " in result.stdout


def test_github_output_escapes_control_characters(project):
    write(project, "ev\x1bil.py", LEAK.replace('df["x"]', 'df["\x1b[31mx"]'))
    result = mllint(project, "--no-cache", "--output-format", "github")
    assert result.returncode == 1 and "\x1b" not in result.stdout
    assert "file=ev\\x1bil.py," in result.stdout and '`df["\\x1b[31mx"].mean()`' in result.stdout


# -- a bounded cache --------------------------------------------------------------------------------------------
DAY = 24 * 3600


def filled_cache(root: Path, count: int, now: float, **limits) -> tuple[ResultCache, list[str]]:
    """``count`` entries, entry i last used i days ago (so entry 0 is the newest)."""
    cache = ResultCache(str(root), Settings(), **limits)
    keys = [cache.key(f"f{i}.py", b"") for i in range(count)]
    for age, key in enumerate(keys):
        cache.put(key, FileReport(f"f{age}.py", notes=["x" * 100]))
        os.utime(cache._entry_path(key), (now - age * DAY, now - age * DAY))
    return cache, keys


def kept(cache: ResultCache, keys: list[str]) -> list[int]:
    return [i for i, key in enumerate(keys) if os.path.exists(cache._entry_path(key))]


def test_prune_deletes_entries_unused_for_the_maximum_age(tmp_path):
    now = time.time()
    cache, keys = filled_cache(tmp_path, 6, now, max_age=3.5 * DAY)
    assert cache.prune(now) == 2
    assert kept(cache, keys) == [0, 1, 2, 3]
    assert cache.prune(now) == 0


def test_prune_keeps_the_most_recently_used_within_the_size_and_count_bounds(tmp_path):
    now = time.time()
    cache, keys = filled_cache(tmp_path, 6, now)
    size = os.path.getsize(cache._entry_path(keys[0]))
    cache.max_total_bytes = 3 * size + size // 2
    assert cache.prune(now) == 3 and kept(cache, keys) == [0, 1, 2]
    cache.max_entries = 2
    assert cache.prune(now) == 1 and kept(cache, keys) == [0, 1]


def test_prune_is_deterministic_on_equal_times(tmp_path):
    now = time.time()
    results = []
    for run in ("one", "two"):
        (tmp_path / run).mkdir()
        cache = ResultCache(str(tmp_path / run), Settings(), max_entries=3)
        keys = [cache.key(f"f{i}.py", b"") for i in range(8)]
        for key in keys:
            cache.put(key, FileReport("f.py"))
            os.utime(cache._entry_path(key), (now, now))
        cache.prune(now)
        results.append(kept(cache, keys))
    assert results[0] == results[1] and len(results[0]) == 3


def test_a_hit_counts_as_a_use(tmp_path):
    now = time.time()
    cache, keys = filled_cache(tmp_path, 3, now, max_age=30 * DAY)
    os.utime(cache._entry_path(keys[2]), (now - 29 * DAY, now - 29 * DAY))
    assert cache.get(keys[2]) is not None
    assert cache.prune(now + 2 * DAY) == 0


def test_prune_drops_other_versions_leftovers_and_strays_but_never_follows_links(tmp_path):
    now = time.time()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me\n", encoding="utf-8")
    root = tmp_path / "project"
    root.mkdir()
    cache, keys = filled_cache(root, 2, now)
    base = root / CACHE_DIR
    for old in ("v1/ab", "v2-0.0.1/cd"):
        (base / old).mkdir(parents=True)
        (base / old / ("e" * 64 + ".json")).write_text("{}", encoding="utf-8")
    (base / "v1" / "link").symlink_to(outside, target_is_directory=True)
    shard = base / version_folder_name() / keys[0][:2]
    (shard / ".tmp-stale").write_text("", encoding="utf-8")
    os.utime(shard / ".tmp-stale", (now - 2 * 3600, now - 2 * 3600))
    (shard / ".tmp-fresh").write_text("", encoding="utf-8")
    (shard / ("f" * 64 + ".json")).symlink_to(outside / "precious.txt")
    cache.prune(now)
    assert sorted(p.name for p in base.iterdir()) == [".gitignore", version_folder_name()]
    assert sorted(p.name for p in shard.iterdir() if not p.name.endswith(".json")) == [".tmp-fresh"]
    assert not (shard / ("f" * 64 + ".json")).is_symlink()
    assert kept(cache, keys) == [0, 1]
    assert (outside / "precious.txt").read_text(encoding="utf-8") == "keep me\n"


def test_a_run_prunes_the_cache_at_the_end(project):
    write(project, "a.py", LEAK)
    old = project / CACHE_DIR / "v1" / "ab"
    old.mkdir(parents=True)
    (old / ("a" * 64 + ".json")).write_text(json.dumps({"findings": []}), encoding="utf-8")
    result = mllint(project)
    assert result.returncode == 1
    assert not (project / CACHE_DIR / "v1").exists()
    assert len(list((project / CACHE_DIR).rglob("*.json"))) == 1
