"""Reading LSP frames from a byte stream without trusting what the client announces.

pygls' own loop believes every ``Content-Length``: ``99999999999`` makes it allocate the
announced size (MemoryError: the server dies), a non-numeric value is silently skipped and
the body is then read as headers.  Here a frame is at most ``MAX_FRAME_BYTES``; header lines
are bounded too.  A frame that cannot be read as announced (too large, a length that is not
a number, headers without a length, garbage between frames) is not read into memory: the
reader *resynchronises* by scanning bounded lines for the next ``Content-Length`` header.
That is safe for JSON bodies: a raw line break can only sit between JSON tokens, and
``Content-Length: N`` right before one is never valid JSON, so a header found that way is
the start of a real frame, not text inside a body.

While it skips a frame, the reader keeps the first ``ID_PREFIX_BYTES`` of it, so that the
caller can answer a request whose size was refused (see ``top_level_id``).
"""
from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO, Callable

MAX_FRAME_BYTES = 64 * 1024 * 1024   # a 64 MiB message is far beyond any real document or notebook
MAX_HEADER_LINE = 8 * 1024
MAX_HEADER_LINES = 32
ID_PREFIX_BYTES = 64 * 1024          # how much of a skipped frame is kept to find its request id
RESYNC_CHUNK = 64 * 1024             # lines are read at most this long while skipping

_LENGTH_AT_END = re.compile(rb"content-length[ \t]*:[ \t]*([0-9]{1,12})[ \t]*\r?\n\Z", re.IGNORECASE)


@dataclass(frozen=True)
class Frame:
    """A complete message body, as announced."""

    body: bytes


@dataclass(frozen=True)
class Skipped:
    """A frame that was not read: why, and the beginning of its body (to find a request id)."""

    reason: str
    prefix: bytes


class FrameReader:
    """Frames from a blocking binary stream, read on one dedicated thread (the event loop never blocks).

    ``on_skipped`` is called once per frame that was not read, as soon as its prefix is known
    (a client that lied about the size may wait for an answer before it sends anything else).
    """

    def __init__(self, stream: BinaryIO, on_skipped: Callable[[Skipped], None],
                 max_frame: int = MAX_FRAME_BYTES) -> None:
        self.stream = stream
        self.on_skipped = on_skipped
        self.max_frame = max_frame
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mllint-stdin")
        self._pending_length: int | None = None   # a header found while resynchronising

    async def _call(self, function: Callable, *args):
        return await asyncio.get_running_loop().run_in_executor(self._thread, function, *args)

    def _too_large(self, length: int | str) -> str:
        return f"message of {length} bytes is larger than the limit of {self.max_frame} bytes"

    async def next(self) -> Frame | None:
        """The next complete frame (skipping unreadable ones), or None at the end of the stream."""
        while True:
            outcome = await self._headers()
            if outcome is None:
                return None
            if isinstance(outcome, int):
                body = await self._call(self.stream.read, outcome)
                if len(body) < outcome:
                    return None
                return Frame(body)
            if not await self._skip(outcome):
                return None

    async def _headers(self) -> int | str | None:
        """The announced length, a reason why the frame cannot be read, or None at the end."""
        length, self._pending_length = self._pending_length, None
        header_lines = 0 if length is None else 1
        while True:
            line = await self._call(self.stream.readline, MAX_HEADER_LINE + 1)
            if not line:
                return None
            if not line.endswith(b"\n"):
                return "header line too long"
            content = line.strip()
            if not content:
                if header_lines == 0:
                    continue          # stray blank line between frames
                return length if length is not None else "headers without Content-Length"
            header_lines += 1
            if header_lines > MAX_HEADER_LINES:
                return "too many header lines"
            name, colon, value = content.partition(b":")
            if not colon:
                return f"not a header: {content[:40]!r}"
            if name.strip().lower() == b"content-length":
                value = value.strip()
                if not value.isdigit():
                    return f"invalid Content-Length {value[:40]!r}"
                if len(value) > 15 or int(value) > self.max_frame:   # (long digit strings: int() refuses them)
                    return self._too_large(value.decode("ascii")[:20])
                length = int(value)

    async def _skip(self, reason: str) -> bool:
        """Discard bytes (bounded lines; only a prefix is kept) up to the next frame header.

        False at the end of the stream.
        """
        prefix = bytearray()
        reported = False
        carry = b""
        scanned = 0     # the prefix is scanned for an id each time it doubles: linear in total
        while True:
            chunk = await self._call(self.stream.readline, RESYNC_CHUNK)
            window = carry + chunk
            found = _LENGTH_AT_END.search(window) if chunk.endswith(b"\n") else None
            if found is not None:
                chunk = window[:found.start()][len(carry):]
            if len(prefix) < ID_PREFIX_BYTES:
                prefix += chunk[:ID_PREFIX_BYTES - len(prefix)]
            ready = not chunk or found is not None or len(prefix) >= ID_PREFIX_BYTES
            if not reported and not ready and len(prefix) >= 2 * scanned:
                scanned = len(prefix)
                ready = top_level_id(bytes(prefix)) is not None
            if not reported and ready:
                reported = True
                self.on_skipped(Skipped(reason, bytes(prefix)))
            if not chunk and found is None:
                return False
            if found is not None:
                length = int(found.group(1))
                if length <= self.max_frame:
                    self._pending_length = length
                    return True
                reason, prefix, reported, carry, scanned = self._too_large(length), bytearray(), False, b"", 0
                continue
            carry = window[-128:]

    def close(self) -> None:
        self._thread.shutdown(wait=False, cancel_futures=True)


_MISSING = object()


def top_level_id(data: bytes) -> int | str | None:
    """The ``id`` member of the JSON object ``data`` starts with, read from a prefix only.

    A small scanner (strings, nesting depth) rather than a parser: the body may be cut,
    too large or too deep to parse, and an ``id`` nested inside ``params`` must not be taken
    for the request's.  None when no top-level integer or string id is in the prefix.
    """
    text = data.decode("utf-8", "replace")
    i, n, depth = 0, len(text), 0
    expect_key = False
    while i < n:
        ch = text[i]
        if ch == '"':
            end = _string_end(text, i)
            if end < 0:
                return None
            if depth == 1 and expect_key:
                key = text[i + 1:end]
                j = _skip_space(text, end + 1)
                if j < n and text[j] == ":":
                    if key == "id":
                        value = _scalar_at(text, _skip_space(text, j + 1))
                        return None if value is _MISSING else value
                    i = j + 1
                    expect_key = False
                    continue
            i = end + 1
            continue
        if ch in "{[":
            depth += 1
            expect_key = ch == "{" and depth == 1
        elif ch in "}]":
            depth -= 1
            if depth <= 0:
                return None
        elif ch == "," and depth == 1:
            expect_key = True
        i += 1
    return None


def _string_end(text: str, start: int) -> int:
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i
        i += 1
    return -1


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _scalar_at(text: str, i: int):
    import json

    if i < len(text) and text[i] == '"':
        end = _string_end(text, i)
        return _MISSING if end < 0 else json.loads(text[i:end + 1])
    match = re.match(r"-?[0-9]{1,18}(?=[\s,}])", text[i:i + 24])
    return int(match.group(0)) if match else _MISSING
