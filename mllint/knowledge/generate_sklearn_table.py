"""Generate ``sklearn_estimators.json``, mllint's committed scikit-learn knowledge table.

Why this script exists
----------------------
mllint must never import scikit-learn while it analyses code: the analysed
project may not have it installed, importing it costs about a second per
process (flake8 ``-j`` forks many), and whatever version happens to be
installed must not change the findings.  Yet the rules need facts that only
scikit-learn itself knows reliably: which classes are transformers,
classifiers, splitters or searches, whether ``fit`` learns statistics from the
rows it sees (the root of preprocessing leakage), whether it consumes ``y``,
and the constructor parameter order (to read positional arguments).

So the facts are extracted once, at development time, from scikit-learn and
imbalanced-learn themselves, and committed as data next to this script.
``sklearn_api.py`` reads the JSON; nothing at analysis time imports sklearn.

How to run it
-------------
Use a scratch virtualenv, never mllint's own environment::

    python3 -m venv /work/sk-venv
    /work/sk-venv/bin/pip install scikit-learn imbalanced-learn
    /work/sk-venv/bin/python mllint/knowledge/generate_sklearn_table.py

The script imports nothing from mllint, so it runs from any directory.  It
rewrites ``sklearn_estimators.json`` beside itself (``--output`` to write
elsewhere, ``--check`` to only report whether the committed file is current).
The output is deterministic for given library versions: regenerate after a
scikit-learn / imbalanced-learn upgrade and review the diff.

The work is split by job into the :mod:`sklearn_gen` package beside this file
(its docstring says how the facts are derived); this module is the command line.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__:  # python -m mllint.knowledge.generate_sklearn_table
    from .sklearn_gen.render import generate
else:  # started by its path: this directory is sys.path[0]
    from sklearn_gen.render import generate

OUTPUT = Path(__file__).with_name("sklearn_estimators.json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is not current")
    args = parser.parse_args(argv)
    text = generate()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(text.encode())} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
