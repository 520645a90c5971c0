"""The language server under hostile or careless clients: raw stdio frames, a real subprocess.

Every request gets a response (bad params, bad ids, after ``shutdown``), frames announcing
absurd sizes neither kill the server nor make it allocate, and the server keeps serving after
each of them.  The frames are written by hand (pygls' client would refuse to send them).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from mllint.lsp_server.transport import top_level_id
from samples import SCALER_LEAK

TIMEOUT = 30.0
PIPELINE = SCALER_LEAK


def frame(message: Any) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def request(msg_id: Any, method: str, params: Any = None) -> bytes:
    message = {"jsonrpc": "2.0", "id": msg_id, "method": method}
    if params is not None:
        message["params"] = params
    return frame(message)


def notification(method: str, params: Any) -> bytes:
    return frame({"jsonrpc": "2.0", "method": method, "params": params})


class RawServer:
    """``python -m mllint.lsp_server`` on pipes; both pipes are drained all the time."""

    def __init__(self, command: list[str] | None = None) -> None:
        env = dict(os.environ, MLLINT_LOG="INFO")
        command = command or [sys.executable, "-m", "mllint.lsp_server"]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.stdout = bytearray()
        self.stderr = bytearray()
        self.lock = threading.Lock()
        self.readers = [threading.Thread(target=self._drain, args=(stream, buffer), daemon=True)
                        for stream, buffer in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr))]
        for reader in self.readers:
            reader.start()

    def _drain(self, stream, buffer: bytearray) -> None:
        for chunk in iter(lambda: stream.read1(65536), b""):
            with self.lock:
                buffer.extend(chunk)

    def send(self, data: bytes) -> None:
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def messages(self) -> list[dict]:
        with self.lock:
            rest = bytes(self.stdout)
        out = []
        while rest:
            header, sep, rest = rest.partition(b"\r\n\r\n")
            if not sep:
                break
            fields = dict(line.split(b": ", 1) for line in header.split(b"\r\n"))
            length = int(fields[b"Content-Length"])
            if len(rest) < length:
                break
            out.append(json.loads(rest[:length]))
            rest = rest[length:]
        return out

    def response(self, msg_id: Any, timeout: float = TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for message in self.messages():
                if "method" not in message and message.get("id") == msg_id:
                    return message
            assert self.process.poll() is None, f"the server exited: {self.stderr[-2000:].decode(errors='replace')}"
            assert time.monotonic() < deadline, f"no response to {msg_id!r}; stderr: {self.stderr[-2000:]!r}"
            time.sleep(0.02)

    def published(self, uri: str, timeout: float = TIMEOUT) -> list[dict]:
        """The diagnostics of the first publish for ``uri``."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.messages():
                if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                    return message["params"]["diagnostics"]
            assert self.process.poll() is None, "the server exited"
            assert time.monotonic() < deadline, f"nothing published for {uri}"
            time.sleep(0.02)

    def initialize(self, root: Path) -> None:
        self.send(request(1, "initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {},
                                            "initializationOptions": {"debounce": 0}}))
        assert "capabilities" in self.response(1)["result"]
        self.send(notification("initialized", {}))

    def alive(self, msg_id: Any, uri: str) -> dict:
        """A well-formed hover: the server still reads frames and answers."""
        self.send(request(msg_id, "textDocument/hover", {"textDocument": {"uri": uri},
                                                         "position": {"line": 6, "character": 0}}))
        return self.response(msg_id)

    def close(self) -> int | None:
        if self.process.poll() is None:
            try:
                self.send(request("bye", "shutdown") + notification("exit", None))
                self.process.stdin.close()
                self.process.wait(timeout=20)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(timeout=10)
        return self.process.returncode


@pytest.fixture
def server(tmp_path):
    raw = RawServer()
    raw.initialize(tmp_path)
    yield raw
    if raw.process.poll() is None:
        raw.process.kill()
        raw.process.wait(timeout=10)


def open_pipeline(server: RawServer, tmp_path: Path) -> str:
    path = tmp_path / "pipeline.py"
    path.write_text(PIPELINE, encoding="utf-8")
    uri = path.as_uri()
    server.send(notification("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": PIPELINE}}))
    assert [d["code"] for d in server.published(uri)] == ["ML101"]
    return uri


def hover_params(uri: str, position: Any) -> dict:
    return {"textDocument": {"uri": uri}, "position": position}


# -- item: every request gets a response ------------------------------------------------------------------

