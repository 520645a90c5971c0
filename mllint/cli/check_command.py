"""``mllint check``: many files, each analysed in a watched worker process, cached, ``# noqa`` handled here.

A file's result is a plain :class:`FileReport` (``mllint.cli.file_report``) so that it can cross
process boundaries and live in the cache (``mllint.cli.result_cache``).  :func:`iter_checks` reads
each file exactly once, in this process: the bytes it hashes for the cache key are the bytes
the worker analyses, so an edit during the run can never put one content's findings under
another content's key.  Reports come out in the order of the paths as soon as they (and all
before them) are done, so that text output streams.  Formatting is in ``mllint.cli.output``.
"""
from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
import sys
from functools import partial
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from .file_report import FileReport

from .file_report import FindingReport

from .file_report import Location

from .file_report import RelatedReport
from .error_findings import io_error_finding, syntax_error_finding
from .gitignore import GitIgnore
from ..noqa import NoqaWarning, file_noqa, noqa_warnings, suppressed
from .result_cache import CACHE_DIR
from .result_cache import ResultCache
from ..settings import Settings

if TYPE_CHECKING:   # multiprocessing is imported only when something is to be analysed (not on a warm run)
    from ..engine.notebook_lines import NotebookLines
    from .workers import WorkerPool

__all__ = ["CACHE_DIR", "DEFAULT_EXCLUDES", "FileReport", "FindingReport", "Location", "RelatedReport",
           "ResultCache", "check_file", "discover", "hard_limit_seconds", "iter_checks", "run_checks"]

#: Folders never worth linting (virtual environments, build output, tool caches, VCS data).
DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", ".bzr", ".venv", "venv", ".env", "env", "__pycache__", "build", "dist", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".mllint_cache", "node_modules", "site-packages",
    "*.egg-info", ".ipynb_checkpoints", ".eggs", "__pypackages__", "_build", "buck-out",
)
SOURCE_SUFFIXES = (".py", ".ipynb")
#: ``mllint check``'s per-file hard limit, enforced from outside the analysis: this many times the
#: analysis budget (``Config.max_seconds``), at least MIN_HARD_LIMIT seconds; HARD_LIMIT_ENV overrides it.
HARD_LIMIT_FACTOR = 4.0
MIN_HARD_LIMIT = 10.0
HARD_LIMIT_ENV = "MLLINT_FILE_TIMEOUT"


# -- discovery ------------------------------------------------------------------------------
def discover(paths: Iterable[str], settings: Settings, *, respect_gitignore: bool = True) -> Iterator[str]:
    """Files to check: named files always (even ignored or missing ones: reading them reports the
    problem); folders recursively, minus excluded names and patterns, folders holding a
    ``pyvenv.cfg`` (virtual environments, whatever their name) and, with ``respect_gitignore``,
    what the repository's ``.gitignore`` files exclude (``mllint.cli.gitignore``)."""
    patterns = settings.exclude if settings.exclude else DEFAULT_EXCLUDES
    excluded = _exclusion_matcher(tuple(patterns) + tuple(settings.extend_exclude), settings.project_root)
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            ignore = GitIgnore.for_folder(path) if respect_gitignore else None
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not excluded(os.path.join(root, d), d)
                                 and not _virtual_environment(os.path.join(root, d))
                                 and not (ignore and ignore.ignored(os.path.join(root, d), True)))
                for name in sorted(files):
                    full = os.path.join(root, name)
                    if name.endswith(SOURCE_SUFFIXES) and not excluded(full, name) and full not in seen \
                            and not (ignore and ignore.ignored(full, False)):
                        seen.add(full)
                        yield _clean(full)
        elif path not in seen:
            seen.add(path)
            yield path


def _virtual_environment(folder: str) -> bool:
    """A folder made by ``venv`` / ``virtualenv`` / ``uv venv``: it has a ``pyvenv.cfg``."""
    return os.path.isfile(os.path.join(folder, "pyvenv.cfg"))


def _clean(path: str) -> str:
    return path[2:] if path.startswith("./") else path


