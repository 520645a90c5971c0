"""Time ``mllint.analyze`` plus the rules against LibCST's bare parse of the same files.

Why side by side: the budget in DESIGN.md is relative ("whole analysis at most
1.5x the bare parse"), and absolute times move with the machine. Both are
measured per file in one process, in alternating order, so noise and cache
effects hit both alike. Trees are dropped as soon as they are timed, so memory
pressure does not grow over the run and skew later files.

Corpora: scikit-learn's example scripts (see fetch_corpus.sh) and the running
Python's stdlib. The stdlib mostly does not mention pandas/numpy/sklearn, so
analyze skips it before parsing (by design); its overall ratio is therefore
low, and the ratio over the files analyze actually parsed is shown as well.

Usage: python benchmarks/bench_analyze.py [--corpus DIR]... [--limit N]
       [--json OUT] [--profile] [--no-stdlib]
"""
from __future__ import annotations

import argparse
import ast
import cProfile
import gc
import json
import os
import pstats
import sys
import sysconfig
import time
import traceback
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import libcst as cst

# analyze() turns its own bugs into a note so flake8 survives them; here we
# want them raised, counted and shown with a traceback (they are bugs to fix).
os.environ.setdefault("MLLINT_DEBUG", "1")

from mllint import analyze  # noqa: E402
from mllint.checker import check_analysis  # noqa: E402
from mllint.settings import Settings  # noqa: E402

SETTINGS = Settings()

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE / "corpus/sklearn-doc/usr/share/doc/python-sklearn-doc/examples"
SLOW_SECONDS = 1.0
SHOWN_TRACEBACKS = 5


@dataclass
class Figures:
    """Totals for one corpus; ``slowest`` holds (seconds, path) of the top files."""

    name: str
    files: int = 0
    lines: int = 0
    skipped_invalid: int = 0      # not valid Python 3 for ``ast``: not timed
    parse_failed: int = 0         # ``ast`` accepts, LibCST rejects
    parse_seconds: float = 0.0
    analyze_seconds: float = 0.0
    parsed_by_analyze: int = 0    # files not skipped by analyze's ML-mention filter
    parse_seconds_of_parsed: float = 0.0
    analyze_seconds_of_parsed: float = 0.0
    crashed: int = 0
    over_1s: int = 0
    with_error: int = 0
    with_plan: int = 0
    over_budget: int = 0          # analyze gave up part-way (its own time/step budget)
    findings: int = 0             # rule findings (default settings)
    slowest: list[tuple[float, str]] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.analyze_seconds / self.parse_seconds if self.parse_seconds else 0.0

    @property
    def ratio_of_parsed(self) -> float:
        s = self.parse_seconds_of_parsed
        return self.analyze_seconds_of_parsed / s if s else 0.0


def python_files(root: Path, exclude: tuple[str, ...] = ()) -> list[Path]:
    """Sorted so that runs are comparable and ``--limit`` picks the same files."""
    return sorted(p for p in root.rglob("*.py")
                  if p.is_file() and not any(part in exclude for part in p.parts))


