"""End-to-end tests of the language server: a real ``python -m mllint.lsp_server`` subprocess over stdio.

The client side is pytest-lsp's ``LanguageClient`` replaying the capability sets of real
editors (VS Code 1.65 and Neovim, via ``client_capabilities``).  Diagnostics are pushed
asynchronously (debounced, computed on a worker thread), so every wait loops on
``textDocument/publishDiagnostics`` until the expected state is reached (or a deadline).

Positions are compared in the encoding the server negotiated: VS Code has no
``positionEncodings`` (UTF-16), the Neovim 0.11 snapshot offers UTF-8 first.

VS Code 1.65 and Neovim <= 0.9 have no pull diagnostics, so the server pushes to them; Neovim
0.11 pulls (``textDocument/diagnostic``) and the server does not push to it (the client would
show everything twice).  ``diagnostics_where`` waits for either, according to the client.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Callable, Sequence

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcMethodNotFound
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from mllint.engine.analysis import analyze
from mllint.checker import check_analysis
from mllint.rules import rule_codes
from mllint.config_discovery import load_settings
from samples import SCALER_LEAK

CLIENTS = ["visual-studio-code", "neovim"]       # VS Code 1.65 (push), Neovim 0.11 (pull)
PUSH_CLIENTS = ["visual-studio-code", "neovim@v0.7.0"]
TIMEOUT = 30.0

# --------------------------------------------------------------------------------------------------
# Programs under test
# --------------------------------------------------------------------------------------------------

#: ML101 on line 6 (0-based): the scaler sees all rows, the split comes after.
LEAK = SCALER_LEAK
LEAK_LINE = 6
LEAK_STATEMENT = "X_scaled = StandardScaler().fit_transform(X)"

#: The same pipeline without the leak (the scaler line does nothing data-dependent).
NO_LEAK = LEAK.replace(LEAK_STATEMENT, "X_scaled = X")

#: The two-statement shape of the leak (a named scaler), which the Pipeline quick fix also handles.
NAMED_SCALER = """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
df = pd.read_csv("concrete.csv", names=["cement", "water", "slag", "strength"])
X = df.drop(columns=["strength"])
scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X_scaled, df["strength"], random_state=0)
model = SVR().fit(X_train, y_train)
print(model.score(X_test, y_test))
"""

#: ML201 (default sensitive terms) on line 4: the `age` filter; the `income` filter (line 3) is fine by default.
LOANS = """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("loans.csv")
df = df[df.income > 1000]
df = df[df.age >= 18]
LogisticRegression().fit(df[["income", "debt"]], df["approved"])
"""
INCOME_LINE, AGE_LINE = 3, 4

#: No finding; an estimator with steps.
CLEAN_PIPELINE = """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
df = pd.read_csv("concrete.csv", names=["cement", "water", "slag", "strength"])
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["strength"]), df["strength"])
pipe = make_pipeline(StandardScaler(), SVR())
pipe.fit(X_train, y_train)
print(pipe.score(X_test, y_test))
"""


# --------------------------------------------------------------------------------------------------
# Client
# --------------------------------------------------------------------------------------------------

def make_client() -> LanguageClient:
    """pytest-lsp's test client, plus a record of every publish and our own workspace/configuration answer."""
    client = LanguageClient(converter_factory=default_converter)
    register_lsp_features(client, {method: handler for method, handler in DEFAULT_CLIENT_FEATURES.items()
                                   if method not in (types.WORKSPACE_CONFIGURATION,
                                                     types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)})
    client.published = []                 # every PublishDiagnosticsParams, in arrival order
    client.configuration_requests = []    # every ConfigurationParams the server asked
    client.mllint_section = None          # what this client answers for the "mllint" section
    client.encoding = "utf-16"

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        ls.published.append(params)
        ls.diagnostics[params.uri] = params.diagnostics

    @client.feature(types.WORKSPACE_CONFIGURATION)
    def on_configuration(ls: LanguageClient, params: types.ConfigurationParams) -> list[Any]:
        ls.configuration_requests.append(params)
        return [ls.mllint_section if item.section == "mllint" else None for item in params.items]

    return client


CONFIG = ClientServerConfig(server_command=[sys.executable, "-m", "mllint.lsp_server"], client_factory=make_client)


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    yield
    if lsp_client.capabilities is not None and lsp_client.error is None:
        try:
            await asyncio.wait_for(lsp_client.shutdown_session(), timeout=15)
            return
        except Exception:   # the server is broken: make sure the fixture's stop() does not hang
            pass
    server = getattr(lsp_client, "_server", None)
    if server is not None and server.returncode is None:
        server.kill()


async def start(client: LanguageClient, spec: str, root: Path, options: Any = None,
                capabilities: types.ClientCapabilities | None = None) -> types.InitializeResult:
    result = await client.initialize_session(types.InitializeParams(
        capabilities=capabilities or client_capabilities(spec),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        initialization_options=options,
    ))
    encoding = result.capabilities.position_encoding
    client.encoding = getattr(encoding, "value", encoding) or "utf-16"
    return result


def open_doc(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)))
    return uri


def change(client: LanguageClient, uri: str, version: int, edits: Sequence[types.TextEdit]) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(range=e.range, text=e.new_text) for e in edits]))


async def wait_for(client: LanguageClient, predicate: Callable[[], Any], timeout: float = TIMEOUT,
                   what: str = "the expected diagnostics") -> Any:
    """Loop on publishDiagnostics until ``predicate()`` is truthy (and return it)."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            last = [(p.uri.rsplit("/", 1)[-1], p.version, codes(p.diagnostics)) for p in client.published[-5:]]
            raise AssertionError(f"timed out waiting for {what}; last published: {last}")
        try:
            await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS),
                                   timeout=min(remaining, 0.5))
        except asyncio.TimeoutError:
            pass


def pulls(client: LanguageClient) -> bool:
    """Does this client pull diagnostics (then the server does not push them)?"""
    text_document = client.capabilities.text_document if client.capabilities else None
    return text_document is not None and text_document.diagnostic is not None


async def pull(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    report = await asyncio.wait_for(client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri))), TIMEOUT)
    assert report.kind == "full"
    return list(report.items)


async def diagnostics_where(client: LanguageClient, uri: str, check: Callable[[Sequence[types.Diagnostic]], bool],
                            what: str = "the expected diagnostics") -> Sequence[types.Diagnostic]:
    """The document's diagnostics once ``check`` holds: the pushed ones, or for a pulling client the pulled ones."""
    if pulls(client):
        deadline = time.monotonic() + TIMEOUT
        while True:
            items = await pull(client, uri)
            if check(items):
                return items
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; last pulled: {codes(items)}")
            await asyncio.sleep(0.1)

    def ready():
        diagnostics = client.diagnostics.get(uri)
        return diagnostics if diagnostics is not None and check(diagnostics) else None

    result = await wait_for(client, lambda: ready() is not None, what=what)
    assert result
    return client.diagnostics[uri]


async def published_version(client: LanguageClient, uri: str, version: int) -> None:
    """Push clients: wait for the publish of ``version``.  Pull clients: nothing is pushed."""
    if not pulls(client):
        await wait_for(client, lambda: any(p.uri == uri and p.version == version for p in client.published),
                       what=f"the publish for version {version}")


def codes(diagnostics: Sequence[types.Diagnostic]) -> list[tuple[str, int]]:
    return sorted((str(d.code), d.range.start.line) for d in diagnostics)


