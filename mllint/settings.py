"""User settings: which rules run and which columns are sensitive, from ``[tool.mllint]``.

The same ``Settings`` object serves every surface (flake8, the CLI, the
language server); each surface layers its own flags on top of the
pyproject.toml values.

This module sits below the rules and never imports them: what it needs to know
about them (a rule's code and ``default_enabled``, the list of known codes) is
passed in by the caller, who gets it from discovery (``mllint.rules``).
"""
from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable, Collection, Iterable, Protocol

from .engine.config import Config
from .sensitive import DEFAULT_TERMS, SensitiveTerms

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_LIST_KEYS = ("select", "ignore", "extend-select", "sensitive-columns", "extend-sensitive-columns", "exclude",
              "extend-exclude")
_KNOWN_KEYS = frozenset(_LIST_KEYS + ("per-file-ignores", "sensitive-match", "data-headers"))


class ConfigError(ValueError):
    """Invalid ``[tool.mllint]`` configuration: the message names the key."""


class RuleStatus(Protocol):
    """What selection needs to know about a rule (:class:`mllint.rule.Rule` has both)."""

    code: str
    default_enabled: bool


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    sensitive: SensitiveTerms = field(default_factory=SensitiveTerms)
    data_headers: bool = True
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    project_root: str | None = None   # where the configuration lives (globs, cache); not the data fence

    def enabled(self, rule: RuleStatus) -> bool:
        """ruff-like selection: the most specific matching select / ignore entry wins.

        A rule off by default runs only when selected explicitly: by its code or a prefix
        longer than "ML" (``select = ["ML"]`` means "the usual rules")."""
        code = rule.code
        selected = _longest_prefix(code, self.select + self.extend_select)
        ignored = _longest_prefix(code, self.ignore)
        if not rule.default_enabled:
            return explicit_selection(code, self.select + self.extend_select) > ignored
        if selected == 0 and self.select:
            return False
        return selected >= ignored if ignored else True

    def engine_config(self) -> Config:
        return Config(data_headers=self.data_headers)

    def with_overrides(self, **changes: Any) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def explicit_selection(code: str, prefixes: Iterable[str]) -> int:
    """Length of the longest entry selecting ``code`` explicitly (its code or a prefix longer than "ML"), or 0."""
    return _longest_prefix(code, (p for p in prefixes if len(p) > 2))


def check_codes(codes: Iterable[str], where: str, known: Collection[str]) -> None:
    """Every entry must be one of the ``known`` rule codes or a prefix of one (``ML``, ``ML1``, ``ML101``)."""
    for code in codes:
        if not any(k.startswith(code) for k in known):
            raise ValueError(f"{where}: {code!r} is not an mllint rule code or prefix (see `mllint rules`)"
                             f"{did_you_mean(code, known)}")


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest candidate (difflib), or "" when none is close."""
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _longest_prefix(code: str, prefixes: Iterable[str]) -> int:
    return max((len(p) for p in prefixes if p and code.startswith(p)), default=0)


def find_pyproject(start: str) -> str | None:
    """The nearest pyproject.toml at or above ``start`` (a folder), with or without ``[tool.mllint]``
    (where ``mllint check`` keeps its cache; configuration is found by :mod:`mllint.config_discovery`)."""
    current = os.path.abspath(start)
    while True:
        candidate = os.path.join(current, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


@lru_cache(maxsize=256)
def _read_table(path: str, mtime: float) -> dict | None:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    tool = data.get("tool", {})
    if not isinstance(tool, dict) or "mllint" not in tool:
        return None
    table = tool["mllint"]
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.mllint] must be a table")
    return table


def read_mllint_table(path: str) -> dict | None:
    """The ``[tool.mllint]`` table of a TOML file, None when it has none.

    A file that cannot be read or is not valid TOML is a :class:`ConfigError` naming it: it
    may hold the table, and silently skipping it would apply other settings than the user wrote.
    """
    try:
        return _read_table(path, os.path.getmtime(path))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None


#: Gives the known rule codes (``mllint.rules.rule_codes``); called only when there are entries to check,
#: so that a run whose results are all cached never loads the rules.
CodesProvider = Callable[[], Collection[str]]


def settings_from_table(table: dict, origin: str = "pyproject.toml", *, rule_codes: CodesProvider) -> Settings:
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"unknown key {unknown[0]!r} in [tool.mllint] of {origin}"
                          f"{did_you_mean(unknown[0], _KNOWN_KEYS)}")
    values: dict[str, Any] = {}
    for key in _LIST_KEYS:
        if key in table:
            item = table[key]
            if not isinstance(item, list) or not all(isinstance(v, str) for v in item):
                raise ConfigError(f"{origin}: [tool.mllint] {key} must be a list of strings")
            values[key] = tuple(item)
    match = table.get("sensitive-match", "tokens")
    if match not in ("tokens", "exact"):
        raise ConfigError(f"{origin}: [tool.mllint] sensitive-match must be \"tokens\" or \"exact\"")
    headers = table.get("data-headers", True)
    if not isinstance(headers, bool):
        raise ConfigError(f"{origin}: [tool.mllint] data-headers must be true or false")
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict) or not all(
            isinstance(v, list) and all(isinstance(c, str) for c in v) for v in per_file.values()):
        raise ConfigError(f"{origin}: [tool.mllint] per-file-ignores must map globs to lists of codes")
    entries = [key for key in ("select", "ignore", "extend-select") if values.get(key)]
    known = rule_codes() if entries else ()
    for key in entries:
        try:
            check_codes(values[key], f"[tool.mllint] {key}", known)
        except ValueError as exc:
            raise ConfigError(f"{origin}: {exc}") from None
    terms = sensitive_terms(values.get("sensitive-columns"), values.get("extend-sensitive-columns"), match == "exact")
    return Settings(select=values.get("select", ()), ignore=values.get("ignore", ()),
                    extend_select=values.get("extend-select", ()), sensitive=terms, data_headers=headers,
                    per_file_ignores=tuple((k, tuple(v)) for k, v in per_file.items()),
                    exclude=values.get("exclude", ()), extend_exclude=values.get("extend-exclude", ()))


def sensitive_terms(replace_with: Iterable[str] | None, extend: Iterable[str] | None,
                    exact: bool = False) -> SensitiveTerms:
    base = tuple(t.strip() for t in replace_with if t.strip()) if replace_with is not None else DEFAULT_TERMS
    more = tuple(t.strip() for t in (extend or ()) if t.strip())
    return SensitiveTerms(base + tuple(t for t in more if t not in base), exact)
