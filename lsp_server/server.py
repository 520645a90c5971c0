"""The mllint language server (pygls 2): diagnostics, hover, code actions, explain.

Work is debounced per document and runs in worker processes (pool.py, worker.py),
at most one analysis per document at a time; a result whose document version moved
on is dropped, and so is a job that went stale before it started.  Hover and code
actions answer from the last completed analysis.  Notebooks are analysed as a whole
(cells joined) and only the cells whose diagnostics changed are published again.
Frames are read by transport.py (bounded sizes) and dispatched by protocol.py (every
request gets a response).
This module is document sync and the analysis lifecycle; notebooks.py, diagnostics.py and
editor_requests.py are mixed into :class:`MllintServer` for the rest.
Everything that can fail is caught: a bad document or a bug of ours becomes a
log line on stderr, never a dead server.
"""
from __future__ import annotations

import asyncio
import gc
import logging
import os
import sys
import threading
from typing import Any, BinaryIO, Callable
from urllib.parse import unquote

from lsprotocol import types
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer

from mllint import __version__
from mllint.settings import ConfigError, Settings

from .diagnostics import Diagnostics
from .documents import AnalysisCache, Snapshot, config_failed, failed, text_key, uri_to_path
from .editor_requests import EditorRequests, suppress_edit
from .notebooks import NotebookSync
from .pool import AnalysisPool, AnalysisTimeout, Stale, WorkerDied
from .protocol import MllintProtocol, serve
from .settings import EditorSettings, make_resolver
from .transport import FrameReader

__all__ = ["MllintServer", "main", "server", "suppress_edit", "uri_to_path"]

log = logging.getLogger("mllint.lsp")
DEBOUNCE_SECONDS = 0.15
IDLE_COLLECT_SECONDS = 1.0     # cyclic garbage is collected when the editor is quiet, not mid-keystroke
ANALYSIS_WORKERS = 2           # worker processes for documents (each document analysed at most once at a time)
HARD_LIMIT_SECONDS = 60.0      # a worker still busy after this is killed and replaced (the budget stops far sooner)
COLLECT_EVERY = 20             # ...or after this many analyses without a quiet moment