def has(code: str, line: int | None = None) -> Callable[[Sequence[types.Diagnostic]], bool]:
    return lambda ds: any(d.code == code and (line is None or d.range.start.line == line) for d in ds)


def lacks(code: str) -> Callable[[Sequence[types.Diagnostic]], bool]:
    return lambda ds: all(d.code != code for d in ds)


def the(diagnostics: Sequence[types.Diagnostic], code: str) -> types.Diagnostic:
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1, codes(diagnostics)
    return found[0]


# --------------------------------------------------------------------------------------------------
# Text and positions in the negotiated encoding
# --------------------------------------------------------------------------------------------------

def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def offset(text: str, position: types.Position, encoding: str) -> int:
    """String index of an LSP position."""
    lines = text.split("\n")
    assert position.line <= len(lines), (position, len(lines))
    start = sum(len(line) + 1 for line in lines[:position.line])
    if position.line == len(lines):
        return len(text)
    line, column, index = lines[position.line], 0, 0
    while index < len(line) and column < position.character:
        column += units(line[index], encoding)
        index += 1
    assert column == position.character or index == len(line), f"position splits a character: {position}"
    return start + index


def apply_edits(text: str, edits: Sequence[types.TextEdit], encoding: str) -> str:
    spans = sorted(((offset(text, e.range.start, encoding), offset(text, e.range.end, encoding), e.new_text)
                    for e in edits), reverse=True)
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


def line_range(text: str, line: int, old: str, encoding: str) -> types.Range:
    """The range of ``old`` on ``line`` (0-based) in client units."""
    content = text.split("\n")[line]
    column = content.index(old)
    return types.Range(types.Position(line, units(content[:column], encoding)),
                       types.Position(line, units(content[:column + len(old)], encoding)))


def local_findings(text: str, path: Path, root: Path) -> list[tuple[str, int]]:
    """What mllint itself finds in ``text`` (code, 0-based line), with the workspace's settings."""
    settings = load_settings(str(root), rule_codes=rule_codes)
    analysis = analyze(text, path=str(path), config=settings.engine_config())
    return sorted((f.code, f.span.start_line - 1) for f in check_analysis(analysis, settings))


# --------------------------------------------------------------------------------------------------
# Push and pull diagnostics
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", PUSH_CLIENTS)
async def test_push_diagnostics_on_open_change_save_close(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    assert not pulls(client)
    uri = open_doc(client, tmp_path / "pipeline.py", LEAK)
    diagnostics = await diagnostics_where(client, uri, has("ML101", LEAK_LINE))
    assert codes(diagnostics) == [("ML101", LEAK_LINE)]
    assert [p.version for p in client.published if p.uri == uri][-1] == 1

    # an incremental edit removing the fit: the finding goes away, published for version 2
    fix = types.TextEdit(line_range(LEAK, LEAK_LINE, "StandardScaler().fit_transform(X)", client.encoding), "X")
    change(client, uri, 2, [fix])
    await diagnostics_where(client, uri, lambda ds: len(ds) == 0, "no diagnostics after the edit")
    assert [p.version for p in client.published if p.uri == uri][-1] == 2

    # and back: the finding returns
    undo = types.TextEdit(line_range(NO_LEAK, LEAK_LINE, "X_scaled = X", client.encoding), LEAK_STATEMENT)
    change(client, uri, 3, [undo])
    await diagnostics_where(client, uri, has("ML101", LEAK_LINE), "ML101 after the undo")

    # saving publishes again (for the saved version)
    before = len(client.published)
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri)))
    await wait_for(client, lambda: any(p.uri == uri for p in client.published[before:]), what="a publish on save")
    saved = [p for p in client.published[before:] if p.uri == uri][0]
    assert codes(saved.diagnostics) == [("ML101", LEAK_LINE)] and saved.version == 3

    # closing clears the editor's list
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
    await diagnostics_where(client, uri, lambda ds: len(ds) == 0, "cleared diagnostics on close")


@pytest.mark.parametrize("spec", CLIENTS)
async def test_diagnostic_fields_and_related_information(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    uri = open_doc(client, tmp_path / "pipeline.py", LEAK)
    diagnostic = the(await diagnostics_where(client, uri, has("ML101")), "ML101")
    assert diagnostic.code == "ML101"
    assert diagnostic.source == "mllint"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href.startswith("https://")
    assert diagnostic.code_description.href.endswith("/docs/rules/ML101.md")
    assert "StandardScaler().fit_transform(X)" in diagnostic.message and "X_test" in diagnostic.message
    assert diagnostic.range == types.Range(types.Position(LEAK_LINE, 0), types.Position(LEAK_LINE, len(LEAK_STATEMENT)))
    related = {info.message: info.location for info in diagnostic.related_information or ()}
    assert set(related) == {"evaluated here", "model trained here"}
    lines = LEAK.split("\n")
    for message, line in (("evaluated here", 9), ("model trained here", 8)):
        location = related[message]
        assert location.uri == uri
        assert location.range == types.Range(types.Position(line, 0), types.Position(line, len(lines[line])))


@pytest.mark.parametrize("spec", CLIENTS)
async def test_pull_diagnostics(client: LanguageClient, spec, tmp_path):
    result = await start(client, spec, tmp_path)
    assert result.capabilities.diagnostic_provider is not None
    uri = open_doc(client, tmp_path / "pipeline.py", LEAK)
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri)))
    assert report.kind == "full"
    assert codes(report.items) == [("ML101", LEAK_LINE)]
    pulled = the(report.items, "ML101")
    assert pulled.source == "mllint" and pulled.related_information
    if pulls(client):
        # a pulling client gets nothing pushed (it would show every finding twice)
        await asyncio.sleep(1.0)
        assert uri not in client.diagnostics, client.published
    else:
        pushed = the(await diagnostics_where(client, uri, has("ML101")), "ML101")
        assert pulled == pushed

    # a pull right after an edit sees the edited text (no need to wait for the debounced push)
    change(client, uri, 2, [types.TextEdit(line_range(LEAK, LEAK_LINE, "StandardScaler().fit_transform(X)",
                                                      client.encoding), "X")])
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri)))
    assert list(report.items) == []


@pytest.mark.parametrize("spec", CLIENTS + ["neovim@v0.7.0"])
async def test_positions_on_non_ascii_lines_use_the_negotiated_encoding(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    expected_encoding = "utf-8" if spec == "neovim" else "utf-16"   # Neovim 0.11 offers utf-8 first
    assert client.encoding == expected_encoding
    prefix = 'données = "😀"; '
    text = LEAK.replace(LEAK_STATEMENT, prefix + LEAK_STATEMENT)
    uri = open_doc(client, tmp_path / "pipeline.py", text)
    diagnostic = the(await diagnostics_where(client, uri, has("ML101")), "ML101")
    start_units = units(prefix, client.encoding)
    end_units = units(prefix + LEAK_STATEMENT, client.encoding)
    assert diagnostic.range == types.Range(types.Position(LEAK_LINE, start_units), types.Position(LEAK_LINE, end_units))
    if client.encoding == "utf-16":
        assert (start_units, end_units) == (16, 60)     # the emoji is two UTF-16 units (code points: 15, 59)
    else:
        assert (start_units, end_units) == (19, 63)     # é is 2 bytes, the emoji 4
    # applying the range to the text gives exactly the flagged statement
    assert text[offset(text, diagnostic.range.start, client.encoding):
                offset(text, diagnostic.range.end, client.encoding)] == LEAK_STATEMENT


# --------------------------------------------------------------------------------------------------
# Hover
# --------------------------------------------------------------------------------------------------

async def hover(client: LanguageClient, uri: str, line: int, character: int) -> str | None:
    result = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri), position=types.Position(line, character)))
    if result is None:
        return None
    assert isinstance(result.contents, types.MarkupContent)
    assert result.contents.kind == types.MarkupKind.Markdown
    return result.contents.value


