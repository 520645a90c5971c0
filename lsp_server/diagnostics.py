"""Findings of a snapshot as LSP diagnostics, for text documents and notebook cells.

Ranges are converted to the client's position encoding; a finding's related spans
become related information, dropped when they fall outside the published document.
"""
from __future__ import annotations

from typing import Any

from lsprotocol import types

from mllint.config_discovery import CONFIG_ERROR_CODE
from mllint.findings import Finding

from .documents import Snapshot, cell_position, lsp_range


class Diagnostics:
    """The diagnostics half of :class:`~lsp_server.server.MllintServer` (mixed into it)."""

    def diagnostics(self, uri: str, snapshot: Snapshot) -> list[types.Diagnostic]:
        document = self.document(uri) or self.workspace.get_text_document(uri)
        lines = document.source.split("\n")
        codec = document.position_codec

        def to_range(span) -> types.Range:
            return lsp_range(lines, codec, (span.start_line - 1, span.start_col), (span.end_line - 1, span.end_col))

        out = [self._diagnostic(f, to_range, lambda span: (uri, to_range(span))) for f in snapshot.findings]
        notice = self._not_analysed(snapshot, lines, codec)
        return [notice] + out if notice is not None else out

    def _not_analysed(self, snapshot: Snapshot, lines: list[str], codec: Any) -> types.Diagnostic | None:
        """One information diagnostic on line 1 when (part of) the document was not analysed, and why;
        an error (ML001) when that is because its configuration is invalid."""
        line_one = lsp_range(lines, codec, (0, 0), (0, len(lines[0]) if lines else 0))
        if snapshot.config_error is not None:
            return types.Diagnostic(range=line_one, message=f"invalid mllint configuration: {snapshot.config_error}",
                                    severity=types.DiagnosticSeverity.Error, code=CONFIG_ERROR_CODE, source="mllint")
        reason = snapshot.notice
        if reason is None:
            return None
        return types.Diagnostic(range=lsp_range(lines, codec, (0, 0), (0, len(lines[0]) if lines else 0)),
                                message=reason, severity=types.DiagnosticSeverity.Information, source="mllint")

    def notebook_diagnostics(self, snapshot: Snapshot) -> list[tuple[str, types.Diagnostic]]:
        source = snapshot.source
        out = []

        def place(span) -> tuple[str, types.Range] | None:
            start = cell_position(source, span.start_line)
            if start is None or start[0] >= len(snapshot.cell_uris):
                return None
            cell_uri = snapshot.cell_uris[start[0]]
            document = self.document(cell_uri)
            lines = document.source.split("\n") if document is not None else [""]
            codec = document.position_codec if document is not None else self.workspace.position_codec
            end_line = start[1] + (span.end_line - span.start_line)
            return cell_uri, lsp_range(lines, codec, (start[1], source.cell_column(span.start_line, span.start_col)),
                                       (end_line, source.cell_column(span.end_line, span.end_col)))

        if snapshot.cell_uris:
            first = self.document(snapshot.cell_uris[0])
            lines = first.source.split("\n") if first is not None else [""]
            codec = first.position_codec if first is not None else self.workspace.position_codec
            notice = self._not_analysed(snapshot, lines, codec)
            if notice is not None:
                out.append((snapshot.cell_uris[0], notice))
        for finding in snapshot.findings:
            placed = place(finding.span)
            if placed is None:
                continue
            diagnostic = self._diagnostic(finding, lambda span, p=placed: p[1], place)
            out.append((placed[0], diagnostic))
        return out

    def _diagnostic(self, finding: Finding, to_range, place) -> types.Diagnostic:
        from mllint.rules import rule_by_code

        rule = rule_by_code(finding.code)
        related = []
        for item in finding.related:
            where = place(item.span)
            if where is not None:
                related.append(types.DiagnosticRelatedInformation(types.Location(where[0], where[1]), item.message))
        return types.Diagnostic(
            range=to_range(finding.span),
            message=finding.message,
            severity=self.editor.severity_for(finding.code, finding.severity.value),
            code=finding.code,
            code_description=types.CodeDescription(href=rule.url()) if rule is not None else None,
            source="mllint",
            related_information=related or None,
            data={"code": finding.code, "line": finding.span.start_line},
        )
