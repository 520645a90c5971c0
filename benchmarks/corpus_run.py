"""Corpus run: ``analyze`` + the rules over whole corpora, counting crashes and budget hits.

Corpora (in this order):
  stdlib    every .py file of the running Python's standard library
            (``sysconfig.get_paths()["stdlib"]``, site-packages / dist-packages excluded);
            it holds Python 2 files, broken test data and odd encodings on purpose;
  sklearn   Debian's scikit-learn example scripts (benchmarks/fetch_corpus.sh);
            skipped with a message when not fetched;
  cases     the labelled benchmark cases (``--cases``, default ../shared/bench/cases
            relative to the repository root); skipped with a message when absent.

Per file it records the wall time of ``analyze`` + ``check_analysis`` (the whole job, as
flake8 runs it), whether either raised, whether the analysis hit its own time/step budget
(an "analysis budget exceeded" note) and whether the file was rejected with ``.error``
(syntax errors, bad encodings: expected in the stdlib, not failures).  ``MLLINT_DEBUG=1``
is set so that internal errors raise instead of being swallowed into a note: every one
is a crash here.  A per-file watchdog (``--timeout``, SIGALRM) turns a hang into a crash
rather than stalling the run.

analyze skips files that mention none of pandas/numpy/sklearn/imblearn before parsing
them (by design), so by default almost all of the stdlib only exercises decoding and that
filter; ``--force`` appends a comment line naming numpy to every file so that each one is
parsed, interpreted and checked (the robust setting for a robustness run; the test uses it).

Printed per corpus and overall: files, lines, crashes, budget hits, errors, files over
1 s, the slowest file and its time, and peak RSS (``ru_maxrss``; it is a process-wide
high-water mark, so a corpus's figure includes the corpora before it).

Exit status 1 when any file crashed (raised or hung), hit the analysis budget, or took
longer than ``--max-seconds`` (default: the analysis budget, ``Config.max_seconds``).
Why the budget and not 1 s: the budget is the contract ("past it, the file's remaining
values widen to unknown"); a file that hits it is counted as a budget hit, and a file
whose *total* time passes it without a budget note is slow somewhere the budget does not
guard (parsing, the rules) -- a failure too.  Files over 1 s are reported but, on their
own, not fatal: wall time depends on the machine and its load.  ``--max-seconds 0``
disables the wall-time check (the crash and budget checks remain).

Usage: python benchmarks/corpus_run.py [--force] [--no-stdlib] [--no-sklearn] [--no-cases]
       [--cases DIR] [--sklearn DIR] [--limit N] [--timeout S] [--max-seconds S] [--json OUT]
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import signal
import sys
import sysconfig
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

# analyze() turns its own bugs into a note so flake8 survives them; here they must raise.
os.environ["MLLINT_DEBUG"] = "1"

from mllint import analyze  # noqa: E402
from mllint.checker import check_analysis  # noqa: E402
from mllint.engine.config import DEFAULT_CONFIG  # noqa: E402
from mllint.settings import Settings  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_SKLEARN = HERE / "corpus/sklearn-doc/usr/share/doc/python-sklearn-doc/examples"
DEFAULT_CASES = REPO / "../shared/bench/cases"
SLOW_SECONDS = 1.0
BUDGET_NOTE = "budget exceeded"
SHOWN_TRACEBACKS = 10
SETTINGS = Settings()
# analyze() skips files that mention none of pandas/numpy/sklearn/imblearn before parsing;
# --force appends this comment line so that every file is parsed and interpreted.
FORCE_SUFFIX = b"\n# mllint corpus run: numpy\n"


class Hung(Exception):
    """Raised by the watchdog when one file runs longer than ``--timeout``."""


@dataclass
class Figures:
    name: str
    root: str
    files: int = 0
    lines: int = 0
    analysed: int = 0          # parsed and interpreted (not skipped by the ML-mention filter)
    crashes: int = 0           # analyze/check raised (or hung past --timeout)
    budget_hits: int = 0       # the analysis stopped at its own time/step budget
    errors: int = 0            # rejected with ``.error`` (syntax, encoding, ...): not a failure
    over_1s: int = 0
    over_limit: int = 0        # wall time over --max-seconds
    findings: int = 0
    seconds: float = 0.0
    slowest: list[tuple[float, str]] = field(default_factory=list)   # top 5 (seconds, path)
    peak_rss_mb: float = 0.0
    crash_reports: list[dict] = field(default_factory=list)
    budget_files: list[str] = field(default_factory=list)
    over_limit_files: list[str] = field(default_factory=list)


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def python_files(root: Path, exclude: tuple[str, ...] = ()) -> list[Path]:
    return sorted(p for p in root.rglob("*.py")
                  if p.is_file() and not any(part in exclude for part in p.relative_to(root).parts))


def _alarm(signum, frame):
    raise Hung()


def run_file(path: Path, root: Path, fig: Figures, timeout: float, max_seconds: float,
             force: bool = False) -> None:
    rel = str(path.relative_to(root))
    try:
        data = path.read_bytes()
    except OSError as exc:
        fig.files += 1
        fig.errors += 1
        print(f"  unreadable {rel}: {exc}", file=sys.stderr)
        return
    fig.files += 1
    fig.lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    if force:
        data += FORCE_SUFFIX
    if timeout:
        signal.setitimer(signal.ITIMER_REAL, timeout)
    start = time.perf_counter()
    try:
        result = analyze(data, path=str(path))
        findings = check_analysis(result, SETTINGS)
    except Hung:
        elapsed = time.perf_counter() - start
        fig.crashes += 1
        fig.crash_reports.append({"file": str(path), "seconds": round(elapsed, 3),
                                  "traceback": f"hung: still running after {timeout:g} s"})
        return
    except Exception:
        elapsed = time.perf_counter() - start
        fig.crashes += 1
        fig.crash_reports.append({"file": str(path), "seconds": round(elapsed, 3),
                                  "traceback": traceback.format_exc()})
        return
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
    elapsed = time.perf_counter() - start
    fig.seconds += elapsed
    fig.slowest = sorted([*fig.slowest, (elapsed, rel)], reverse=True)[:5]
    fig.analysed += result.module is not None
    fig.errors += result.error is not None
    fig.findings += len(findings)
    if any(BUDGET_NOTE in note for note in result.notes):
        fig.budget_hits += 1
        fig.budget_files.append(f"{rel} ({elapsed:.2f} s)")
    fig.over_1s += elapsed > SLOW_SECONDS
    if max_seconds and elapsed > max_seconds:
        fig.over_limit += 1
        fig.over_limit_files.append(f"{rel} ({elapsed:.2f} s)")


def run_corpus(name: str, root: Path, files: list[Path], timeout: float, max_seconds: float,
               force: bool = False) -> Figures:
    fig = Figures(name, str(root))
    for path in files:
        run_file(path, root, fig, timeout, max_seconds, force)
    gc.collect()
    fig.peak_rss_mb = round(peak_rss_mb(), 1)
    return fig


def combine(figs: list[Figures]) -> Figures:
    total = Figures("overall", "")
    for f in figs:
        for key in ("files", "lines", "analysed", "crashes", "budget_hits", "errors", "over_1s",
                    "over_limit", "findings", "seconds"):
            setattr(total, key, getattr(total, key) + getattr(f, key))
        total.slowest.extend((t, f"{f.name}: {p}") for t, p in f.slowest)
        total.crash_reports.extend(f.crash_reports)
        total.budget_files.extend(f"{f.name}: {p}" for p in f.budget_files)
        total.over_limit_files.extend(f"{f.name}: {p}" for p in f.over_limit_files)
    total.slowest = sorted(total.slowest, reverse=True)[:5]
    total.peak_rss_mb = round(peak_rss_mb(), 1)
    return total


def report(fig: Figures, max_seconds: float) -> None:
    where = f" ({fig.root})" if fig.root else ""
    print(f"== {fig.name}{where}")
    print(f"  files {fig.files}, lines {fig.lines}, parsed+interpreted {fig.analysed}, "
          f"total {fig.seconds:.2f} s")
    limit = f", over {max_seconds:g} s {fig.over_limit}" if max_seconds else ""
    print(f"  crashes {fig.crashes}, budget hits {fig.budget_hits}, errors {fig.errors}, "
          f"over {SLOW_SECONDS:g} s {fig.over_1s}{limit}, findings {fig.findings}")
    if fig.slowest:
        seconds, path = fig.slowest[0]
        print(f"  slowest {seconds:.3f} s  {path}")
    print(f"  peak RSS {fig.peak_rss_mb:.1f} MB")
    for entry in fig.budget_files[:10]:
        print(f"  budget hit: {entry}")
    for entry in fig.over_limit_files[:10]:
        print(f"  over {max_seconds:g} s: {entry}")


def warm_up() -> None:
    """Lazy imports and first-call caches would otherwise be charged to the first file."""
    snippet = b"import pandas as pd\nfrom sklearn.model_selection import train_test_split\n" \
              b"df = pd.read_csv('x.csv')\nX_train, X_test = train_test_split(df)\n"
    check_analysis(analyze(snippet, path="warm_up.py"), SETTINGS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-stdlib", action="store_true", help="skip the standard library")
    parser.add_argument("--no-sklearn", action="store_true", help="skip the scikit-learn examples")
    parser.add_argument("--no-cases", action="store_true", help="skip the labelled cases")
    parser.add_argument("--sklearn", type=Path, default=DEFAULT_SKLEARN,
                        help="scikit-learn examples directory (default: fetch_corpus.sh's)")
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES,
                        help="labelled cases directory (default ../shared/bench/cases from the repo root)")
    parser.add_argument("--force", action="store_true",
                        help="analyse every file, also those that mention no ML library (which "
                             "analyze skips unparsed): appends a comment line naming numpy")
    parser.add_argument("--limit", type=int, help="at most N files per corpus")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="per-file watchdog in seconds: past it the file counts as a crash (0: off)")
    parser.add_argument("--max-seconds", type=float, default=DEFAULT_CONFIG.max_seconds,
                        help="fail when a file's analyze+check wall time exceeds this "
                             "(default: the analysis budget, %(default)s s; 0: off)")
    parser.add_argument("--json", type=Path, help="write the figures (and crash tracebacks) here")
    args = parser.parse_args(argv)

    corpora: list[tuple[str, Path, list[Path]]] = []
    if not args.no_stdlib:
        stdlib = Path(sysconfig.get_paths()["stdlib"])
        corpora.append(("stdlib", stdlib, python_files(stdlib, ("site-packages", "dist-packages"))))
    if not args.no_sklearn:
        if args.sklearn.is_dir() and (files := python_files(args.sklearn)):
            corpora.append(("sklearn-examples", args.sklearn, files))
        else:
            print(f"sklearn examples not found at {args.sklearn}: skipped "
                  f"(run benchmarks/fetch_corpus.sh)")
    if not args.no_cases:
        cases = args.cases.resolve()
        if cases.is_dir() and (files := python_files(cases)):
            corpora.append(("cases", cases, files))
        else:
            print(f"labelled cases not found at {cases}: skipped")
    if not corpora:
        print("no corpus to run", file=sys.stderr)
        return 2

    if args.timeout:
        signal.signal(signal.SIGALRM, _alarm)
    warm_up()
    figs = []
    for name, root, files in corpora:
        fig = run_corpus(name, root, files[:args.limit], args.timeout, args.max_seconds, args.force)
        report(fig, args.max_seconds)
        figs.append(fig)
    total = combine(figs)
    report(total, args.max_seconds)

    for crash in total.crash_reports[:SHOWN_TRACEBACKS]:
        print(f"--- crash on {crash['file']} after {crash['seconds']} s\n{crash['traceback']}",
              file=sys.stderr)
    if len(total.crash_reports) > SHOWN_TRACEBACKS:
        print(f"--- ... and {len(total.crash_reports) - SHOWN_TRACEBACKS} more crashes", file=sys.stderr)

    if args.json:
        out = {"corpora": [asdict(f) for f in figs], "overall": asdict(total),
               "max_seconds": args.max_seconds, "timeout": args.timeout, "force": args.force,
               "python": sys.version.split()[0]}
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")

    failed = total.crashes or total.budget_hits or total.over_limit
    print("RESULT:", "FAIL" if failed else "ok",
          f"(crashes {total.crashes}, budget hits {total.budget_hits}, "
          f"over {args.max_seconds:g} s {total.over_limit})" if args.max_seconds else
          f"(crashes {total.crashes}, budget hits {total.budget_hits})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