class MllintServer(NotebookSync, Diagnostics, EditorRequests, LanguageServer):
    """Document sync and the analysis lifecycle; notebooks, diagnostics and requests are mixed in."""

    def __init__(self) -> None:
        super().__init__(
            "mllint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=types.NotebookDocumentSyncOptions(
                notebook_selector=[types.NotebookDocumentFilterWithCells(   # Jupyter notebooks and VS Code's
                    cells=[types.NotebookCellLanguage(language="python")], notebook=kind)   # Interactive Window
                    for kind in ("jupyter-notebook", "interactive")],
                save=True),
            protocol_cls=MllintProtocol)
        self.cache = AnalysisCache()
        self.editor = EditorSettings()
        self.root: str | None = None
        self.resolver = make_resolver()                   # [tool.mllint] per document, as check and flake8 find it
        self.shown_config_errors: set[str] = set()        # each invalid configuration gets one showMessage
        self.snapshots: dict[str, Snapshot] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.debounce = DEBOUNCE_SECONDS
        # analyses run in worker processes (see worker.py for why not threads), one in flight per
        # document (see run_analysis): a slow document does not hold the others back; requests
        # that compute (explain, the Pipeline fix) have their own worker
        self.hard_limit = HARD_LIMIT_SECONDS
        self._pool: AnalysisPool | None = None
        self._request_pool: AnalysisPool | None = None
        self.running: dict[str, asyncio.Future] = {}      # uri -> its analysis in flight
        self.wanted: dict[str, int] = {}                  # uri -> generation of its latest scheduled analysis
        self.published_cells: dict[str, dict[str, list[types.Diagnostic]]] = {}   # notebook -> cell -> last push
        self.idle_collect: asyncio.TimerHandle | None = None
        self.analyses_since_collect = 0
        self.burst_collections = 0

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """pygls' stdio server with our frame reader (bounded frames) and dispatch (every request answered)."""
        self._stop_event = threading.Event()
        protocol: MllintProtocol = self.protocol   # type: ignore[assignment]
        reader = FrameReader(stdin or sys.stdin.buffer, on_skipped=protocol.skipped)
        protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        code: int | str | None = 0
        try:
            asyncio.run(serve(reader, protocol, self._stop_event))
        except BrokenPipeError:
            log.error("the connection to the client is lost: shutting down")
        except SystemExit as exc:   # `exit`: 0 after `shutdown`, 1 without it (pygls decides)
            code = exc.code
        except KeyboardInterrupt:
            pass
        finally:
            reader.close()
            self.shutdown()
        if code:
            sys.exit(code)

    @property
    def pool(self) -> AnalysisPool:
        if self._pool is None:
            self._pool = AnalysisPool(ANALYSIS_WORKERS, self.hard_limit)
        return self._pool

    @property
    def request_pool(self) -> AnalysisPool:
        if self._request_pool is None:
            self._request_pool = AnalysisPool(1, self.hard_limit)
        return self._request_pool

    def shutdown(self) -> None:
        for pool in (self._pool, self._request_pool):
            if pool is not None:
                pool.shutdown()
        super().shutdown()

    # -- settings ------------------------------------------------------------------------
    def document(self, uri: str):
        """The open text document for a client uri (pygls keys documents by the decoded uri)."""
        documents = self.workspace.text_documents
        return documents.get(uri) or documents.get(unquote(uri))

    def load_project(self, root: str | None) -> None:
        """(Re)read the configuration: at start-up, and whenever a pyproject.toml changed."""
        self.root = root
        self.resolver.clear()
        self.shown_config_errors.clear()
        if root is not None:   # an invalid workspace table is logged now; each document reports its own
            try:
                self.resolver.for_folder(root)
            except ConfigError as exc:
                log.warning("%s", exc)

    def settings_for(self, uri: str) -> tuple[Settings, str | None]:
        """A document's settings: the ``[tool.mllint]`` found from its folder (from the workspace root for a
        document without a path), under the editor's settings; or the defaults and the error message
        when that configuration is invalid (the editor is told once, by a window/showMessage)."""
        if not self.editor.enable:   # nothing is analysed: no configuration to complain about either
            return self.editor.apply(Settings()), None
        path = uri_to_path(uri)
        folder = os.path.dirname(path) if path else self.root
        try:
            base = self.resolver.for_folder(folder).settings if folder else Settings()
        except ConfigError as exc:
            message = str(exc)
            if message not in self.shown_config_errors:
                self.shown_config_errors.add(message)
                log.warning("%s", message)
                self.window_show_message(types.ShowMessageParams(
                    type=types.MessageType.Error, message=f"mllint: invalid configuration: {message}"))
            return Settings(), message
        return self.editor.apply(base), None

    # -- analysis ----------------------------------------------------------------------------
    def schedule(self, uri: str, delay: float | None = None) -> None:
        """(Re)start the debounced analysis of a text document or notebook."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        generation = self.wanted[uri] = self.wanted.get(uri, 0) + 1
        self.pending[uri] = loop.create_task(self._analyse_later(uri, self.debounce if delay is None else delay,
                                                                 generation))

    async def _analyse_later(self, uri: str, delay: float, generation: int) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            await self.refresh(uri, generation)
        except asyncio.CancelledError:
            pass
        except Exception:   # pragma: no cover - never let a background task die loudly
            log.exception("analysis of %s failed", uri)
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                self.pending.pop(uri, None)

    async def run_analysis(self, uri: str, generation: int | None, key: str, job: str,
                           *args: Any) -> Snapshot | None:
        """The snapshot of ``job(*args)`` (content ``key``): from the cache, or from a worker process.

        At most one analysis per document is in flight; documents do not queue behind each
        other (several workers).  A newer edit of the same document cancels the task waiting
        here, so the latest version wins; a job still waiting for a worker when its document
        moved on (``generation`` is no longer the wanted one) is dropped before it starts
        (None).  Requests pass ``generation=None``: they are always answered.
        """
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        while (busy := self.running.get(uri)) is not None:
            await asyncio.wait([busy])     # not cancelled with us: the analysis keeps its slot until it ends
        cached = self.cache.get(key)       # what we waited for may have been this very text
        if cached is not None:
            return cached

        def wanted() -> bool:
            return generation is None or self.wanted.get(uri) == generation

        task = asyncio.ensure_future(self._in_worker(key, job, args, wanted))
        self.running[uri] = task
        task.add_done_callback(lambda done: self.running.pop(uri, None) if self.running.get(uri) is done else None)
        return await asyncio.shield(task)

    async def _in_worker(self, key: str, job: str, args: tuple, wanted: Callable[[], bool]) -> Snapshot | None:
        cell_uris = [cell_uri for cell_uri, _ in args[0]] if job == "notebook" else []
        try:
            snapshot = await self.pool.run(job, *args, should_start=wanted)
        except Stale:
            return None
        except AnalysisTimeout:   # the same text would overrun again: cached like a result
            snapshot = failed(key, f"mllint: the analysis was stopped after {self.hard_limit:g} s; "
                                   f"nothing is shown for this file", cell_uris)
        except WorkerDied:
            return failed(key, "mllint: the analysis worker exited (out of memory?); nothing is shown for this file",
                          cell_uris)
        except Exception as exc:   # a bug of ours: one line in the editor, the traceback on stderr
            log.error("analysis failed: %s: %s", type(exc).__name__, exc)
            return failed(key, f"mllint: internal error ({type(exc).__name__}: {exc})", cell_uris)
        self.cache.put(snapshot)
        return snapshot

    async def refresh(self, uri: str, generation: int | None = None) -> None:
        """Analyse the document's current text and publish, unless it changed meanwhile."""
        notebook = self.workspace.get_notebook_document(notebook_uri=uri)
        if notebook is not None:
            await self._refresh_notebook(uri, notebook, generation)
            return
        document = self.document(uri)
        if document is None:
            return
        version = document.version
        snapshot = await self.snapshot_of(uri, generation)
        current = self.document(uri)
        if snapshot is None or current is None or current.version != version:
            return   # stale: a newer edit is on its way
        if self.pulls_diagnostics:
            return   # the client asks (textDocument/diagnostic): pushing too would show everything twice
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=self.diagnostics(uri, snapshot), version=version))

    @property
    def pulls_diagnostics(self) -> bool:
        text_document = self.client_capabilities.text_document
        return bool(text_document is not None and text_document.diagnostic is not None)

    async def snapshot_of(self, uri: str, generation: int | None = None) -> Snapshot | None:
        document = self.document(uri)
        if document is None:   # not open: what is on disk (pygls reads it), if anything
            path = uri_to_path(uri)
            if path is None or not os.path.isfile(path):
                raise KeyError(uri)
            document = self.workspace.get_text_document(uri)
        path = uri_to_path(uri) or uri
        settings, config_error = self.settings_for(uri)
        text = document.source if self.editor.enable else ""
        previous = self.snapshots.get(uri)
        known = previous.known_columns if previous is not None and self.editor.enable else None
        if config_error is not None:
            snapshot: Snapshot | None = config_failed(path, config_error)
        else:
            snapshot = await self.run_analysis(uri, generation, text_key(text, path, settings), "text", text, path,
                                               settings, known)
        if snapshot is None:
            return None
        self.snapshots[uri] = snapshot
        self.after_analysis()
        return snapshot

    def after_analysis(self) -> None:
        """Collect cyclic garbage once the editor is quiet (automatic collection is off: a full pass
        over the cached analyses mid-burst would stall diagnostics for a second)."""
        self.analyses_since_collect += 1
        loop = asyncio.get_running_loop()
        if self.idle_collect is not None:
            self.idle_collect.cancel()
        if self.analyses_since_collect >= COLLECT_EVERY:
            # mid-burst: usually only the young objects (the recent analyses); every fifth time a
            # full pass, for the analyses that were promoted while cached and have been evicted since
            self.burst_collections += 1
            self.collect_now(generation=2 if self.burst_collections % 5 == 0 else 1)
        else:
            self.idle_collect = loop.call_later(IDLE_COLLECT_SECONDS, self.collect_now)

    def collect_now(self, generation: int = 2) -> None:
        """The server's own heap is small (the analyses live in the workers): collect right here."""
        self.idle_collect = None
        self.analyses_since_collect = 0
        gc.collect(generation)


