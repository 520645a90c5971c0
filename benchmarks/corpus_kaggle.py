"""Real-notebook corpus run: ``mllint check`` over ../shared/corpus, with the issue's goals as checks.

Why: the Kaggle corpus (about 2,500 converted ``.py`` scripts and 1,900 ``.ipynb`` notebooks)
is where hangs, memory bombs and parser gaps show up; the goal is that
``mllint check --no-cache`` over all of it finishes in under 10 minutes on a 2-core machine,
peak RSS under 1.5 GB, no internal error or traceback, no file over its budget by more than 2x.

Two modes:

whole CLI (default)
    one real subprocess of the installed CLI, exactly what a user runs:
    ``mllint check --no-cache --exit-zero --output-format json CORPUS`` (default ``--jobs``).
    Measured: files (discovered like the CLI does), wall seconds, peak RSS of the whole process
    tree (``/proc`` sampled every 0.2 s: the sum of RSS, and of PSS, which counts pages shared
    by the forked workers once), the largest single process (``RUSAGE_CHILDREN.ru_maxrss`` or the largest sample),
    internal errors / tracebacks (stderr lines with "Traceback" or "internal error"), and the
    files the CLI reported an error or note for, by kind (syntax error, budget exceeded, timed
    out, other).  The CLI gives no per-file times: use ``--per-file`` for those.

``--per-file``
    each file is analysed in-process the way ``benchmarks/corpus_run.py`` does it (``analyze``
    + the rules, ``MLLINT_DEBUG=1`` so an internal error raises with its traceback), in a
    child forked from a warmed-up parent and killed hard (SIGKILL) past ``--timeout``, so a
    hang or a memory bomb costs one file, not the run.  Per file: wall and CPU seconds, peak
    RSS of the child (``VmHWM``) and its growth over the fork baseline, outcome (ok, skipped
    (mentions no ML library), syntax error, error, budget exceeded, internal error, timed out,
    memory limit, killed by a signal), findings, and for syntax errors whether CPython's own
    parser accepts the file (raw ``.py`` text, or a notebook's raw code cells joined),
    mllint's loaded text (magics blanked), and for notebooks the loaded text after
    IPython's leading-indent rule (cells whose first line is indented are dedented).
    ``--jobs`` children run at a time (default 1: timings are per file, keep the machine
    quiet).  ``--rlimit-mb`` caps each child's address space so one file cannot exhaust
    the machine.

Both print a summary; ``--out FILE`` writes every figure (``.json``; a ``.csv`` suffix writes
the per-file table as CSV).  ``--check`` exits 1 when a goal fails (``--max-seconds`` for the
whole run, default 600; ``--max-rss-mb`` for the process tree, default 1500; any internal error
or traceback; in per-file mode a file over 2x the analysis budget or timed out).

Usage:
    python benchmarks/corpus_kaggle.py [CORPUS] [--check]                         # whole CLI
    python benchmarks/corpus_kaggle.py [CORPUS] --per-file --timeout 60 --out per_file.json
    options: --limit N  --jobs N  --mllint PATH  --max-seconds S  --max-rss-mb MB
             --slowest N  --rlimit-mb MB  --log FILE.jsonl (per-file records as they finish)
             --kill-after S  --kill-rss-mb MB (whole-CLI guards)
             --mllint-arg ARG (passed to mllint check; the file count ignores it)
CORPUS defaults to ../shared/corpus relative to the repository root.
"""
from __future__ import annotations

import argparse
import ast
import csv
import gc
import json
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# ../shared/corpus beside the checkout; a git worktree one level deeper (wt/NAME) looks one further up
DEFAULT_CORPUS = next((p for p in (REPO / "../shared/corpus", REPO / "../../shared/corpus") if p.is_dir()),
                      REPO / "../shared/corpus")
sys.path.insert(0, str(HERE))

# corpus_run sets MLLINT_DEBUG=1 (internal errors raise) and holds the in-process job.
from corpus_run import BUDGET_NOTE, SETTINGS, analyze, check_analysis, warm_up  # noqa: E402

from mllint.cli.check_command import discover  # noqa: E402
from mllint.engine.config import DEFAULT_CONFIG  # noqa: E402
from mllint.settings import Settings  # noqa: E402
from mllint.engine.source import SourceError, load_source  # noqa: E402

SAMPLE_SECONDS = 0.2
PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024
BIG_MB = 300.0          # per-file memory growth worth listing
ERROR_KINDS = ("syntax error", "budget exceeded", "timed out", "internal error", "other")


