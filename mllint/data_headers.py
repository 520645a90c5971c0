"""Column names from the header line of a local CSV file named in the code.

Reading data is the one thing the analyzer does beyond the text it is given,
so it is fenced: only a literal relative or absolute path, only inside the
project root (after resolving symlinks), only the first line, at most
``MAX_HEADER_BYTES`` bytes, never when the configuration turns it off.  Each
read is reported with the file's size and modification time so that caches of
analysis results can tell when a header changed.
"""
from __future__ import annotations

import csv
import io
import os
from functools import lru_cache
from typing import Any

MAX_HEADER_BYTES = 64 * 1024
_PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")


def project_root_for(script_dir: str) -> str:
    """Nearest ancestor holding a project marker, else the script's own folder."""
    current = os.path.realpath(script_dir)
    while True:
        if any(os.path.exists(os.path.join(current, marker)) for marker in _PROJECT_MARKERS):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return os.path.realpath(script_dir)
        current = parent


def resolve(path: str, script_path: str | None, config: Any) -> str | None:
    """The real path of an allowed data file, or None (turned off, outside the root, not a file)."""
    if config is not None and not getattr(config, "data_headers", True):
        return None
    if not path or "://" in path or "\0" in path:
        return None
    script_dir = os.path.dirname(os.path.abspath(script_path)) if script_path else os.getcwd()
    root = os.path.realpath(getattr(config, "project_root", None) or project_root_for(script_dir))
    real = os.path.realpath(os.path.join(script_dir, path))
    try:
        if os.path.commonpath([real, root]) != root or not os.path.isfile(real):
            return None
    except ValueError:   # different drives
        return None
    return real


def file_stamp(real: str) -> tuple[int, int] | None:
    try:
        info = os.stat(real)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def read_header(path: str, script_path: str | None, config: Any, sep: str = ",",
                reads: dict[str, tuple[int, int]] | None = None) -> list[str] | None:
    """The CSV's column names, or None when not allowed or not readable; ``reads`` records the file."""
    real = resolve(path, script_path, config)
    if real is None:
        return None
    stamp = file_stamp(real)
    if stamp is None:
        return None
    if reads is not None:
        reads[real] = stamp
    return _header(real, stamp, sep)


@lru_cache(maxsize=256)
def _header(real: str, stamp: tuple[int, int], sep: str) -> list[str] | None:
    try:
        with open(real, "rb") as handle:
            chunk = handle.read(MAX_HEADER_BYTES)
    except OSError:
        return None
    first = chunk.split(b"\n", 1)[0]
    if len(first) >= MAX_HEADER_BYTES or b"\0" in first:
        return None
    text = first.decode("utf-8-sig", errors="replace").rstrip("\r")
    try:
        row = next(csv.reader(io.StringIO(text), delimiter=sep if len(sep) == 1 else ","))
    except (StopIteration, csv.Error):
        return None
    return [name.strip() for name in row] if row else None


def unchanged(reads: dict[str, tuple[int, int]] | None) -> bool:
    """Whether every recorded data file still has the size and time it had when read."""
    return all(file_stamp(real) == tuple(stamp) for real, stamp in (reads or {}).items())
