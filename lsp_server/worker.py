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

_COLLECT_YOUNG_EVERY = 5     # automatic collection is off (see warm): young objects every few jobs,
_COLLECT_FULL_EVERY = 50     # and a full pass now and then (analyses are full of reference cycles)
_jobs = 0


def _pipeline_fix(source: str, path: str | None, line: int, settings: Any) -> str | None:
    from .pipeline_fix import pipeline_fix
    return pipeline_fix(source, path, line, settings)


JOBS: dict[str, Callable[..., Any]] = {
    "text": analyse_text,
    "notebook": analyse_notebook,
    "explain_text": explain_text,
    "explain_notebook": explain_notebook,
    "pipeline_fix": _pipeline_fix,
}


def exit_with_parent() -> None:
    """Exit as soon as the parent process is gone.

    A server killed outright (SIGKILL, a crashed editor) runs no clean-up, and neither the
    forkserver nor the pool's workers notice on their own: without this they would stay
    forever.  The forkserver watches the server, each worker its forkserver.
    """
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="mllint-parent-watch", daemon=True).start()


_watching = False


def run(job: str, *args: Any) -> Any:
    """The entry point of every job sent to a worker."""
    global _jobs, _watching
    if not _watching:
        _watching = True
        exit_with_parent()
    try:
        return JOBS[job](*args)
    finally:
        _jobs += 1
        if _jobs % _COLLECT_FULL_EVERY == 0:
            gc.collect()
        elif _jobs % _COLLECT_YOUNG_EVERY == 0:
            gc.collect(1)


def ping() -> bool:
    global _watching
    if not _watching:
        _watching = True
        exit_with_parent()
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
