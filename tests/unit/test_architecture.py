"""The package's import graph has no cycles and no module imports another module's private names.

Cycles are how a package turns back into one hall: once two modules import each other, the next
change adds a third, and imports move inside functions to dodge them. So every module under
``simulator/`` is parsed with ``ast`` and every import is an edge, wherever it is written: at
module level, under ``if TYPE_CHECKING:``, or inside a function (a function-local import that
delays a heavy optional dependency is fine, as long as it forms no cycle). A name that starts
with one underscore belongs to its module: importing it, or reading it as ``module._name``
through an imported module, is reported too.

The checker works on any folder, and ``test_the_checker_finds_a_cycle`` gives it a small
package with a cycle, so a checker that silently stopped finding cycles fails as well.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Edge:
    """One import: ``source`` imports ``target`` at ``line`` (``name`` when it is a name)."""

    source: str
    target: str
    line: int
    name: str | None


def modules_under(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file of ``package`` (a folder)."""
    found: dict[str, Path] = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def edges_of(name: str, path: Path, modules: dict[str, Path]) -> list[Edge]:
    """Every import of a module of ``modules`` written anywhere in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    edges: list[Edge] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    edges.append(Edge(name, alias.name, node.lineno, None))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                if not _is_package(path):
                    anchor = anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if base not in modules:
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in modules:
                    edges.append(Edge(name, sub, node.lineno, None))
                else:
                    edges.append(Edge(name, base, node.lineno, alias.name))
    return edges


def private_uses(name: str, path: Path, modules: dict[str, Path]) -> list[str]:
    """``module:line`` notes for each private name this module takes from another one."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for edge in edges_of(name, path, modules):
        if edge.name is not None and _private(edge.name) and edge.target != name:
            found.append(f"{name}:{edge.line} imports {edge.target}.{edge.name}")
    # ``import simulator.x as m`` / ``from simulator import x``, then ``m._name``.
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules and alias.asname:
                    aliases[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                if sub in modules:
                    aliases[alias.asname or alias.name] = sub
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and _private(node.attr)
            and aliases[node.value.id] != name
        ):
            found.append(f"{name}:{node.lineno} reads {aliases[node.value.id]}.{node.attr}")
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def import_graph(package: Path) -> dict[str, list[Edge]]:
    """Module -> its imports of other modules of ``package``, with the packages they run.

    Importing ``a.b.c`` first runs ``a/b/__init__.py``, so the edge to ``a.b.c`` brings an
    edge to ``a.b``: a cycle through a package's ``__init__`` fails at run time like any other.
    Two parents are left out: the importing module's own packages (already running when it
    runs) and the root package (its ``__init__`` is the public facade over everything).
    """
    modules = modules_under(package)
    graph: dict[str, list[Edge]] = {}
    for name, path in modules.items():
        edges = edges_of(name, path, modules)
        own = {name, *_parents(name)}
        implied = [
            Edge(e.source, parent, e.line, None)
            for e in edges
            for parent in _parents(e.target)
            if parent in modules and parent not in own and parent != package.name
        ]
        graph[name] = edges + implied
    return graph


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def cycles(graph: dict[str, list[Edge]]) -> list[list[Edge]]:
    """One cycle (as the edges that close it) per strongly connected group of modules."""
    targets = {m: sorted({e.target for e in edges if e.target != m}) for m, edges in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's algorithm
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for nxt in targets.get(module, []):
            if nxt not in index:
                visit(nxt)
                low[module] = min(low[module], low[nxt])
            elif nxt in on_stack:
                low[module] = min(low[module], index[nxt])
        if low[module] == index[module]:
            group: list[str] = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(targets):
        if module not in index:
            visit(module)
    return [_one_cycle(group, graph) for group in groups]


def _one_cycle(group: list[str], graph: dict[str, list[Edge]]) -> list[Edge]:
    """A shortest path inside ``group`` from its first module back to itself."""
    members = set(group)
    start = group[0]
    paths: dict[str, list[Edge]] = {start: []}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for module in frontier:
            for edge in sorted(graph[module], key=lambda e: (e.target, e.line)):
                if edge.target == module:
                    continue
                if edge.target == start:
                    return [*paths[module], edge]
                if edge.target in members and edge.target not in paths:
                    paths[edge.target] = [*paths[module], edge]
                    following.append(edge.target)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover


def describe(cycle: list[Edge]) -> str:
    return " -> ".join(f"{e.source} (line {e.line})" for e in cycle) + f" -> {cycle[-1].target}"


def test_no_import_cycles() -> None:
    found = cycles(import_graph(ROOT / "simulator"))
    assert not found, "import cycles:\n" + "\n".join(describe(c) for c in found)


def test_no_private_name_crosses_a_module() -> None:
    modules = modules_under(ROOT / "simulator")
    found = [note for name, path in modules.items() for note in private_uses(name, path, modules)]
    assert not found, "private names used across modules:\n" + "\n".join(found)


def test_the_graph_sees_the_package() -> None:
    graph = import_graph(ROOT / "simulator")
    assert "simulator.cloud.cloud" in graph
    targets = {e.target for e in graph["simulator.simulator"]}
    assert "simulator.cloud" in targets or "simulator.cloud.cloud" in targets


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_checker_finds_a_cycle(tmp_path: Path) -> None:
    # The cycle closes through a function-local import, the way cycles used to be dodged.
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg.b import thing\n",
            "b.py": "thing = 1\ndef late():\n    from pkg.sub import c\n",
            "sub/__init__.py": "",
            "sub/c.py": "from .. import a\n",
            "d.py": "import pkg.a\n",
        },
    )
    found = cycles(import_graph(root))
    assert [describe(c) for c in found] == [
        "pkg.a (line 1) -> pkg.b (line 3) -> pkg.sub.c (line 1) -> pkg.a"
    ]


