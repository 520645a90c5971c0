"""The ``mllint`` command line: ``explain`` shows the plan of a script or notebook."""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from . import __version__


def _explain(args: argparse.Namespace) -> int:
    from .analysis import analyze
    from .render import RENDERERS

    try:
        with open(args.file, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        print(f"mllint: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    analysis = analyze(data, path=args.file)
    if analysis.error:
        print(f"mllint: {args.file}: {analysis.error}", file=sys.stderr)
        if args.format != "mlinspect" and args.format != "json":
            return 2
    output = RENDERERS[args.format](analysis)
    print(output)
    return 0 if not analysis.error else 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mllint", description=__doc__)
    parser.add_argument("--version", action="version", version=f"mllint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    explain = sub.add_parser("explain", help="show the logical plan of a pandas / scikit-learn script or notebook")
    explain.add_argument("file", help="a .py or .ipynb file")
    explain.add_argument("--format", choices=["text", "json", "dot", "mermaid", "mlinspect"], default="text")
    explain.set_defaults(handler=_explain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