@pytest.mark.parametrize("params", [
    pytest.param({"position": {"line": "x", "character": 0}}, id="line-not-a-number"),
    pytest.param({"position": {"line": -1, "character": 0}}, id="negative-line"),
    pytest.param({"position": {"line": 0}}, id="missing-character"),
    pytest.param({}, id="missing-position"),
    pytest.param({"position": "here"}, id="position-a-string"),
    pytest.param({"position": {"line": 2 ** 40, "character": 0}}, id="line-out-of-range"),
])
def test_a_request_whose_params_do_not_validate_gets_invalid_params(server, tmp_path, params):
    uri = open_pipeline(server, tmp_path)
    server.send(request(7, "textDocument/hover", {"textDocument": {"uri": uri}, **params}))
    answer = server.response(7)
    assert answer["error"]["code"] == -32602, answer
    assert "position" in answer["error"]["message"]
    assert server.alive(8, uri)["result"]["contents"]["value"].startswith("**ML101**")


def test_params_of_the_wrong_type_and_bad_ids_are_answered(server, tmp_path):
    uri = open_pipeline(server, tmp_path)
    server.send(request("list", "textDocument/hover", [1, 2, 3]))
    assert server.response("list")["error"]["code"] == -32602
    server.send(request("str", "textDocument/codeAction", "nonsense"))
    assert server.response("str")["error"]["code"] == -32602
    server.send(frame({"jsonrpc": "2.0", "id": {"not": "an id"}, "method": "textDocument/hover", "params": {}}))
    assert server.response(None)["error"]["code"] == -32600
    server.send(frame({"jsonrpc": "1.0", "id": "v1", "method": "textDocument/hover", "params": {}}))
    assert server.response("v1")["error"]["code"] == -32600
    server.send(frame({"jsonrpc": "2.0", "id": "unknown", "method": "mllint/noSuchMethod", "params": {}}))
    assert server.response("unknown")["error"]["code"] == -32601
    server.send(notification("textDocument/didChange", {"textDocument": 42}))          # a broken notification
    assert server.alive("after", uri)["result"]["contents"]["value"].startswith("**ML101**")


def test_a_body_that_is_not_json_gets_a_parse_error_with_its_id_when_it_can_be_read(server, tmp_path):
    uri = open_pipeline(server, tmp_path)
    broken = b'{"jsonrpc": "2.0", "id": 31, "method": "textDocument/hover", "params": {'
    server.send(b"Content-Length: %d\r\n\r\n" % len(broken) + broken)
    assert server.response(31)["error"]["code"] == -32700
    deep = b'{"jsonrpc": "2.0", "id": 32, "method": "x", "params": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    server.send(b"Content-Length: %d\r\n\r\n" % len(deep) + deep)
    assert server.response(32)["error"]["code"] in (-32700, -32602, -32601)
    assert server.alive(33, uri)["result"] is not None


def test_requests_after_shutdown_get_invalid_request_and_exit_still_works(server, tmp_path):
    uri = open_pipeline(server, tmp_path)
    server.send(request(40, "shutdown"))
    assert server.response(40)["result"] is None
    server.send(request(41, "textDocument/hover", hover_params(uri, {"line": 0, "character": 0})))
    assert server.response(41)["error"]["code"] == -32600
    server.send(request(42, "mllint/noSuchMethod", {}))
    assert server.response(42)["error"]["code"] == -32600
    server.send(notification("exit", None))
    server.process.stdin.close()
    assert server.process.wait(timeout=20) == 0


def test_exit_without_shutdown_exits_with_status_1(tmp_path):
    raw = RawServer()
    try:
        raw.initialize(tmp_path)
        raw.send(notification("exit", None))
        assert raw.process.wait(timeout=20) == 1
    finally:
        if raw.process.poll() is None:
            raw.process.kill()


# -- item: frame sizes are capped ---------------------------------------------------------------------------

@pytest.mark.parametrize("length", [b"99999999999", b"67108865", b"1" * 5000, b"-5", b"abc", b"12abc"])
def test_a_frame_announcing_an_absurd_length_is_skipped_and_answered(server, tmp_path, length):
    uri = open_pipeline(server, tmp_path)
    body = json.dumps({"jsonrpc": "2.0", "id": 50, "method": "textDocument/hover",
                       "params": hover_params(uri, {"line": 6, "character": 0})}).encode()
    server.send(b"Content-Length: " + length + b"\r\n\r\n" + body)
    server.send(request(51, "textDocument/hover", hover_params(uri, {"line": 6, "character": 0})))
    answer = server.response(50)
    assert answer["error"]["code"] == -32600
    assert server.response(51)["result"]["contents"]["value"].startswith("**ML101**")
    assert server.alive(52, uri)["result"] is not None
    assert server.close() == 0