@pytest.mark.parametrize("spec", CLIENTS)
async def test_hover_on_flagged_line_shows_the_rule_documentation(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    uri = open_doc(client, tmp_path / "pipeline.py", LEAK)
    await diagnostics_where(client, uri, has("ML101"))
    text = await hover(client, uri, LEAK_LINE, 3)
    assert text is not None
    assert text.startswith("**ML101**")
    assert "X_test" in text                                  # the finding's message
    assert "# ML101 preprocessing-leakage" in text            # the rule's documentation
    assert "Why is this bad?" in text


@pytest.mark.parametrize("spec", CLIENTS)
async def test_hover_on_dataframe_shows_columns_and_rows(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    uri = open_doc(client, tmp_path / "pipeline.py", LEAK)
    await diagnostics_where(client, uri, has("ML101"))
    text = await hover(client, uri, 4, 1)                    # `df` in `df = pd.read_csv(..., names=[...])`
    assert text is not None
    assert text.startswith("**df**: DataFrame")
    assert "columns: `cement`, `water`, `slag`, `strength`" in text
    assert "possibly more" not in text                        # names= closes the schema
    assert "rows: concrete.csv (line 5)" in text

    column = LEAK.split("\n")[7].index("X_train") + 2         # `X_train` on the split line: the train side
    text = await hover(client, uri, 7, column)
    assert text is not None and text.startswith("**X_train**")
    assert "concrete.csv" in text and "train of split" in text


@pytest.mark.parametrize("spec", CLIENTS)
async def test_hover_on_dataframe_with_open_schema(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    uri = open_doc(client, tmp_path / "loans.py", LOANS)
    await diagnostics_where(client, uri, has("ML201"))
    text = await hover(client, uri, 2, 0)                     # `df = pd.read_csv("loans.csv")`: no header known
    assert text is not None and text.startswith("**df**: DataFrame")
    columns_line = next(line for line in text.split("\n") if line.startswith("columns:"))
    for name in ("income", "age", "debt", "approved"):
        assert f"`{name}`" in columns_line
    assert columns_line.endswith("and possibly more")
    assert "rows: loans.csv (line 3)" in text


@pytest.mark.parametrize("spec", CLIENTS)
async def test_hover_on_estimator_shows_steps(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    uri = open_doc(client, tmp_path / "clean.py", CLEAN_PIPELINE)
    await published_version(client, uri, 1)
    assert list(await diagnostics_where(client, uri, lambda ds: True)) == []
    text = await hover(client, uri, 7, 1)                     # `pipe = make_pipeline(...)`
    assert text is not None
    assert text.split("\n")[0].startswith("**pipe**: `Pipeline`")
    assert "steps:" in text
    assert "- `standardscaler`: `StandardScaler`" in text and "- `svr`: `SVR`" in text
    assert await hover(client, uri, 0, 2) is None             # `import`: nothing to say


# --------------------------------------------------------------------------------------------------
# Code actions
# --------------------------------------------------------------------------------------------------

async def actions_for(client: LanguageClient, uri: str, diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri), range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic])))
    assert all(isinstance(a, types.CodeAction) for a in result or ())
    return list(result or ())


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None, action
    assert set(action.edit.changes) == {uri}
    return list(action.edit.changes[uri])


SUPPRESS = "Suppress ML101 on this line"
PIPELINE_FIX = "Fit the preprocessing inside a Pipeline on the training split"


@pytest.mark.parametrize("spec", CLIENTS)
@pytest.mark.parametrize("existing, expected_line", [
    ("", LEAK_STATEMENT + "  # noqa: ML101"),
    ("  # noqa: E501", LEAK_STATEMENT + "  # noqa: E501, ML101"),
], ids=["append", "merge"])
async def test_suppress_action(client: LanguageClient, spec, existing, expected_line, tmp_path):
    await start(client, spec, tmp_path)
    text = LEAK.replace(LEAK_STATEMENT, LEAK_STATEMENT + existing)
    uri = open_doc(client, tmp_path / "pipeline.py", text)
    diagnostic = the(await diagnostics_where(client, uri, has("ML101")), "ML101")
    actions = await actions_for(client, uri, diagnostic)
    suppress = [a for a in actions if a.title == SUPPRESS]
    assert len(suppress) == 1, [a.title for a in actions]
    assert suppress[0].kind == types.CodeActionKind.QuickFix
    assert list(suppress[0].diagnostics) == [diagnostic]
    edits = edits_of(suppress[0], uri)
    new_text = apply_edits(text, edits, client.encoding)
    assert new_text.split("\n")[LEAK_LINE] == expected_line
    assert new_text.split("\n")[:LEAK_LINE] == text.split("\n")[:LEAK_LINE]
    assert new_text.split("\n")[LEAK_LINE + 1:] == text.split("\n")[LEAK_LINE + 1:]

    change(client, uri, 2, edits)                             # what an editor does with the WorkspaceEdit
    await published_version(client, uri, 2)
    # the server applied the edit: on the new text there is nothing left to suppress on that line
    actions = await actions_for(client, uri, diagnostic)
    assert SUPPRESS not in [a.title for a in actions]


@pytest.mark.parametrize("spec", CLIENTS)
@pytest.mark.parametrize("source", [LEAK, NAMED_SCALER], ids=["inline-scaler", "named-scaler"])
async def test_pipeline_quick_fix_removes_the_leak(client: LanguageClient, spec, source, tmp_path):
    await start(client, spec, tmp_path)
    path = tmp_path / "pipeline.py"
    uri = open_doc(client, path, source)
    diagnostic = the(await diagnostics_where(client, uri, has("ML101")), "ML101")
    actions = await actions_for(client, uri, diagnostic)
    fixes = [a for a in actions if a.title == PIPELINE_FIX]
    assert len(fixes) == 1, [a.title for a in actions]
    assert fixes[0].kind == types.CodeActionKind.QuickFix
    assert not fixes[0].is_preferred   # moving the fit changes every number the model gives: an unsafe fix
    edits = edits_of(fixes[0], uri)
    new_text = apply_edits(source, edits, client.encoding)
    assert "make_pipeline(StandardScaler(), SVR()).fit(X_train, y_train)" in new_text
    assert "from sklearn.pipeline import make_pipeline" in new_text
    assert "fit_transform" not in new_text
    assert 'train_test_split(X, df["strength"]' in new_text

    # mllint's own analysis of the rewritten module: analysable and leak-free
    analysis = analyze(new_text, path=str(path))
    assert analysis.ok, analysis.error
    settings = load_settings(str(tmp_path), rule_codes=rule_codes)
    assert not [f for f in check_analysis(analysis, settings) if f.code == "ML101"]
    # the rewrite still trains and evaluates the model (the fix did not just delete the evaluation)
    assert "print(model.score(X_test, y_test))" in new_text

    change(client, uri, 2, edits)
    diagnostics = await diagnostics_where(client, uri, lacks("ML101"), "the leak fixed")
    assert codes(diagnostics) == local_findings(new_text, path, tmp_path)
    if not pulls(client):
        assert [p.version for p in client.published if p.uri == uri][-1] == 2