server = MllintServer()


@server.feature(types.INITIALIZE)
def on_initialize(ls: MllintServer, params: types.InitializeParams) -> None:
    root = None
    if params.workspace_folders:
        root = uri_to_path(params.workspace_folders[0].uri)
    elif params.root_uri:
        root = uri_to_path(params.root_uri)
    elif params.root_path:
        root = params.root_path
    ls.load_project(root)
    options = params.initialization_options
    ls.editor = EditorSettings.from_client(options)
    if isinstance(options, dict) and isinstance(options.get("debounce"), (int, float)):
        ls.debounce = max(0.0, float(options["debounce"]))
    if isinstance(options, dict) and isinstance(options.get("analysisTimeout"), (int, float)) \
            and options["analysisTimeout"] > 0 and ls._pool is None:
        ls.hard_limit = float(options["analysisTimeout"])
    ls.pool.start()     # the workers warm up while the client opens its documents


@server.feature(types.INITIALIZED)
async def on_initialized(ls: MllintServer, params: types.InitializedParams) -> None:
    await pull_configuration(ls)
    gc.freeze()    # the long-lived tables stay out of every later collection
    gc.disable()   # cyclic garbage is collected when the editor is quiet (see after_analysis)


async def pull_configuration(ls: MllintServer) -> None:
    capabilities = ls.client_capabilities.workspace
    if capabilities is None or not capabilities.configuration:
        return
    try:
        result = await asyncio.wait_for(ls.workspace_configuration_async(types.ConfigurationParams(
            items=[types.ConfigurationItem(section="mllint")])), timeout=5)
    except Exception as exc:
        log.info("workspace/configuration not answered: %s", exc)
        return
    if result and isinstance(result[0], dict):
        ls.editor = EditorSettings.from_client(result[0])
        reanalyse_all(ls)


