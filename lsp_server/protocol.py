"""JSON-RPC dispatch in which every request gets a response.

pygls 2.1.1 deserialises a message inside ``json.loads(..., object_hook=structure_message)``;
when the params do not validate (``{"line": "x"}``, a negative line, a missing field) it
raises there, its read loop logs the exception, and the request is never answered: the
client waits forever.  After ``shutdown`` it drops every request silently too.

``MllintProtocol.receive`` takes a frame's body instead and answers, with the request's id
where one can be known:

- not JSON (or too deep to parse): ParseError (-32700);
- not a JSON-RPC 2.0 message, an id that is neither an integer nor a string: InvalidRequest (-32600);
- params that do not structure into the method's lsprotocol type: InvalidParams (-32602),
  with cattrs' description of what is wrong;
- any request but ``exit`` after ``shutdown``: InvalidRequest;
- an unknown method: MethodNotFound (-32601), as pygls does.

A response from the client that does not structure fails the matching pending request
(instead of leaving it unresolved), and a broken notification is logged and skipped.
"""
from __future__ import annotations

import json
import logging
import threading
from typing import Any

import cattrs
from lsprotocol import types
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification, JsonRPCRequestMessage, JsonRPCResponseMessage

from .transport import FrameReader, Skipped, top_level_id

log = logging.getLogger("mllint.lsp")

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
_MAX_ERROR_TEXT = 500


def _valid_id(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _describe(exc: Exception) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        try:
            text = "; ".join(cattrs.transform_error(exc))
        except Exception:   # pragma: no cover - the description must never fail the answer
            text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= _MAX_ERROR_TEXT else text[:_MAX_ERROR_TEXT] + "…"


class MllintProtocol(LanguageServerProtocol):
    """pygls' LSP protocol, fed whole frame bodies by ``receive`` rather than by pygls' read loop."""

    def send_error(self, msg_id: int | str | None, code: int, message: str) -> None:
        self._send_data({"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}})

    def receive(self, body: bytes) -> None:
        """Handle one frame's body; every request among bad input still gets an answer."""
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:
            log.warning("message is not JSON (%s): %.80r", type(exc).__name__, body)
            self.send_error(top_level_id(body[:65536]), PARSE_ERROR, f"parse error: {type(exc).__name__}")
            return
        if not isinstance(data, dict):
            log.warning("message is not a JSON object: %.80r", body)
            self.send_error(None, INVALID_REQUEST, "a message must be a JSON object (batches are not supported)")
            return
        self.dispatch(data)

    def skipped(self, frame: Skipped) -> None:
        """A frame the transport refused to read: answer its request if its id can be known."""
        msg_id = top_level_id(frame.prefix)
        log.warning("skipped a frame (%s)%s", frame.reason, f", request id {msg_id!r}" if msg_id is not None else "")
        if msg_id is not None:
            self.send_error(msg_id, INVALID_REQUEST, f"message not read: {frame.reason}")

    def dispatch(self, data: dict[str, Any]) -> None:
        has_id, msg_id, method = "id" in data, data.get("id"), data.get("method")
        is_request = has_id and "method" in data
        if has_id and not _valid_id(msg_id):
            if "method" in data or msg_id is not None:
                self.send_error(None, INVALID_REQUEST, "the id must be an integer or a string")
            else:
                log.warning("error response without an id from the client: %.200r", data)
            return
        if data.get("jsonrpc") != "2.0" or ("method" in data and not isinstance(method, str)):
            if is_request:
                self.send_error(msg_id, INVALID_REQUEST, 'not a JSON-RPC 2.0 request ("jsonrpc": "2.0", '
                                                         'a string "method")')
            else:
                log.warning("not a JSON-RPC 2.0 message: %.200r", data)
            return
        if is_request and self._shutdown and method != types.EXIT:
            self.send_error(msg_id, INVALID_REQUEST, f"the server is shut down: {method} refused")
            return
        try:
            message = self._structure(data)
        except Exception as exc:
            self._not_structured(data, exc)
            return
        self.handle_message(message)

    def _structure(self, data: dict[str, Any]) -> Any:
        """pygls' ``structure_message`` without its side effects (logging a traceback, raising its own errors)."""
        if "id" in data:
            if "error" in data:
                return self._converter.structure(data, types.ResponseErrorMessage)
            if "method" in data:
                return self._converter.structure(data, self.get_message_type(data["method"]) or JsonRPCRequestMessage)
            result_type = self._result_types.pop(data["id"], None) or JsonRPCResponseMessage
            return self._converter.structure(data, result_type)
        if "method" in data:
            return self._converter.structure(data, self.get_message_type(data["method"]) or JsonRPCNotification)
        raise ValueError("neither a request, a response nor a notification")

    def _not_structured(self, data: dict[str, Any], exc: Exception) -> None:
        msg_id, method = data.get("id"), data.get("method")
        text = _describe(exc)
        if "id" in data and "method" in data:
            log.warning("invalid params for %s (id %r): %s", method, msg_id, text)
            self.send_error(msg_id, INVALID_PARAMS, f"invalid params for {method}: {text}")
        elif "id" in data:
            log.warning("unreadable response to request %r: %s", msg_id, text)
            future = self._request_futures.pop(msg_id, None)
            if future is not None and not future.done():
                from pygls.exceptions import JsonRpcInvalidParams
                future.set_exception(JsonRpcInvalidParams(f"unreadable response: {text}"))
        else:
            log.warning("invalid notification %s skipped: %s", method, text)


async def serve(reader: FrameReader, protocol: MllintProtocol, stop_event: threading.Event) -> None:
    """The read loop: one frame at a time until the stream ends (the client is gone) or ``exit``."""
    while not stop_event.is_set():
        frame = await reader.next()
        if frame is None:
            log.info("end of input: the client is gone")
            return
        try:
            protocol.receive(frame.body)
        except BrokenPipeError:
            raise
        except Exception:   # a bug of ours in one message must not end the session
            log.exception("message not handled")
