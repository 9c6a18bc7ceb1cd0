"""The package's layers, read from its imports: no cycle, no upward import, no private names.

The folders of ``liqlearn`` are its layers (see ``liqlearn/__init__.py``)::

    5  cli                                   the command line
    4  explorers                             ipywidgets explorers, drawn by the browser twin
    3  browser, display, markets             the browser twin; chapter display; real markets
    2  simulation, course, plotting          built on the formulas (plotting: the figure style)
    1  derivations, venues                   SymPy derivations; venue presets
    0  formulas                              numeric twins and input validation

A module may import modules of its own folder and of lower layers only.  It may
not import another module's private names (``from .x import _y``, ``x._y``), nor
reach into another object's private attributes (``other._method()``).
The package's ``__init__`` (the public surface) loads everything lazily by name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "liqlearn"

LAYERS = {
    "formulas": 0,
    "derivations": 1, "venues": 1,
    "simulation": 2, "course": 2,
    "browser": 3, "display": 3, "markets": 3,
    "explorers": 4,
    "cli": 5,
}
# Stand-alone modules at the top of the package, placed in a layer.
PLACED = {"liqlearn.plotting": "simulation",   # the house figure style: imports nothing of ours
          "liqlearn.__main__": "cli"}
# Modules that extend a library through its documented underscore hooks.
# Modules that extend SymPy through its documented hooks may use those (and only those)
# underscore names: printers (_print, _print_<Class>), evalf (_eval_evalf, _to_mpmath,
# mpmath's _mpf_, Float._new).
HOOKS = {"liqlearn.derivations.sympy_functions": {"_to_mpmath", "_mpf_", "_print", "_eval_evalf",
                                                   "_new"},
         "liqlearn.browser.printer": {"_print", "_print_Piecewise"}}
# Underscore names that are public API of the standard library or NumPy.
PUBLIC_UNDERSCORE = {"_replace", "_asdict", "_fields", "_make", "_repr_html_", "_repr_markdown_",
                     "_repr_latex_", "_repr_mimebundle_", "_ipython_display_", "_imp_"}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def layer_of(mod: str) -> str | None:
    if mod in PLACED:
        return PLACED[mod]
    parts = mod.split(".")
    return parts[1] if len(parts) > 1 else None


def resolve(mod: str, path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(mod: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names imported from it, line) for every liqlearn import, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    known = modules()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = resolve(mod, path, node)
            if not target.startswith("liqlearn"):
                continue
            names = [a.name for a in node.names]
            # ``from . import check``: the names are modules
            subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
            if subs:
                found += [(s, [], node.lineno) for s in subs]
                names = [n for n in names if f"{target}.{n}" not in known]
                if not names:
                    continue
            found.append((target, names, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.startswith("liqlearn")]
    return found


MODULES = modules()


def test_every_module_has_a_layer():
    unplaced = sorted(m for m in MODULES if m != "liqlearn" and layer_of(m) not in LAYERS)
    assert not unplaced, f"modules outside the layer folders: {unplaced}"


@pytest.mark.parametrize("mod", sorted(m for m in MODULES if m != "liqlearn"))
def test_imports_go_down_and_stay_public(mod):
    path = MODULES[mod]
    here = layer_of(mod)
    problems = []
    for target, names, line in imports(mod, path):
        if target == "liqlearn":
            bad = [n for n in names if n != "__version__"]
            if bad:
                problems.append(f"line {line}: imports {bad} from the package surface; import "
                                "them from their own module")
            continue
        there = layer_of(target)
        if there != here and LAYERS[there] >= LAYERS[here]:
            problems.append(f"line {line}: {here} (layer {LAYERS[here]}) imports {target} "
                            f"(layer {LAYERS[there]}): only lower layers may be imported")
        private = [n for n in names if n.startswith("_") and not n.startswith("__")]
        if private and target != mod:
            problems.append(f"line {line}: imports private {private} from {target}")
    assert not problems, f"{mod}:\n" + "\n".join(problems)


@pytest.mark.parametrize("mod", sorted(MODULES))
def test_no_reaching_into_private_attributes(mod):
    """``x._name`` only on ``self``/``cls``/``other`` (same class) or a class of this module."""
    hooks = HOOKS.get(mod, set())
    tree = ast.parse(MODULES[mod].read_text(encoding="utf-8"))
    local = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        attr = node.attr
        if (not attr.startswith("_") or attr.startswith("__") or attr in PUBLIC_UNDERSCORE
                or attr in hooks):
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and (owner.id in ("self", "cls", "other") or owner.id in local):
            continue
        problems.append(f"line {node.lineno}: {ast.unparse(node)}")
    assert not problems, f"{mod} reaches into private attributes:\n" + "\n".join(problems)


def test_no_import_cycles():
    graph = {m: {t for t, _, _ in imports(m, p) if t in MODULES and t != m and t != "liqlearn"}
             for m, p in MODULES.items() if m != "liqlearn"}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for t in sorted(graph.get(m, ())):
            if state.get(t) == 1:
                return stack[stack.index(t):] + [t]
            if t not in state:
                cycle = visit(t)
                if cycle:
                    return cycle
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            cycle = visit(m)
            assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_modules_stay_small():
    """One idea per module, about 500 lines at most."""
    big = {m: n for m, p in MODULES.items()
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 520}
    assert not big, f"modules over 520 lines: {big}"