def test_a_lying_length_followed_directly_by_the_next_frame(server, tmp_path):
    uri = open_pipeline(server, tmp_path)
    server.send(b"Content-Length: 99999999999\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n")
    assert server.alive(60, uri)["result"]["contents"]["value"].startswith("**ML101**")


def test_an_oversized_frame_that_is_really_sent_is_discarded_without_reading_it_whole(server, tmp_path):
    """70 MiB of real body (one line, then pretty-printed lines): the server skips it in bounded pieces."""
    uri = open_pipeline(server, tmp_path)
    text = "x" * (70 * 1024 * 1024)
    body = json.dumps({"jsonrpc": "2.0", "id": 70, "method": "textDocument/didOpen",
                       "params": {"textDocument": {"uri": uri + "x", "languageId": "python", "version": 1,
                                                   "text": text}}}, indent=1).encode()
    del text
    server.send(b"Content-Length: %d\r\n\r\n" % len(body))
    for start in range(0, len(body), 1 << 20):
        server.send(body[start:start + (1 << 20)])
    del body
    assert server.response(70)["error"]["code"] == -32600
    assert server.alive(71, uri)["result"]["contents"]["value"].startswith("**ML101**")


def test_garbage_between_frames_and_headers_without_a_length(server, tmp_path):
    uri = open_pipeline(server, tmp_path)
    server.send(b"hello there\r\n" + b"z" * 100_000 + b"\r\n")
    server.send(b"Content-Type: application/vscode-jsonrpc\r\n\r\n{}")
    server.send(b"\r\n\r\n")
    assert server.alive(80, uri)["result"]["contents"]["value"].startswith("**ML101**")


def test_top_level_id_ignores_ids_nested_in_params():
    assert top_level_id(b'{"jsonrpc": "2.0", "id": 5, "method": "x"}') == 5
    assert top_level_id(b'{"params": {"id": 9}, "method": "x", "id": "abc"}') == "abc"
    assert top_level_id(b'{"params": {"id": 9}, "method": "x"') is None
    assert top_level_id(b'{"method": "a \\"id\\": 3", "id": 4}') == 4
    assert top_level_id(b'[{"id": 1}]') is None
    assert top_level_id(b'{"id": 1.5}') is None
    assert top_level_id(b'{"id": 12') is None    # cut before the number ends


# -- item: analyses run in worker processes, which never outlive the server ---------------------------------

def descendants(pid: int) -> set[int]:
    table = subprocess.run(["ps", "-eo", "pid=,ppid="], capture_output=True, text=True, check=True).stdout
    children: dict[int, list[int]] = {}
    for line in table.splitlines():
        child, parent = map(int, line.split())
        children.setdefault(parent, []).append(child)
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:      # a zombie is gone for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("how", ["killed", "exit"])
def test_worker_processes_end_with_the_server(server, tmp_path, how):
    open_pipeline(server, tmp_path)
    workers = descendants(server.process.pid)
    assert len(workers) >= 2, "the analyses run in worker processes (a forkserver and its workers)"
    if how == "killed":                      # no clean-up runs in the server: the workers notice on their own
        server.process.kill()
        server.process.wait(timeout=10)
    else:
        assert server.close() == 0
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in workers):
        assert time.monotonic() < deadline, f"worker processes outlived the server: {[p for p in workers if alive(p)]}"
        time.sleep(0.1)


def test_a_server_started_from_a_script_does_not_run_the_script_again_in_its_workers(tmp_path):
    """Launchers (``mllint lsp``, an editor's bootstrap) are scripts; a worker must not re-run one."""
    launcher = tmp_path / "launch_mllint.py"
    launcher.write_text("import os\n"
                        f"open(os.path.join({str(tmp_path)!r}, 'ran-%d' % os.getpid()), 'w').close()\n"
                        "from mllint.lsp_server.server import main\nmain()\n", encoding="utf-8")
    raw = RawServer([sys.executable, str(launcher)])
    try:
        raw.initialize(tmp_path)
        open_pipeline(raw, tmp_path)             # the analysis ran in a worker and was published
        assert raw.close() == 0
    finally:
        if raw.process.poll() is None:
            raw.process.kill()
    assert sorted(p.name for p in tmp_path.glob("ran-*")) == [f"ran-{raw.process.pid}"]
