"""The project's own import graph: no import cycles, and packages that must stay free of others.

Cycles make import order matter (a module half-initialised when its partner reads
a name from it) and hide the layering: settings would need the rules, the rules
need the rule base class, the base class needs settings.  The graph is built from
the source with the stdlib ``ast`` (nothing is imported), so a late import inside
a function counts as much as one at the top; only imports under
``if TYPE_CHECKING:`` are exempt, since they never run.

Module names are the installed ones (pyproject's ``package-dir``): ``mllint/`` is
``mllint``, the top-level ``rules/`` is ``mllint.rules`` and ``lsp_server/`` is
``mllint.lsp_server``.
"""
from __future__ import annotations

import ast
from functools import cache
from pathlib import Path
from typing import Iterable, Iterator

import networkx as nx
import pytest

REPO = Path(__file__).resolve().parent.parent

#: Source folders and the package name each one installs as (pyproject.toml's package-dir).
PACKAGE_DIRS = {"mllint": REPO / "mllint", "mllint.rules": REPO / "rules", "mllint.lsp_server": REPO / "lsp_server"}

#: Cycles allowed while someone removes them (each as the set of its modules); each must still
#: exist, so the list only shrinks.  Empty: ``mllint.interpreter.calls`` (and its mixins) import
#: ``core`` only under ``TYPE_CHECKING``; ``core`` imports ``calls`` late, one way.
KNOWN_CYCLES: frozenset[frozenset[str]] = frozenset()


def _module_files() -> dict[str, Path]:
    """Every project module name -> its source file (a package's name maps to its ``__init__.py``)."""
    modules: dict[str, Path] = {}
    for package, folder in PACKAGE_DIRS.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            if any(part.startswith(".") or part == "__pycache__" for part in parts):
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            name = ".".join((package, *parts))
            modules[name] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that can run: anywhere in the file but the body of ``if TYPE_CHECKING:``."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: Iterable[str]) -> set[str]:
    """The modules one import statement loads; ``from pkg import name`` is ``pkg.name`` when that is a module."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[:len(base) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    found: set[str] = set()
    for alias in node.names:
        candidate = f"{source}.{alias.name}"
        found.add(candidate if candidate in known else source)
    return found


@cache
def import_graph() -> nx.DiGraph:
    """Project module -> every module it imports (project or not, e.g. ``libcst.metadata``), from the source."""
    files = _module_files()
    graph = nx.DiGraph()
    for module, path in files.items():
        graph.add_node(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _import_nodes(tree):
            for target in _targets(module, path.name == "__init__.py", node, files):
                if target and target != module:
                    graph.add_edge(module, target)
    return graph


def project_cycles() -> set[frozenset[str]]:
    """Strongly connected groups of project modules (size > 1): each is at least one import cycle."""
    graph = import_graph()
    own = graph.subgraph(_module_files())
    return {frozenset(group) for group in nx.strongly_connected_components(own) if len(group) > 1}


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def assert_no_imports(package: str, forbidden: Iterable[str]) -> None:
    """No module of ``package`` imports a module of any ``forbidden`` package (``libcst``, ``mllint.interpreter``)."""
    graph = import_graph()
    forbidden = tuple(forbidden)
    bad = sorted((module, target) for module, target in graph.edges
                 if _within(module, package) and any(_within(target, f) for f in forbidden))
    assert not bad, f"{package} must not import {', '.join(forbidden)}:\n" + \
        "\n".join(f"  {module} imports {target}" for module, target in bad)


def _describe(cycles: Iterable[frozenset[str]]) -> str:
    return "\n".join("  " + " <-> ".join(sorted(group)) for group in sorted(cycles, key=sorted))


def test_the_graph_sees_the_project():
    graph = import_graph()
    assert {"mllint.rule", "mllint.rules", "mllint.settings", "mllint.lsp_server.server"} <= set(graph)
    assert graph.has_edge("mllint.rules", "mllint.rule")     # absolute import from the top-level rules/
    assert graph.has_edge("mllint.cli.main", "mllint.cli.docs")       # function-level relative import
    assert any(_within(t, "libcst") for t in graph.successors("mllint.engine.parsing"))
    assert graph.has_edge("mllint.interpreter.core", "mllint.interpreter.calls")   # late import in a method
    assert not graph.has_edge("mllint.interpreter.calls", "mllint.interpreter.core")   # under TYPE_CHECKING only


def test_no_import_cycles():
    found = project_cycles()
    new = {group for group in found if group not in KNOWN_CYCLES}
    assert not new, "import cycles (each line: modules that import each other):\n" + _describe(new)


def test_known_cycles_still_exist():
    gone = KNOWN_CYCLES - project_cycles()
    assert not gone, "these cycles are gone: remove them from KNOWN_CYCLES:\n" + _describe(gone)


@pytest.mark.parametrize("package, forbidden", [
    ("mllint.library", ("libcst", "mllint.interpreter")),
    ("mllint.settings", ("mllint.rules", "mllint.rule")),
    ("mllint.rule", ("mllint.settings",)),
])
def test_package_does_not_import(package, forbidden):
    if not any(_within(module, package) for module in _module_files()):
        pytest.skip(f"{package} does not exist yet")
    assert_no_imports(package, forbidden)


def test_every_package_is_shipped():
    """A package folder missing from pyproject's explicit ``packages`` list is absent from the wheel."""
    try:
        import tomllib
    except ModuleNotFoundError:   # pragma: no cover - Python 3.10
        import tomli as tomllib
    root = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(("mllint",) + p.parent.relative_to(root / "mllint").parts).rstrip(".")
             for p in (root / "mllint").rglob("*.py") if "__pycache__" not in p.parts}
    found = {name for name in found if name}
    assert found <= listed, f"not in pyproject.toml [tool.setuptools] packages: {sorted(found - listed)}"


#: Modules longer than this get split by job (a module has one job; reviewers read it whole).
MAX_MODULE_LINES = 600


def test_no_module_is_too_long():
    root = Path(__file__).resolve().parent.parent
    long = {str(p.relative_to(root)): n for folder in ("mllint", "lsp_server", "rules")
            for p in (root / folder).rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"
