"""Size bounds of abstract values: every value the interpreter builds stays small by construction.

A checked file is untrusted input: ``cols = cols + cols`` thirty times, or a merge
in a loop whose right side derives from its left, must not build values that
grow exponentially with the number of statements.  Each component has one bound
here; past it the component widens (the value becomes unknown, a schema becomes
open, a provenance unknown) rather than silently dropping what a rule would need
for a finding: a widened value can only make findings disappear, never appear.
"""
from __future__ import annotations

MAX_ITEMS = 10_000        # elements of a literal list / tuple / set / dict, nested elements counted
MAX_CHARS = 10_000        # characters of a folded string (bytes likewise)
MAX_INT_BITS = 4_096      # bits of a folded integer
MAX_STATS = 128           # distinct statistics carried by one data value
DEDUP_STATS = 32          # below this many, repeated statistics are left alone (deduplicating costs)
MAX_NODES = 64            # plan nodes one data value points at (control-flow joins add them)
MAX_COLUMNS = 2_048       # known columns of one schema
MAX_ORIGINS = 256         # row origins of one provenance
MAX_PATH = 64             # nested split steps of one row origin