def refresh_pulled_diagnostics(ls: MllintServer) -> None:
    """Settings changed: ask a pulling client to pull again."""
    workspace = ls.client_capabilities.workspace
    if workspace is not None and workspace.diagnostics is not None and workspace.diagnostics.refresh_support:
        ls.workspace_diagnostic_refresh(None)


def reanalyse_all(ls: MllintServer) -> None:
    if ls.pulls_diagnostics:
        refresh_pulled_diagnostics(ls)
    for uri in list(ls.workspace.text_documents):
        if ls.workspace.get_notebook_document(cell_uri=uri) is None:
            ls.schedule(uri, delay=0)
    for uri in list(ls.workspace.notebook_documents):
        ls.schedule(uri, delay=0)


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def on_configuration(ls: MllintServer, params: types.DidChangeConfigurationParams) -> None:
    settings = params.settings
    if isinstance(settings, dict) and ("mllint" in settings or settings):
        ls.editor = EditorSettings.from_client(settings)
        reanalyse_all(ls)
    else:
        await pull_configuration(ls)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def on_watched(ls: MllintServer, params: types.DidChangeWatchedFilesParams) -> None:
    if any(change.uri.endswith("pyproject.toml") for change in params.changes):
        ls.load_project(ls.root)
        reanalyse_all(ls)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def on_open(ls: MllintServer, params: types.DidOpenTextDocumentParams) -> None:
    if params.text_document.uri.endswith("pyproject.toml"):
        return
    ls.schedule(params.text_document.uri, delay=0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def on_change(ls: MllintServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def on_save(ls: MllintServer, params: types.DidSaveTextDocumentParams) -> None:
    if params.text_document.uri.endswith("pyproject.toml"):
        ls.load_project(ls.root)
        reanalyse_all(ls)
        return
    ls.schedule(params.text_document.uri, delay=0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def on_close(ls: MllintServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    task = ls.pending.pop(uri, None)
    if task is not None:
        task.cancel()
    ls.wanted[uri] = ls.wanted.get(uri, 0) + 1      # an analysis still queued for it is dropped
    ls.snapshots.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
def on_notebook_open(ls: MllintServer, params: types.DidOpenNotebookDocumentParams) -> None:
    ls.schedule(params.notebook_document.uri, delay=0)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
def on_notebook_change(ls: MllintServer, params: types.DidChangeNotebookDocumentParams) -> None:
    ls.schedule(params.notebook_document.uri)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
def on_notebook_save(ls: MllintServer, params: types.DidSaveNotebookDocumentParams) -> None:
    ls.schedule(params.notebook_document.uri, delay=0)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
def on_notebook_close(ls: MllintServer, params: types.DidCloseNotebookDocumentParams) -> None:
    uri = params.notebook_document.uri
    ls.snapshots.pop(uri, None)
    ls.published_cells.pop(uri, None)
    for cell in params.cell_text_documents:
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=cell.uri, diagnostics=[]))


@server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC,
                types.DiagnosticOptions(identifier="mllint", inter_file_dependencies=False,
                                        workspace_diagnostics=False))
async def on_pull_diagnostics(ls: MllintServer, params: types.DocumentDiagnosticParams):
    uri = params.text_document.uri
    notebook = ls.workspace.get_notebook_document(cell_uri=uri)
    if notebook is not None:
        await ls._refresh_notebook(notebook.uri, notebook)
        snapshot = ls.snapshots.get(notebook.uri)
        items = [d for cell, d in ls.notebook_diagnostics(snapshot) if cell == uri] if snapshot else []
    elif ls.document(uri) is None and not os.path.isfile(uri_to_path(uri) or ""):
        return types.RelatedFullDocumentDiagnosticReport(items=[])   # neither open nor on disk
    else:
        snapshot = await ls.snapshot_of(uri)
        items = ls.diagnostics(uri, snapshot)
    return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=snapshot.key if snapshot else None)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def on_hover(ls: MllintServer, params: types.HoverParams) -> types.Hover | None:
    return ls.hover(params.text_document.uri, params.position)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
async def on_code_action(ls: MllintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    return await ls.code_actions(params)


@server.command("mllint.explain")
async def on_explain(ls: MllintServer, *arguments):
    """Arguments: ``[uri]`` or ``[{"uri": uri}]``."""
    uri = arguments[0] if arguments else None
    if isinstance(uri, dict):
        uri = uri.get("uri")
    if not isinstance(uri, str):
        raise ValueError("mllint.explain expects a document uri")
    return await ls.explain(uri)


def main() -> None:
    logging.basicConfig(level=os.environ.get("MLLINT_LOG", "WARNING").upper(),
                        format="mllint-lsp %(levelname)s %(message)s")   # stderr: stdout is the protocol
    server.start_io()
