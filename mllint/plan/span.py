"""Source ranges of plan nodes and findings."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True, slots=True)
class Span:
    """A source range: 1-based lines, 0-based columns counted in code points."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.start_line, self.start_col, self.end_line, self.end_col)


#: A span that is computed only when somebody looks at it (positions cost time).
SpanThunk = Callable[[], "Span | None"]
