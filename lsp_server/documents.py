"""Turning editor documents (files and notebook cells) into analyses and diagnostics."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote, urlparse

from lsprotocol import types

from mllint.engine.analysis import Analysis, analyze
from mllint.checker import check_analysis
from mllint.findings import Finding
from mllint.noqa import kept
from mllint.settings import Settings
from mllint.engine.source import SourceText, notebook_to_source


@dataclass(frozen=True)
class Snapshot:
    """One analysed state of a document, as plain data (it is computed in a worker process).

    Everything the server answers from is here: the findings, why (part of) the document was
    not analysed, the hover text of every variable that has one, the columns found in use
    (handed back to the next analysis of the same document), the data files read (for the
    cache) and, for notebooks, where the code cells sit (``source`` without its text).
    """

    key: str
    findings: list[Finding]
    cell_uris: list[str]          # notebooks: code cell uris in order (index = code_cell - 1)
    notice: str | None = None
    hovers: dict[str, str] = field(default_factory=dict)
    known_columns: dict[str, set[str]] = field(default_factory=dict)
    data_files: dict[str, Any] = field(default_factory=dict)
    source: SourceText | None = None
    config_error: str | None = None   # the document's [tool.mllint] is invalid: nothing was analysed


def summarise(key: str, analysis: Analysis, findings: list[Finding], cell_uris: list[str]) -> Snapshot:
    from .hover import describe_value

    hovers = {}
    for name in analysis.env:
        text = describe_value(name, analysis)
        if text is not None:
            hovers[name] = text
    source = analysis.source
    cells = replace(source, text="") if source is not None and source.kind == "notebook" else None
    return Snapshot(key, findings, cell_uris, not_analysed_reason(analysis), hovers,
                    dict(analysis.known_columns), dict(analysis.data_files), cells)


def failed(key: str, reason: str, cell_uris: list[str] | None = None) -> Snapshot:
    """The snapshot of an analysis that did not finish (the worker was stopped or died)."""
    return Snapshot(key, [], cell_uris or [], reason)


def config_failed(path: str | None, message: str, cell_uris: list[str] | None = None) -> Snapshot:
    """The snapshot of a document whose configuration is invalid (shown as one error, not analysed)."""
    key = hashlib.sha256(f"config-error\0{path}\0{message}".encode("utf-8", "surrogatepass")).hexdigest()
    return Snapshot(key, [], cell_uris or [], config_error=message)


class AnalysisCache:
    """Snapshots by content hash: re-opening or undoing to a known state costs nothing."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._items: dict[str, Snapshot] = {}

    def get(self, key: str) -> Snapshot | None:
        from mllint.engine.data_headers import unchanged

        item = self._items.pop(key, None)
        if item is not None and unchanged(item.data_files):   # a CSV header it read may have changed
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


def text_key(text: str, path: str | None, settings: Settings) -> str:
    return content_key(text, path, settings)


def notebook_json(cells: list[tuple[str, str]]) -> str:
    """The notebook made of the python code cells (uri, text), as the analysis reads notebooks."""
    document = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                           "source": text} for _, text in cells],
                "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document)


def notebook_key(cells: list[tuple[str, str]], path: str | None, settings: Settings) -> str:
    return content_key(notebook_json(cells), path, settings)


def _text_analysis(text: str, path: str | None, settings: Settings,
                   known_columns: dict[str, set[str]] | None = None) -> tuple[Analysis, list[Finding]]:
    analysis = analyze(text, path=path, config=settings.engine_config(), known_columns=known_columns)
    return analysis, kept(check_analysis(analysis, settings), text)


def _notebook_analysis(cells: list[tuple[str, str]], path: str | None,
                       settings: Settings) -> tuple[Analysis, list[Finding]]:
    source = notebook_to_source(notebook_json(cells), path)
    analysis = analyze(source, path=path, config=settings.engine_config())
    return analysis, kept(check_analysis(analysis, settings), source.text)


def analyse_text(text: str, path: str | None, settings: Settings,
                 known_columns: dict[str, set[str]] | None = None) -> Snapshot:
    analysis, findings = _text_analysis(text, path, settings, known_columns)
    return summarise(text_key(text, path, settings), analysis, findings, [])


def analyse_notebook(cells: list[tuple[str, str]], path: str | None, settings: Settings) -> Snapshot:
    """``cells`` are (uri, text) of the python code cells, in order."""
    analysis, findings = _notebook_analysis(cells, path, settings)
    return summarise(notebook_key(cells, path, settings), analysis, findings, [uri for uri, _ in cells])


def explain_text(text: str, path: str | None, settings: Settings,
                 known_columns: dict[str, set[str]] | None = None) -> dict[str, str]:
    return _renders(*_text_analysis(text, path, settings, known_columns))


def explain_notebook(cells: list[tuple[str, str]], path: str | None, settings: Settings) -> dict[str, str]:
    return _renders(*_notebook_analysis(cells, path, settings))


def _renders(analysis: Analysis, findings: list[Finding]) -> dict[str, str]:
    """``mllint.explain``'s answer: the Mermaid chart with the findings' nodes marked (the webview draws it)
    and the text listing with the findings under the plan, the same findings the diagnostics show."""
    from mllint.render import render_view
    from mllint.render.marks import mark

    marks = mark(analysis, findings)
    return {"mermaid": render_view("mermaid", analysis, marks), "text": render_view("text", analysis, marks)}


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


def uri_to_path(uri: str) -> str | None:
    """The file system path of a ``file:`` uri, None for any other scheme."""
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else None
