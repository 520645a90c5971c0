"""Column names from the header line of a local CSV file named in the code.

Reading data is the one thing the analyzer does beyond the text it is given,
and the text comes from untrusted repositories, so it is fenced by one rule
that every surface (``mllint check``, ``mllint explain``, flake8, the language
server) reaches through :func:`read_header`:

- The fence is the project of the *analysed file*, never of the current
  directory: :func:`project_root_for` walks up from the file's folder to the
  nearest folder holding a project marker, never to the user's home folder or
  above it, and falls back to the file's own folder.  A root that would be the
  home folder, one of its ancestors, or the filesystem root is no root: nothing
  is read.  Text without a file on disk (stdin without a name, an untitled
  editor buffer) has no project: nothing is read.
- Only a literal path, only a regular file whose real path (symlinks resolved)
  lies under the root, only its first line, at most ``MAX_HEADER_BYTES``;
  never when the configuration turns it off.
- What is read must look like a header (:func:`header_names`): a passwd line,
  a binary first line, control characters or very long names give no schema.

Every lookup is recorded with its state (:data:`State`), also when nothing was
read, so that caches of analysis results can tell that a CSV appeared, changed
or moved in or out of the fence (:func:`unchanged`).
"""
from __future__ import annotations

import csv
import io
import os
import re
import stat
import unicodedata
from enum import Enum
from functools import lru_cache
from typing import Any, Mapping

MAX_HEADER_BYTES = 64 * 1024
MAX_NAME_CHARS = 256           # longer "names" are prose or data, not a header
MAX_COLUMNS = 10_000           # bounds the schema built from one header
_PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
_WHITESPACE_SEPS = (r"\s+", r"\s*", " +")
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_PATH_LIKE = re.compile(r"^(?:[/\\~]|[A-Za-z]:[/\\])")
#: A lone column holding one of these is a line of another format (or a wrong separator), not a header.
_FOREIGN_SEPARATORS = frozenset(":/\\;|=,\t")
_MAX_WORDS_IN_LONE_COLUMN = 3


class Kind(str, Enum):
    """What a looked-up data path was when it was looked up (the first item of its :data:`State`)."""

    FILE = "file"            # a regular file inside the fence: ("file", folder, mtime_ns, size)
    ABSENT = "absent"        # nothing there (yet): ("absent", folder)
    OUTSIDE = "outside"      # outside the fence, or the analysed file has no project: ("outside", folder)
    NOT_FILE = "not-file"    # a folder, a FIFO, a device, or not stat-able: ("not-file", folder)
    OFF = "off"              # header reading turned off by the configuration: ("off",)


#: A lookup's state: JSON scalars only (the CLI cache stores it as a JSON list).  After the kind comes
#: the analysed file's folder, from which the fence is found again when the state is re-evaluated.
State = tuple
DataReads = dict[str, State]


def home_folder() -> str | None:
    """The user's home folder (real path), or None when it cannot be told."""
    home = os.path.expanduser("~")
    return os.path.realpath(home) if home and home != "~" else None