def test_the_checker_finds_private_names(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "_hidden = 1\n__all__ = []\n",
            "b.py": "from pkg.a import _hidden, __all__\n",
            "c.py": "from pkg import a\nx = a._hidden\n",
        },
    )
    modules = modules_under(root)
    found = [n for name, path in modules.items() for n in private_uses(name, path, modules)]
    assert found == ["pkg.b:1 imports pkg.a._hidden", "pkg.c:2 reads pkg.a._hidden"]


# -- docs/architecture.md stays true ------------------------------------------------------------
DOC = ROOT / "docs" / "architecture.md"
RULES = ROOT.parent / "shared" / "RULES.md"


def _rule_ids(text: str) -> list[str]:
    return re.findall(r"^- \*\*([A-Z]\d+)\b", text, flags=re.MULTILINE)


def test_every_rule_is_mapped_to_code() -> None:
    if not RULES.is_file():
        pytest.skip("../shared/RULES.md is not there (the project checked out alone)")
    ids = _rule_ids(RULES.read_text(encoding="utf-8"))
    assert len(ids) > 30, ids
    doc = DOC.read_text(encoding="utf-8")
    missing = [i for i in ids if not re.search(rf"^\| {i} ", doc, flags=re.MULTILINE)]
    assert not missing, f"rules without a row in docs/architecture.md: {missing}"


def test_every_module_path_in_the_doc_exists() -> None:
    named = set(re.findall(r"`(simulator/[\w/]+\.py)`", DOC.read_text(encoding="utf-8")))
    assert len(named) > 40, named
    missing = sorted(p for p in named if not (ROOT / p).is_file())
    assert not missing, f"docs/architecture.md names modules that do not exist: {missing}"


def test_every_module_has_a_line_in_the_doc() -> None:
    named = set(re.findall(r"`(simulator/[\w/]+\.py)`", DOC.read_text(encoding="utf-8")))
    modules = {
        str(p.relative_to(ROOT))
        for p in (ROOT / "simulator").rglob("*.py")
        if p.name != "__init__.py" or p.parent.name in ("simulator", "cli")
    }
    assert not sorted(modules - named), "modules missing from docs/architecture.md"


def test_every_step_section_is_mapped() -> None:
    steps = (ROOT / "docs" / "steps.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## (.+)$", steps, flags=re.MULTILINE)
    assert sections
    doc = DOC.read_text(encoding="utf-8")
    missing = [s for s in sections if not re.search(rf"^\| {re.escape(s)} \|", doc, re.MULTILINE)]
    assert not missing, f"step sections without a module in docs/architecture.md: {missing}"
