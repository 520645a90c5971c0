"""Where an operation happens in the analysed source.

A :class:`Site` is opaque to everything but the position code: it holds the
syntax node of the operation and of the statement around it (LibCST), and the
aligned stdlib ``ast`` statement, so that spans are computed only when a rule
or a view asks for one.  The plan does not import LibCST: it only stores them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import ast

    import libcst as cst


@dataclass(slots=True)
class Site:
    """A syntax node inside an aligned statement."""

    node: "cst.CSTNode | Any"
    stmt: "cst.CSTNode | Any"
    ast_stmt: "ast.stmt | None"
    #: inside a function of the analysed code: the top-level statement whose call got here (a
    #: statistic computed in a helper does its harm where the helper is called)
    caller: "Site | None" = None
