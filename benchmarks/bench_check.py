"""Time the ``mllint check`` command end to end against bare LibCST parsing and flake8.

Why: issue 4 sets command-level goals -- a cold ``mllint check --jobs 1`` within
2x of bare LibCST parsing of the same files, and a warm (cached) run under 10%
of a cold one -- and asks how ``mllint check`` compares with flake8 on the same
folder. bench_analyze.py measures analyze() in-process; this measures what a
user waits for: interpreter start-up, imports, discovery, the process pool, the
cache and the output.

How: the corpus (scikit-learn's examples, see fetch_corpus.sh) is copied to a
temporary folder, and every command runs there as a fresh subprocess, so the
``.mllint_cache`` (placed next to the nearest pyproject.toml above the working
directory, else in it) and any flake8 config come from the temporary folder,
never from the repository. Each command's wall time and the CPU time of its
processes (resource.getrusage(RUSAGE_CHILDREN), workers included) is taken;
the commands run round-robin, ``--repeat`` times, and the median is reported.

flake8 is run with its default plugins only (pycodestyle, pyflakes, mccabe).
``--select`` would not do that: flake8 runs every registered plugin and only
filters what it reports, so the installed ``ML`` plugin would still analyse
every file. A small wrapper drops mllint's entry point from flake8's plugin
discovery instead; the as-installed run is shown too, for reference.

Usage: python benchmarks/bench_check.py [--corpus DIR] [--repeat N] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE / "corpus/sklearn-doc/usr/share/doc/python-sklearn-doc/examples"
PY = sys.executable
TARGET = "examples"       # the corpus' name inside the temporary folder

BARE_PARSE = """
import pathlib, sys, time
import libcst
files = sorted(pathlib.Path(sys.argv[1]).rglob("*.py"))
start = time.perf_counter()
for path in files:
    libcst.parse_module(path.read_bytes())
