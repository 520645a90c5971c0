"""``.mllint_cache``: one authenticated entry per (file content, path, mllint version, settings).

The folder sits at the project root, inside the checked tree, so everything about it is
treated as untrusted (see DESIGN.md, "A checked repository is untrusted input"):

* **no writes through links** -- the folder and its sub-folders are used only when they are real
  directories owned by the current user; files are created fresh and renamed into place
  (:mod:`mllint.cli.safe_fs`); a ``.gitignore`` already there, even a dangling link, is left alone;
* **no trust in entries** -- each entry is ``MAGIC <hmac>\\n<json>``, the HMAC-SHA256 keyed with
  the per-user secret of :mod:`mllint.cli.cache_secret` over the entry's name and its JSON; an
  entry is parsed only when it is a regular file below :data:`MAX_ENTRY_BYTES` with a valid
  MAC, then read with the strict :meth:`FileReport.from_json`; the data files it looked up
  must still be as they were (``data_headers.unchanged``).  Anything else is a miss: the file
  is analysed again and the entry overwritten;
* **bounded** -- :meth:`ResultCache.prune`, once per run at the end, deletes other versions'
  folders, leftovers of killed runs, entries unused for :data:`MAX_AGE_SECONDS`, then the
  least recently used entries past :data:`MAX_TOTAL_BYTES` / :data:`MAX_ENTRIES`.

When the cache cannot be used safely the run goes on without it, and ``warn`` is called once
with the reason.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import shutil
import stat
import time
from typing import Callable

from .. import __version__
from .cache_secret import SecretUnavailable
from .cache_secret import load_secret
from .file_report import FileReport
from .file_report import ReportFormatError
from .safe_fs import TEMPORARY_PREFIX
from .safe_fs import UnsafeFolder
from .safe_fs import checked_folder
from .safe_fs import read_regular
from .safe_fs import touch
from .safe_fs import write_file
from ..settings import Settings

CACHE_DIR = ".mllint_cache"
GITIGNORE = b"# created by mllint\n*\n"
MAGIC = b"mllint-cache-2 "
MAX_ENTRY_BYTES = 4 * 1024 * 1024
MAX_AGE_SECONDS = 30 * 24 * 3600
MAX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_ENTRIES = 50_000
_REFRESH_SECONDS = 24 * 3600          # a hit older than this is touched: age counts from the last use
_STALE_TEMPORARY_SECONDS = 3600
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")
_SHARD_NAME = re.compile(r"[0-9a-f]{2}")


def version_folder_name(version: str = __version__) -> str:
    """One folder per mllint version, so that pruning can drop other versions' entries wholesale."""
    return "v2-" + re.sub(r"[^A-Za-z0-9._-]", "_", version)


def _mac(secret: bytes, key: str, payload: bytes) -> bytes:
    message = b"mllint cache entry\0" + key.encode("ascii") + b"\0" + payload
    return hmac.new(secret, message, hashlib.sha256).hexdigest().encode("ascii")


def seal(secret: bytes, key: str, payload: bytes) -> bytes:
    """An entry's bytes: the MAC (over the entry's name and its JSON) on the first line, then the JSON."""
    return MAGIC + _mac(secret, key, payload) + b"\n" + payload


def unseal(secret: bytes, key: str, blob: bytes) -> bytes | None:
    """The JSON of an entry sealed with ``secret`` under ``key``; None for anything else."""
    header, newline, payload = blob.partition(b"\n")
    if not newline or not header.startswith(MAGIC):
        return None
    return payload if hmac.compare_digest(header[len(MAGIC):], _mac(secret, key, payload)) else None