#: ML302 on line 8 (0-based): the scaler fit on the training rows is fit again on the test rows.
REFIT = """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC
df = pd.read_csv("seeds.csv")  # « graines » 🌱
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="variety"), df["variety"])
scaler = MinMaxScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.fit_transform(X_test)  # « test » 🌱
print(SVC().fit(X_train, y_train).score(X_test, y_test))"""


@pytest.mark.parametrize("spec", CLIENTS)
async def test_safe_fix_is_the_preferred_action_and_edits_only_its_line(client: LanguageClient, spec, tmp_path):
    """The ML302 fix of ``mllint check --fix``, offered as a preferred quick fix (it is safe)."""
    await start(client, spec, tmp_path)
    path = tmp_path / "refit.py"
    uri = open_doc(client, path, REFIT)
    diagnostic = the(await diagnostics_where(client, uri, has("ML302", 8)), "ML302")
    actions = await actions_for(client, uri, diagnostic)
    fixes = [a for a in actions if a.title.startswith("Transform with `scaler`")]
    assert len(fixes) == 1, [a.title for a in actions]
    assert fixes[0].kind == types.CodeActionKind.QuickFix and fixes[0].is_preferred
    assert list(fixes[0].diagnostics) == [diagnostic]
    new_text = apply_edits(REFIT, edits_of(fixes[0], uri), client.encoding)
    old_lines, new_lines = REFIT.split("\n"), new_text.split("\n")
    assert new_lines[8] == "X_test = scaler.transform(X_test)  # « test » 🌱"
    assert new_lines[:8] + new_lines[9:] == old_lines[:8] + old_lines[9:]

    change(client, uri, 2, edits_of(fixes[0], uri))
    diagnostics = await diagnostics_where(client, uri, lacks("ML302"), "the refit fixed")
    assert codes(diagnostics) == local_findings(new_text, path, tmp_path) == []


@pytest.mark.parametrize("spec", CLIENTS)
@pytest.mark.parametrize("source", [
    NAMED_SCALER + "print(scaler.mean_)\n",                          # the fitted scaler is used again
    NAMED_SCALER + "print(X_scaled.shape)\n",                        # the scaled data is used again
    LEAK.replace("model = SVR().fit(X_train, y_train)\n", "model = SVR()\nprint(model)\n").replace(
        "print(model.score(X_test, y_test))",                        # no model fit on the training split
        "print(SVR().fit(X_train, y_train).score(X_test, y_test))"),
], ids=["scaler-reused", "scaled-data-reused", "no-model-assignment"])
async def test_pipeline_quick_fix_not_offered_when_unsafe(client: LanguageClient, spec, source, tmp_path):
    await start(client, spec, tmp_path)
    uri = open_doc(client, tmp_path / "pipeline.py", source)
    diagnostic = the(await diagnostics_where(client, uri, has("ML101")), "ML101")
    titles = [a.title for a in await actions_for(client, uri, diagnostic)]
    assert SUPPRESS in titles                    # the request works and offers what is safe...
    assert PIPELINE_FIX not in titles            # ...but not the rewrite


# --------------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", CLIENTS)
async def test_severity_from_initialization_options(client: LanguageClient, spec, tmp_path):
    text = LEAK.replace('"water"', '"age"')          # ML202 too: `age` becomes a feature
    await start(client, spec, tmp_path, options={"severity": {"ML1": "hint"}})
    uri = open_doc(client, tmp_path / "pipeline.py", text)
    diagnostics = await diagnostics_where(client, uri, lambda ds: has("ML101")(ds) and has("ML202")(ds))
    assert the(diagnostics, "ML101").severity == types.DiagnosticSeverity.Hint
    assert the(diagnostics, "ML202").severity == types.DiagnosticSeverity.Warning   # ML2 untouched


@pytest.mark.parametrize("spec", CLIENTS)
async def test_did_change_configuration_disable_and_enable(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    uri = open_doc(client, tmp_path / "pipeline.py", LEAK)
    await diagnostics_where(client, uri, has("ML101"))
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"mllint": {"enable": False}}))
    await diagnostics_where(client, uri, lambda ds: len(ds) == 0, "diagnostics cleared when disabled")
    # while disabled, edits publish nothing either
    change(client, uri, 2, [types.TextEdit(types.Range(types.Position(0, 0), types.Position(0, 0)), "# x\n")])
    await published_version(client, uri, 2)
    assert list(await diagnostics_where(client, uri, lambda ds: True)) == []
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"mllint": {"enable": True}}))
    await diagnostics_where(client, uri, has("ML101", LEAK_LINE + 1), "ML101 back when re-enabled")


@pytest.mark.parametrize("spec", CLIENTS)
async def test_did_change_configuration_sensitive_columns(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    uri = open_doc(client, tmp_path / "loans.py", LOANS)
    diagnostics = await diagnostics_where(client, uri, has("ML201"))
    assert codes(diagnostics) == [("ML201", AGE_LINE)]
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"mllint": {"sensitiveColumns": ["income"]}}))
    diagnostics = await diagnostics_where(client, uri, has("ML201", INCOME_LINE), "ML201 on the income filter")
    assert ("ML201", AGE_LINE) not in codes(diagnostics)     # the list replaces the defaults
    assert "`income`" in the(diagnostics, "ML201").message


async def test_pulling_client_is_asked_to_pull_again_when_settings_change(client: LanguageClient, tmp_path):
    capabilities = client_capabilities("neovim")
    capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    await client.initialize_session(types.InitializeParams(
        capabilities=capabilities, root_uri=tmp_path.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name=tmp_path.name)]))
    uri = open_doc(client, tmp_path / "loans.py", LOANS)
    assert codes(await diagnostics_where(client, uri, has("ML201"))) == [("ML201", AGE_LINE)]
    refreshes = client.diagnostic_refresh_count
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"mllint": {"sensitiveColumns": ["income"]}}))
    deadline = time.monotonic() + TIMEOUT
    while client.diagnostic_refresh_count == refreshes and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert client.diagnostic_refresh_count > refreshes, "no workspace/diagnostic/refresh after a settings change"
    assert ("ML201", INCOME_LINE) in codes(await pull(client, uri))
    assert uri not in client.diagnostics                      # still nothing pushed


@pytest.mark.parametrize("spec", CLIENTS)
async def test_workspace_configuration_answered_by_the_client_is_used(client: LanguageClient, spec, tmp_path):
    client.mllint_section = {"severity": {"ML201": "information"}, "sensitiveColumns": ["income"]}
    await start(client, spec, tmp_path)
    uri = open_doc(client, tmp_path / "loans.py", LOANS)
    diagnostics = await diagnostics_where(client, uri, has("ML201", INCOME_LINE), "the client's settings applied")
    assert client.configuration_requests, "the server never asked workspace/configuration"
    assert [item.section for item in client.configuration_requests[0].items] == ["mllint"]
    ml201 = [d for d in diagnostics if d.code == "ML201"]
    assert [d.range.start.line for d in ml201] == [INCOME_LINE]
    assert ml201[0].severity == types.DiagnosticSeverity.Information

    # a didChangeConfiguration without settings (VS Code's pull model) makes the server ask again
    asked = len(client.configuration_requests)
    client.mllint_section = {}
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    diagnostics = await diagnostics_where(client, uri, has("ML201", AGE_LINE), "defaults after the new answer")
    assert len(client.configuration_requests) > asked
    assert the(diagnostics, "ML201").severity == types.DiagnosticSeverity.Warning