print(time.perf_counter() - start)
"""

FLAKE8_DEFAULT_PLUGINS = """
import sys
import flake8.plugins.finder as finder
found = finder._find_importlib_plugins
finder._find_importlib_plugins = lambda: (p for p in found() if p.package != "mllint-plan")
from flake8.main.cli import main
sys.exit(main())
"""

MLLINT = [PY, "-m", "mllint", "check"]
FLAKE8 = [PY, "-c", FLAKE8_DEFAULT_PLUGINS, "--select=E,F,W,C90"]


@dataclass
class Command:
    name: str
    argv: list[str]
    ok_codes: tuple[int, ...] = (0,)
    before: Callable[[Path], None] | None = None    # run untimed, just before
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    inner: list[float] = field(default_factory=list)   # bare parse: parse-only seconds
    stdout: str = ""

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def drop_cache(work: Path) -> None:
    shutil.rmtree(work / ".mllint_cache", ignore_errors=True)


def commands() -> list[Command]:
    """In run order: the cold cached run must come right before the warm one."""
    return [
        Command("bare libcst parse (1 process)", [PY, "-c", BARE_PARSE, TARGET]),
        Command("mllint --no-cache --jobs 1", [*MLLINT, "--no-cache", "--jobs", "1", TARGET], (0, 1)),
        Command("mllint --no-cache (default jobs)", [*MLLINT, "--no-cache", TARGET], (0, 1)),
        Command("mllint cold cache (default jobs)", [*MLLINT, TARGET], (0, 1), before=drop_cache),
        Command("mllint warm cache (default jobs)", [*MLLINT, TARGET], (0, 1)),
        Command("mllint cold cache --jobs 1", [*MLLINT, "--jobs", "1", TARGET], (0, 1), before=drop_cache),
        Command("mllint warm cache --jobs 1", [*MLLINT, "--jobs", "1", TARGET], (0, 1)),
        Command("flake8 default plugins (default jobs)", [*FLAKE8, TARGET], (0, 1)),
        Command("flake8 default plugins --jobs 1", [*FLAKE8, "--jobs", "1", TARGET], (0, 1)),
        Command("flake8 as installed, --select=E,F,W,C90",
                [PY, "-m", "flake8", "--select=E,F,W,C90", TARGET], (0, 1)),
    ]


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(command: Command, work: Path) -> None:
    if command.before:
        command.before(work)
    cpu0, start = child_cpu(), time.perf_counter()
    proc = subprocess.run(command.argv, cwd=work, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"})
    command.wall.append(time.perf_counter() - start)
    command.cpu.append(child_cpu() - cpu0)
    if proc.returncode not in command.ok_codes:
        sys.exit(f"{command.name}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    if command.name.startswith("bare"):
        command.inner.append(float(proc.stdout.split()[-1]))
    command.stdout = proc.stdout


def ratios(by: dict[str, Command]) -> dict[str, float]:
    def w(name: str) -> float:
        return by[name].median_wall

    jobs1, default = w("mllint --no-cache --jobs 1"), w("mllint --no-cache (default jobs)")
    bare = by["bare libcst parse (1 process)"]
    return {
        "cold jobs1 / bare parse process": jobs1 / bare.median_wall,
        "cold jobs1 / bare parse-only": jobs1 / statistics.median(bare.inner),
        "cold jobs1 / bare parse process (cpu)": by["mllint --no-cache --jobs 1"].median_cpu / bare.median_cpu,
        "warm / cold (default jobs)": w("mllint warm cache (default jobs)") / w("mllint cold cache (default jobs)"),
        "warm / cold (--jobs 1)": w("mllint warm cache --jobs 1") / w("mllint cold cache --jobs 1"),
        "warm / no-cache jobs1": w("mllint warm cache --jobs 1") / jobs1,
        "cold cache / no-cache (default jobs)": w("mllint cold cache (default jobs)") / default,
        "default jobs / jobs1 (no-cache)": default / jobs1,
        "mllint / flake8 (--jobs 1)": jobs1 / w("flake8 default plugins --jobs 1"),
        "mllint / flake8 (default jobs)": default / w("flake8 default plugins (default jobs)"),
    }


GOALS = {"cold jobs1 / bare parse process": 2.0, "cold jobs1 / bare parse-only": 2.0,
         "warm / cold (default jobs)": 0.10, "warm / cold (--jobs 1)": 0.10}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of .py files")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (median reported)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

    files = sorted(args.corpus.rglob("*.py"))
    if not files:
        sys.exit(f"no .py files in {args.corpus}: run benchmarks/fetch_corpus.sh")
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    with tempfile.TemporaryDirectory(prefix="bench_check_") as tmp:
        work = Path(tmp)
        shutil.copytree(args.corpus, work / TARGET)
        cmds = commands()
        for i in range(args.repeat):
            for command in cmds:
                run_once(command, work)
            print(f"round {i + 1}/{args.repeat} done", file=sys.stderr)
        if not (work / ".mllint_cache").is_dir():
            sys.exit(f"no cache under {work}: a pyproject.toml above it moved the cache root?")
    by = {c.name: c for c in cmds}
    if by["mllint warm cache (default jobs)"].stdout != by["mllint cold cache (default jobs)"].stdout:
        print("warning: warm and cold outputs differ", file=sys.stderr)

    print(f"corpus {args.corpus}: {len(files)} files, {lines} lines; {os.cpu_count()} CPUs; "
          f"median of {args.repeat}")
    print(f"{'command':<42}{'wall s':>8}{'cpu s':>8}")
    for c in cmds:
        print(f"{c.name:<42}{c.median_wall:>8.3f}{c.median_cpu:>8.3f}")
    bare = by["bare libcst parse (1 process)"]
    print(f"{'  of which parse-only (measured inside)':<42}{statistics.median(bare.inner):>8.3f}")
    figures = ratios(by)
    print("ratios (wall time)")
    for name, value in figures.items():
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"  goal < {goal:g}: {'met' if value < goal else 'MISSED'}"
        print(f"  {name:<40}{value:>7.2f}{verdict}")

    if args.json:
        out = {"corpus": str(args.corpus), "files": len(files), "lines": lines, "cpus": os.cpu_count(),
               "repeat": args.repeat, "ratios": figures,
               "commands": [dict({k: v for k, v in asdict(c).items() if k not in ("before", "stdout")},
                                 median_wall=c.median_wall, median_cpu=c.median_cpu) for c in cmds]}
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