def corpus_files(corpus: Path, limit: int | None) -> list[str]:
    """The files ``mllint check CORPUS`` would check, in its order."""
    files = list(discover([str(corpus)], Settings(project_root=str(corpus))))
    return files[:limit] if limit else files


def classify(message: str) -> str:
    text = message.lower()
    for kind in ERROR_KINDS[:-1]:
        if kind in text:
            return kind
    if "timeout" in text or "time limit" in text:
        return "timed out"
    return "other"


# -- whole CLI ---------------------------------------------------------------------------------------
def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _tree(root: int) -> list[int]:
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, ()))
    return found


def _rss_pss(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return rss, pss


@dataclass
class TreeSampler:
    """Samples the process tree under ``pid`` until stopped: peak sums of RSS and PSS."""

    pid: int
    kill_after: float = 0.0          # guards, so that a hang or a memory bomb cannot take the machine:
    kill_rss: int = 0                # past either, the whole tree is killed and the run is a failure
    peak_rss: int = 0
    peak_pss: int = 0
    peak_processes: int = 0
    peak_single: int = 0             # sampled: ru_maxrss misses workers that were never waited for
    samples: int = 0
    killed: str = ""
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        start = time.perf_counter()
        while not self._stop.is_set():
            pids = _tree(self.pid)
            sizes = [_rss_pss(p) for p in pids]
            rss = sum(r for r, _ in sizes)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, sum(p for _, p in sizes))
            self.peak_processes = max(self.peak_processes, len(pids))
            self.peak_single = max([self.peak_single, *(r for r, _ in sizes)])
            self.samples += 1
            elapsed = time.perf_counter() - start
            if (self.kill_rss and rss > self.kill_rss) or (self.kill_after and elapsed > self.kill_after):
                self.killed = (f"killed: process tree RSS {rss / MB:.0f} MB" if self.kill_rss and rss > self.kill_rss
                               else f"killed: still running after {elapsed:.0f} s")
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                return
            self._stop.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop.set()


def run_cli(args: argparse.Namespace) -> dict:
    corpus = args.corpus.resolve()
    files = corpus_files(corpus, args.limit)
    mllint = args.mllint or shutil.which("mllint") or str(Path(sys.executable).with_name("mllint"))
    command = [mllint, "check", "--no-cache", "--exit-zero", "--output-format", "json"]
    if args.jobs:
        command += ["--jobs", str(args.jobs)]
    command += args.mllint_arg or []
    shown = " ".join(command) + (f" <{len(files)} files>" if args.limit else f" {corpus}")
    command += files if args.limit else [str(corpus)]
    print(f"running: {shown}", flush=True)
    stdout_path = Path(args.out).with_suffix(".findings.json") if args.out else None
    stdout = open(stdout_path, "wb") if stdout_path else subprocess.PIPE
    start = time.perf_counter()
    # cwd: the corpus, so the CLI finds no project configuration of ours
    proc = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, cwd=corpus)
    sampler = TreeSampler(proc.pid, args.kill_after, int(args.kill_rss_mb * MB))
    thread = threading.Thread(target=sampler.run, daemon=True)
    thread.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.stop()
    thread.join()
    if stdout_path:
        stdout.close()
        out = stdout_path.read_bytes()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    stderr = err.decode("utf-8", "replace").splitlines()
    try:
        findings = json.loads(out) if out else None   # the CLI prints [] when nothing is found
    except ValueError:
        findings = None
    tracebacks = [line for line in stderr if "Traceback" in line or "internal error" in line]
    problems: dict[str, list[str]] = {kind: [] for kind in ERROR_KINDS}
    for line in stderr:
        for marker in (": error: ", ": note: "):
            path, sep, message = line.partition(marker)
            if sep:
                problems[classify(message)].append(f"{path}: {message}")
                break
    # syntax errors are E999 findings in the JSON output (mllint.cli.error_findings), not stderr lines
    syntax = [f for f in findings if f.get("code") == "E999"] if isinstance(findings, list) else []
    problems["syntax error"] += [f"{f['path']}: {f['message']}" for f in syntax]
    return {
        "mode": "cli", "command": shown, "returncode": proc.returncode, "files": len(files),
        "killed": sampler.killed,
        "wall_seconds": round(wall, 2),
        "peak_tree_rss_mb": round(sampler.peak_rss / MB, 1),
        "peak_tree_pss_mb": round(sampler.peak_pss / MB, 1),
        "peak_processes": sampler.peak_processes, "samples": sampler.samples,
        "max_single_process_rss_mb": round(max(usage.ru_maxrss * 1024, sampler.peak_single) / MB, 1),
        "cpu_seconds_children": round(usage.ru_utime + usage.ru_stime, 1),
        "findings": len(findings) - len(syntax) if isinstance(findings, list) else None,
        "json_ok": isinstance(findings, list),
        "internal_errors": tracebacks,
        "problems": problems,
        "stderr_tail": stderr[-20:] if proc.returncode else [],
    }


