"""Rule documentation pages, generated from the rules themselves (one page per rule + an index)."""
from __future__ import annotations

import os

from .rule import expected_lines


def rule_page(rule) -> str:
    page = rule.documentation()
    examples = []
    for example in rule.invalid:
        lines = ", ".join(map(str, expected_lines(example)))
        examples.append(f"Reported (line {lines}):\n\n```python\n{example.rstrip()}\n```\n")
    for example in rule.valid:
        examples.append(f"Not reported:\n\n```python\n{example.rstrip()}\n```\n")
    return page + "\n## Tested examples\n\n" + "\n".join(examples)


def index_page(rules) -> str:
    rows = "\n".join(f"| [{r.code}]({r.code}.md) | {r.name} | {r.summary} | "
                     f"{'on' if r.default_enabled else 'off'} |" for r in rules)
    return ("# mllint rules\n\n| code | name | summary | default |\n| --- | --- | --- | --- |\n" + rows + "\n")


def write_rule_docs(folder: str) -> list[str]:
    from .rules import all_rules

    os.makedirs(folder, exist_ok=True)
    written = []
    rules = all_rules()
    for rule in rules:
        path = os.path.join(folder, f"{rule.code}.md")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(rule_page(rule))
        written.append(path)
    path = os.path.join(folder, "README.md")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(index_page(rules))
    written.append(path)
    return written
