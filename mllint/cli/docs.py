"""Rule documentation, generated from the rules themselves: one page per rule, an index, and the
rules table of the project README (between marker comments), so no list of rules is kept by hand."""
from __future__ import annotations

import os

from ..rule import expected_lines


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


TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"


def readme_table(rules, pages: str = "docs/rules") -> str:
    """The README's rules table; ``pages`` is the folder of the rule pages relative to the README."""
    rows = "\n".join(f"| [{r.code}]({pages}/{r.code}.md) | "
                     f"{'' if r.default_enabled else '(off by default) '}{_cell(r.summary)} |" for r in rules)
    return ("<!-- generated from the rules by `mllint docs`: edit the rule modules, not this table -->\n"
            "| code | finds |\n| --- | --- |\n" + rows + "\n")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def with_rules_table(text: str, rules, pages: str = "docs/rules") -> str:
    """``text`` with the block between the table markers regenerated (ValueError without both markers)."""
    start, end = text.find(TABLE_START), text.find(TABLE_END)
    if start < 0 or end < start:
        raise ValueError(f"no {TABLE_START!r} ... {TABLE_END!r} block")
    head = text[:start + len(TABLE_START)]
    return head + "\n" + readme_table(rules, pages) + text[end:]


def write_readme_table(readme: str, folder: str) -> bool:
    """Regenerate the rules table in ``readme`` (linking to the pages in ``folder``); True when it changed."""
    from ..rules import all_rules

    with open(readme, encoding="utf-8") as handle:
        text = handle.read()
    pages = os.path.relpath(os.path.abspath(folder), os.path.dirname(os.path.abspath(readme))).replace(os.sep, "/")
    updated = with_rules_table(text, all_rules(), pages)
    if updated == text:
        return False
    with open(readme, "w", encoding="utf-8") as handle:
        handle.write(updated)
    return True


def write_rule_docs(folder: str) -> list[str]:
    from ..rules import all_rules

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