def _exclusion_matcher(patterns: tuple[str, ...], root: str | None) -> Callable[[str, str], bool]:
    """One compiled test for all patterns: a name or a path relative to the project root (where the
    configuration lives) matching a glob, or lying under one."""
    globs = tuple(patterns) + tuple(p.rstrip("/") for p in patterns)
    match = re.compile("|".join(fnmatch.translate(g) for g in globs if g)).match if globs else (lambda _: None)
    prefixes = tuple(p.rstrip("/") + os.sep for p in patterns if p.rstrip("/"))

    def excluded(path: str, name: str) -> bool:
        relative = _clean(os.path.normpath(os.path.relpath(os.path.abspath(path), root) if root else path))
        return bool(match(name) or match(relative) or relative.startswith(prefixes))
    return excluded


# -- one file -------------------------------------------------------------------------------------
def read_source(path: str) -> bytes:
    """The bytes of a file to check (the one place ``mllint check`` reads a source file).

    Only a regular file: a FIFO or a device named ``x.py`` in a checked folder would block or
    never end (opened without blocking, then refused).
    """
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return stream.read()


def _unreadable(path: str, exc: OSError) -> FileReport:
    """A missing or unreadable file: an ``E902`` finding (``mllint.cli.error_findings``), never cached."""
    return FileReport(path, findings=[io_error_finding(exc)], notebook=path.endswith(".ipynb"), transient=True)


def check_file(path: str, settings: Settings, data: bytes) -> FileReport:
    """Analyse ``data``, the content of ``path`` as read once by :func:`iter_checks`, and keep the
    findings its comments allow (the file itself is never read again here)."""
    from ..engine.analysis import analyze
    from ..checker import check_analysis
    from ..engine.notebook_lines import notebook_lines
    from ..rules import rule_codes

    notebook = path.endswith(".ipynb")
    try:
        analysis = analyze(data, path=path, config=settings.engine_config())
        if analysis.error is not None:
            syntax = syntax_error_finding(analysis.error, analysis.source)
            if syntax is not None:
                return FileReport(path, findings=[syntax], notebook=notebook)
            return FileReport(path, error=analysis.error, notebook=notebook)
        findings = check_analysis(analysis, settings)
    except Exception as exc:   # pragma: no cover - a bug of ours; keep the run going
        return FileReport(path, error=f"internal error: {type(exc).__name__}: {exc}", notebook=notebook,
                          transient=True)
    source = analysis.source
    lines = source.text.split("\n") if source is not None else []
    warnings = [_warning_note(w, source) for w in noqa_warnings(lines, rule_codes())]
    file_level = file_noqa(lines)
    skipping = file_level.skipping_comment
    if skipping is not None:
        return FileReport(path, notes=[f"file skipped: # {skipping.tool}: noqa"] + warnings, notebook=notebook)
    report = FileReport(path, notes=list(analysis.notes) + warnings, notebook=notebook,
                        data_files={k: list(v) for k, v in analysis.data_files.items()})
    shown = [(finding, lines[finding.span.start_line - 1] if 0 < finding.span.start_line <= len(lines) else "")
             for finding in findings]
    shown = [(finding, line_text) for finding, line_text in shown
             if not (suppressed(line_text, finding.code) or file_level.ignores(finding.code))]
    file_lines = notebook_lines(data) if notebook and shown else None
    fixes = _fix_applicability(analysis, settings, data, path, [finding for finding, _ in shown])
    for finding, line_text in shown:
        if source is not None and line_text:   # a notebook cell's own indentation, which IPython removed
            line_text = " " * source.cell_column(finding.span.start_line, 0) + line_text
        report.findings.append(FindingReport(
            finding.code, finding.message, finding.severity.value, _location(finding.span, source, file_lines),
            [RelatedReport(_location(r.span, source, file_lines), r.message) for r in finding.related],
            [str(c) for c in finding.columns], line_text, fixes.get((finding.code, finding.span.start_line))))
    return report


