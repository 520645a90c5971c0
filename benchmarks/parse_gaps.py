"""Files CPython accepts but mllint cannot parse: parse only, no interpretation.

Why: LibCST's native parser rejects some valid Python (``else(1 if a else 0)``, thousands of
concatenated literals) and notebooks hold cells IPython accepts but CPython does not
(an indented first line, ``pip install x``).  ``mllint.engine.parsing`` handles the forms found so
far; this script finds the next ones.  For each ``.py`` / ``.ipynb`` under the given folders
it loads the source as ``analyze`` does, runs CPython's ``ast.parse`` and then either
``mllint.engine.parsing.parse_code`` (default) or LibCST alone (``--raw``, the baseline), and prints

    CPYTHON <path> <error>        CPython rejects the loaded text (with --show-cpython)
    LIBCST  <path> <error>        CPython accepts it, mllint (or LibCST) does not
    PARTIAL <path> <note>         parsed with statements left out

and one JSON line of counts at the end.

Usage: python benchmarks/parse_gaps.py [--raw] [--show-cpython] DIR...
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import sys
import time
import warnings

import libcst as cst

from mllint.engine.parsing import LIBCST_REJECTS, parse_code
from mllint.engine.source import SourceError, load_source


def _files(roots: list[str]):
    for root in roots:
        for folder, _, names in os.walk(root):
            for name in sorted(names):
                if name.endswith((".py", ".ipynb")):
                    yield os.path.join(folder, name)


def _cpython_error(text: str) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _raw_libcst_error(text: str) -> str | None:
    """What analyze did before mllint.engine.parsing: LibCST, retried with tabs expanded."""
    for candidate in (text, text.expandtabs(8)) if "\t" in text else (text,):
        try:
            cst.parse_module(candidate)
            return None
        except (*LIBCST_REJECTS, RecursionError, MemoryError) as exc:
            error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="+")
    parser.add_argument("--raw", action="store_true", help="LibCST alone (the baseline)")
    parser.add_argument("--show-cpython", action="store_true", help="also list files CPython rejects")
    args = parser.parse_args(argv)
    counts = {"files": 0, "unreadable": 0, "cpython_rejects": 0, "parse_fails": 0, "partial": 0, "ok": 0}
    started = time.perf_counter()
    for path in _files(args.roots):
        counts["files"] += 1
        try:
            with open(path, "rb") as handle:
                text = load_source(handle.read(), path).text
        except (OSError, SourceError):
            counts["unreadable"] += 1
            continue
        error = _cpython_error(text)
        if error is not None:
            counts["cpython_rejects"] += 1
            if args.show_cpython:
                print("CPYTHON", path, error, flush=True)
            continue
        if args.raw:
            error, notes = _raw_libcst_error(text), ()
        else:
            parsed = parse_code(text)
            error, notes = parsed.error, [n for n in parsed.notes if "cannot parse" in n]
        if error is not None:
            counts["parse_fails"] += 1
            print("LIBCST", path, error, flush=True)
        elif notes:
            counts["partial"] += 1
            print("PARTIAL", path, notes[0], flush=True)
        else:
            counts["ok"] += 1
    counts["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