def is_python3(data: bytes) -> bool:
    """The stdlib ships Python 2 and broken files as test data: those are skipped."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


def time_parse(data: bytes) -> tuple[float, bool]:
    start = time.perf_counter()
    try:
        cst.parse_module(data)
        ok = True
    except Exception:   # a LibCST limitation, not ours: count it, keep timing
        ok = False
    return time.perf_counter() - start, ok


def time_analyze(data: bytes, path: str, fig: Figures, crashes: list[str]) -> float:
    """Time one analyze call and fold its outcome into ``fig``; the result is dropped."""
    start = time.perf_counter()
    try:
        result = analyze(data, path=path)
        findings = check_analysis(result, SETTINGS)   # the whole job, as flake8 runs it
    except Exception:
        elapsed = time.perf_counter() - start
        fig.crashed += 1
        crashes.append(f"{path}\n{traceback.format_exc()}")
        return elapsed
    elapsed = time.perf_counter() - start
    fig.with_error += result.error is not None
    fig.with_plan += len(result.plan) > 0
    fig.parsed_by_analyze += result.module is not None
    fig.over_budget += any("budget exceeded" in note for note in result.notes)
    fig.findings += len(findings)
    return elapsed


def run_corpus(name: str, root: Path, files: list[Path]) -> Figures:
    """Time parse and analyze per file, alternating which one goes first."""
    fig = Figures(f"{name} ({root})")
    crashes: list[str] = []
    times: list[tuple[float, str]] = []
    for i, path in enumerate(files):
        data = path.read_bytes()
        if not is_python3(data):
            fig.skipped_invalid += 1
            continue
        parsed_before = fig.parsed_by_analyze
        if i % 2:
            a = time_analyze(data, str(path), fig, crashes)
            p, ok = time_parse(data)
        else:
            p, ok = time_parse(data)
            a = time_analyze(data, str(path), fig, crashes)
        fig.files += 1
        fig.lines += data.count(b"\n")
        fig.parse_failed += not ok
        fig.parse_seconds += p
        fig.analyze_seconds += a
        fig.over_1s += a > SLOW_SECONDS
        if fig.parsed_by_analyze > parsed_before:
            fig.parse_seconds_of_parsed += p
            fig.analyze_seconds_of_parsed += a
        times.append((a, str(path.relative_to(root))))
    fig.slowest = sorted(times, reverse=True)[:5]
    for text in crashes[:SHOWN_TRACEBACKS]:
        print(f"--- analyze raised on {text}", file=sys.stderr)
    if len(crashes) > SHOWN_TRACEBACKS:
        print(f"--- ... and {len(crashes) - SHOWN_TRACEBACKS} more crashes", file=sys.stderr)
    return fig


def combine(figs: list[Figures]) -> Figures:
    total = Figures("combined")
    for f in figs:
        for key in ("files", "lines", "skipped_invalid", "parse_failed", "parse_seconds",
                    "analyze_seconds", "parsed_by_analyze", "parse_seconds_of_parsed",
                    "analyze_seconds_of_parsed", "crashed", "over_1s", "with_error", "with_plan",
                    "over_budget"):
            setattr(total, key, getattr(total, key) + getattr(f, key))
        total.slowest.extend((t, f"{f.name.split()[0]}: {p}") for t, p in f.slowest)
    total.slowest = sorted(total.slowest, reverse=True)[:5]
    return total


def report(fig: Figures) -> None:
    print(f"== {fig.name}")
    print(f"  files {fig.files} (skipped invalid {fig.skipped_invalid}, libcst rejects "
          f"{fig.parse_failed}), lines {fig.lines}")
    print(f"  parse {fig.parse_seconds:.2f} s, analyze {fig.analyze_seconds:.2f} s, "
          f"ratio {fig.ratio:.2f}")
    print(f"  files analyze parsed {fig.parsed_by_analyze}: parse "
          f"{fig.parse_seconds_of_parsed:.2f} s, analyze {fig.analyze_seconds_of_parsed:.2f} s, "
          f"ratio {fig.ratio_of_parsed:.2f}")
    print(f"  crashed {fig.crashed}, over {SLOW_SECONDS:g} s {fig.over_1s}, "
          f".error {fig.with_error}, with plan nodes {fig.with_plan}, "
          f"budget exceeded {fig.over_budget}, findings {fig.findings}")
    for seconds, path in fig.slowest:
        print(f"  slow {seconds:.3f} s  {path}")


def profile(files: list[Path]) -> None:
    """A separate pass, so profiler overhead does not distort the timings above."""
    blobs = [(p.read_bytes(), str(p)) for p in files]
    profiler = cProfile.Profile()
    for data, path in blobs:
        profiler.enable()
        try:
            analyze(data, path=path)
        except Exception:
            pass
        finally:
            profiler.disable()
    print("== profile of analyze over", len(blobs), "files (top 25 by cumulative time)")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)


def warm_up() -> None:
    """Lazy imports and first-call caches would otherwise be charged to the first file."""
    snippet = b"import pandas as pd\nfrom sklearn.model_selection import train_test_split\n" \
              b"df = pd.read_csv('x.csv')\nX_train, X_test = train_test_split(df)\n"
    cst.parse_module(snippet)
    analyze(snippet, path="warm_up.py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", type=Path,
                        help=f"directory of .py files (repeatable; default {DEFAULT_CORPUS})")
    parser.add_argument("--no-stdlib", action="store_true", help="skip the stdlib corpus")
    parser.add_argument("--limit", type=int, help="at most N files per corpus")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the analyze calls of the --corpus corpora")
    args = parser.parse_args()

    corpora = [(d.name if d != DEFAULT_CORPUS else "sklearn-examples", d, python_files(d))
               for d in (args.corpus or [DEFAULT_CORPUS])]
    if not any(files for _, _, files in corpora):
        sys.exit(f"no .py files in {args.corpus or DEFAULT_CORPUS}: run benchmarks/fetch_corpus.sh")
    if not args.no_stdlib:
        stdlib = Path(sysconfig.get_paths()["stdlib"])
        corpora.append(("stdlib", stdlib, python_files(stdlib, ("site-packages", "dist-packages"))))

    warm_up()
    figs = []
    for name, root, files in corpora:
        gc.collect()
        fig = run_corpus(name, root, files[:args.limit])
        report(fig)
        figs.append(fig)
    total = combine(figs)
    report(total)

    if args.json:
        out = [dict(asdict(f), ratio=f.ratio, ratio_of_parsed=f.ratio_of_parsed)
               for f in (*figs, total)]
        args.json.write_text(json.dumps(out, indent=2))
    if args.profile:
        gc.collect()
        profile([p for name, _, files in corpora if name != "stdlib" for p in files[:args.limit]])


if __name__ == "__main__":
    main()
