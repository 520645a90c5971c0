"""``mllint check``: many files, in parallel, cached, with ``# noqa`` handled here.

A file's result is a plain, JSON-able :class:`FileReport` so that it can cross
process boundaries and live in the cache (``.mllint_cache``, keyed by the file's
content, the mllint version and the settings).  Formatting is in
``mllint.output``.
"""
from __future__ import annotations

import fnmatch
import hashlib
import json
import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterable, Iterator

from . import __version__
from .noqa import file_suppressed, suppressed
from .settings import Settings

#: Folders never worth linting (virtual environments, build output, tool caches, VCS data).
DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", ".bzr", ".venv", "venv", ".env", "env", "__pycache__", "build", "dist", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".mllint_cache", "node_modules", "site-packages",
    "*.egg-info", ".ipynb_checkpoints", ".eggs", "__pypackages__", "_build", "buck-out",
)
SOURCE_SUFFIXES = (".py", ".ipynb")
CACHE_DIR = ".mllint_cache"


@dataclass
class Location:
    line: int          # 1-based, in the file (for notebooks: in the joined code cells)
    column: int        # 1-based (for notebooks: in the cell, whose indent IPython removes)
    end_line: int
    end_column: int
    cell: int | None = None          # notebooks: 1-based code-cell number (nbqa's "cell N")
    cell_line: int | None = None     # notebooks: 1-based line inside that cell


@dataclass
class RelatedReport:
    location: Location
    message: str


@dataclass
class FindingReport:
    code: str
    message: str
    severity: str
    location: Location
    related: list[RelatedReport] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    line_text: str = ""      # the primary line, for stable fingerprints


@dataclass
class FileReport:
    path: str                       # as given / found (relative when found under a relative folder)
    findings: list[FindingReport] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    notebook: bool = False
    data_files: dict[str, list[int]] = field(default_factory=dict)   # CSV headers read: path -> [mtime, size]

    def to_json(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_json(data: dict) -> "FileReport":
        findings = []
        for f in data["findings"]:
            related = [RelatedReport(Location(**r["location"]), r["message"]) for r in f["related"]]
            findings.append(FindingReport(f["code"], f["message"], f["severity"], Location(**f["location"]), related,
                                          list(f["columns"]), f["line_text"]))
        return FileReport(data["path"], findings, data["error"], list(data["notes"]), data["notebook"],
                          {k: list(v) for k, v in data.get("data_files", {}).items()})


# -- discovery ------------------------------------------------------------------------------
def discover(paths: Iterable[str], settings: Settings) -> Iterator[str]:
    """Files to check: named files always; folders recursively, minus excluded names and patterns."""
    patterns = settings.exclude if settings.exclude else DEFAULT_EXCLUDES
    excluded = _exclusion_matcher(tuple(patterns) + tuple(settings.extend_exclude), settings.project_root)
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not excluded(os.path.join(root, d), d))
                for name in sorted(files):
                    full = os.path.join(root, name)
                    if name.endswith(SOURCE_SUFFIXES) and not excluded(full, name) and full not in seen:
                        seen.add(full)
                        yield _clean(full)
        elif path not in seen:
            seen.add(path)
            yield path


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
def check_file(path: str, settings: Settings, data: bytes | None = None) -> FileReport:
    """Analyse one file (``data`` given for stdin) and keep the findings its comments allow."""
    from .analysis import analyze
    from .checker import check_analysis

    notebook = path.endswith(".ipynb")
    if data is None:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            return FileReport(path, error=f"cannot read: {exc.strerror or exc}", notebook=notebook)
    try:
        analysis = analyze(data, path=path, config=settings.engine_config())
        if analysis.error is not None:
            return FileReport(path, error=analysis.error, notebook=notebook)
        findings = check_analysis(analysis, settings)
    except Exception as exc:   # pragma: no cover - a bug of ours; keep the run going
        return FileReport(path, error=f"internal error: {type(exc).__name__}: {exc}", notebook=notebook)
    source = analysis.source
    lines = source.text.split("\n") if source is not None else []
    if file_suppressed(lines):
        return FileReport(path, notes=["file skipped: # mllint: noqa"], notebook=notebook)
    report = FileReport(path, notes=list(analysis.notes), notebook=notebook,
                        data_files={k: list(v) for k, v in analysis.data_files.items()})
    for finding in findings:
        line_text = lines[finding.span.start_line - 1] if 0 < finding.span.start_line <= len(lines) else ""
        if suppressed(line_text, finding.code):
            continue
        report.findings.append(FindingReport(
            finding.code, finding.message, finding.severity.value, _location(finding.span, source),
            [RelatedReport(_location(r.span, source), r.message) for r in finding.related],
            list(finding.columns), line_text.strip()))
    return report