def _fix_applicability(analysis, settings: Settings, data: bytes, path: str, findings) -> dict[tuple[str, int], str]:
    """(code, line) -> "safe" / "unsafe" for the reported ``findings`` that have a verified fix (``[*]`` marks,
    ``--fix``'s counts): computed here, in the worker, from the analysis and findings at hand (the file is
    neither analysed nor checked again), so that it runs in parallel, under the file's hard limit, and is
    cached with the report."""
    from ..fixes.registry import FIXABLE_CODES

    if not any(f.code in FIXABLE_CODES for f in findings):
        return {}
    try:
        if path.endswith(".ipynb"):
            from ..fixes.notebook import notebook_fixes

            found = notebook_fixes(data, path, settings, analysis, findings)
        else:
            from ..fixes.apply import fixes_for_analysis

            found = fixes_for_analysis(analysis, settings, findings)
    except Exception:   # pragma: no cover - a fixer's bug costs the mark, never the findings
        return {}
    return {(f.code, f.span.start_line): fix.applicability.value for f, fix in found}


def _warning_note(warning: NoqaWarning, source) -> str:
    """A noqa warning as a note that survives the cache: ``LINE:COL: warning: ...`` (for notebooks
    ``cell N:LINE:COL``), printed after the file's path (``mllint.cli.output.diagnostics``)."""
    place = source.code_cell_position(warning.line) if source is not None else None
    if place is not None:
        column = source.cell_column(warning.line, warning.column) + 1
        return f"cell {place[0]}:{place[1]}:{column}: warning: {warning.message}"
    return f"{warning.line}:{warning.column + 1}: warning: {warning.message}"


def _location(span, source, file_lines: NotebookLines | None = None) -> Location:
    """A finding's place: in the analysed text, in its notebook cell, and in the notebook file's JSON text."""
    location = Location(span.start_line, span.start_col + 1, span.end_line, span.end_col + 1)
    place = source.code_cell_position(span.start_line) if source is not None else None
    if place is not None:
        location.cell, location.cell_line = place
        location.column = source.cell_column(span.start_line, span.start_col) + 1
        location.end_column = source.cell_column(span.end_line, span.end_col) + 1
        start = _file_position(source, file_lines, span.start_line, location.column - 1)
        end = _file_position(source, file_lines, span.end_line, location.end_column - 1)
        if start is not None:
            location.file_line, location.file_column = start
            location.file_end_line, location.file_end_column = end if end is not None else start
    return location


def _file_position(source, file_lines: NotebookLines | None, line: int, cell_column: int) -> tuple[int, int] | None:
    """(line, column) in the .ipynb file's text of a 1-based line of the joined cells and a 0-based cell column."""
    place = source.to_notebook_position(line) if file_lines is not None else None
    return file_lines.position(place[0], place[1], cell_column) if place is not None else None


# -- many files -------------------------------------------------------------------------------------
def hard_limit_seconds(settings: Settings) -> float:
    """Seconds a worker may spend on one file before it is killed (``ValueError`` for a bad override)."""
    override = os.environ.get(HARD_LIMIT_ENV)
    if override:
        try:
            value = float(override)
        except ValueError:
            value = -1.0
        if not value > 0:
            raise ValueError(f"{HARD_LIMIT_ENV} must be a positive number of seconds, got {override!r}")
        return value
    return max(MIN_HARD_LIMIT, HARD_LIMIT_FACTOR * settings.engine_config().max_seconds)


def _analyse(settings: Settings, task: tuple[str, bytes, Settings | None]) -> FileReport:
    """A worker's job: analyse exactly the bytes the parent read (and hashed), with the file's own settings."""
    path, data, own = task
    return check_file(path, own if own is not None else settings, data)


def _start_pool(jobs: int, settings: Settings, hard_limit: float) -> WorkerPool:
    import gc

    from .. import checker  # noqa: F401  - loaded once, before the workers fork

    from ..engine import analysis  # noqa: F401  - loaded once, before the workers fork
    from .workers import WorkerPool
    gc.freeze()   # import-time objects: shared with the workers and out of every collection
    return WorkerPool(jobs, partial(_analyse, settings), hard_limit)


