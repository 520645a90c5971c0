"""What runs in an analysis worker process (the server's side is ``pool.py``).

The server's event loop and the analyses must not share one interpreter: LibCST's native
parser (and CPython's ``ast.parse``) hold the GIL for the whole parse.  Measured here, a
thread parsing a 14,000-line file kept the event loop from running for 9.5 s, so no thread
pool can keep hover and other documents responsive.  Workers are forked from a forkserver
that imported this module, so a new worker starts with LibCST, the rules and the knowledge
tables already loaded (``warm``).  Only plain data crosses the process boundary: the inputs
(text, path, settings) and ``Snapshot`` / strings back.
"""
from __future__ import annotations

import gc
import os
import threading
import time
from typing import Any, Callable

from .documents import analyse_notebook, analyse_text, explain_notebook, explain_text

COLLECT_EVERY = 20           # automatic collection is off (see warm): mid-burst, young objects every 20 jobs,
FULL_COLLECT_EVERY = 5       # every fifth time a full pass (analyses are full of reference cycles);
IDLE_COLLECT_SECONDS = 1.0   # and a full pass once the worker has been idle this long
_jobs = 0
_last_job = 0.0              # monotonic end of the last job
_garbage = False             # jobs ran since the last collection
_collect_now = threading.Event()   # set after a job: the housekeeping thread collects while the result travels


def _fixes(source: str, path: str | None, settings: Any) -> list:
    from mllint.fixes.editor import editor_fixes
    return editor_fixes(source, path, settings)


JOBS: dict[str, Callable[..., Any]] = {
    "text": analyse_text,
    "notebook": analyse_notebook,
    "explain_text": explain_text,
    "explain_notebook": explain_notebook,
    "fixes": _fixes,
}


def exit_with_parent(collect_when_idle: bool = False) -> None:
    """Exit as soon as the parent process is gone (and, in a worker, collect garbage when idle).

    A server killed outright (SIGKILL, a crashed editor) runs no clean-up, and neither the
    forkserver nor the pool's workers notice on their own: without this they would stay
    forever.  The forkserver watches the server, each worker its forkserver.
    """
    parent = os.getppid()

    def watch() -> None:
        global _garbage
        while True:
            due = _collect_now.wait(IDLE_COLLECT_SECONDS / 2) if collect_when_idle else time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(0)
            if not collect_when_idle:
                continue
            if due:     # mid-burst: young objects, every fifth time everything
                _collect_now.clear()
                gc.collect(2 if _jobs % (COLLECT_EVERY * FULL_COLLECT_EVERY) == 0 else 1)
            elif _garbage and time.monotonic() - _last_job > IDLE_COLLECT_SECONDS:
                _garbage = False
                gc.collect()

    threading.Thread(target=watch, name="mllint-parent-watch", daemon=True).start()


_watching = False


def _watch_once() -> None:
    global _watching
    if not _watching:
        _watching = True
        exit_with_parent(collect_when_idle=True)


def run(job: str, *args: Any) -> Any:
    """The entry point of every job sent to a worker."""
    global _jobs, _last_job, _garbage
    _watch_once()
    try:
        return JOBS[job](*args)
    finally:
        _jobs += 1
        if _jobs % COLLECT_EVERY == 0:
            _collect_now.set()
        _garbage = True
        _last_job = time.monotonic()


def ping() -> bool:
    _watch_once()
    return True


def warm() -> None:
    """Build the lazily built tables once, in the forkserver, so that every worker inherits them."""
    from mllint.settings import Settings

    try:
        analyse_text("import pandas as pd\nfrom sklearn.preprocessing import StandardScaler\n"
                     "df = pd.read_csv('d.csv')\nStandardScaler().fit_transform(df)\n", None, Settings())
    except Exception:   # pragma: no cover - warming is an optimisation only
        pass
    gc.collect()
    gc.freeze()      # the long-lived tables stay out of every later collection
    gc.disable()