def _location(span, source) -> Location:
    location = Location(span.start_line, span.start_col + 1, span.end_line, span.end_col + 1)
    place = source.code_cell_position(span.start_line) if source is not None else None
    if place is not None:
        location.cell, location.cell_line = place
        location.column = source.cell_column(span.start_line, span.start_col) + 1
        location.end_column = source.cell_column(span.end_line, span.end_col) + 1
    return location


# -- many files -------------------------------------------------------------------------------------
class ResultCache:
    """One JSON file per (content, version, settings) key under ``.mllint_cache``."""

    def __init__(self, root: str, settings: Settings) -> None:
        self.folder = os.path.join(root, CACHE_DIR, "v1")
        self.salt = hashlib.sha256(f"{__version__}\0{settings!r}".encode()).hexdigest()
        self.enabled = True

    def key(self, path: str, data: bytes) -> str:
        return hashlib.sha256(self.salt.encode() + path.encode() + b"\0" + data).hexdigest()

    def get(self, key: str) -> FileReport | None:
        from .data_headers import unchanged

        try:
            with open(os.path.join(self.folder, key[:2], key + ".json"), encoding="utf-8") as handle:
                report = FileReport.from_json(json.load(handle))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return report if unchanged(report.data_files) else None   # a CSV header it read has changed

    def put(self, key: str, report: FileReport) -> None:
        if not self.enabled:
            return
        try:
            folder = os.path.join(self.folder, key[:2])
            os.makedirs(folder, exist_ok=True)
            ignore = os.path.join(os.path.dirname(self.folder), ".gitignore")
            if not os.path.exists(ignore):
                with open(ignore, "w", encoding="utf-8") as handle:
                    handle.write("# created by mllint\n*\n")
            temporary = os.path.join(folder, f".{key}.{os.getpid()}.tmp")
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump(report.to_json(), handle)
            os.replace(temporary, os.path.join(folder, key + ".json"))
        except OSError:
            self.enabled = False   # read-only checkout: run without a cache


def _worker(job: tuple[str, Settings]) -> dict:
    path, settings = job
    return check_file(path, settings).to_json()


def run_checks(paths: list[str], settings: Settings, *, jobs: int, cache: ResultCache | None,
               progress: Callable[[int, int], None] | None = None) -> list[FileReport]:
    """Check every file, from the cache where possible, the rest in a fork-started process pool."""
    reports: dict[str, FileReport] = {}
    pending: list[tuple[str, str | None]] = []
    for path in paths:
        key = None
        if cache is not None:
            try:
                with open(path, "rb") as handle:
                    key = cache.key(path, handle.read())
            except OSError:
                key = None
            cached = cache.get(key) if key is not None else None
            if cached is not None:
                reports[path] = cached
                continue
        pending.append((path, key))
    done = len(reports)
    if progress:
        progress(done, len(paths))
    if pending:
        import gc

        from . import analysis, checker  # noqa: F401  - loaded once, before the pool forks
        gc.freeze()   # import-time objects: shared with the workers and out of every collection
    if jobs > 1 and len(pending) > 1 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")   # workers inherit the loaded tables: no re-import
        with ProcessPoolExecutor(max_workers=min(jobs, len(pending)), mp_context=context) as pool:
            results = pool.map(_worker, [(p, settings) for p, _ in pending], chunksize=max(1, len(pending) // (jobs * 8)))
            for (path, key), data in zip(pending, results):
                reports[path] = _store(FileReport.from_json(data), key, cache)
                done += 1
                if progress:
                    progress(done, len(paths))
    else:
        for path, key in pending:
            reports[path] = _store(check_file(path, settings), key, cache)
            done += 1
            if progress:
                progress(done, len(paths))
    return [reports[p] for p in paths]


def _store(report: FileReport, key: str | None, cache: ResultCache | None) -> FileReport:
    """Cache what depends on the content only (findings, syntax errors), not I/O or internal failures."""
    transient = report.error is not None and report.error.startswith(("cannot read", "internal error"))
    if cache is not None and key is not None and not transient:
        cache.put(key, report)
    return report


def progress_bar(stream=sys.stderr) -> Callable[[int, int], None]:
    """A one-line bar on a terminal; silent otherwise."""
    def update(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        if done >= total:
            stream.write("\r" + " " * (width + 24) + "\r")
        stream.flush()
    return update
