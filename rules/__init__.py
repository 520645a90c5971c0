"""mllint's rules, one module per rule (``mlNNN_short_name.py``), discovered at run time.

Adding a rule touches one file: drop a module defining one :class:`mllint.rule.Rule`
subclass in this package.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from mllint.rule import Rule


@cache
def all_rules() -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for module_info in pkgutil.iter_modules(__path__):
        if not module_info.name.startswith("ml"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule \
                    and value.__module__ == module.__name__:
                rules.append(value())
    return tuple(sorted(rules, key=lambda rule: rule.code))


def rule_codes() -> tuple[str, ...]:
    """Every rule's code, sorted: what ``select`` / ``ignore`` entries are checked against."""
    return tuple(rule.code for rule in all_rules())


def off_by_default() -> frozenset[str]:
    """Codes of the rules that run only when selected explicitly (``default_enabled = False``)."""
    return frozenset(rule.code for rule in all_rules() if not rule.default_enabled)


def rule_by_code(code: str) -> Rule | None:
    for rule in all_rules():
        if rule.code == code.upper():
            return rule
    return None
