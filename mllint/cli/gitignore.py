"""``.gitignore`` matching in Python, for ``mllint check``'s folder walk.

Why not ``git check-ignore``: the checked repository is untrusted input, and running ``git``
inside it would honour its ``.git/config`` (``core.fsmonitor`` and friends run programs).  So the
rules of gitignore(5) are implemented here, reading only:

* ``.gitignore`` files from the repository root (the nearest folder above the checked one that
  contains ``.git``) down to each walked folder, deeper files taking precedence;
* ``.git/info/exclude`` (lowest precedence), when ``.git`` is a real folder.

The user's global excludes (``core.excludesFile``, ``~/.config/git/ignore``) are deliberately not
read: what a checked repository reports should not depend on the machine it is checked on.
Like git, a ``.gitignore`` that is a symbolic link is not followed, and a path is ignored when
any folder above it is (a ``!`` pattern cannot re-include a file whose folder is excluded: the
walk never enters that folder).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Pattern

from .safe_fs import read_regular

#: A .gitignore larger than this is not read (a repository could ship a huge one to slow us down).
MAX_IGNORE_FILE_BYTES = 1 << 20


@dataclass(frozen=True)
class IgnorePattern:
    """One line of an ignore file, compiled."""

    regex: Pattern[str]
    negated: bool          # ``!pattern``: re-includes
    directory_only: bool   # ``pattern/``: matches folders only
    basename_only: bool    # no slash except a trailing one: matches the name at any depth


@dataclass(frozen=True)
class IgnoreFile:
    """The patterns of one ignore file and the folder (relative to the repository root, '' for the
    root) their paths are relative to."""

    base: str
    patterns: tuple[IgnorePattern, ...]

    def decision(self, relative: str, is_dir: bool) -> bool | None:
        """True: ignored, False: re-included, None: no pattern of this file matches ``relative``."""
        if self.base:
            if not relative.startswith(self.base + "/"):
                return None
            relative = relative[len(self.base) + 1:]
        name = relative.rsplit("/", 1)[-1]
        for pattern in reversed(self.patterns):     # the last matching pattern decides
            if pattern.directory_only and not is_dir:
                continue
            if pattern.regex.fullmatch(name if pattern.basename_only else relative):
                return not pattern.negated
        return None


def parse_ignore_lines(text: str, base: str = "") -> IgnoreFile:
    """The patterns of an ignore file's text (blank lines and ``#`` comments dropped)."""
    patterns = []
    for line in text.split("\n"):
        pattern = _compile(line)
        if pattern is not None:
            patterns.append(pattern)
    return IgnoreFile(base, tuple(patterns))


def _strip_trailing_spaces(line: str) -> str:
    """Trailing spaces go unless the last one is escaped with a backslash (``a\\ `` keeps one)."""
    end = len(line)
    while end and line[end - 1] == " ":
        backslashes = len(line[:end - 1]) - len(line[:end - 1].rstrip("\\"))
        if backslashes % 2:
            break
        end -= 1
    return line[:end]


def _compile(line: str) -> IgnorePattern | None:
    line = _strip_trailing_spaces(line)
    if not line or line.startswith("#"):
        return None
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    directory_only = line.endswith("/") and not line.endswith("\\/")
    if directory_only:
        line = line.rstrip("/")
    if not line:
        return None
    basename_only = "/" not in line
    if line.startswith("/"):
        line = line[1:]
    regex = _translate(line)
    if regex is None:
        return None
    return IgnorePattern(re.compile(regex, re.DOTALL), negated, directory_only, basename_only)


