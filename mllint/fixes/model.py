"""What a fix is: minimal text edits of one module, with how much trust they deserve (ruff's applicability)."""
from __future__ import annotations

import difflib
import enum
from dataclasses import dataclass


class Applicability(enum.Enum):
    """SAFE: behaviour is kept apart from removing the leak. UNSAFE: probably right, needs a review."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace ``text[start:end]`` (offsets in code points of the analysed text) by ``new_text``."""

    start: int
    end: int
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """The rewrite that removes one finding (``code`` at ``line``): edits sorted, never overlapping."""

    code: str
    line: int
    title: str
    applicability: Applicability
    edits: tuple[TextEdit, ...]

    def apply(self, text: str) -> str:
        out, position = [], 0
        for edit in self.edits:
            out.append(text[position:edit.start])
            out.append(edit.new_text)
            position = edit.end
        out.append(text[position:])
        return "".join(out)

    def allowed(self, unsafe: bool) -> bool:
        return self.applicability is Applicability.SAFE or unsafe


def minimal_edits(before: str, after: str) -> tuple[TextEdit, ...]:
    """Whole-line edits turning ``before`` into ``after``: every unchanged line stays untouched byte for byte.

    LibCST regenerates unchanged nodes exactly, so a rewrite of one statement differs from the
    original only on that statement's lines; comparing lines keeps the edits as small as that.
    """
    old_lines = before.splitlines(keepends=True)
    new_lines = after.splitlines(keepends=True)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    edits = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.append(TextEdit(starts[i1], starts[i2], "".join(new_lines[j1:j2])))
    return tuple(edits)
