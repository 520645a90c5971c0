"""Turning editor documents (files and notebook cells) into analyses and diagnostics."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from mllint.analysis import Analysis, analyze
from mllint.checker import check_analysis
from mllint.findings import Finding
from mllint.noqa import kept
from mllint.settings import Settings
from mllint.source import SourceText, notebook_to_source


@dataclass
class Snapshot:
    """One analysed state of a document: the analysis, its findings and where cells sit."""

    key: str
    analysis: Analysis
    findings: list[Finding]
    cell_uris: list[str]          # notebooks: code cell uris in order (index = code_cell - 1)


class AnalysisCache:
    """Results by content hash: re-opening or undoing to a known state costs nothing."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._items: dict[str, Snapshot] = {}

    def get(self, key: str) -> Snapshot | None:
        from mllint.data_headers import unchanged

        item = self._items.pop(key, None)
        if item is not None and unchanged(item.analysis.data_files):   # a CSV header it read may have changed
            self._items[key] = item
            return item
        return None

    def put(self, snapshot: Snapshot) -> None:
        self._items[snapshot.key] = snapshot
        while len(self._items) > self.size:
            self._items.pop(next(iter(self._items)))


def content_key(text: str, path: str | None, settings: Settings) -> str:
    # surrogatepass: a client can send lone surrogates ("\ud800" in JSON); they must not fail the key
    return hashlib.sha256(f"{path}\0{settings!r}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def not_analysed_reason(analysis: Analysis) -> str | None:
    """Why (part of) the document was not analysed, for one information diagnostic; None when it was.

    The budget notes and load errors (undecodable text, lone surrogates, binary content) are
    shown: without them an editor shows nothing and nothing tells the user that nothing was
    checked.  Syntax errors are not: they come and go with every keystroke, and the editor's
    Python support already shows them.
    """
    if analysis.error is not None:
        if analysis.error.startswith("syntax error"):
            return None
        return f"mllint did not analyse this file: {analysis.error}"
    if analysis.notes:
        return "mllint: " + "; ".join(dict.fromkeys(analysis.notes))
    return None


def analyse_text(text: str, path: str | None, settings: Settings, cache: AnalysisCache,
                 known_columns: dict[str, set[str]] | None = None) -> Snapshot:
    key = content_key(text, path, settings)
    cached = cache.get(key)
    if cached is not None:
        return cached
    analysis = analyze(text, path=path, config=settings.engine_config(), known_columns=known_columns)
    snapshot = Snapshot(key, analysis, kept(check_analysis(analysis, settings), text), [])
    cache.put(snapshot)
    return snapshot


def analyse_notebook(cells: list[tuple[str, str]], path: str | None, settings: Settings,
                     cache: AnalysisCache) -> Snapshot:
    """``cells`` are (uri, text) of the python code cells, in order."""
    document = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                           "source": text} for _, text in cells],
                "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    raw = json.dumps(document)
    key = content_key(raw, path, settings)
    cached = cache.get(key)
    if cached is not None:
        return cached
    source = notebook_to_source(raw, path)
    analysis = analyze(source, path=path, config=settings.engine_config())
    snapshot = Snapshot(key, analysis, kept(check_analysis(analysis, settings), source.text),
                        [uri for uri, _ in cells])
    cache.put(snapshot)
    return snapshot


def cell_position(source: SourceText | None, line: int) -> tuple[int, int] | None:
    """(code cell index 0-based, 0-based line in the cell) for a 1-based line of the joined text."""
    place = source.code_cell_position(line) if source is not None else None
    return None if place is None else (place[0] - 1, place[1] - 1)


def lsp_range(lines: list[str], codec: Any, start: tuple[int, int], end: tuple[int, int]) -> types.Range:
    """A code-point range (0-based) in client units (UTF-16 by default) for ``lines``."""
    start_pos = codec.position_to_client_units(lines, types.Position(*_clamp(lines, start)))
    end_pos = codec.position_to_client_units(lines, types.Position(*_clamp(lines, end)))
    return types.Range(start_pos, end_pos)


def _clamp(lines: list[str], position: tuple[int, int]) -> tuple[int, int]:
    line, character = position
    if line >= len(lines):
        return (max(len(lines) - 1, 0), len(lines[-1]) if lines else 0)
    return line, min(character, len(lines[line]))
