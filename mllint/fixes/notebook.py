"""Fixes in notebooks: edits of the joined code cells put back into the cells of the ``.ipynb`` JSON.

The rest of the file must stay as it was, so a notebook is fixed only when serialising its
parsed JSON again reproduces the file byte for byte (the layout of nbformat and of the
editors: ``indent=1``, non-ASCII kept or escaped); then only the edited cells' ``source``
differ.  An edit must fall inside one cell that mllint analyses exactly as written (not
dedented, no IPython syntax blanked); the separator lines between cells are never touched.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..engine.analysis import Analysis, analyze
from ..engine.source import CellMap, SourceError, notebook_to_source
from ..findings import Finding
from ..settings import Settings
from .apply import MAX_FIXES_PER_FILE, FixedText, compute_fix, fixable_analysis, reported_findings
from .context import FixContext
from .model import Fix, minimal_edits
from .registry import FIXABLE_CODES

#: (indent, ensure_ascii, final newline) of the JSON writers whose output is recognised.
LAYOUTS = tuple((indent, ascii_only, newline) for indent in (1, 2, 4) for ascii_only in (False, True)
                for newline in (True, False))


@dataclass(frozen=True)
class NotebookFile:
    """A notebook's parsed JSON and the layout that writes it back byte for byte."""

    notebook: dict
    layout: tuple[int, bool, bool]

    @staticmethod
    def read(data: bytes) -> "NotebookFile | None":
        try:
            notebook = json.loads(data)
        except (ValueError, RecursionError):
            return None
        if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
            return None   # nbformat 3 (worksheets) is not rewritten
        for layout in LAYOUTS:
            if _dump(notebook, layout) == data:
                return NotebookFile(notebook, layout)
        return None

    def with_cells(self, sources: dict[int, str]) -> bytes:
        """The file with the ``source`` of the cells in ``sources`` (notebook cell index -> text) replaced."""
        notebook = json.loads(json.dumps(self.notebook))
        for index, text in sources.items():
            cell = notebook["cells"][index]
            cell["source"] = text.splitlines(keepends=True) if isinstance(cell["source"], list) else text
        return _dump(notebook, self.layout)


def _dump(notebook: Any, layout: tuple[int, bool, bool]) -> bytes:
    indent, ascii_only, newline = layout
    return (json.dumps(notebook, indent=indent, ensure_ascii=ascii_only) + ("\n" if newline else "")).encode("utf-8")


def _cell_text(cell: dict) -> str | None:
    source = cell.get("source")
    if isinstance(source, list) and all(isinstance(p, str) for p in source):
        source = "".join(source)
    return source if isinstance(source, str) and "\r" not in source else None


def put_back(file: NotebookFile, analysed: str, cells: tuple[CellMap, ...], new_text: str) -> bytes | None:
    """The notebook holding ``new_text`` (an edit of the joined cells ``analysed``), or None."""
    starts = [0]
    for line in analysed.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    changed: dict[int, str] = {}
    spans = []
    for cell in cells:
        begin = starts[cell.first_line - 1]
        end = starts[cell.first_line - 1 + cell.line_count] if cell.first_line - 1 + cell.line_count < len(starts) \
            else len(analysed)
        spans.append((cell, begin, end))
    edits_by_cell: dict[int, list] = {}
    for edit in minimal_edits(analysed, new_text):
        owner = next(((c, b, e) for c, b, e in spans if b <= edit.start and edit.end <= e), None)
        if owner is None:
            return None   # the edit touches a separator line or spans cells
        edits_by_cell.setdefault(owner[0].cell, []).append((owner, edit))
    for index, items in edits_by_cell.items():
        (cell, begin, end) = items[0][0]
        original = _cell_text(file.notebook["cells"][index])
        if original is None or cell.indent or analysed[begin:end] != original + "\n":
            return None   # dedented, blanked IPython syntax, or not the text we analysed
        text, shift = original + "\n", -begin
        for _, edit in sorted(items, key=lambda item: item[1].start, reverse=True):
            text = text[:edit.start + shift] + edit.new_text + text[edit.end + shift:]
        if not text.endswith("\n"):
            return None
        changed[index] = text[:-1]
    return file.with_cells(changed)


def _analyse(data: bytes, path: str, settings: Settings) -> Analysis:
    return analyze(data, path=path, config=settings.engine_config())


def _fixes(data: bytes, path: str, settings: Settings, file: NotebookFile, *, first_only: bool,
           unsafe: bool = True, declined: set | None = None, analysis: Analysis | None = None,
           findings: list[Finding] | None = None) -> list[tuple[Finding, Fix, bytes]]:
    """Verified fixes with the notebook file each produces (with ``first_only``: the first allowed one).
    ``analysis`` / ``findings``: those of ``data`` when the caller has them (else computed here)."""
    if analysis is None:
        analysis = _analyse(data, path, settings)
    if not fixable_analysis(analysis, "notebook"):
        return []
    source = analysis.source
    if findings is None:
        findings = reported_findings(analysis, settings)
    context = FixContext(analysis, settings, findings)
    out = []
    for finding in findings:
        key = (finding.code, finding.span.start_line)
        if finding.code not in FIXABLE_CODES or (declined is not None and key in declined):
            continue
        results: dict[str, bytes] = {}

        def realise(new_text: str) -> bytes | None:
            result = put_back(file, source.text, source.cells, new_text)
            if result is not None:
                results[new_text] = result
            return result

        fix = compute_fix(context, finding, realise)
        if fix is None or (first_only and not fix.allowed(unsafe)):
            if declined is not None:
                declined.add(key)
            continue
        out.append((finding, fix, results[fix.apply(source.text)]))
        if first_only:
            break
    return out


def notebook_fixes(data: bytes, path: str, settings: Settings, analysis: Analysis | None = None,
                   findings: list[Finding] | None = None) -> list[tuple[Finding, Fix]]:
    """Each reported finding of a notebook with a verified fix that can be put back into its cells
    (``analysis`` / ``findings``: those of ``data``, when the caller already has them)."""
    file = NotebookFile.read(data)
    if file is None:
        return []
    return [(finding, fix) for finding, fix, _ in _fixes(data, path, settings, file, first_only=False,
                                                         analysis=analysis, findings=findings)]


def fix_notebook(data: bytes, path: str, settings: Settings, *, unsafe: bool) -> tuple[bytes, FixedText] | None:
    """The fixed notebook file and the fixes applied (None: the JSON layout is not one we can keep)."""
    file = NotebookFile.read(data)
    if file is None:
        return None
    try:
        before = notebook_to_source(data, path).text
    except SourceError:
        return None
    applied: list[Fix] = []
    declined: set = set()
    while len(applied) < MAX_FIXES_PER_FILE:
        found = _fixes(data, path, settings, file, first_only=True, unsafe=unsafe, declined=declined)
        if not found:
            break
        _, fix, data = found[0]
        applied.append(fix)
        declined.clear()
        file = NotebookFile.read(data)
        if file is None:   # pragma: no cover - we wrote it in that layout
            break
    return data, FixedText(before if not applied else notebook_to_source(data, path).text, tuple(applied))
