"""Which column names are sensitive: token matching on names, configurable terms.

Names are split into tokens on ``_``, ``-``, spaces, dots and camelCase and
case-folded; a multi-word term (``native country``) matches consecutive
tokens.  So ``age_group``, ``Sex_male``, ``MaritalStatus`` and
``native-country`` match, while ``page``, ``mileage`` and ``usage`` do not.
``exact`` mode compares whole names (case-folded), the way mlinspect's
NoIllegalFeatures check does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

DEFAULT_TERMS: tuple[str, ...] = (
    "age", "sex", "gender", "race", "ethnicity", "religion", "nationality", "native country", "national origin",
    "citizenship", "country of birth", "marital status", "disability", "pregnancy", "sexual orientation",
)

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[\s_\-./:]+")


@lru_cache(maxsize=4096)
def tokens(name: str) -> tuple[str, ...]:
    spaced = _CAMEL.sub(" ", name)
    return tuple(t for t in _SEPARATORS.split(spaced.casefold()) if t)


@dataclass(frozen=True, slots=True)
class SensitiveTerms:
    terms: tuple[str, ...] = DEFAULT_TERMS
    exact: bool = False

    def matches(self, name: str) -> bool:
        return self.term_for(name) is not None

    def term_for(self, name: str) -> str | None:
        """The configured term a column name matches, or None."""
        if self.exact:
            folded = name.casefold()
            for term in self.terms:
                if term.casefold() == folded:
                    return term
            return None
        name_tokens = tokens(name)
        for term in self.terms:
            term_tokens = tokens(term)
            width = len(term_tokens)
            if width and any(name_tokens[i:i + width] == term_tokens for i in range(len(name_tokens) - width + 1)):
                return term
        return None

    def select(self, names: Iterable[str]) -> list[str]:
        return sorted({n for n in names if self.matches(n)})

    def columns_in(self, columns: Iterable) -> list[str]:
        """Names of schema columns that are sensitive or derived from one (their lineage)."""
        return sorted({c.name for c in columns if self.matches(c.name) or any(self.matches(s) for s in c.lineage)})
