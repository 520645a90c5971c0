"""Requests answered for the editor: hover, code actions (suppress, the fixes of mllint.fixes), explain.

Hover and the suppress action answer from the last completed analysis; fixes and
explain compute in the request worker, off the event loop.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from lsprotocol import types

from mllint.config_discovery import CONFIG_ERROR_CODE
from mllint.fixes.registry import FIXABLE_CODES
from mllint.noqa import NOQA

from .documents import Snapshot, uri_to_path
from .pool import AnalysisTimeout

log = logging.getLogger("mllint.lsp")


class EditorRequests:
    """The request half of :class:`~lsp_server.server.MllintServer` (mixed into it)."""

    # -- hover ----------------------------------------------------------------------------------------
    def hover(self, uri: str, position: types.Position) -> types.Hover | None:
        snapshot, line_offset = self._snapshot_for(uri)
        document = self.document(uri)
        if snapshot is None or document is None:
            return None
        line = position.line + 1 + line_offset
        for finding in snapshot.findings:
            if finding.span.start_line <= line <= finding.span.end_line:
                from mllint.rules import rule_by_code
                rule = rule_by_code(finding.code)
                body = f"**{finding.code}** {finding.message}"
                if rule is not None:
                    body += "\n\n---\n\n" + rule.documentation()
                return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, body))
        word = document.word_at_position(position)
        if not word:
            return None
        text = snapshot.hovers.get(word)
        if text is None:
            return None
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text))

    def _snapshot_for(self, uri: str) -> tuple[Snapshot | None, int]:
        """The snapshot of a document, or of the notebook a cell belongs to (with the cell's line offset)."""
        if uri in self.snapshots:
            return self.snapshots[uri], 0
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        if notebook is None:
            return None, 0
        snapshot = self.snapshots.get(notebook.uri)
        if snapshot is None or uri not in snapshot.cell_uris:
            return None, 0
        source = snapshot.source
        index = snapshot.cell_uris.index(uri)
        for cell in (source.cells if source is not None else ()):
            if cell.code_cell == index + 1:
                return snapshot, cell.first_line - 1
        return None, 0

    # -- code actions ----------------------------------------------------------------------------------
    async def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        """Suppress actions, and the fixes of ``mllint check --fix`` computed off the event loop
        (each is verified by re-analysing the rewrite); safe fixes are the preferred action."""
        uri = params.text_document.uri
        document = self.document(uri)
        if document is None:
            return []
        source, version = document.source, document.version
        lines = source.split("\n")
        actions: list[types.CodeAction] = []
        fixes = None
        for diagnostic in params.context.diagnostics:
            if diagnostic.source != "mllint" or not isinstance(diagnostic.code, str) \
                    or diagnostic.code == CONFIG_ERROR_CODE:   # a configuration error is fixed in pyproject.toml
                continue
            edit = suppress_edit(lines, diagnostic.range.start.line, diagnostic.code, document.position_codec)
            if edit is not None:
                actions.append(types.CodeAction(
                    title=f"Suppress {diagnostic.code} on this line", kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic], edit=types.WorkspaceEdit(changes={uri: [edit]})))
            if diagnostic.code not in FIXABLE_CODES or uri not in self.snapshots:
                continue
            if fixes is None:
                fixes = await self._fixes(source, uri, version)
            if document.version != version:   # not for a text edited meanwhile
                return actions
            for fix in fixes:
                if fix.code == diagnostic.code and fix.line == diagnostic.range.start.line + 1:
                    actions.append(types.CodeAction(
                        title=fix.title,
                        kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic], is_preferred=fix.safe,
                        edit=types.WorkspaceEdit(changes={uri: [
                            _text_edit(lines, e, document.position_codec) for e in fix.edits]})))
        return actions

    async def _fixes(self, source: str, uri: str, version: int | None) -> list:
        """The document's fixes, computed once per version (editors ask for code actions on every cursor move)."""
        known = self.__dict__.setdefault("_fixes_by_uri", {})
        settings = self.settings_for(uri)[0]
        key = (version, source, settings)
        if uri in known and known[uri][0] == key:
            return known[uri][1]
        try:
            fixes = await self.request_pool.run("fixes", source, uri_to_path(uri), settings)
        except Exception as exc:
            log.warning("Fixes not computed: %s", type(exc).__name__)
            return []
        known[uri] = (key, fixes)
        return fixes

    # -- explain ------------------------------------------------------------------------------------------
    async def explain(self, uri: str) -> dict[str, str]:
        """The plan of a document (or of the notebook a cell belongs to), rendered in the request worker:
        ``{"mermaid": ..., "text": ...}``, the chart with the nodes the findings point at marked (class
        ``finding``, the codes in their labels) and the listing with the findings under the plan."""
        notebook = self.workspace.get_notebook_document(notebook_uri=uri) or \
            self.workspace.get_notebook_document(cell_uri=uri)
        settings, config_error = self.settings_for(notebook.uri if notebook is not None else uri)
        if config_error is not None:
            raise ValueError(f"invalid mllint configuration: {config_error}")
        try:
            if notebook is not None:
                cells, _ = self.notebook_cells(notebook)
                return await self.request_pool.run("explain_notebook", cells, uri_to_path(notebook.uri) or notebook.uri,
                                                   settings)
            document = self.document(uri)
            if document is None:
                raise ValueError(f"unknown document: {uri}")
            previous = self.snapshots.get(uri)
            return await self.request_pool.run("explain_text", document.source, uri_to_path(uri) or uri, settings,
                                               previous.known_columns if previous is not None else None)
        except AnalysisTimeout:
            raise ValueError(f"explain stopped after {self.hard_limit:g} s") from None


def _text_edit(lines: list[str], edit: Any, codec: Any) -> types.TextEdit:
    """A fix's edit (code-point columns) in the client's position encoding."""
    start = codec.position_to_client_units(lines, types.Position(edit.start_line, edit.start_col))
    end = codec.position_to_client_units(lines, types.Position(edit.end_line, edit.end_col))
    return types.TextEdit(types.Range(start, end), edit.new_text)


def suppress_edit(lines: list[str], line: int, code: str, codec: Any = None) -> types.TextEdit | None:
    """Add ``code`` to the line's ``# noqa`` (or append one); None when it is already silenced.

    Columns are converted to the client's position encoding (UTF-16 by default), so the
    comment lands at the end of a line holding accents or emoji too.
    """
    if not 0 <= line < len(lines):
        return None
    text = lines[line]

    def position(character: int) -> types.Position:
        point = types.Position(line, character)
        return codec.position_to_client_units(lines, point) if codec is not None else point

    match = NOQA.search(text)
    if match is None:
        end = position(len(text))
        return types.TextEdit(types.Range(end, end), f"  # noqa: {code}")
    codes = match.group("codes")
    if not codes:
        return None   # a bare `# noqa` already silences everything
    listed = [c for c in re.split(r"[,\s]+", codes.upper()) if c]
    if any(code.startswith(c) for c in listed):
        return None
    start, end = match.span("codes")
    return types.TextEdit(types.Range(position(start), position(end)), ", ".join(listed + [code]))
