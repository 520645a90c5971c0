"""Analysis worker processes, seen from the server's event loop.

Each slot is one worker process (a one-process ``ProcessPoolExecutor`` from a forkserver
context), so that a job that overruns its hard limit can be stopped without touching the
others: its process is killed and the slot gets a fresh one.  A job waits (on the event
loop, never blocking it) for a free slot; ``should_start`` is asked once a slot is free, so
a job that went stale while it waited never runs.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

from . import worker

log = logging.getLogger("mllint.lsp")

_PRELOAD = ["mllint.lsp_server._preload"]


class AnalysisTimeout(Exception):
    """The job ran past the hard limit; its worker was replaced."""


class Stale(Exception):
    """The job was no longer wanted when a worker became free; it did not run."""


class WorkerDied(Exception):
    """The worker process exited during the job (a crash, or killed by the system)."""


def _context() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


class _Slot:
    def __init__(self, context: multiprocessing.context.BaseContext) -> None:
        self.context = context
        self.executor = ProcessPoolExecutor(max_workers=1, mp_context=context)

    def replace(self) -> None:
        """Kill this slot's process (it may be stuck in a C-level step) and start afresh."""
        old = self.executor
        for process in list(getattr(old, "_processes", {}).values()):   # no public way to reach it
            try:
                process.kill()
            except Exception:   # pragma: no cover - already gone
                pass
        old.shutdown(wait=False, cancel_futures=True)
        self.executor = ProcessPoolExecutor(max_workers=1, mp_context=self.context)

    def shutdown(self) -> None:
        for process in list(getattr(self.executor, "_processes", {}).values()):
            try:
                process.kill()
            except Exception:   # pragma: no cover
                pass
        self.executor.shutdown(wait=False, cancel_futures=True)


class AnalysisPool:
    """``workers`` processes; ``run`` sends one job to a free one, bounded by ``hard_limit`` seconds."""

    def __init__(self, workers: int, hard_limit: float) -> None:
        self.hard_limit = hard_limit
        self._context = _context()
        self._slots = [_Slot(self._context) for _ in range(workers)]
        self._free: asyncio.Queue[_Slot] | None = None
        # submitting can start a process (the first time, and after a replace), which waits for
        # the forkserver to finish its preload: never on the event loop
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mllint-spawn")

    def _queue(self) -> asyncio.Queue[_Slot]:
        if self._free is None:
            self._free = asyncio.Queue()
            for slot in self._slots:
                self._free.put_nowait(slot)
        return self._free

    def start(self) -> None:
        """Start the workers now (the forkserver warms up while the client opens documents)."""
        for slot in self._slots:
            self._spawner.submit(slot.executor.submit, worker.ping)

    async def run(self, job: str, *args: Any, should_start: Callable[[], bool] | None = None) -> Any:
        free = self._queue()
        slot = await free.get()
        release = True
        try:
            if should_start is not None and not should_start():
                raise Stale(job)
            future: asyncio.Future | None = None
            loop = asyncio.get_running_loop()
            submitting = loop.run_in_executor(self._spawner, slot.executor.submit, worker.run, job, *args)
            try:
                future = asyncio.wrap_future(await asyncio.shield(submitting))
                return await asyncio.wait_for(asyncio.shield(future), self.hard_limit)
            except asyncio.TimeoutError:
                log.warning("%s job stopped after %.0f s: its worker is replaced", job, self.hard_limit)
                slot.replace()
                raise AnalysisTimeout(job) from None
            except BrokenProcessPool:
                log.warning("the worker of a %s job exited: it is replaced", job)
                slot.replace()
                raise WorkerDied(job) from None
            except asyncio.CancelledError:
                # the job keeps running: the slot becomes free when it ends, not now
                release = False
                if future is not None:
                    future.add_done_callback(lambda _: free.put_nowait(slot))
                else:
                    submitting.add_done_callback(lambda done: self._release_after(done, slot))
                raise
        finally:
            if release:
                free.put_nowait(slot)

    def _release_after(self, submitted: asyncio.Future, slot: _Slot) -> None:
        free = self._queue()
        if submitted.cancelled() or submitted.exception() is not None:
            free.put_nowait(slot)
        else:
            asyncio.wrap_future(submitted.result()).add_done_callback(lambda _: free.put_nowait(slot))

    def shutdown(self) -> None:
        for slot in self._slots:
            slot.shutdown()
        self._spawner.shutdown(wait=False, cancel_futures=True)
