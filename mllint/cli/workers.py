"""Worker processes for ``mllint check``, each task under a hard wall-clock limit enforced from outside.

Why not ``concurrent.futures``: a pool cannot stop one task.  The analysis bounds itself (a
work count, a time budget), but a single C-level step -- a parse, a huge constant, a bug of
ours -- is beyond any in-process guard, and one hung file must not cost the whole run.  Here
every task runs in a child process the parent watches; a child that overruns the limit is
killed, the task reported as timed out, and a fresh child takes the next task.  A child that
dies (killed by the OOM killer, a crash in native code) is reported and replaced the same way,
and one that has grown large retires after its task.

Children are forked (where the platform can) after the caller has loaded the analysis
modules and frozen the garbage collector, so that they start instantly with the tables
already built; with one job there is still one child, so the limit always holds.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable

#: A child whose peak memory passed this retires after its task (memory a Python process has
#: grown into is rarely given back; a fresh fork starts from the parent's small image again).
RETIRE_RSS_BYTES = 768 * 1024 * 1024


@dataclass(frozen=True)
class Outcome:
    """What became of one submitted task: the job's ``result``, or why there is none (``failure``)."""

    tag: Any
    result: Any = None
    failure: str | None = None
    timed_out: bool = False


@dataclass
class _Worker:
    process: Any
    conn: Connection
    tag: Any = None
    deadline: float | None = None
    busy: bool = False


def _die_with_parent(parent: int) -> None:
    """Linux: be killed when the parent dies, so that no analysis outlives a killed run (best effort)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:     # the parent died before the request took effect
        os._exit(1)


def _serve(conn: Connection, job: Callable[[Any], Any], inherited: list[Connection], parent: int) -> None:
    """A child's loop: run ``job`` on each message until told to stop (``None``) or orphaned."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is the parent's to handle
    for other in inherited:     # the parent's ends of the other children's pipes: not ours to hold open
        other.close()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        result = job(message)
        retire = _grown_past(RETIRE_RSS_BYTES)
        conn.send((result, retire))
        if retire:     # hand the memory back to the system: the parent starts a fresh child if needed
            return


def _grown_past(limit: int) -> bool:
    """Whether this process's peak resident memory passed ``limit`` bytes (where it can be known)."""
    try:
        import resource
    except ImportError:    # pragma: no cover - not on POSIX
        return False
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak * (1 if sys.platform == "darwin" else 1024) > limit


class WorkerPool:
    """Up to ``size`` children started on demand; :meth:`submit` one task per idle child, then :meth:`wait`."""

    def __init__(self, size: int, job: Callable[[Any], Any], hard_limit: float | None) -> None:
        self.size = max(1, size)
        self.hard_limit = hard_limit
        self._job = job
        methods = multiprocessing.get_all_start_methods()
        self._fork = "fork" in methods
        self._context = multiprocessing.get_context("fork" if self._fork else "spawn")
        self._workers: list[_Worker] = []

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def busy(self) -> int:
        return sum(worker.busy for worker in self._workers)

    def has_idle(self) -> bool:
        return self.busy < self.size

    def submit(self, tag: Any, payload: Any) -> None:
        """Hand ``payload`` to an idle child (started if need be); its outcome comes from :meth:`wait`."""
        worker = next((w for w in self._workers if not w.busy), None) or self._start()
        worker.tag, worker.busy = tag, True
        worker.deadline = None if self.hard_limit is None else time.monotonic() + self.hard_limit
        try:
            worker.conn.send(payload)
        except OSError:    # the child is gone already: wait() reports it
            pass

    def wait(self) -> list[Outcome]:
        """Block until at least one busy child finished or overran its limit; their outcomes."""
        busy = [w for w in self._workers if w.busy]
        if not busy:
            return []
        deadlines = [w.deadline for w in busy if w.deadline is not None]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        ready = wait([w.conn for w in busy], timeout)
        outcomes = []
        for worker in busy:
            if worker.conn in ready:
                try:
                    result, retire = worker.conn.recv()
                    outcomes.append(Outcome(worker.tag, result))
                    worker.busy = False
                    if retire:
                        self._discard(worker, wait=True)
                    continue
                except (EOFError, OSError):
                    worker.process.join(1)
                    failure = f"the worker process stopped unexpectedly (exit code {worker.process.exitcode})"
                    outcomes.append(Outcome(worker.tag, failure=failure))
            elif worker.deadline is not None and time.monotonic() >= worker.deadline:
                outcomes.append(Outcome(worker.tag, failure=f"stopped after the {self.hard_limit:g} s hard limit "
                                                            f"per file", timed_out=True))
            else:
                continue
            self._discard(worker)
        return outcomes

    def close(self) -> None:
        """Let idle children finish, stop busy ones: nothing outlives the run."""
        for worker in self._workers:
            if not worker.busy:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        for worker in list(self._workers):
            if worker.busy:
                self._discard(worker)
            else:
                worker.process.join(2)
                if worker.process.is_alive():
                    worker.process.kill()
                    worker.process.join()
                worker.conn.close()
        self._workers.clear()

    def _start(self) -> _Worker:
        parent_end, child_end = self._context.Pipe(duplex=True)
        sys.stdout.flush()      # a forked child would otherwise write the parent's pending output again
        sys.stderr.flush()
        inherited = [w.conn for w in self._workers] if self._fork else []
        process = self._context.Process(target=_serve, args=(child_end, self._job, inherited, os.getpid()),
                                        daemon=True)
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self._workers.append(worker)
        return worker

    def _discard(self, worker: _Worker, wait: bool = False) -> None:
        if wait:
            worker.process.join(2)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self._workers.remove(worker)
