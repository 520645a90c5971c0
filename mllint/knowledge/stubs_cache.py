"""The on-disk cache of the built pandas-stubs table.

The table is stored as JSON in the user cache directory, keyed by the
pandas-stubs version, the Python version (``sys.version_info`` branches in the
stubs are evaluated for the running interpreter) and a fingerprint of the
source of every module that builds or encodes the table, so that a changed
derivation invalidates old caches.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from pathlib import Path
from types import ModuleType

from .stubs_kinds import MemberInfo, StubsTable

#: Bump when the JSON layout changes (the source fingerprint covers logic changes).
_SCHEMA = 1


def _cache_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "mllint"
    try:
        return Path.home() / ".cache" / "mllint"
    except RuntimeError:  # no home directory
        return None


@functools.cache
def _fingerprint(sources: tuple[ModuleType, ...]) -> str:
    """Short hash of the sources of ``sources`` (every module that builds or encodes
    the table), so that a changed derivation invalidates old caches."""
    digest = hashlib.sha1()
    try:
        for module in sources:
            digest.update(Path(str(module.__file__)).read_bytes())
    except (OSError, TypeError):
        return f"s{_SCHEMA}"
    return digest.hexdigest()[:12]


def _cache_file(version: str, sources: tuple[ModuleType, ...]) -> Path | None:
    directory = _cache_dir()
    if directory is None:
        return None
    safe = "".join(c if c.isalnum() or c in ".-_" else "_" for c in version)
    py = f"py{sys.version_info[0]}{sys.version_info[1]}"
    return directory / f"pandas-stubs-{safe}-{py}-{_fingerprint(sources)}.json"


def _read_cache(path: Path, version: str) -> StubsTable | None:
    try:
        data = json.loads(path.read_bytes())
        if data.get("schema") != _SCHEMA or data.get("version") != version:
            return None
        owners = {
            owner: {name: MemberInfo.from_json(raw) for name, raw in members.items()}
            for owner, members in data["owners"].items()
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return StubsTable(version, owners)


def _write_cache(path: Path, built: StubsTable) -> None:
    """Write atomically (temp file + rename); an unwritable cache is silently skipped."""
    data = {
        "schema": _SCHEMA,
        "version": built.version,
        "owners": {o: {n: i.to_json() for n, i in sorted(m.items())} for o, m in built.owners.items()},
    }
    import tempfile  # only needed on a cache miss

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".pandas-stubs-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
