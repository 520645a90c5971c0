"""Notebook documents: analysed as a whole (code cells joined), published per cell.

Only the cells whose diagnostics changed since the last publish are sent again, so
an edit in one cell of a 500-cell notebook costs a message or two, not 500.
"""
from __future__ import annotations

from dataclasses import replace

from lsprotocol import types

from .documents import config_failed, notebook_key, uri_to_path


class NotebookSync:
    """The notebook half of :class:`~lsp_server.server.MllintServer` (mixed into it)."""

    async def _refresh_notebook(self, uri: str, notebook: types.NotebookDocument,
                                generation: int | None = None) -> None:
        version = notebook.version
        cells, all_cells = self.notebook_cells(notebook)
        path = uri_to_path(uri) or uri
        settings, config_error = self.settings_for(uri)
        analysed = cells if self.editor.enable else []
        if config_error is not None:
            snapshot = config_failed(path, config_error, [c for c, _ in cells])
        else:
            snapshot = await self.run_analysis(uri, generation, notebook_key(analysed, path, settings), "notebook",
                                               analysed, path, settings)
        if snapshot is not None and not self.editor.enable:
            snapshot = replace(snapshot, cell_uris=[c for c, _ in cells])
        current = self.workspace.get_notebook_document(notebook_uri=uri)
        if snapshot is None or current is None or current.version != version:
            return
        self.snapshots[uri] = snapshot
        self.after_analysis()
        if self.pulls_diagnostics:
            return
        by_cell: dict[str, list[types.Diagnostic]] = {cell_uri: [] for cell_uri in all_cells}
        for cell_uri, diagnostic in self.notebook_diagnostics(snapshot):
            by_cell.setdefault(cell_uri, []).append(diagnostic)
        self.publish_cells(uri, by_cell)

    def notebook_cells(self, notebook: types.NotebookDocument) -> tuple[list[tuple[str, str]], list[str]]:
        """(uri, text) of the python code cells in order, and the uris of all cells."""
        cells, all_cells = [], []
        for cell in notebook.cells:
            document = self.document(cell.document)
            all_cells.append(cell.document)
            if document is not None and cell.kind == types.NotebookCellKind.Code and \
                    (document.language_id or "python") == "python":
                cells.append((cell.document, document.source))
        return cells, all_cells

    def publish_cells(self, notebook_uri: str, by_cell: dict[str, list[types.Diagnostic]]) -> None:
        """Publish the cells whose diagnostics changed since the last publish for this notebook.

        The first publish is complete (every cell, empty ones too); later ones send only what
        changed, and clear cells that left the notebook with diagnostics still shown.  A
        500-cell notebook edited in one cell then costs a message or two, not 500.
        """
        previous = self.published_cells.get(notebook_uri)
        changed = [(cell_uri, diagnostics) for cell_uri, diagnostics in by_cell.items()
                   if previous is None or previous.get(cell_uri) != diagnostics]
        if previous is not None:
            changed += [(cell_uri, []) for cell_uri, diagnostics in previous.items()
                        if cell_uri not in by_cell and diagnostics]
        self.published_cells[notebook_uri] = by_cell
        for cell_uri, diagnostics in changed:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=cell_uri,
                                                                                  diagnostics=diagnostics))
