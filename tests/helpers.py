"""Shared helpers for the engine tests: write a snippet to a real file, analyse it, query the plan.

Every snippet is written to ``tmp_path / 'pipeline.py'`` (or another name) and
analysed with ``path=`` pointing at it, the way the CLI and flake8 do.  Data
files that a test wants the analyzer to see are written next to it.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterable

from mllint import Config, analyze
from mllint.engine.analysis import Analysis
from mllint.domains.values import Data, Estimator
from mllint.plan import Operator, Plan, PlanNode

O = Operator

#: ``../shared`` beside the checkout: benchmark data and the Kaggle corpus (not part of the repository).
SHARED = Path(__file__).resolve().parents[2] / "shared"
SHARED_MISSING = f"needs {SHARED} (the benchmark data beside the checkout; see the README's Development section)"


def write(tmp_path: Path, code: str, name: str = "pipeline.py") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(code).lstrip("\n"), encoding="utf-8")
    return path


def run(tmp_path: Path, code: str, name: str = "pipeline.py", config: Config | None = None) -> Analysis:
    """Write ``code`` to ``tmp_path/name`` and analyse it; the analysis must succeed."""
    path = write(tmp_path, code, name)
    analysis = analyze(path.read_text(encoding="utf-8"), path=str(path), config=config)
    assert analysis.error is None, analysis.error
    return analysis


def nodes_of(plan: Plan, operator: Operator) -> list[PlanNode]:
    return [n for n in plan.nodes() if n.operator is operator]


def ops(plan: Plan) -> list[Operator]:
    return [n.operator for n in plan.nodes()]


def one(plan: Plan, operator: Operator, description: str | None = ..., **fields) -> PlanNode:
    """The single node with this operator (and description / fields of its record, when given)."""
    found = [n for n in nodes_of(plan, operator)
             if (description is ... or n.description == description)
             and all(getattr(n.info, k) == v for k, v in fields.items())]
    assert len(found) == 1, f"expected one {operator.name} {description!r} {fields}, found " \
                            f"{[(n.id, n.description) for n in found]}\n{describe(plan)}"
    return found[0]


def sources(plan: Plan) -> list[PlanNode]:
    return nodes_of(plan, Operator.DATA_SOURCE)


def source_named(plan: Plan, description: str) -> PlanNode:
    return one(plan, Operator.DATA_SOURCE, description)


def parent_ids(plan: Plan, node: PlanNode) -> list[int]:
    return [p.id for p in plan.parents(node)]


def parent_ops(plan: Plan, node: PlanNode) -> list[Operator]:
    return [p.operator for p in plan.parents(node)]


def ancestors(plan: Plan, node: PlanNode) -> set[int]:
    return plan.ancestor_ids(node.id)


def data(analysis: Analysis, name: str) -> Data:
    value = analysis.env.get(name)
    assert isinstance(value, Data), f"{name} is {value!r}"
    return value


def estimator(analysis: Analysis, name: str) -> Estimator:
    value = analysis.env.get(name)
    assert isinstance(value, Estimator), f"{name} is {value!r}"
    return value


def node_ids(value: Data) -> list[int]:
    return [n.id for n in value.nodes]


def origin_set(value) -> set[tuple[int, tuple]]:
    """``{(source id, path)}`` of a Data value or Provenance."""
    prov = value.prov if isinstance(value, Data) else value
    assert prov is not None, "provenance unknown"
    return {(o.source, o.path) for o in prov.origins}


def columns(node: PlanNode) -> list[str] | None:
    return node.columns


def describe(plan: Plan) -> str:
    lines = []
    for n in plan.nodes():
        lines.append(f"  #{n.id} {n.operator.name} {n.description!r} cols={n.columns} "
                     f"parents={parent_ids(plan, n)}{' loop' if n.in_loop else ''}")
    return "\n".join(lines)


def mllint_cli(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mllint", *args], capture_output=True, text=True,
                          cwd=str(cwd) if cwd is not None else None, timeout=timeout)


def names_with_lineage(schema, source_column: str) -> list[str]:
    return [c.name for c in schema.columns if source_column in c.lineage]


__all__ = ["O", "Operator", "write", "run", "nodes_of", "ops", "one", "sources", "source_named", "parent_ids",
           "parent_ops", "ancestors", "data", "estimator", "node_ids", "origin_set", "columns", "describe",
           "mllint_cli", "names_with_lineage", "Iterable", "Config"]