@pytest.mark.parametrize("spec", CLIENTS)
async def test_pyproject_tool_mllint_is_the_base(client: LanguageClient, spec, tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.mllint]\nsensitive-columns = ["income"]\n', encoding="utf-8")
    await start(client, spec, tmp_path)
    uri = open_doc(client, tmp_path / "loans.py", LOANS)
    diagnostics = await diagnostics_where(client, uri, has("ML201"))
    assert codes(diagnostics) == [("ML201", INCOME_LINE), ("ML202", 5)]   # income is now sensitive (and a feature)

    # editor settings layer over it
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"mllint": {"extendSensitiveColumns": ["age"]}}))
    diagnostics = await diagnostics_where(client, uri, has("ML201", AGE_LINE), "the editor's extension applied")
    assert codes(diagnostics) == [("ML201", INCOME_LINE), ("ML201", AGE_LINE), ("ML202", 5)]

    # the file changes on disk: the watched-files notification reloads it
    pyproject.write_text('[tool.mllint]\nsensitive-columns = ["income"]\nignore = ["ML2"]\n', encoding="utf-8")
    later = time.time() + 5
    os.utime(pyproject, (later, later))
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=pyproject.as_uri(), type=types.FileChangeType.Changed)]))
    await diagnostics_where(client, uri, lambda ds: len(ds) == 0, "ML2 ignored by the new pyproject")


# --------------------------------------------------------------------------------------------------
# Notebooks
# --------------------------------------------------------------------------------------------------

CELL_1 = """\
%matplotlib inline
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
df = pd.read_csv("concrete.csv", names=["cement", "water", "strength"])
X_scaled = StandardScaler().fit_transform(df[["cement", "water"]])"""
CELL_2 = """\
X_train, X_test, y_train, y_test = train_test_split(X_scaled, df["strength"])
model = SVR().fit(X_train, y_train)
print(model.score(X_test, y_test))
"""


@pytest.mark.parametrize("spec", CLIENTS)
async def test_notebook_cells_analysed_together_with_diagnostics_per_cell(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    notebook = tmp_path / "analysis.ipynb"
    nb_uri = notebook.as_uri()
    cell_uris = [f"vscode-notebook-cell:{notebook}#W{i}sZmlsZQ" for i in range(2)]
    open_notebook(client, nb_uri, cell_uris, [CELL_1, CELL_2])

    first = await diagnostics_where(client, cell_uris[0], has("ML101"), "ML101 on the first cell")
    diagnostic = the(first, "ML101")
    leak_line = CELL_1.split("\n").index(CELL_1.split("\n")[-1])          # 6: the magic line counts
    assert diagnostic.range == types.Range(types.Position(leak_line, 0),
                                           types.Position(leak_line, len(CELL_1.split("\n")[-1])))
    assert nb_uri not in client.diagnostics                                  # published per cell, not per notebook
    if pulls(client):
        assert list(await pull(client, cell_uris[1])) == []
        assert not client.published
    else:
        await wait_for(client, lambda: cell_uris[1] in client.diagnostics, what="a publish for the second cell")
        assert list(client.diagnostics[cell_uris[1]]) == []
    related = {info.message: info.location for info in diagnostic.related_information or ()}
    assert related["evaluated here"].uri == cell_uris[1]
    assert related["evaluated here"].range.start == types.Position(2, 0)
    assert related["model trained here"].uri == cell_uris[1]
    assert related["model trained here"].range.start == types.Position(1, 0)

    # hover in a cell uses the notebook's analysis (cell-relative position)
    text = await hover(client, cell_uris[1], 0, CELL_2.index('df["strength"]') + 1)
    assert text is not None and "columns: `cement`, `water`, `strength`" in text

    # mllint.explain on the notebook: the scaler's node is marked and placed as `cell N:line`
    plan = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="mllint.explain", arguments=[nb_uri]))
    assert f"ML101<br/>transform: Standard Scaler: fit_transform (cell 1:{leak_line + 1})" in plan["mermaid"]
    assert re.search(rf"^  cell 1:{leak_line + 1}:1 ML101 ", plan["text"], re.M), plan["text"]
    assert re.search(r"^      cell 2:3:1 evaluated here$", plan["text"], re.M), plan["text"]

    # editing the first cell re-analyses the notebook: the leak is gone
    last = CELL_1.split("\n")[-1]
    fit = "StandardScaler().fit_transform("
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(version=2, uri=nb_uri),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
            types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri=cell_uris[0], version=2),
                changes=[types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(leak_line, last.index(fit)),
                                      types.Position(leak_line, len(last))),
                    text='df[["cement", "water"]]')])]))))
    await diagnostics_where(client, cell_uris[0], lambda ds: len(ds) == 0, "the first cell cleared")


@pytest.mark.parametrize("spec", CLIENTS[:1])
async def test_the_interactive_window_is_synced_and_analysed_like_a_notebook(client: LanguageClient, spec,
                                                                            tmp_path):
    """VS Code's Interactive Window is a notebook of type "interactive" with an untitled uri."""
    capabilities = client_capabilities(spec)   # a client that syncs notebooks (VS Code 1.67+)
    capabilities.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities())
    result = await start(client, spec, tmp_path, capabilities=capabilities)
    selectors = result.capabilities.notebook_document_sync.notebook_selector
    assert {selector.notebook for selector in selectors} == {"jupyter-notebook", "interactive"}
    nb_uri = "vscode-interactive:/Interactive-1.interactive"
    cell_uris = [f"vscode-notebook-cell:/Interactive-1.interactive#cell{i}" for i in range(2)]
    open_notebook(client, nb_uri, cell_uris, [CELL_1, CELL_2], notebook_type="interactive")
    first = await diagnostics_where(client, cell_uris[0], has("ML101"), "ML101 in the first input")
    assert the(first, "ML101").range.start.line == CELL_1.count("\n")


# --------------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", CLIENTS)
async def test_explain_command_returns_mermaid_and_text(client: LanguageClient, spec, tmp_path):
    result = await start(client, spec, tmp_path)
    assert "mllint.explain" in result.capabilities.execute_command_provider.commands
    uri = open_doc(client, tmp_path / "pipeline.py", LEAK)
    plan = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="mllint.explain", arguments=[uri]))
    assert set(plan) == {"mermaid", "text"}
    assert plan["mermaid"].startswith("flowchart")
    assert "concrete.csv" in plan["mermaid"] and "Standard Scaler" in plan["mermaid"]
    assert "DATA_SOURCE" in plan["text"] and "TRAIN_TEST_SPLIT" in plan["text"]
    # the findings the diagnostics show are marked: the scaler's node carries ML101 and the finding class
    marked = re.search(r'^\s+(n\d+)\W+ML101<br/>transform: Standard Scaler: fit_transform \(line (\d+)\)',
                       plan["mermaid"], re.M)
    assert marked is not None, plan["mermaid"]
    assert int(marked.group(2)) == LEAK_LINE + 1
    assert f"class {marked.group(1)} finding" in plan["mermaid"]
    assert re.search(rf"^  {LEAK_LINE + 1}:\d+ ML101 ", plan["text"], re.M), plan["text"]