class ResultCache:
    """Authenticated, bounded per-file results under ``root/.mllint_cache``."""

    def __init__(self, root: str, settings: Settings, *, warn: Callable[[str], None] | None = None,
                 secret: bytes | None = None, max_age: float = MAX_AGE_SECONDS,
                 max_total_bytes: int = MAX_TOTAL_BYTES, max_entries: int = MAX_ENTRIES) -> None:
        self.base = os.path.join(root, CACHE_DIR)
        self.folder = os.path.join(self.base, version_folder_name())
        self.salt = hashlib.sha256(f"{__version__}\0{settings!r}".encode()).digest()
        self.max_age, self.max_total_bytes, self.max_entries = max_age, max_total_bytes, max_entries
        self._warn = warn
        self._shards: set[str] = set()       # sub-folders checked (and made) this run
        self.enabled = True
        self.problem: str | None = None
        try:
            self._secret = secret if secret is not None else load_secret()
            checked_folder(self.base, create=True)
            self._write_gitignore()
            checked_folder(self.folder, create=True)
        except SecretUnavailable as exc:
            self._disable(f"no private cache key ({exc})")
        except UnsafeFolder as exc:
            self._disable(str(exc))
        except OSError as exc:
            self._disable(f"cannot create {self.base}: {exc.strerror or exc}")

    # -- entries ---------------------------------------------------------------------------
    def key(self, path: str, data: bytes, settings: Settings | None = None) -> str:
        """The entry name of a file's content under the run's settings and, when given, the file's own."""
        own = repr(settings).encode("utf-8", "surrogateescape") + b"\0" if settings is not None else b""
        return hashlib.sha256(self.salt + own + path.encode("utf-8", "surrogateescape") + b"\0" + data).hexdigest()

    def get(self, key: str) -> FileReport | None:
        """The stored report for ``key`` when it is authentic, well-formed and still valid; else None."""
        from ..engine.data_headers import unchanged

        if not self.enabled or not self._shard(key, create=False):
            return None
        path = self._entry_path(key)
        found = read_regular(path, MAX_ENTRY_BYTES)
        if found is None:
            return None
        blob, info = found
        payload = unseal(self._secret, key, blob)
        if payload is None:
            return None
        try:
            report = FileReport.from_json(json.loads(payload))
            if not unchanged(report.data_files):   # a data file it looked up appeared, changed or went
                return None
        except (ValueError, RecursionError, ReportFormatError, TypeError, OSError):
            return None
        if time.time() - info.st_mtime > _REFRESH_SECONDS:
            touch(path)
        return report

    def put(self, key: str, report: FileReport) -> None:
        if not self.enabled:
            return
        payload = json.dumps(report.to_json(), separators=(",", ":")).encode("ascii")
        blob = seal(self._secret, key, payload)
        if len(blob) > MAX_ENTRY_BYTES:
            return     # it could not be read back
        try:
            if self._shard(key, create=True):
                write_file(os.path.dirname(self._entry_path(key)), key + ".json", blob)
        except OSError as exc:
            self._disable(f"cannot write to {self.folder}: {exc.strerror or exc}")

    def _entry_path(self, key: str) -> str:
        return os.path.join(self.folder, key[:2], key + ".json")

    def _shard(self, key: str, *, create: bool) -> bool:
        """Whether the entry's sub-folder is safe to use (made when ``create``); checked once per run."""
        name = key[:2]
        if name in self._shards:
            return True
        path = os.path.join(self.folder, name)
        try:
            checked_folder(path, create=create)
        except FileNotFoundError:
            return False
        except UnsafeFolder as exc:
            self._disable(str(exc))
            return False
        self._shards.add(name)
        return True

    def _write_gitignore(self) -> None:
        """Keep the cache out of version control; never through (or over) whatever is already there."""
        if os.path.lexists(os.path.join(self.base, ".gitignore")):
            return
        try:
            write_file(self.base, ".gitignore", GITIGNORE, mode=0o644, overwrite=False)
        except FileExistsError:
            pass

    def _disable(self, reason: str) -> None:
        if self.enabled:
            self.enabled = False
            self.problem = reason
            if self._warn is not None:
                self._warn(f"not using the cache: {reason}")

    # -- bounds ------------------------------------------------------------------------------
    def prune(self, now: float | None = None) -> int:
        """Delete what the cache no longer needs; returns how many entries were deleted.

        Deterministic for a given folder state and ``now``: other versions' folders and stale
        temporary files go; then entries not used for ``max_age``; then, newest first, entries
        are kept while the total stays within ``max_total_bytes`` and ``max_entries``.
        """
        if not self.enabled:
            return 0
        now = time.time() if now is None else now
        self._drop_other_versions()
        entries: list[tuple[float, str, int]] = []     # (mtime, path, size)
        try:
            shards = sorted(os.scandir(self.folder), key=lambda e: e.name)
        except OSError:
            return 0
        for shard in shards:
            if not (_SHARD_NAME.fullmatch(shard.name) and shard.is_dir(follow_symlinks=False)):
                _remove(shard.path)
                continue
            try:
                items = list(os.scandir(shard.path))
            except OSError:
                continue
            for item in items:
                try:
                    info = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                if item.name.startswith(TEMPORARY_PREFIX):
                    if now - info.st_mtime > _STALE_TEMPORARY_SECONDS:
                        _remove(item.path)
                elif _ENTRY_NAME.fullmatch(item.name) and stat.S_ISREG(info.st_mode):
                    entries.append((info.st_mtime, item.path, info.st_size))
                else:
                    _remove(item.path)
        deleted = 0
        entries.sort(key=lambda e: (-e[0], e[1]))
        total = count = 0
        for mtime, path, size in entries:
            if now - mtime > self.max_age or total + size > self.max_total_bytes or count >= self.max_entries:
                deleted += _remove(path)
                continue
            total += size
            count += 1
        return deleted

    def _drop_other_versions(self) -> None:
        mine = os.path.basename(self.folder)
        try:
            items = sorted(os.scandir(self.base), key=lambda e: e.name)
        except OSError:
            return
        for item in items:
            if item.name in (mine, ".gitignore") or not item.is_dir(follow_symlinks=False):
                continue
            if shutil.rmtree.avoids_symlink_attacks:
                shutil.rmtree(item.path, ignore_errors=True)


def _remove(path: str) -> int:
    """Unlink a file or a link (never what a link points to); 1 when it went."""
    try:
        os.unlink(path)
    except OSError:
        return 0
    return 1
