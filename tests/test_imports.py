"""The package's import graph: no circles among ``align`` modules, and no module too long.

Every ``import`` counts, at module level or inside a function (a circle hidden inside a
function is still a circle: the two modules cannot be understood or tested apart). Importing
``align.a.b`` also imports the package ``align.a`` (unless the importer is inside it).

Print the graph with ``python tests/test_imports.py`` (one module a line, with what it imports).
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "align"
MAX_LINES = 600


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(node: ast.ImportFrom, current: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".")
    drop = node.level - 1 if is_package else node.level
    base = base[:len(base) - drop]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The ``align`` modules that ``name`` imports, anywhere in its file."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node, name, is_package)
            targets = [base]
            # ``from . import x`` / ``from .pkg import mod``: x is a module when one exists
            targets += [f"{base}.{alias.name}" for alias in node.names
                        if f"{base}.{alias.name}" in known]
        for target in targets:
            if not (target == "align" or target.startswith("align.")):
                continue
            if target in known and target != name:
                found.add(target)
            # each enclosing package runs first, unless the importer is already inside it
            parts = target.split(".")
            for k in range(2, len(parts)):
                prefix = ".".join(parts[:k])
                if prefix in known and prefix != name and not name.startswith(prefix + "."):
                    found.add(prefix)
    return found


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (or a self-import)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph.get(v, ()):
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def render(graph: dict[str, set[str]]) -> str:
    return "\n".join(f"{name:<26} -> {', '.join(sorted(deps)) or '-'}"
                     for name, deps in sorted(graph.items()))


def test_no_import_circles() -> None:
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import circles: " + "; ".join(" <-> ".join(c) for c in found) + \
        "\n" + render(graph)


def test_the_checker_sees_circles_inside_functions(tmp_path: Path) -> None:
    graph = {"align.a": {"align.b"}, "align.b": {"align.c"}, "align.c": {"align.a"},
             "align.d": {"align.a"}}
    assert cycles(graph) == [["align.a", "align.b", "align.c"]]
    # a function-level relative import is found like a module-level one
    pkg = tmp_path / "align"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "x.py").write_text("def f():\n    from .y import g\n    return g\n")
    (pkg / "y.py").write_text("from . import x\n")
    known = {"align": pkg / "__init__.py", "align.x": pkg / "x.py", "align.y": pkg / "y.py"}
    assert imports_of("align.x", pkg / "x.py", known) == {"align.y"}
    assert imports_of("align.y", pkg / "y.py", known) == {"align", "align.x"}


def test_dp_imports_nothing_of_align() -> None:
    assert import_graph()["align.dp"] == set()


def test_no_module_is_too_long() -> None:
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


if __name__ == "__main__":
    graph = import_graph()
    print(render(graph))
    found = cycles(graph)
    print("circles:", "; ".join(" <-> ".join(c) for c in found) if found else "none")
    sys.exit(1 if found else 0)
