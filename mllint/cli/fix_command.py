"""``mllint check --fix / --diff / --unsafe-fixes``, and the ``[*]`` marks of fixable findings.

Fixes are computed in this process, after a file's normal check and only for files with
findings (the worker pool and the cache stay as they are): :mod:`mllint.fixes` re-analyses
the file's text, applies the verified fixes one by one, and the fixed text is checked again
for what remains.  Writing follows ``safe_fs``'s rules for an untrusted tree: never through
a symbolic link, only over a regular file whose content is still what was analysed, via a
temporary file in the same folder and ``os.replace`` (keeping the file's mode).  Notebooks
are fixed cell by cell when their JSON layout can be kept (:mod:`mllint.fixes.notebook`);
otherwise a note says why not.
"""
from __future__ import annotations

import argparse
import codecs
import difflib
import errno
import io
import os
import stat
import tempfile
from dataclasses import dataclass, replace
from typing import IO, TYPE_CHECKING, Callable

from ..settings import Settings
from .check_command import read_source  # noqa: F401 - the reader --fix uses for files (re-exported for main)
from .file_report import FileReport
from .output import escape_controls

if TYPE_CHECKING:   # the fixes (and the analysis they import) load only when a file has findings
    from ..fixes.apply import FixedText


class NotWritable(OSError):
    """A file ``--fix`` refuses to write (a link, not a regular file, changed since it was read)."""


@dataclass(frozen=True)
class FixOptions:
    fix: bool
    diff: bool
    unsafe: bool
    marks: bool        # text output: mark fixable findings with [*] and count them

    @staticmethod
    def from_args(args: argparse.Namespace) -> "FixOptions":
        return FixOptions(bool(getattr(args, "fix", False)), bool(getattr(args, "diff", False)),
                          bool(getattr(args, "unsafe_fixes", False)), args.output_format == "text")

    @property
    def rewriting(self) -> bool:
        return self.fix or self.diff


def encode_like(original: bytes, analysed: str, new_text: str) -> bytes | None:
    """``new_text`` in the encoding, byte-order mark and line endings of ``original`` (None when unsure)."""
    bom = original.startswith(codecs.BOM_UTF8)
    try:
        raw = (original[len(codecs.BOM_UTF8):] if bom else original).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if raw == analysed:
        out = new_text
    elif raw == analysed.replace("\n", "\r\n"):
        out = new_text.replace("\n", "\r\n")
    else:
        return None
    return (codecs.BOM_UTF8 if bom else b"") + out.encode("utf-8")


def write_fixed(path: str, expected: bytes, data: bytes) -> None:
    """Replace the regular file ``path`` (still holding ``expected``) by ``data``, never through a link."""
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise NotWritable(errno.ELOOP, "is a symbolic link")
    if not stat.S_ISREG(info.st_mode):
        raise NotWritable(errno.EINVAL, "not a regular file")
    # a rename could replace it anyway: a read-only file (for everyone, or for us) says no
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK, follow_symlinks=False):
        raise NotWritable(errno.EACCES, "the file is read-only")
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(handle, "rb") as stream:
        if stream.read() != expected:
            raise NotWritable(errno.EAGAIN, "changed while it was checked")
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".mllint-fix-")
    try:
        try:
            os.fchmod(handle, stat.S_IMODE(info.st_mode))
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
        finally:
            os.close(handle)
        os.replace(temporary, path)
    finally:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass


class FixSession:
    """What ``mllint check`` does about fixes for each report, and the totals for its summary."""

    def __init__(self, options: FixOptions, settings_for: Callable[[str], Settings], read: Callable[[str], bytes], *,
                 stdin: bool, out: IO[str], err: IO[str]) -> None:
        """``settings_for``: each file's own settings (its configuration, then the flags), as the check used them."""
        self.options, self.settings_for, self.read, self.stdin = options, settings_for, read, stdin
        self.out, self.err = out, err
        self.fixed = 0          # fixes applied (or, with --diff, that would be)
        self.fixable = 0        # remaining findings --fix would fix with the current options
        self.hidden = 0         # remaining findings with an unsafe fix only --unsafe-fixes enables
        self.changed_files = 0
        self.stdin_text: bytes | None = None

    @property
    def prints_source(self) -> bool:
        """``check --fix -`` prints the fixed text on standard output (findings go to standard error)."""
        return self.stdin and self.options.fix and not self.options.diff

    def findings_stream(self, stdout: IO[str], stderr: IO[str]) -> IO[str]:
        """Where the findings go: standard output, except with ``--fix -`` (the fixed text goes there) and
        ``--diff`` (standard output holds the diff alone, whatever the output format)."""
        if self.options.diff:
            return io.StringIO()
        return stderr if self.prints_source else stdout

    def process(self, report: FileReport) -> FileReport:
        """The report to show: after fixing (with --fix), without findings (with --diff), marked otherwise."""
        try:
            return self._process(report)
        except Exception as exc:   # pragma: no cover - a bug of ours: the findings are still reported
            self._note(report.path, f"not fixed: internal error: {type(exc).__name__}: {exc}")
            return report

    def _process(self, report: FileReport) -> FileReport:
        if self.stdin and self.stdin_text is None and self.prints_source:
            self.stdin_text = self._read(report.path)
        if report.error or not report.findings:
            return replace(report, findings=[]) if self.options.diff else report
        if not self.options.rewriting:
            return self._marked(report)
        if not any(self._allowed(f.fix) for f in report.findings):   # nothing to fix: the file is not read again
            return replace(report, findings=[]) if self.options.diff else self._marked(report)
        data = self.stdin_text if self.stdin_text is not None else self._read(report.path)
        if data is None:
            return report
        return self._rewrite(report, data)

    def _allowed(self, fix: str | None) -> bool:
        """A fix of this applicability ("safe" / "unsafe" / None) is applied with this run's options."""
        return fix == "safe" or (fix == "unsafe" and self.options.unsafe)

    def _read(self, path: str) -> bytes | None:
        try:
            return self.read(path)
        except OSError as exc:
            self._note(path, f"not fixed: cannot read: {exc.strerror or exc}")
            return None

    def _fixed(self, report: FileReport, data: bytes) -> tuple[bytes, str, FixedText] | None:
        """(the new file, the analysed text before, the outcome), or None with a note when it cannot be kept."""
        from ..engine.source import SourceError, load_source
        from ..fixes import fix_text
        from ..fixes.notebook import fix_notebook

        try:
            analysed = load_source(data, report.path).text
        except SourceError:
            return None
        if report.notebook:
            fixed = fix_notebook(data, report.path, self.settings_for(report.path), unsafe=self.options.unsafe)
            if fixed is None:
                self._note(report.path, "not fixed: the notebook's JSON layout cannot be kept")
                return None
            return fixed[0], analysed, fixed[1]
        result = fix_text(analysed, report.path, self.settings_for(report.path), unsafe=self.options.unsafe)
        new_data = encode_like(data, analysed, result.text) if result.changed else data
        if new_data is None:
            self._note(report.path, "not fixed: the file's encoding or line endings cannot be kept")
            return None
        return new_data, analysed, result

    def _rewrite(self, report: FileReport, data: bytes) -> FileReport:
        fixed = self._fixed(report, data)
        if fixed is None:   # the file cannot be rewritten: nothing here is fixable by --fix
            return replace(report, findings=[]) if self.options.diff else report
        if not fixed[2].changed:
            return replace(report, findings=[]) if self.options.diff else self._marked(report)
        new_data, analysed, result = fixed
        if self.options.diff:
            self._print_diff(report.path, analysed, result.text)
            self.fixed += len(result.applied)
            self.changed_files += 1
            return replace(report, findings=[])
        if self.stdin:
            self.stdin_text = new_data
        else:
            try:
                write_fixed(report.path, data, new_data)
            except OSError as exc:
                self._note(report.path, f"not fixed: {exc.strerror or exc}")
                return report   # no [*]: --fix cannot fix this file
        self.fixed += len(result.applied)
        self.changed_files += 1
        from .check_command import check_file

        return self._marked(check_file(report.path, self.settings_for(report.path), new_data))

    def _marked(self, report: FileReport) -> FileReport:
        """Mark the findings a fix is available for (text output), and count the hidden unsafe ones: the
        worker verified the fixes with the analysis (``FindingReport.fix``); nothing is analysed here."""
        if not self.options.marks or not report.findings:
            return report
        findings = []
        for finding in report.findings:
            if self._allowed(finding.fix):
                finding = replace(finding, fixable=True)
                self.fixable += 1
            elif finding.fix is not None:
                self.hidden += 1
            findings.append(finding)
        return replace(report, findings=findings)

    def _print_diff(self, path: str, before: str, after: str) -> None:
        name = escape_controls(path)
        lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                     fromfile=name, tofile=name)
        for line in lines:
            self.out.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        self.out.write("\n")

    def _note(self, path: str, message: str) -> None:
        print(f"{escape_controls(path)}: note: {message}", file=self.err)

    # -- the end of the run ----------------------------------------------------------------------------
    def summary(self, remaining: int) -> list[str]:
        """ruff's closing lines: fixed and remaining, or how many --fix would fix (and the hidden ones)."""
        if self.options.diff:   # standard output holds the diff alone; the count goes to standard error
            return []
        lines = []
        if self.options.fix and self.fixed:   # ruff's words: "Found 3 errors (2 fixed, 1 remaining)."
            found = self.fixed + remaining
            lines.append(f"Found {found} finding{'s' if found != 1 else ''} ({self.fixed} fixed, {remaining} remaining).")
        elif remaining:
            lines.append(f"Found {remaining} finding{'s' if remaining != 1 else ''}.")
        hidden = (f"{self.hidden} hidden fix{'es' if self.hidden != 1 else ''} can be enabled with the "
                  f"`--unsafe-fixes` option") if self.hidden else ""
        if self.fixable:
            lines.append(f"[*] {self.fixable} fixable with the `--fix` option" + (f" ({hidden})." if hidden else "."))
        elif hidden:
            lines.append(f"No fixes available ({hidden}).")
        return lines

    def finish(self, stdout: IO[str]) -> None:
        """``--diff``: how many fixes would apply; ``--fix -``: the (fixed) text, exactly as a file would be."""
        if self.options.diff:
            stdout.flush()
            print(f"Would fix {self.fixed} finding{'s' if self.fixed != 1 else ''}." if self.fixed
                  else "No fixes to apply.", file=self.err)
        if self.prints_source and self.stdin_text is not None:
            stdout.flush()
            buffer = getattr(stdout, "buffer", None)
            if buffer is not None:
                buffer.write(self.stdin_text)
                buffer.flush()
            else:
                stdout.write(self.stdin_text.decode("utf-8", "replace"))

    def exit_status(self, status: int) -> int:
        """``--diff`` exits 1 when there is something to change (as ruff does)."""
        if self.options.diff:
            return 1 if self.changed_files or status == 2 else 0
        return status
