"""Automatic fixes (``mllint check --fix`` and the editor's quick fixes), one module per rule.

A fix is a LibCST rewrite of the analysed module turned into minimal whole-line edits, so
every line outside the rewritten statements stays byte-identical.  Rules stay free of CST:
only the modules here read it (next to the plan's facts).
"""
from __future__ import annotations

from .apply import fix_text, fixes_for_text
from .model import Applicability, Fix, TextEdit, minimal_edits

__all__ = ["Applicability", "Fix", "TextEdit", "fix_text", "fixes_for_text", "minimal_edits"]