def report_cli(result: dict) -> None:
    print(f"== whole CLI: {result['command']}")
    print(f"  files {result['files']}, wall {result['wall_seconds']:.1f} s, exit {result['returncode']}, "
          f"findings {result['findings']}, CPU (children) {result['cpu_seconds_children']:.0f} s")
    print(f"  peak RSS: process tree sum {result['peak_tree_rss_mb']:.0f} MB (PSS {result['peak_tree_pss_mb']:.0f} MB, "
          f"{result['peak_processes']} processes), largest single process {result['max_single_process_rss_mb']:.0f} MB")
    if result["killed"]:
        print(f"  {result['killed']}")
    print(f"  internal errors / tracebacks: {len(result['internal_errors'])}")
    for line in result["internal_errors"][:20]:
        print(f"    {line}")
    for kind, entries in result["problems"].items():
        print(f"  {kind}: {len(entries)} file(s)")
        if kind != "syntax error":
            for entry in entries[:20]:
                print(f"    {entry}")
    if not result["json_ok"]:
        print("  stdout was not a JSON list of findings")
    for line in result["stderr_tail"]:
        print(f"  stderr: {line}")


# -- per file ------------------------------------------------------------------------------------
@dataclass
class FileRecord:
    path: str
    outcome: str = "ok"
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_mb: float = 0.0         # the child's VmHWM (includes what it inherited from the parent)
    rss_growth_mb: float = 0.0       # VmHWM minus the child's RSS when it started the file
    lines: int = 0
    findings: int = 0
    message: str = ""                # error / note / signal
    traceback: str = ""
    cpython_parses: bool | None = None      # syntax errors: raw .py / raw joined code cells
    loaded_text_parses: bool | None = None  # syntax errors: mllint's loaded text (magics blanked)
    ipython_parses: bool | None = None      # syntax errors in notebooks: indented cells dedented too


def _status_kb(pid: int | str, field_name: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field_name):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (for a child about to be killed)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
        fields = stat[stat.rindex(b")") + 2:].split()
        return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 2)
    except (OSError, ValueError, IndexError):
        return 0.0


