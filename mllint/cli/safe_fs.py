"""Reading and writing files in folders an untrusted repository may have prepared.

Why: ``mllint check`` keeps its cache inside the checked tree, and a repository can ship
anything there -- a symbolic link named like the cache folder, its ``.gitignore``, an entry or
an entry's temporary file, or a FIFO where an entry should be.  Writing through such a link
overwrites (or creates) a file elsewhere; opening a FIFO blocks forever.  So:

* a folder is used only when ``lstat`` shows a real directory owned by the current user
  (:func:`checked_folder`);
* a file is only ever created fresh under a random name with ``tempfile.mkstemp``
  (``O_CREAT|O_EXCL``, which never follows a link, not even a dangling one) and then renamed
  over its final name: a rename replaces a link, it never writes through it (:func:`write_file`);
* a file is read only when it is a regular file reached without following a final link, and
  only up to a size bound (:func:`read_regular`).
"""
from __future__ import annotations

import os
import stat
import tempfile

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)
TEMPORARY_PREFIX = ".tmp-"


class UnsafeFolder(OSError):
    """A folder mllint will not write into (a link, not a folder, someone else's, open to others)."""


def current_user() -> int | None:
    """The effective user id, where the platform has one."""
    return os.geteuid() if hasattr(os, "geteuid") else None


def checked_folder(path: str, *, create: bool, mode: int = 0o755, private: bool = False) -> str:
    """``path`` when it is a real directory owned by the current user, made (with ``mode``) when missing.

    ``private``: also refuse a folder that others may write into (group or world writable),
    because whoever can write there can replace what mllint keeps in it.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if not create:
            raise
        try:
            os.mkdir(path, mode)
        except FileExistsError:   # made meanwhile (or a link appeared): judged below like any other
            pass
        info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeFolder(f"{path} is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeFolder(f"{path} is not a folder")
    user = current_user()
    if user is not None and info.st_uid != user:
        raise UnsafeFolder(f"{path} is not owned by the current user")
    if private and user is not None and info.st_mode & 0o022:
        raise UnsafeFolder(f"{path} can be written by other users")
    return path


def write_file(folder: str, name: str, data: bytes, *, mode: int = 0o600, overwrite: bool = True) -> None:
    """Put ``data`` at ``folder/name`` without ever opening an existing path for writing.

    ``overwrite=False`` creates the file only when the name is free (a link counts as taken),
    atomically: concurrent writers agree on one content.  Raises ``FileExistsError`` then.
    """
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=TEMPORARY_PREFIX)
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(handle, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
        finally:
            os.close(handle)
        target = os.path.join(folder, name)
        if overwrite:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)
    finally:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass


def read_regular(path: str, limit: int, *, private: bool = False) -> tuple[bytes, os.stat_result] | None:
    """The bytes of a regular file at ``path`` (no final link followed, no FIFO opened), or None.

    None also when the file is larger than ``limit`` bytes, or, with ``private``, when it is
    not the current user's own or others may read or write it.
    """
    try:
        handle = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC | _BINARY)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        if private:
            user = current_user()
            if user is not None and (info.st_uid != user or info.st_mode & 0o077):
                return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(handle, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            return None
        return b"".join(chunks), info
    except OSError:
        return None
    finally:
        os.close(handle)


def touch(path: str) -> None:
    """Set a file's times to now without following a final link (best effort)."""
    if os.utime not in os.supports_follow_symlinks:
        return
    try:
        os.utime(path, follow_symlinks=False)
    except OSError:
        pass