def iter_checks(paths: Sequence[str], settings: Settings, *, jobs: int, cache: ResultCache | None,
                progress: Callable[[int, int], None] | None = None, hard_limit: float | None = None,
                read: Callable[[str], bytes] | None = None,
                settings_for: Callable[[str], Settings] | None = None) -> Iterator[FileReport]:
    """Each file's report, in the order of ``paths``, as soon as it and every one before it is done.

    ``settings_for`` gives a file's own settings (its configuration file, see
    :mod:`mllint.config_discovery`, then the command-line flags); without it every file gets
    ``settings``.  A file's settings are part of its cache key.

    Each file is read once here (``read``, default :func:`read_source`); with a cache, those
    bytes give the key and, on a miss, are what a worker analyses.  Workers run under
    ``hard_limit`` seconds per file (default :func:`hard_limit_seconds`): one that overruns is
    killed and replaced, and the file gets a "timed out" error.  Files are read just before a
    worker is free for them, so memory holds only the files in flight.
    """
    read = read or read_source
    limit = hard_limit_seconds(settings) if hard_limit is None else hard_limit
    done: dict[int, FileReport] = {}
    source = iter(enumerate(paths))
    pool: WorkerPool | None = None
    exhausted = False
    finished = emitted = 0
    if progress:
        progress(0, len(paths))
    try:
        while True:
            while not exhausted and (pool is None or pool.has_idle()):
                item = next(source, None)
                if item is None:
                    exhausted = True
                    break
                index, path = item
                own = settings_for(path) if settings_for is not None else None
                ready, data, key = _prepare(path, read, cache, own)
                if ready is not None:
                    done[index] = ready
                    finished += 1
                    continue
                pool = pool or _start_pool(jobs, settings, limit)
                pool.submit((index, key), (path, data, own))
            while emitted in done:
                yield done.pop(emitted)
                emitted += 1
            if progress:
                progress(finished, len(paths))
            if pool is None or not pool.busy:
                if exhausted:
                    break
                continue
            for outcome in pool.wait():
                index, key = outcome.tag
                report = outcome.result
                if outcome.failure is not None:
                    prefix = "timed out" if outcome.timed_out else "internal error"
                    report = FileReport(paths[index], error=f"{prefix}: {outcome.failure}",
                                        notebook=paths[index].endswith(".ipynb"), transient=True)
                done[index] = _store(report, key, cache)
                finished += 1
    finally:
        if pool is not None:
            pool.close()


def _prepare(path: str, read: Callable[[str], bytes], cache: ResultCache | None,
             settings: Settings | None) -> tuple[FileReport | None, bytes | None, str | None]:
    """(a report already known, or None; else the bytes to analyse and their cache key, which
    covers the file's own ``settings`` when it has some besides the run's)."""
    try:
        data = read(path)
    except OSError as exc:
        return _unreadable(path, exc), None, None
    if cache is None:
        return None, data, None
    key = cache.key(path, data, settings)
    cached = cache.get(key)
    return (cached, None, key) if cached is not None else (None, data, key)


def run_checks(paths: Sequence[str], settings: Settings, *, jobs: int, cache: ResultCache | None,
               progress: Callable[[int, int], None] | None = None, hard_limit: float | None = None) -> list[FileReport]:
    """Every report at once (see :func:`iter_checks`)."""
    return list(iter_checks(paths, settings, jobs=jobs, cache=cache, progress=progress, hard_limit=hard_limit))


def _store(report: FileReport, key: str | None, cache: ResultCache | None) -> FileReport:
    """Cache what depends on the content only (findings, syntax errors), not I/O, time-outs or internal failures."""
    if cache is not None and key is not None and not report.transient:
        cache.put(key, report)
    return report


class ProgressBar:
    """A one-line bar on a terminal, which steps aside (:meth:`clear`) while results are printed."""

    WIDTH = 30

    def __init__(self, stream=sys.stderr) -> None:
        self.stream = stream
        self.shown: tuple[int, int] | None = None

    def __call__(self, done: int, total: int) -> None:
        filled = int(self.WIDTH * done / total) if total else self.WIDTH
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} files")
        self.shown = (done, total)
        if done >= total:
            self.clear()
        self.stream.flush()

    def clear(self) -> None:
        if self.shown is not None:
            self.stream.write("\r" + " " * (self.WIDTH + 24) + "\r")
            self.stream.flush()
            self.shown = None


def progress_bar(stream=sys.stderr) -> ProgressBar:
    return ProgressBar(stream)
