"""Column names from the header line of a local CSV file named in the code.

Reading data is the one thing the analyzer does beyond the text it is given,
so it is fenced: only a literal relative or absolute path, only inside the
project root (after resolving symlinks), only the first line, at most
``MAX_HEADER_BYTES`` bytes, never when the configuration turns it off.
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


def read_header(path: str, script_path: str | None, config: Any, sep: str = ",") -> list[str] | None:
    """The CSV's column names, or None when not allowed or not readable."""
    if config is not None and not getattr(config, "data_headers", True):
        return None
    if not path or "://" in path or "\0" in path:
        return None
    script_dir = os.path.dirname(os.path.abspath(script_path)) if script_path else os.getcwd()
    root = getattr(config, "project_root", None) or project_root_for(script_dir)
    return _read_header_cached(os.path.join(script_dir, path), os.path.realpath(root), sep)


@lru_cache(maxsize=256)
def _read_header_cached(candidate: str, root: str, sep: str) -> list[str] | None:
    real = os.path.realpath(candidate)
    if os.path.commonpath([real, root]) != root or not os.path.isfile(real):
        return None
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
