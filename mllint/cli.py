"""The ``mllint`` command line: ``explain`` shows the plan; ``rules`` / ``rule`` / ``docs`` document the rules."""
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


def _rules(args: argparse.Namespace) -> int:
    from .rules import all_rules

    for rule in all_rules():
        status = "" if rule.default_enabled else "  (off by default)"
        print(f"{rule.code}  {rule.name:<32} {rule.summary}{status}")
    return 0


def _rule(args: argparse.Namespace) -> int:
    from .rules import rule_by_code

    rule = rule_by_code(args.code)
    if rule is None:
        print(f"mllint: unknown rule {args.code!r} (see `mllint rules`)", file=sys.stderr)
        return 2
    print(rule.documentation())
    return 0


def _docs(args: argparse.Namespace) -> int:
    from .docs import write_rule_docs

    for path in write_rule_docs(args.output):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mllint", description=__doc__)
    parser.add_argument("--version", action="version", version=f"mllint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    explain = sub.add_parser("explain", help="show the logical plan of a pandas / scikit-learn script or notebook")
    explain.add_argument("file", help="a .py or .ipynb file")
    explain.add_argument("--format", choices=["text", "json", "dot", "mermaid", "mlinspect"], default="text")
    explain.set_defaults(handler=_explain)
    rules = sub.add_parser("rules", help="list every rule")
    rules.set_defaults(handler=_rules)
    rule = sub.add_parser("rule", help="show one rule's documentation")
    rule.add_argument("code", help="a rule code, e.g. ML101")
    rule.set_defaults(handler=_rule)
    docs = sub.add_parser("docs", help="write one Markdown page per rule (docs/rules/)")
    docs.add_argument("--output", default="docs/rules")
    docs.set_defaults(handler=_docs)
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
