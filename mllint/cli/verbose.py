"""``-v/--verbose``: what ``mllint check`` did, on standard error (never mixed into the results).

Lines start with ``mllint: `` like every other message of ours: the configuration used, the
number of files found, one line per file (analysed or taken from the cache), and the time taken.
"""
from __future__ import annotations

import time
from typing import IO

from .file_report import FileReport
from .output import escape_controls
from .result_cache import ResultCache


class CountingCache:
    """A :class:`ResultCache` that remembers which paths it answered (hits), for the verbose log."""

    def __init__(self, cache: ResultCache) -> None:
        self._cache = cache
        self._paths: dict[str, str] = {}
        self.hit_paths: set[str] = set()

    def key(self, path: str, data: bytes, settings=None) -> str:
        key = self._cache.key(path, data, settings)
        self._paths[key] = path
        return key

    def get(self, key: str) -> FileReport | None:
        report = self._cache.get(key)
        if report is not None and key in self._paths:
            self.hit_paths.add(self._paths[key])
        return report

    def __getattr__(self, name: str):    # put, prune, ...: the cache's own
        return getattr(self._cache, name)


class VerboseLog:
    def __init__(self, err: IO[str], enabled: bool) -> None:
        self.err, self.enabled = err, enabled
        self.started = time.perf_counter()
        self.cached = self.analysed = 0

    def say(self, message: str) -> None:
        if self.enabled:
            print(f"mllint: {message}", file=self.err)

    def configuration(self, pyproject: str | None, root: str) -> None:
        self.say(f"configuration: {escape_controls(pyproject)}" if pyproject
                 else "configuration: none found (defaults)")
        self.say(f"project root: {escape_controls(root)}")

    def files(self, count: int, cache_folder: str | None) -> None:
        self.say(f"{count} file{'s' if count != 1 else ''} to check"
                 + (f", cache in {escape_controls(cache_folder)}" if cache_folder else ", no cache"))

    def checked(self, report: FileReport, cached: bool) -> None:
        if cached:
            self.cached += 1
        else:
            self.analysed += 1
        self.say(f"checked {escape_controls(report.path)} ({'cached' if cached else 'analysed'})")

    def finish(self) -> None:
        seconds = time.perf_counter() - self.started
        total = self.cached + self.analysed
        self.say(f"checked {total} file{'s' if total != 1 else ''} in {seconds:.2f} s "
                 f"({self.cached} from the cache, {self.analysed} analysed)")
