"""Analysis configuration (the parts the engine needs; surfaces add their own)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Config:
    """Settings of one analysis.

    ``data_headers``: read the header line of a local CSV named by a literal
    path to learn its columns.  Where such a file may lie is not a setting: it
    is the project of the analysed file, found from the file alone
    (``mllint.engine.data_headers.project_root_for``), so that every surface reads the
    same files whatever folder it was started from.
    """

    data_headers: bool = True
    max_seconds: float = 2.0     # the normal budget: a deterministic work allowance (interpreter/budget.py)
    max_bytes: int = 2_000_000
    max_lines: int = 20_000      # parsing alone grows with size: past this, the file is not analysed


DEFAULT_CONFIG = Config()
