"""Analysis configuration (the parts the engine needs; surfaces add their own)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Config:
    """Settings of one analysis.

    ``data_headers``: read the header line of a local CSV named by a literal
    path to learn its columns (bounded read, inside ``project_root`` only).
    ``project_root``: the folder data files must lie in; None means the
    nearest ancestor of the analysed file holding pyproject.toml, setup.cfg,
    setup.py or .git, else the file's own folder.
    """

    data_headers: bool = True
    project_root: str | None = None
    max_seconds: float = 2.0     # the normal budget: a deterministic work allowance (interpreter/budget.py)
    max_bytes: int = 2_000_000
    max_lines: int = 20_000      # parsing alone grows with size: past this, the file is not analysed


DEFAULT_CONFIG = Config()