# --------------------------------------------------------------------------------------------------
# Load, robustness
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", CLIENTS)
async def test_burst_of_200_incremental_edits_ends_in_the_right_diagnostics(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    path = tmp_path / "pipeline.py"
    text = NO_LEAK
    uri = open_doc(client, path, text)
    await published_version(client, uri, 1)
    assert list(await diagnostics_where(client, uri, lambda ds: True)) == []
    encoding = client.encoding

    def edit_for(step: int, text: str) -> types.TextEdit:
        lines = text.split("\n")
        if step == 0:                      # `X_scaled = X` -> `X_scaled = ` (a syntax error for a while)
            return types.TextEdit(line_range(text, LEAK_LINE, "X_scaled = X", encoding), "X_scaled = ")
        if step <= len("StandardScaler().fit_transform(X)"):        # type the leaking call character by character
            line = lines[LEAK_LINE]
            end = types.Position(LEAK_LINE, units(line, encoding))
            return types.TextEdit(types.Range(end, end), "StandardScaler().fit_transform(X)"[step - 1])
        if step % 50 == 0:                 # now and then a new line at the top: every later line moves down
            return types.TextEdit(types.Range(types.Position(0, 0), types.Position(0, 0)), f"# note {step}\n")
        # otherwise keep typing a comment with non-ASCII text at the end of the first import line
        import_line = next(i for i, l in enumerate(lines) if l.startswith("import pandas"))
        end = types.Position(import_line, units(lines[import_line], encoding))
        return types.TextEdit(types.Range(end, end), "  # données 😀 " if step == 34 else "é" if step % 7 == 0 else "x")

    for step, version in enumerate(range(2, 202)):
        edit = edit_for(step, text)
        text = apply_edits(text, [edit], encoding)
        change(client, uri, version, [edit])
    expected = local_findings(text, path, tmp_path)
    assert ("ML101", LEAK_LINE + 3) in expected                        # three notes were inserted above
    await published_version(client, uri, 201)
    await asyncio.sleep(0.5)                                           # anything stale still in flight?
    ours = [p for p in client.published if p.uri == uri]
    if pulls(client):
        assert ours == []
    else:
        assert ours[-1].version == 201
        assert codes(ours[-1].diagnostics) == expected
        versions = [p.version for p in ours]
        assert versions == sorted(versions), f"a stale result was published after a newer one: {versions}"
        assert len(ours) < 60, f"{len(ours)} publishes for 200 edits: not debounced"
    # the server's copy of the text is the client's: a pull agrees, and the leak's range is right
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri)))
    assert codes(report.items) == expected
    leak = the(report.items, "ML101")
    assert text[offset(text, leak.range.start, encoding):offset(text, leak.range.end, encoding)] == LEAK_STATEMENT