def _translate(glob: str) -> str | None:
    """A regular expression for git's wildmatch of ``glob`` on a ``/``-separated path (None: a
    malformed pattern, which git never matches)."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        char = glob[i]
        if char == "*":
            j = i
            while j < n and glob[j] == "*":
                j += 1
            stars = j - i
            at_start = i == 0 or glob[i - 1] == "/"
            at_end = j == n or glob[j] == "/"
            if stars >= 2 and at_start and at_end:
                if j == n:                      # ``a/**``: everything inside (``**`` alone: everything)
                    out.append(".*")
                else:                           # ``**/``: zero or more folders
                    out.append("(?:.*/)?")
                    j += 1
            else:
                out.append("[^/]*")
            i = j
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            parsed = _bracket(glob, i)
            if parsed is None:
                return None
            expression, i = parsed
            out.append(expression)
        elif char == "\\":
            if i + 1 >= n:
                return None                     # a trailing backslash matches nothing
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(char))
            i += 1
    return "".join(out)


_CLASSES = {"alnum": "a-zA-Z0-9", "alpha": "a-zA-Z", "blank": " \\t", "cntrl": "\\x00-\\x1f\\x7f",
            "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~",
            "punct": "!-/:-@\\[-`{-~", "space": " \\t\\n\\r\\f\\v", "upper": "A-Z", "xdigit": "0-9A-Fa-f"}


def _bracket(glob: str, start: int) -> tuple[str, int] | None:
    """``[...]`` at ``start``: (a regex class that never matches ``/``, the index after it)."""
    i = start + 1
    negate = i < len(glob) and glob[i] in "!^"
    if negate:
        i += 1
    items: list[str] = []
    first = True
    while i < len(glob):
        char = glob[i]
        if char == "]" and not first:
            body = "".join(items)
            return (f"[^/{body}]" if negate else f"(?!/)[{body}]"), i + 1
        first = False
        if char == "[" and glob.startswith("[:", i):
            end = glob.find(":]", i + 2)
            if end < 0:
                return None
            name = glob[i + 2:end]
            if name not in _CLASSES:
                return None
            items.append(_CLASSES[name])
            i = end + 2
            continue
        if char == "\\" and i + 1 < len(glob):
            i += 1
            char = glob[i]
        if i + 2 < len(glob) and glob[i + 1] == "-" and glob[i + 2] != "]":
            high = glob[i + 2]
            if high == "\\" and i + 3 < len(glob):
                high = glob[i + 3]
                i += 1
            if ord(high) >= ord(char):
                items.append(f"{re.escape(char)}-{re.escape(high)}")
            i += 3
            continue
        items.append(re.escape(char))
        i += 1
    return None                                 # no closing bracket: git matches nothing


def repository_root(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` that holds ``.git`` (a folder, or a worktree's file)."""
    current = os.path.abspath(folder)
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _read_ignore_file(path: str, base: str) -> IgnoreFile | None:
    found = read_regular(path, MAX_IGNORE_FILE_BYTES)      # a link is not followed, like git
    if found is None:
        return None
    return parse_ignore_lines(found[0].decode("utf-8", "surrogateescape"), base)


class GitIgnore:
    """Answers "is this path ignored?" for paths inside one repository, reading each folder's
    ``.gitignore`` once, when the walk first asks about something in it."""

    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)
        self._files: dict[str, IgnoreFile | None] = {}
        exclude = None
        git = os.path.join(self.root, ".git")
        if os.path.isdir(git) and not os.path.islink(git):
            exclude = _read_ignore_file(os.path.join(git, "info", "exclude"), "")
        self._exclude = exclude

    @classmethod
    def for_folder(cls, folder: str) -> "GitIgnore | None":
        root = repository_root(folder)
        return cls(root) if root is not None else None

    def _file(self, base: str) -> IgnoreFile | None:
        if base not in self._files:
            folder = os.path.join(self.root, *base.split("/")) if base else self.root
            self._files[base] = _read_ignore_file(os.path.join(folder, ".gitignore"), base)
        return self._files[base]

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Whether ``path`` itself matches the ignore rules (its folders are the walk's business)."""
        relative = os.path.relpath(os.path.abspath(path), self.root)
        if relative == "." or relative.startswith(".." + os.sep) or relative == "..":
            return False
        relative = relative.replace(os.sep, "/")
        folders = relative.split("/")[:-1]
        sources = [self._exclude] + [self._file("/".join(folders[:depth])) for depth in range(len(folders) + 1)]
        for source in reversed(sources):          # the deepest .gitignore decides first
            if source is None:
                continue
            decision = source.decision(relative, is_dir)
            if decision is not None:
                return decision
        return False