def _under(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (both real, absolute paths)."""
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:   # different drives
        return False


def project_root_for(folder: str) -> str | None:
    """The project root of a file in ``folder``: the one fence rule of every surface.

    The nearest folder at or above ``folder`` holding pyproject.toml, setup.cfg,
    setup.py or .git, but never the home folder or above it when ``folder`` is
    under home; else ``folder`` itself.  None when that root would be the
    filesystem root, the home folder or one of its ancestors: reading data next to
    a script in $HOME would expose ~/.netrc and the like.
    """
    start = os.path.realpath(folder)
    home = home_folder()
    below_home = home is not None and start != home and _under(start, home)
    current = start
    while True:
        if below_home and current == home:
            break
        if any(os.path.lexists(os.path.join(current, marker)) for marker in _PROJECT_MARKERS):
            return current if _allowed_root(current, home) else None
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return start if _allowed_root(start, home) else None


def _allowed_root(root: str, home: str | None) -> bool:
    if os.path.dirname(root) == root:       # the filesystem root
        return False
    return home is None or not _under(home, root)   # neither home nor one of its ancestors


def anchor_folder(script_path: str | None) -> str | None:
    """The folder the fence is found from: the analysed file's, when it is a file on disk."""
    if not script_path or "\0" in script_path:
        return None
    try:
        if not os.path.isfile(script_path):
            return None
    except (OSError, ValueError):
        return None
    return os.path.dirname(os.path.abspath(script_path))


def looked_up_path(path: str, folder: str) -> str:
    """The absolute path pandas would be given for literal ``path`` (``~`` expanded, as pandas does),
    relative paths taken from the analysed file's folder."""
    return os.path.normpath(os.path.join(folder, os.path.expanduser(path)))


def evaluate(looked_up: str, folder: str, roots: dict[str, str | None] | None = None) -> tuple[State, str | None]:
    """The state of one looked-up path now, and its real path when it is a readable file in the fence.
    ``roots`` memoises :func:`project_root_for` over one batch of lookups."""
    if roots is None:
        root = project_root_for(folder)
    elif folder in roots:
        root = roots[folder]
    else:
        root = roots[folder] = project_root_for(folder)
    real = os.path.realpath(looked_up)
    if root is None or not _under(real, root):
        return (Kind.OUTSIDE.value, folder), None
    try:
        info = os.stat(real)
    except (FileNotFoundError, NotADirectoryError):
        return (Kind.ABSENT.value, folder), None
    except (OSError, ValueError):
        return (Kind.NOT_FILE.value, folder), None
    if not stat.S_ISREG(info.st_mode):
        return (Kind.NOT_FILE.value, folder), None
    return (Kind.FILE.value, folder, info.st_mtime_ns, info.st_size), real


def read_header(path: str, script_path: str | None, config: Any, sep: str = ",",
                reads: DataReads | None = None) -> list[str] | None:
    """The CSV's column names, or None when not allowed, not readable or not a header.

    ``reads`` gets the looked-up path's :data:`State`, whatever it is, whenever the analysed file
    is on disk (there is nothing to look up from otherwise).
    """
    if not path or "://" in path or "\0" in path:
        return None
    folder = anchor_folder(script_path)
    if folder is None:
        return None
    looked_up = looked_up_path(path, folder)
    if config is not None and not getattr(config, "data_headers", True):
        if reads is not None:
            reads[looked_up] = (Kind.OFF.value,)
        return None
    state, real = evaluate(looked_up, folder)
    if reads is not None:
        reads[looked_up] = state
    if real is None:
        return None
    names = _header(real, (state[2], state[3]), sep)
    return list(names) if names is not None else None


@lru_cache(maxsize=256)
def _header(real: str, stamp: tuple[int, int], sep: str) -> tuple[str, ...] | None:
    """First line of the file that was checked (no link followed, same size and time, still regular)."""
    try:
        descriptor = os.open(real, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or (info.st_mtime_ns, info.st_size) != stamp:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            chunk = handle.read(MAX_HEADER_BYTES)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    first = chunk.split(b"\n", 1)[0]
    if len(first) >= MAX_HEADER_BYTES:
        return None
    return header_names(first, sep)


def header_names(first_line: bytes, sep: str = ",") -> tuple[str, ...] | None:
    """Column names in a CSV's first line, or None when the line does not look like a header.

    pandas would take any first line as a header; we only believe one that looks like a header,
    because its names end up in messages: no binary or control characters, no name longer than
    ``MAX_NAME_CHARS``, at most ``MAX_COLUMNS`` names, no name that is a path, and a lone column
    that holds another format's separators or a sentence is a line of something else.
    """
    text = _decode(first_line.rstrip(b"\r"))
    if text is None or any(_is_control(ch) for ch in text if ch != "\t"):
        return None
    if sep in _WHITESPACE_SEPS:
        row = text.split()
    elif len(sep) == 1:
        try:
            row = next(csv.reader(io.StringIO(text), delimiter=sep))
        except (StopIteration, csv.Error):
            return None
    else:
        return None    # a regular-expression separator: we do not guess how pandas splits
    names = tuple(name.strip() for name in row)
    if not names or len(names) > MAX_COLUMNS or not any(names):
        return None
    if any(len(name) > MAX_NAME_CHARS or _PATH_LIKE.match(name) for name in names):
        return None
    if len(names) == 1 and (any(ch in _FOREIGN_SEPARATORS - {sep} for ch in names[0])
                            or len(names[0].split()) > _MAX_WORDS_IN_LONE_COLUMN):
        return None
    return names


def _decode(line: bytes) -> str | None:
    if b"\0" in line:
        return None
    try:
        return line.decode("utf-8-sig")
    except UnicodeDecodeError:
        return line.decode("latin-1")   # bytes 0x80-0x9f become C1 controls: binary lines are refused


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs") or ch == "\ufffd"


def unchanged(reads: Mapping[str, Any] | None) -> bool:
    """Whether every recorded lookup would give the same state now (lists accepted for tuples: the
    CLI cache stores JSON).  A record that is not a state we write counts as changed."""
    if reads is None:
        return True
    if not isinstance(reads, Mapping):
        return False
    roots: dict[str, str | None] = {}
    for looked_up, recorded in reads.items():
        if not isinstance(looked_up, str) or not isinstance(recorded, (list, tuple)) or not recorded:
            return False
        recorded = tuple(recorded)
        if recorded == (Kind.OFF.value,):
            continue
        if len(recorded) < 2 or not isinstance(recorded[1], str):
            return False
        if evaluate(looked_up, recorded[1], roots)[0] != recorded:
            return False
    return True
