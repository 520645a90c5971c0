"""User settings: which rules run and which columns are sensitive, from ``[tool.mllint]``.

The same ``Settings`` object serves every surface (flake8, the CLI, the
language server); each surface layers its own flags on top of the
pyproject.toml values.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Iterable

from .config import Config
from .sensitive import DEFAULT_TERMS, SensitiveTerms

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: Rules that run only when selected explicitly (by their code or a prefix longer than "ML").
OFF_BY_DEFAULT = frozenset({"ML203"})

_LIST_KEYS = ("select", "ignore", "extend-select", "sensitive-columns", "extend-sensitive-columns", "exclude",
              "extend-exclude")
_KNOWN_KEYS = frozenset(_LIST_KEYS + ("per-file-ignores", "sensitive-match", "data-headers"))


class ConfigError(ValueError):
    """Invalid ``[tool.mllint]`` configuration: the message names the key."""


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

    def enabled(self, code: str) -> bool:
        """ruff-like selection: the most specific matching select / ignore entry wins."""
        selected = _longest_prefix(code, self.select + self.extend_select)
        ignored = _longest_prefix(code, self.ignore)
        if code in OFF_BY_DEFAULT:
            explicit = max((len(p) for p in self.select + self.extend_select if code.startswith(p) and len(p) > 2),
                           default=0)
            return explicit > ignored
        if selected == 0 and self.select:
            return False
        return selected >= ignored if ignored else True

    def engine_config(self) -> Config:
        return Config(data_headers=self.data_headers)

    def with_overrides(self, **changes: Any) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def check_codes(codes: Iterable[str], where: str) -> None:
    """Every entry must be a rule code or a prefix of one (``ML``, ``ML1``, ``ML101``)."""
    from .rules import all_rules

    known = [rule.code for rule in all_rules()]
    for code in codes:
        if not any(k.startswith(code) for k in known):
            raise ValueError(f"{where}: {code!r} is not an mllint rule code or prefix (see `mllint rules`)")


def _longest_prefix(code: str, prefixes: Iterable[str]) -> int:
    return max((len(p) for p in prefixes if p and code.startswith(p)), default=0)


def find_pyproject(start: str) -> str | None:
    """The nearest pyproject.toml at or above ``start`` (a folder)."""
    current = os.path.abspath(start)
    while True:
        candidate = os.path.join(current, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


@lru_cache(maxsize=64)
def _read_table(path: str, mtime: float) -> dict:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    table = data.get("tool", {}).get("mllint", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.mllint] must be a table")
    return table


def load_settings(start: str | None = None) -> Settings:
    """Settings from the nearest pyproject.toml's ``[tool.mllint]`` (defaults without one)."""
    path = find_pyproject(start or os.getcwd())
    if path is None:
        return Settings()
    try:
        table = _read_table(path, os.path.getmtime(path))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    return settings_from_table(table, path)


def settings_from_table(table: dict, origin: str = "pyproject.toml") -> Settings:
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{origin}: unknown key [tool.mllint] {unknown[0]!r}")
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
    for key in ("select", "ignore", "extend-select"):
        try:
            check_codes(values.get(key, ()), f"[tool.mllint] {key}")
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