def _ast_ok(code: str) -> bool:
    try:
        compile(code, "<corpus>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


def _raw_code(data: bytes, path: str) -> str:
    """What ``python3 -c 'ast.parse(...)'`` is given: the file, or a notebook's code cells joined."""
    if not path.lower().endswith(".ipynb"):
        return data.decode("utf-8", "replace")
    cells = json.loads(data).get("cells", [])
    sources = [c.get("source", "") for c in cells if isinstance(c, dict) and c.get("cell_type") == "code"]
    return "\n".join("".join(s) if isinstance(s, list) else str(s) for s in sources)


def _ipython_dedented(data: bytes) -> str:
    """A notebook's loaded text after IPython's leading-indent rule (a cell whose first line is
    indented loses that indentation on every line), magics blanked the way mllint blanks them."""
    notebook = json.loads(data)
    for cell in notebook.get("cells", []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        lines = ("".join(source) if isinstance(source, list) else str(source)).split("\n")
        first = next((line for line in lines if line.strip()), "")
        indent = first[:len(first) - len(first.lstrip(" \t"))]
        if indent:
            lines = [line[len(indent):] if line.startswith(indent) else line for line in lines]
        cell["source"] = "\n".join(lines)
    return load_source(json.dumps(notebook), "dedented.ipynb").text


def _analyse_in_child(path: str, record: FileRecord) -> None:
    """The child's job: analyse and check one file, filling ``record`` (never raises)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        record.outcome, record.message = "error", f"unreadable: {exc}"
        return
    record.lines = data.count(b"\n") + 1
    rss0 = _status_kb("self", "VmRSS:")
    cpu0 = time.process_time()
    start = time.perf_counter()
    try:
        result = analyze(data, path=path, config=SETTINGS.engine_config())
        findings = check_analysis(result, SETTINGS)
    except MemoryError:
        record.outcome, record.traceback = "memory limit", traceback.format_exc(limit=-12)
    except Exception as exc:
        record.outcome, record.message = "internal error", f"{type(exc).__name__}: {exc}"[:500]
        record.traceback = traceback.format_exc(limit=-12)
    else:
        record.findings = len(findings)
        budget = [note for note in result.notes if BUDGET_NOTE in note]
        if result.error is not None:
            record.message = result.error
            record.outcome = "syntax error" if "syntax error" in result.error else "error"
        elif budget:
            record.outcome, record.message = "budget exceeded", budget[0]
        elif result.module is None:
            record.outcome = "skipped"
        internal = [note for note in result.notes if "internal error" in note]
        if internal:
            record.outcome, record.message = "internal error", internal[0]
    record.wall_seconds = round(time.perf_counter() - start, 4)
    record.cpu_seconds = round(time.process_time() - cpu0, 4)
    hwm = _status_kb("self", "VmHWM:")
    record.peak_rss_mb = round(hwm / 1024, 1)
    record.rss_growth_mb = round(max(0, hwm - rss0) / 1024, 1)
    if record.outcome == "syntax error":
        try:
            record.cpython_parses = _ast_ok(_raw_code(data, path))
        except (ValueError, AttributeError):
            record.cpython_parses = False
        try:
            record.loaded_text_parses = _ast_ok(load_source(data, path).text)
        except SourceError:
            record.loaded_text_parses = False
        if path.lower().endswith(".ipynb"):
            try:
                record.ipython_parses = _ast_ok(_ipython_dedented(data))
            except (SourceError, ValueError, AttributeError):
                record.ipython_parses = False


@dataclass
class Child:
    pid: int
    fd: int
    record: FileRecord
    started: float
    chunks: list[bytes] = field(default_factory=list)


def _fork(path: str, rlimit_mb: int) -> Child:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:   # child: never return into the parent's loop
        code = 0
        try:
            os.close(read_fd)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            if rlimit_mb:
                limit = rlimit_mb * MB
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            record = FileRecord(path)
            _analyse_in_child(path, record)
            payload = json.dumps(asdict(record)).encode()
            view = memoryview(payload)
            while view:
                view = view[os.write(write_fd, view):]
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    return Child(pid, read_fd, FileRecord(path), time.perf_counter())


def _finish(child: Child, status: int) -> FileRecord:
    os.close(child.fd)
    raw = b"".join(child.chunks)
    if raw:
        try:
            return FileRecord(**json.loads(raw))
        except (ValueError, TypeError):
            pass
    record = child.record
    record.wall_seconds = round(time.perf_counter() - child.started, 3)
    if os.WIFSIGNALED(status):
        record.outcome, record.message = "killed", f"signal {os.WTERMSIG(status)}"
    else:
        record.outcome, record.message = "internal error", f"child exited {os.waitstatus_to_exitcode(status)}"
    return record


def run_per_file(args: argparse.Namespace) -> dict:
    corpus = args.corpus.resolve()
    files = corpus_files(corpus, args.limit)
    warm_up()
    gc.collect()
    gc.freeze()   # like the CLI before it forks its workers
    baseline = _status_kb("self", "VmRSS:") / 1024
    print(f"per-file run: {len(files)} files under {corpus}, timeout {args.timeout:g} s, jobs {args.jobs or 1}, "
          f"parent RSS {baseline:.0f} MB", flush=True)
    log = open(args.log, "a", encoding="utf-8") if args.log else None
    records: list[FileRecord] = []
    todo = list(reversed(files))
    running: dict[int, Child] = {}
    start = time.perf_counter()
    jobs = max(1, args.jobs or 1)
    while todo or running:
        while todo and len(running) < jobs:
            child = _fork(todo.pop(), args.rlimit_mb)
            running[child.fd] = child
        now = time.perf_counter()
        wait = min(child.started + args.timeout - now for child in running.values()) if args.timeout else 1.0
        ready, _, _ = select.select(list(running), [], [], max(0.0, wait))
        finished: list[tuple[Child, int]] = []
        for fd in ready:
            child = running[fd]
            chunk = os.read(fd, 1 << 16)
            if chunk:
                child.chunks.append(chunk)
                continue
            finished.append((child, os.waitpid(child.pid, 0)[1]))
        now = time.perf_counter()
        for child in list(running.values()):
            if args.timeout and now - child.started > args.timeout and all(c is not child for c, _ in finished):
                child.record.peak_rss_mb = round(_status_kb(child.pid, "VmHWM:") / 1024, 1)
                child.record.cpu_seconds = _cpu_seconds(child.pid)
                os.kill(child.pid, signal.SIGKILL)
                os.waitpid(child.pid, 0)
                os.close(child.fd)
                record = child.record
                record.outcome, record.message = "timed out", f"killed after {args.timeout:g} s"
                record.wall_seconds = round(now - child.started, 3)
                record.rss_growth_mb = round(max(0.0, record.peak_rss_mb - baseline), 1)
                del running[child.fd]
                _done(record, records, log, len(files))
        for child, status in finished:
            del running[child.fd]
            _done(_finish(child, status), records, log, len(files))
    wall = time.perf_counter() - start
    if log:
        log.close()
    return summarise(records, wall, baseline, args)


def _done(record: FileRecord, records: list[FileRecord], log, total: int) -> None:
    records.append(record)
    if log:
        log.write(json.dumps(asdict(record)) + "\n")
        log.flush()
    if record.outcome in ("timed out", "internal error", "killed", "memory limit") or record.wall_seconds > 5:
        print(f"  [{len(records)}/{total}] {record.outcome} {record.wall_seconds:.1f} s "
              f"{record.peak_rss_mb:.0f} MB  {record.path}  {record.message[:120]}", flush=True)
    elif len(records) % 250 == 0:
        print(f"  [{len(records)}/{total}] ...", flush=True)


def summarise(records: list[FileRecord], wall: float, baseline: float, args: argparse.Namespace) -> dict:
    outcomes: dict[str, int] = {}
    for r in records:
        outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
    over_budget = [r for r in records if r.wall_seconds > 2 * DEFAULT_CONFIG.max_seconds]
    over_budget_cpu = [r for r in records if r.cpu_seconds > 2 * DEFAULT_CONFIG.max_seconds
                       or r.outcome == "timed out"]
    return {
        "mode": "per-file", "files": len(records), "wall_seconds": round(wall, 1),
        "analysis_seconds": round(sum(r.wall_seconds for r in records), 1),
        "cpu_seconds": round(sum(r.cpu_seconds for r in records), 1),
        "timeout": args.timeout, "parent_rss_mb": round(baseline, 1),
        "budget_seconds": DEFAULT_CONFIG.max_seconds,
        "outcomes": outcomes,
        "over_2x_budget": len(over_budget),
        "over_2x_budget_cpu": len(over_budget_cpu),   # CPU seconds: what a loaded machine does not inflate
        "max_peak_rss_mb": max((r.peak_rss_mb for r in records), default=0.0),
        "records": [asdict(r) for r in records],
    }


def report_per_file(result: dict, slowest: int) -> None:
    records = [FileRecord(**r) for r in result["records"]]
    print(f"== per file: {result['files']} files, wall {result['wall_seconds']:.0f} s, analysis "
          f"{result['analysis_seconds']:.0f} s (CPU {result['cpu_seconds']:.0f} s), parent RSS "
          f"{result['parent_rss_mb']:.0f} MB, max child peak {result['max_peak_rss_mb']:.0f} MB")
    print("  outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(result["outcomes"].items())))
    print(f"  over 2x the {result['budget_seconds']:g} s budget: {result['over_2x_budget']} by wall time, "
          f"{result['over_2x_budget_cpu']} by CPU time (timed out included)")
    print(f"  slowest {slowest} (wall s, CPU s, peak MB, growth MB, outcome):")
    for r in sorted(records, key=lambda r: r.wall_seconds, reverse=True)[:slowest]:
        print(f"    {r.wall_seconds:8.2f} {r.cpu_seconds:8.2f} {r.peak_rss_mb:7.0f} {r.rss_growth_mb:7.0f}  "
              f"{r.outcome:15} {r.path}")
    big = [r for r in records if r.rss_growth_mb > BIG_MB or r.outcome in ("timed out", "memory limit", "killed")]
    print(f"  timed out / killed / over {BIG_MB:g} MB growth: {len(big)}")
    for r in big:
        print(f"    {r.outcome:12} {r.wall_seconds:7.1f} s {r.peak_rss_mb:6.0f} MB  {r.path}")
    crashes = [r for r in records if r.outcome == "internal error"]
    print(f"  internal errors: {len(crashes)}")
    for r in crashes:
        print(f"    {r.path}: {r.message[:200]}")
    accepted = [r for r in records if r.outcome == "syntax error"
                and (r.cpython_parses or r.loaded_text_parses or r.ipython_parses)]
    print(f"  syntax errors: {result['outcomes'].get('syntax error', 0)}; CPython accepts "
          f"{len(accepted)} of them (raw / loaded text / IPython-dedented):")
    for r in accepted:
        print(f"    {str(r.cpython_parses):5} {str(r.loaded_text_parses):5} {str(r.ipython_parses):5}  "
              f"{r.path}: {r.message[:100]}")


def write_out(result: dict, out: Path) -> None:
    if out.suffix == ".csv" and "records" in result:
        names = [f for f in FileRecord.__dataclass_fields__ if f != "traceback"]
        with open(out, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=names, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(result["records"])
        return
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


def failures(result: dict, args: argparse.Namespace) -> list[str]:
    failed = []
    if args.max_seconds and result["wall_seconds"] > args.max_seconds:
        failed.append(f"wall {result['wall_seconds']:.0f} s > {args.max_seconds:g} s")
    if result["mode"] == "cli":
        if result["killed"]:
            failed.append(result["killed"])
        if args.max_rss_mb and result["peak_tree_rss_mb"] > args.max_rss_mb:
            failed.append(f"peak tree RSS {result['peak_tree_rss_mb']:.0f} MB > {args.max_rss_mb:g} MB")
        if result["internal_errors"]:
            failed.append(f"{len(result['internal_errors'])} internal error / traceback line(s)")
        if result["problems"]["timed out"]:
            failed.append(f"{len(result['problems']['timed out'])} file(s) timed out")
        if result["returncode"] != 0 or not result["json_ok"]:
            failed.append(f"exit status {result['returncode']}, JSON ok {result['json_ok']}")
    else:
        if args.max_rss_mb and result["max_peak_rss_mb"] > args.max_rss_mb:
            failed.append(f"a file peaked at {result['max_peak_rss_mb']:.0f} MB > {args.max_rss_mb:g} MB")
        for outcome in ("internal error", "timed out", "killed", "memory limit"):
            if result["outcomes"].get(outcome):
                failed.append(f"{result['outcomes'][outcome]} file(s) {outcome}")
        if result["over_2x_budget_cpu"]:
            failed.append(f"{result['over_2x_budget_cpu']} file(s) over 2x the budget (CPU time)")
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                        help="corpus folder (default ../shared/corpus from the repository root)")
    parser.add_argument("--per-file", action="store_true", help="per-file figures from forked in-process runs")
    parser.add_argument("--limit", type=int, help="only the first N files")
    parser.add_argument("--jobs", "-j", type=int, help="CLI: its --jobs (default: its default); "
                                                       "per-file: children at a time (default 1)")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-file mode: SIGKILL a file after S s")
    parser.add_argument("--rlimit-mb", type=int, default=4000,
                        help="per-file mode: address-space limit of each child (0: none)")
    parser.add_argument("--kill-after", type=float, default=1800.0,
                        help="whole-CLI mode: kill the process tree after S s (0: never)")
    parser.add_argument("--kill-rss-mb", type=float, default=6000.0,
                        help="whole-CLI mode: kill the process tree when its RSS passes MB (0: never)")
    parser.add_argument("--mllint", help="the mllint executable (default: the one on PATH / beside python)")
    parser.add_argument("--mllint-arg", action="append", metavar="ARG",
                        help="whole-CLI mode: pass ARG to mllint check (repeat; e.g. --mllint-arg=--extend-exclude=X)")
    parser.add_argument("--out", type=Path, help="write the figures here (.json, or .csv for the per-file table)")
    parser.add_argument("--log", type=Path, help="per-file mode: append each record as a JSON line as it finishes")
    parser.add_argument("--slowest", type=int, default=30, help="how many slowest files to print")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal of the issue fails")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="goal: wall seconds of the whole run")
    parser.add_argument("--max-rss-mb", type=float, default=1500.0, help="goal: peak RSS in MB")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    if args.per_file:
        result = run_per_file(args)
        report_per_file(result, args.slowest)
    else:
        result = run_cli(args)
        report_cli(result)
    if args.out:
        write_out(result, args.out)
    failed = failures(result, args)
    print("RESULT:", "FAIL (" + "; ".join(failed) + ")" if failed else "ok")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