async def raw_request(client: LanguageClient, method: str, params: Any) -> Any:
    """Send a request exactly as given (pygls' own send would refuse to serialise wrong params)."""
    msg_id = f"raw-{uuid.uuid4()}"
    future: Future = Future()
    client.protocol._request_futures[msg_id] = future
    client.protocol._send_data({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
    return await asyncio.wait_for(asyncio.wrap_future(future), TIMEOUT)


@pytest.mark.parametrize("spec", CLIENTS)
async def test_malformed_messages_are_answered_with_errors_and_the_server_keeps_working(
        client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    uri = open_doc(client, tmp_path / "pipeline.py", LEAK)
    await diagnostics_where(client, uri, has("ML101"))

    with pytest.raises(JsonRpcMethodNotFound):
        await asyncio.wait_for(client.protocol.send_request_async("mllint/doesNotExist", {"x": 1}), TIMEOUT)

    with pytest.raises(JsonRpcMethodNotFound):                 # the raw path, to be sure what is on the wire
        await raw_request(client, "mllint/doesNotExist", None)

    # requests that deserialise but make no sense get an answer (None or an error), never silence
    for line, character in ((10_000, 0), (0, 10_000)):
        try:
            result = await raw_request(client, types.TEXT_DOCUMENT_HOVER, {
                "textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
            assert result is None
        except JsonRpcException:
            pass
    actions = await raw_request(client, types.TEXT_DOCUMENT_CODE_ACTION, {
        "textDocument": {"uri": uri}, "range": {"start": {"line": 500, "character": 0},
                                                "end": {"line": 500, "character": 1}},
        "context": {"diagnostics": [{"range": {"start": {"line": 500, "character": 0},
                                               "end": {"line": 500, "character": 1}},
                                     "message": "x", "code": "ML101", "source": "mllint"}]}})
    assert not actions

    # messages whose params do not deserialise at all: the server must survive them
    client.protocol._send_data({"jsonrpc": "2.0", "id": "bad-hover", "method": types.TEXT_DOCUMENT_HOVER,
                                "params": {"textDocument": 42, "position": "here"}})
    client.protocol._send_data({"jsonrpc": "2.0", "method": types.TEXT_DOCUMENT_DID_CHANGE,
                                "params": {"textDocument": {"uri": uri}, "contentChanges": "nonsense"}})

    with pytest.raises(JsonRpcException):                      # a command with a wrong argument
        await asyncio.wait_for(client.workspace_execute_command_async(types.ExecuteCommandParams(
            command="mllint.explain", arguments=[42])), TIMEOUT)

    with pytest.raises(JsonRpcException):                      # a command that does not exist
        await asyncio.wait_for(client.workspace_execute_command_async(types.ExecuteCommandParams(
            command="mllint.noSuchCommand", arguments=[])), TIMEOUT)

    # still alive: requests and notifications work
    text = await hover(client, uri, LEAK_LINE, 0)
    assert text is not None and text.startswith("**ML101**")
    change(client, uri, 2, [types.TextEdit(line_range(LEAK, LEAK_LINE, "StandardScaler().fit_transform(X)",
                                                      client.encoding), "X")])
    await diagnostics_where(client, uri, lambda ds: len(ds) == 0, "diagnostics after the errors")
    assert client.error is None


@pytest.mark.parametrize("spec", CLIENTS)
async def test_requests_for_an_unopened_document(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    ghost = (tmp_path / "never_opened.py").as_uri()          # not opened, not on disk
    assert await hover(client, ghost, 0, 0) is None
    try:
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(ghost)))
        assert list(report.items) == []
    except JsonRpcException:
        pass                                                  # an error answer is acceptable too
    # an unopened file that exists on disk: a pull analyses what is on disk
    on_disk = tmp_path / "on_disk.py"
    on_disk.write_text(LEAK, encoding="utf-8")
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(on_disk.as_uri())))
    assert codes(report.items) == [("ML101", LEAK_LINE)]
    fake = types.Diagnostic(range=types.Range(types.Position(3, 0), types.Position(3, 5)), message="x",
                            code="ML101", source="mllint")
    try:
        actions = await actions_for(client, ghost, fake)
        assert PIPELINE_FIX not in [a.title for a in actions]
    except JsonRpcException:
        pass                                                  # an error answer is acceptable too
    with pytest.raises(JsonRpcException):
        await client.workspace_execute_command_async(types.ExecuteCommandParams(
            command="mllint.explain", arguments=[ghost]))
    assert ghost not in client.diagnostics                    # nothing was published for them
    assert on_disk.as_uri() not in client.diagnostics

    # and the server is fine
    uri = open_doc(client, tmp_path / "pipeline.py", LEAK)
    await diagnostics_where(client, uri, has("ML101"))


# --------------------------------------------------------------------------------------------------
# stdout is the protocol: a raw stdio session with verbose logging
# --------------------------------------------------------------------------------------------------

def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _parse_frames(data: bytes) -> list[dict]:
    """Every byte of stdout must belong to a well-formed JSON-RPC frame."""
    messages, rest = [], data
    while rest:
        header, sep, rest = rest.partition(b"\r\n\r\n")
        assert sep, f"stray bytes on stdout: {header[:200]!r}"
        fields = dict(line.split(b": ", 1) for line in header.split(b"\r\n"))
        assert set(fields) <= {b"Content-Length", b"Content-Type"}, f"not a header: {header[:200]!r}"
        length = int(fields[b"Content-Length"])
        body, rest = rest[:length], rest[length:]
        message = json.loads(body)
        assert message.get("jsonrpc") == "2.0"
        messages.append(message)
    return messages


def test_stdout_carries_only_the_protocol_even_with_debug_logging(tmp_path):
    uri = (tmp_path / "pipeline.py").as_uri()
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {},
                    "initializationOptions": {"debounce": 0}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen",
         "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": LEAK}}},
        {"jsonrpc": "2.0", "id": 2, "method": "mllint/doesNotExist", "params": {}},
        {"jsonrpc": "2.0", "id": 3, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": uri}}},
    ]
    payload = b"".join(_frame(m) for m in messages)
    garbage = b"{this is not json"
    later = b"Content-Length: %d\r\n\r\n" % len(garbage) + garbage
    later += _frame({"jsonrpc": "2.0", "id": 4, "method": "textDocument/hover",
                     "params": {"textDocument": {"uri": uri}, "position": {"line": 6, "character": 0}}})
    env = dict(os.environ, MLLINT_LOG="DEBUG")
    process = subprocess.Popen([sys.executable, "-m", "mllint.lsp_server"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    chunks: dict[str, list[bytes]] = {"stdout": [], "stderr": []}

    def drain(name: str, stream) -> None:            # read both pipes all the time: a full pipe blocks the server
        for chunk in iter(lambda: stream.read1(65536), b""):
            chunks[name].append(chunk)

    readers = [threading.Thread(target=drain, args=(name, stream), daemon=True)
               for name, stream in (("stdout", process.stdout), ("stderr", process.stderr))]
    for reader in readers:
        reader.start()

    def wait_until(marker: bytes) -> None:
        deadline = time.monotonic() + TIMEOUT
        while marker not in b"".join(chunks["stdout"]):
            assert time.monotonic() < deadline, f"no {marker!r} on stdout"
            assert process.poll() is None, "the server exited"
            time.sleep(0.05)

    try:
        process.stdin.write(payload)
        process.stdin.flush()
        wait_until(b"publishDiagnostics")      # the analysis is done: now garbage, a hover, and the end
        process.stdin.write(later)
        process.stdin.flush()
        wait_until(b'"id": 4')
        process.stdin.write(_frame({"jsonrpc": "2.0", "id": 5, "method": "shutdown"})
                            + _frame({"jsonrpc": "2.0", "method": "exit"}))
        process.stdin.close()
        process.wait(timeout=20)
        for reader in readers:
            reader.join(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    stdout, stderr = b"".join(chunks["stdout"]), b"".join(chunks["stderr"])
    received = _parse_frames(stdout)
    responses = {m["id"]: m for m in received if "id" in m and "method" not in m}
    assert "capabilities" in responses[1]["result"]
    assert responses[2]["error"]["code"] == -32601
    assert [d["code"] for d in responses[3]["result"]["items"]] == ["ML101"]
    assert responses[4]["result"]["contents"]["value"].startswith("**ML101**")   # alive after the garbage
    assert responses[5]["result"] is None
    published = [m for m in received if m.get("method") == "textDocument/publishDiagnostics"]
    assert published and [d["code"] for d in published[-1]["params"]["diagnostics"]] == ["ML101"]
    assert b"mllint-lsp DEBUG" in stderr, "debug logging did not reach stderr"
    assert process.returncode == 0


# -- regressions: noqa honoured by the server, suppress edits on non-ASCII lines, encoded uris -----------
@pytest.mark.parametrize("spec", CLIENTS)
async def test_noqa_comments_silence_diagnostics_in_the_editor(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    text = LEAK.replace(LEAK_STATEMENT, LEAK_STATEMENT + "  # noqa: E501, ML101")
    uri = open_doc(client, tmp_path / "pipeline.py", text)
    await diagnostics_where(client, uri, lacks("ML101"), "no ML101 under # noqa: E501, ML101")
    change(client, uri, 2, [types.TextEdit(line_range(text, LEAK_LINE, "  # noqa: E501, ML101", client.encoding),
                                           "")])
    await diagnostics_where(client, uri, has("ML101", LEAK_LINE), "ML101 back once the comment is gone")


@pytest.mark.parametrize("spec", CLIENTS)
async def test_suppress_edit_lands_at_the_end_of_a_non_ascii_line(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    statement = 'données = "😀"; ' + LEAK_STATEMENT
    text = LEAK.replace(LEAK_STATEMENT, statement)
    uri = open_doc(client, tmp_path / "pipeline.py", text)
    diagnostic = the(await diagnostics_where(client, uri, has("ML101")), "ML101")
    suppress = [a for a in await actions_for(client, uri, diagnostic) if a.title == SUPPRESS]
    assert len(suppress) == 1
    new_text = apply_edits(text, edits_of(suppress[0], uri), client.encoding)
    assert new_text.split("\n")[LEAK_LINE] == statement + "  # noqa: ML101"


@pytest.mark.parametrize("spec", CLIENTS)
async def test_documents_under_percent_encoded_uris(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    folder = tmp_path / "my project"
    folder.mkdir()
    uri = open_doc(client, folder / "pipeline.py", LEAK)
    assert "%20" in uri
    await diagnostics_where(client, uri, has("ML101", LEAK_LINE), "ML101 for a file under a folder with a space")
    assert (await hover(client, uri, LEAK_LINE, 0) or "").startswith("**ML101**")


# --------------------------------------------------------------------------------------------------
# Issue 9: documents that were not analysed say so; notebooks publish what changed; slow documents
# --------------------------------------------------------------------------------------------------

def notices(diagnostics: Sequence[types.Diagnostic]) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.severity == types.DiagnosticSeverity.Information and d.code is None]


def only_a_notice(diagnostics: Sequence[types.Diagnostic]) -> bool:
    found = notices(diagnostics)
    return len(diagnostics) == 1 and len(found) == 1 and found[0].range.start == types.Position(0, 0)


@pytest.mark.parametrize("spec", CLIENTS)
async def test_a_document_over_the_budget_shows_one_notice_on_line_1(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    text = "import pandas as pd\n" + "x = 1\n" * 20_001
    uri = open_doc(client, tmp_path / "huge.py", text)
    diagnostics = await diagnostics_where(client, uri, only_a_notice, "one notice for a file over the budget")
    assert diagnostics[0].source == "mllint"
    assert "budget" in diagnostics[0].message and "not analysed" in diagnostics[0].message
    # back under the budget: the notice goes, the findings come
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=LEAK)]))
    await diagnostics_where(client, uri, lambda ds: codes(ds) == [("ML101", LEAK_LINE)], "the findings")


@pytest.mark.parametrize("spec", CLIENTS)
async def test_a_lone_surrogate_shows_one_notice_instead_of_nothing(client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    text = LEAK + 'note = "\ud800"\n'            # JSON "\ud800": valid on the wire, not encodable text
    path = tmp_path / "surrogate.py"
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
    diagnostics = await diagnostics_where(client, uri, only_a_notice, "one notice for a lone surrogate")
    assert diagnostics[0].message.startswith("mllint did not analyse this file")
    assert (await hover(client, uri, 0, 0)) is None                     # and the server answers requests


@pytest.mark.parametrize("spec", PUSH_CLIENTS)
async def test_a_notebook_cell_with_a_lone_surrogate_gives_one_notice_on_the_first_cell(
        client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path)
    notebook = tmp_path / "broken.ipynb"
    cell_uris = [f"vscode-notebook-cell:{notebook}#W{i}sZmlsZQ" for i in range(2)]
    open_notebook(client, notebook.as_uri(), cell_uris, [CELL_1, CELL_2 + 'x = "\udc80"\n'])
    await wait_for(client, lambda: all(u in client.diagnostics for u in cell_uris), what="both cells published")
    assert only_a_notice(client.diagnostics[cell_uris[0]])
    assert list(client.diagnostics[cell_uris[1]]) == []


def open_notebook(client: LanguageClient, nb_uri: str, cell_uris: list[str], texts: list[str],
                  notebook_type: str = "jupyter-notebook") -> None:
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(
            uri=nb_uri, notebook_type=notebook_type, version=1,
            cells=[types.NotebookCell(kind=types.NotebookCellKind.Code, document=u) for u in cell_uris]),
        cell_text_documents=[types.TextDocumentItem(uri=u, language_id="python", version=1, text=t)
                             for u, t in zip(cell_uris, texts)]))


def edit_cell(client: LanguageClient, nb_uri: str, version: int, cell_uri: str, edit: types.TextEdit) -> None:
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(version=version, uri=nb_uri),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
            types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri=cell_uri, version=version),
                changes=[types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)])]))))


