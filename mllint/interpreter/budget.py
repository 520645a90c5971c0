"""The per-file analysis budget: a deterministic work count, with a time guard as the outer bound.

Where an analysis is cut must not depend on machine load: with a time budget,
a one-line edit on a busy machine turned 247 diagnostics into 1,535.  So the
cut is decided by counting work (statements run, calls evaluated, plan nodes
emitted, weighted by the schema they carry, plus the parse charged up-front by
size) against a fixed allowance: the same input always stops at the same
statement.  ``max_seconds`` keeps its meaning as "the normal budget": the
allowance is what a quiet machine does in that time, and the clock only stops
an analysis that runs :data:`GUARD_FACTOR` times longer than that (an operation
far costlier per unit than calibrated: a bug of ours).  That outer guard reads
the analysing thread's CPU time, not the wall clock: on a machine loaded 4x (CI
runners, six jobs on two cores) a wall-clock guard would fire on ordinary files
and bring load-dependent cuts back; a hang outside the CPU (a blocked read) is
for the caller's per-file limit (``mllint check`` replaces a worker that
overruns).  One budget covers the whole analysis of a file, parse and both
interpretation passes included.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

#: Work units a quiet machine of the reference kind does per second of interpretation.
UNITS_PER_SECOND = 250_000
#: The parse (LibCST's native parser, then the stdlib's) is charged up-front, estimated from
#: counts of what LibCST's parser is slow on, in microseconds of a quiet machine: fitted on
#: Kaggle notebooks and synthetic files (``x = a(b(c(1)))`` costs ~0.5 ms a line,
#: ``s = df.a + df.b * k`` ~0.15 ms, ``x = 1`` ~0.03 ms); it errs on the high side.
PARSE_MICROSECONDS_PER_CHAR = 0.2
PARSE_MICROSECONDS = (("(", 100), ("[", 75), ("=", 30), ("+", 30), ("-", 30), ("*", 30), ("/", 30), (".", 20))
#: Of the allowance, the parse is charged at most this share (the rest is for interpretation);
#: a file whose parse alone is estimated past REFUSE_PARSE allowances is not parsed at all.
PARSE_SHARE = 0.5
REFUSE_PARSE = 1.5
#: The time guard stops an analysis only past this multiple of the normal budget.
GUARD_FACTOR = 4.0
_CHECK_EVERY = 1024


def now() -> float:
    """The outer guard's clock: this thread's CPU seconds (a module function, so tests can slow it)."""
    return time.thread_time()

WORK_NOTE = "analysis budget exceeded: the rest of the file is treated as unknown"
GUARD_NOTE = ("analysis budget exceeded (time guard, {seconds:g} s of CPU): the rest of the file is treated as "
             "unknown; results may differ between runs")


def parse_cost(code: str) -> int:
    """Work units the parse of ``code`` costs, estimated in C-speed passes over the text."""
    micro = len(code) * PARSE_MICROSECONDS_PER_CHAR + sum(code.count(token) * cost for token, cost in PARSE_MICROSECONDS)
    return int(micro * UNITS_PER_SECOND / 1_000_000)


class BudgetExceeded(Exception):
    """Raised inside the interpreter when the file's budget is spent."""


@dataclass
class Budget:
    """Work allowance of one file's analysis.

    ``tick`` (inlined in ``Interpreter.eval``) is on the hot path: one addition and one
    comparison; the allowance and the clock are looked at only every ``_CHECK_EVERY`` units.
    """

    seconds: float = 2.0
    max_work: int = 0                       # 0: derived from ``seconds``
    started: float = -1.0
    work: int = 0
    guard_fired: bool = False
    next_check: int = field(default=_CHECK_EVERY, repr=False)   # the work count at which to look again

    def __post_init__(self) -> None:
        if self.max_work <= 0:
            self.max_work = max(int(self.seconds * UNITS_PER_SECOND), 1)
        if self.started < 0:
            self.started = now()
        self.next_check = min(self.work + _CHECK_EVERY, self.max_work + 1)

    @property
    def guard_seconds(self) -> float:
        return self.seconds * GUARD_FACTOR

    @property
    def remaining(self) -> int:
        return self.max_work - self.work

    def charge_parse(self, units: int) -> bool:
        """Charge the parse; False when it is estimated too costly to start at all.

        It is charged at most ``PARSE_SHARE`` of the allowance: the size limits (2 MB,
        20,000 lines) already bound it, and the interpretation always gets the rest.
        """
        if units > self.max_work * REFUSE_PARSE:
            return False
        self.work += min(units, int(self.max_work * PARSE_SHARE))
        self.next_check = min(self.work + 1, self.next_check)
        return True

    def tick(self, units: int = 1) -> None:
        self.work += units
        if self.work >= self.next_check:
            self.check()

    def check(self) -> None:
        if self.work > self.max_work:
            raise BudgetExceeded()
        if now() - self.started > self.guard_seconds:
            self.guard_fired = True
            raise BudgetExceeded()
        self.next_check = min(self.work + _CHECK_EVERY, self.max_work + 1)

    def check_guard(self) -> bool:
        """Between phases: whether the outer time guard has fired (and remember it)."""
        if not self.guard_fired and now() - self.started > self.guard_seconds:
            self.guard_fired = True
        return self.guard_fired

    @property
    def note(self) -> str:
        return GUARD_NOTE.format(seconds=self.guard_seconds) if self.guard_fired else WORK_NOTE


__all__ = ["Budget", "BudgetExceeded", "UNITS_PER_SECOND", "GUARD_FACTOR", "parse_cost"]