@pytest.mark.parametrize("spec", PUSH_CLIENTS)
async def test_a_500_cell_notebook_publishes_only_the_cells_whose_diagnostics_changed(
        client: LanguageClient, spec, tmp_path):
    await start(client, spec, tmp_path, options={"debounce": 0})
    notebook = tmp_path / "big.ipynb"
    nb_uri = notebook.as_uri()
    cell_uris = [f"vscode-notebook-cell:{notebook}#W{i}sZmlsZQ" for i in range(500)]
    texts = [CELL_1] + [f"v{i} = {i}\n" for i in range(1, 499)] + [CELL_2]
    open_notebook(client, nb_uri, cell_uris, texts)
    await wait_for(client, lambda: all(u in client.diagnostics for u in cell_uris), what="all 500 cells published")
    assert len(client.published) == 500                                    # the first publish is complete
    assert has("ML101")(client.diagnostics[cell_uris[0]])

    # an edit in a cell without findings: nothing changes, nothing is published
    edit_cell(client, nb_uri, 2, cell_uris[250], types.TextEdit(
        types.Range(types.Position(0, 0), types.Position(0, 0)), "# note\n"))
    # an edit that removes the leak: exactly that cell is published again (cleared)
    leak_line = CELL_1.count("\n")
    last = CELL_1.split("\n")[-1]
    fit = "StandardScaler().fit_transform("
    edit_cell(client, nb_uri, 3, cell_uris[0], types.TextEdit(
        types.Range(types.Position(leak_line, last.index(fit)), types.Position(leak_line, len(last))),
        'df[["cement", "water"]]'))
    await wait_for(client, lambda: list(client.diagnostics[cell_uris[0]]) == [], what="the first cell cleared")
    await asyncio.sleep(1.0)                                               # anything else on its way?
    later = client.published[500:]
    assert [p.uri for p in later] == [cell_uris[0]], f"{len(later)} publishes for an edit of one cell"


SLOW_SECTION = """
df{i} = pd.read_csv("data{i}.csv")
df{i}["total"] = df{i}["a"] + df{i}["b"]
X{i} = StandardScaler().fit_transform(df{i}.drop(columns=["y"]))
X_train{i}, X_test{i}, y_train{i}, y_test{i} = train_test_split(X{i}, df{i}["y"])
m{i} = LogisticRegression().fit(X_train{i}, y_train{i})
print(m{i}.score(X_test{i}, y_test{i}))
"""
#: A valid 10,500-line pipeline whose analysis takes seconds: as long as the per-file budget
#: lets it run (longer ones are refused before parsing, and would answer at once).
SLOW = ("import pandas as pd\nfrom sklearn.preprocessing import StandardScaler\n"
        "from sklearn.model_selection import train_test_split\nfrom sklearn.linear_model import LogisticRegression\n"
        + "".join(SLOW_SECTION.format(i=i) for i in range(1500)))


def test_the_slow_document_is_analysed_not_refused():
    """The premise of the two tests below: the budget lets SLOW's analysis run (for seconds)."""
    analysis = analyze(SLOW, "slow.py")
    assert analysis.error is None and not any("not analysed" in note for note in analysis.notes), analysis.notes
    assert analysis.work > 300_000


async def test_a_slow_document_does_not_hold_back_another_documents_diagnostics_or_hover(
        client: LanguageClient, tmp_path):
    await start(client, "visual-studio-code", tmp_path, options={"debounce": 0})
    slow_uri = open_doc(client, tmp_path / "slow.py", SLOW)
    opened = time.monotonic()
    await asyncio.sleep(0.5)                                               # its analysis is under way
    small_opened = time.monotonic()
    uri = open_doc(client, tmp_path / "pipeline.py", LEAK)
    await diagnostics_where(client, uri, has("ML101", LEAK_LINE), "the small document's diagnostics")
    text = await hover(client, uri, LEAK_LINE, 0)
    small_took = time.monotonic() - small_opened
    assert text is not None and text.startswith("**ML101**")
    assert slow_uri not in client.diagnostics, "the small document waited for the slow one"
    edited = LEAK.replace(LEAK_STATEMENT, "X_scaled = X")                  # and an edit is analysed too
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)]))
    await diagnostics_where(client, uri, lambda ds: len(ds) == 0, "the edit's diagnostics")
    assert slow_uri not in client.diagnostics, "the edit waited for the slow document"
    # hovers one after another until the slow document is done: none waits for a stretch of its
    # analysis (a thread would: LibCST's parse holds the GIL and the event loop stands still)
    longest = 0.0
    deadline = time.monotonic() + 120
    while slow_uri not in client.diagnostics:
        assert time.monotonic() < deadline, "the slow document was never published"
        sent = time.monotonic()
        await hover(client, uri, 0, 0)
        longest = max(longest, time.monotonic() - sent)
        await asyncio.sleep(0.05)
    slow_took = time.monotonic() - opened
    assert small_took < slow_took / 4, f"the small document took {small_took:.1f} s of a {slow_took:.1f} s analysis"
    assert longest < slow_took / 4, f"a hover took {longest:.1f} s of a {slow_took:.1f} s analysis"


async def test_an_analysis_past_the_hard_limit_is_stopped_and_the_server_goes_on(client: LanguageClient, tmp_path):
    """The worker of an analysis that overruns is killed and replaced; the file says why it shows nothing."""
    await start(client, "visual-studio-code", tmp_path, options={"debounce": 0, "analysisTimeout": 0.5})
    slow_uri = open_doc(client, tmp_path / "slow.py", SLOW)
    diagnostics = await diagnostics_where(client, slow_uri, only_a_notice, "the notice of a stopped analysis")
    assert "stopped after 0.5 s" in diagnostics[0].message
    uri = open_doc(client, tmp_path / "pipeline.py", LEAK)                 # a fresh worker analyses the next one
    await diagnostics_where(client, uri, has("ML101", LEAK_LINE), "diagnostics after a worker was replaced")
