"""liqapi: the API reference, one page per public module, generated from the package.

* At ``config-inited`` (before ``sphinx_external_toc`` reads ``_toc.yml``) it writes one
  reStructuredText page per public module of ``liqlearn`` (no path part starting with an
  underscore) into ``book/api/`` (build-generated, git-ignored), and deletes pages of modules
  that are gone.  ``_toc.yml`` lists them with ``glob: book/api/*`` under ``api_reference``, so
  a new module gets its page, its place in the sidebar and its row in the overview with no
  hand edit.  A page is rewritten only when its text changes (unchanged pages are not re-read).
* Each page documents the members the module itself defines (functions and classes whose
  ``__module__`` is the module, data with a ``#:`` comment): a name re-exported by a package
  ``__init__`` is documented once, where it lives.
* Module-level data whose ``repr`` is long is not dumped into the signature: a mapping of
  short values becomes a two-column table (the column names come from a ``#: key -> value``
  comment), the venue presets a small table from :func:`liqlearn.venues.summary_rows` with a
  link to the venues chapter, anything else a one-line summary (type, size, first keys).
* Directives for the overview page ``book/api_reference.md``: ``liqapi-layers`` (one row per
  layer folder, its purpose in the words of its package docstring, links to its modules) and
  ``liqapi-names`` (every name of ``liqlearn.__all__``, linked, with its one-line summary).
* A ``py:class`` reference to a documented type alias (``ArrayLike``, ``FloatOrArray`` are
  module data) resolves to it, so signatures show the alias by name, linked.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path
from typing import Any, Mapping

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.ext.autodoc import DataDocumenter
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode, nested_parse_with_titles

PACKAGE = "liqlearn"
OUT = Path("book") / "api"            # relative to the book's root (Sphinx confdir)
# Reading order of the layer folders (lowest layer first); a folder or top-level module not
# listed here still gets its pages and its row, after these.
ORDER = ("formulas", "derivations", "venues", "simulation", "course", "markets", "plotting",
         "display", "explorers", "browser", "cli")
LONG_REPR = 80        # a data value whose repr is longer is summarised, not printed
MAX_ROWS = 60         # a mapping with more entries is summarised, not tabulated
MAX_CELL = 400        # ... and so is one whose values print longer than this
# Data that a chapter explains: the summary links to it.
CHAPTER = {"liqlearn.venues.VENUES": "venues", "liqlearn.venues.PRESETS": "venues",
           "liqlearn.venues.data.PRESETS": "venues"}


# ---------------------------------------------------------------------------- the modules
def public_modules(root: Path) -> list[str]:
    """Dotted names of every public module under ``root/liqlearn`` (the package excluded)."""
    package = root / PACKAGE
    names = []
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and not any(p.startswith("_") for p in parts):
            names.append(".".join((PACKAGE, *parts)))
    return sorted(names, key=_reading_key)


def _reading_key(modname: str) -> tuple[int, str]:
    top = modname.split(".")[1]
    return (ORDER.index(top) if top in ORDER else len(ORDER), modname)


def _attr_docs(modname: str) -> set[str]:
    try:
        analyzer = ModuleAnalyzer.for_module(modname)
        return {name for (scope, name) in analyzer.find_attr_docs() if scope == ""}
    except Exception:  # noqa: BLE001 -- a module without source has no attribute comments
        return set()


def _defined_here(module: Any) -> tuple[set[str], set[str]]:
    """(functions and classes, assigned names) at the top level of the module's source."""
    tree = ast.parse(inspect.getsource(module))
    defs, assigned = set(), set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defs.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            assigned |= {t.id for t in targets if isinstance(t, ast.Name)}
    return defs, assigned


def _private(modname: str) -> bool:
    return any(part.startswith("_") for part in modname.split(".")[1:])


def own_members(modname: str) -> list[str]:
    """The public members documented on ``modname``'s page, in source order.

    Functions and classes defined in the module, with a docstring; data assigned in it with
    a ``#:`` comment (or, when the module has ``__all__``, listed there); and what it exports
    through ``__all__`` from a private module (``explorers._base``), which has no page.
    """
    module = importlib.import_module(modname)
    explicit = getattr(module, "__all__", None)
    names = explicit or [n for n in vars(module) if not n.startswith("_")]
    defs, assigned = _defined_here(module)
    documented_data = _attr_docs(modname)
    out = []
    for name in names:
        obj = getattr(module, name, None)
        if inspect.ismodule(obj):
            continue
        if name in defs:
            keep = bool(inspect.getdoc(obj))
        elif name in assigned:
            keep = name in documented_data or bool(explicit)
        else:
            home = getattr(obj, "__module__", None) or ""
            keep = (bool(explicit) and home.startswith(PACKAGE + ".") and _private(home)
                    and bool(inspect.getdoc(obj)))
        if keep:
            out.append(name)
    order = {n: i for i, n in enumerate(vars(module))}
    return sorted(out, key=lambda n: order.get(n, len(order)))


def reexports(modname: str) -> list[str]:
    """Links to the callables and classes in ``modname.__all__`` that live in another module."""
    module = importlib.import_module(modname)
    links = []
    for name in getattr(module, "__all__", ()):
        home = getattr(getattr(module, name, None), "__module__", None)
        if home and home != modname and home.startswith(PACKAGE + ".") and not _private(home):
            links.append(f":py:obj:`{name} <{home}.{name}>`")
    return links


def page_text(modname: str) -> str:
    members = own_members(modname)
    lines = [".. Generated by book/_ext/liqapi.py from the package: do not edit.", "",
             modname, "=" * len(modname), "", f".. automodule:: {modname}"]
    # data exported in __all__ without a comment: autodoc skips undocumented members, so
    # these get their own entries (`:undoc-members:` would reach into every class too)
    bare = [m for m in members if m not in _attr_docs(modname)
            and not callable(getattr(importlib.import_module(modname), m))]
    documented = [m for m in members if m not in bare]
    if documented:
        lines.append(f"   :members: {', '.join(documented)}")
    lines += [line for m in bare for line in ("", f".. autodata:: {modname}.{m}")]
    links = reexports(modname)
    if links:
        lines += ["", f"Also available here, documented where they are defined: {', '.join(links)}."]
    return "\n".join(lines) + "\n"


def write_pages(app: Sphinx, config: Config) -> None:
    """Write ``book/api/<module>.rst`` for every public module; drop pages of vanished ones."""
    out = Path(app.srcdir) / OUT
    out.mkdir(parents=True, exist_ok=True)
    wanted = {}
    for modname in public_modules(Path(app.srcdir)):
        wanted[f"{modname}.rst"] = page_text(modname)
    for path in out.iterdir():
        if path.name not in wanted and path.suffix in (".rst", ".md"):
            path.unlink()
    for name, text in wanted.items():
        path = out / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


# ------------------------------------------------------------------- long data, summarised
def _is_long(value: Any) -> bool:
    if type(value).__module__ in ("typing", "types"):     # a type alias prints as itself
        return False
    try:
        return len(repr(value)) > LONG_REPR
    except Exception:  # noqa: BLE001
        return False


class SummarisedDataDocumenter(DataDocumenter):
    """Module data: the value is printed only when its repr is short."""

    priority = DataDocumenter.priority + 1

    def should_suppress_value_header(self) -> bool:
        return super().should_suppress_value_header() or _is_long(self.object)


def _esc(text: str) -> str:
    return re.sub(r"([\\*`|_\[\]<>])", r"\\\1", str(text)).replace("\n", " ")


def _cell(value: Any) -> str:
    return _esc(value) if isinstance(value, str) else f"``{value!r}``"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], widths: str) -> list[str]:
    lines = [".. list-table::", "   :header-rows: 1", f"   :widths: {widths}",
             "   :class: liqapi-table", ""]
    for row in (header, *rows):
        lines.append(f"   * - {row[0]}")
        lines.extend(f"     - {cell}" for cell in row[1:])
    return lines


def _venue_table() -> list[str]:
    from liqlearn.venues import summary_rows

    rows = [(f"`{_esc(r['venue'])} <{r['source']}>`__", _esc(r["product"]), _esc(r["mm_basis"]),
             _esc(r["tiers"])) for r in summary_rows()]
    return _table(("Venue", "Product", "Maintenance basis", "Tiers"), rows, "15 25 15 45")


def _headers(doc: list[str]) -> tuple[str, str]:
    match = re.match(r"\s*([^.;:]{1,40}?)\s*->\s*([^.;:]{1,60})", " ".join(doc))
    if match:
        return match.group(1).strip().capitalize(), match.group(2).strip().capitalize()
    return "Key", "Value"


def summary_lines(fullname: str, value: Any, doc: list[str]) -> list[str]:
    """reST lines that stand in for a long value: a table or a one-line summary."""
    lines: list[str] = []
    kind = type(value).__name__
    if isinstance(value, Mapping):
        items = list(value.items())
        venues = [v for _, v in items if type(v).__name__ == "Venue"]
        short = all(isinstance(v, (str, int, float, bool, type(None), tuple))
                    and len(repr(v)) <= MAX_CELL for _, v in items)
        if venues and len(venues) == len(items):
            lines = [f"A read-only mapping of {len(items)} venues, key -> "
                     ":class:`~liqlearn.venues.Venue`; in short:", "", *_venue_table()]
        elif short and 0 < len(items) <= MAX_ROWS:
            lines = _table(tuple(f"**{h}**" for h in _headers(doc)),
                           [(f"``{k}``" if isinstance(k, str) else _cell(k), _cell(v))
                            for k, v in items], "25 75")
        else:
            keys = ", ".join(f"``{k}``" for k, _ in items[:8])
            more = ", …" if len(items) > 8 else ""
            lines = [f"A ``{kind}`` of {len(items)} entries, keyed {keys}{more}."]
    elif isinstance(value, (tuple, list)):
        names = [e.get("name") for e in value if isinstance(e, Mapping)]
        if names and all(isinstance(n, str) for n in names) and len(names) == len(value):
            lines = [f"A ``{kind}`` of {len(value)} entries, one per: "
                     + ", ".join(f"``{n}``" for n in names) + "."]
        else:
            lines = [f"A ``{kind}`` of {len(value)} entries."]
    elif hasattr(value, "shape") and hasattr(value, "dtype"):
        lines = [f"An array of shape ``{tuple(value.shape)}`` ({value.dtype})."]
    elif isinstance(value, str) and len(value) <= MAX_CELL:
        lines = [f"The text: “{_esc(value)}”"]
    elif isinstance(value, str):
        lines = [f"A text of {len(value)} characters, beginning: “{_esc(value[:60])}…”"]
    else:
        lines = [f"A ``{kind}`` (its value is too long to print here)."]
    if fullname in CHAPTER:
        lines += ["", f"The chapter :ref:`{CHAPTER[fullname]}` explains these values."]
    return lines


_COMMENTS: dict[str, list[str]] = {}
_AS_WRITTEN = ("data", "attribute", "property")


def keep_data_comment(app: Sphinx, what: str, name: str, obj: Any, options: Any,
                      lines: list[str]) -> None:
    """Before napoleon: remember the docstring of data, an attribute or a property as written
    (napoleon would read the words before its first colon, "What they return: ...", as a type)."""
    if what in _AS_WRITTEN:
        _COMMENTS[name] = list(lines)


def add_summaries(app: Sphinx, what: str, name: str, obj: Any, options: Any,
                  lines: list[str]) -> None:
    """After napoleon: the docstring as written, then a long value's table or summary."""
    if what not in _AS_WRITTEN:
        return
    lines[:] = _COMMENTS.pop(name, lines)
    class_doc = getattr(type(obj), "__doc__", None)
    if isinstance(class_doc, str) and " ".join(lines).split() == class_doc.split():
        lines[:] = []      # no comment: autodoc fell back on the docstring of dict, tuple, ...
    if what == "data" and _is_long(obj):
        lines.extend(["", *summary_lines(name, obj, list(lines)), ""])


# ----------------------------------------------------------------- overview directives
def _first_paragraph(obj: Any) -> str:
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n")[0].split())


def _plain_roles(text: str) -> str:
    """Cross-reference roles as code (a summary is shown away from its module's context)."""
    def shown(match: re.Match) -> str:
        target = match.group(1).strip()
        if "<" in target:
            return f"``{target.split('<')[0].strip()}``"
        return f"``{target.split('.')[-1] if target.startswith('~') else target}``"
    return re.sub(r":[\w:]+:`([^`]+)`", shown, text)


def _first_sentence(obj: Any) -> str:
    para = _first_paragraph(obj)
    match = re.match(r"(.+?[.:])(\s|$)", para)
    return (match.group(1) if match else para).rstrip(":") + ("" if para.endswith(".") else "")


class _RstDirective(SphinxDirective):
    has_content = False

    def rst(self) -> list[str]:  # pragma: no cover - overridden
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(__file__)      # re-read the overview when this file changes
        node = nodes.container()
        nested_parse_with_titles(self.state, StringList(self.rst(), source="liqapi"), node)
        return node.children


class LayersDirective(_RstDirective):
    """One row per layer folder (or top-level module): its purpose and links to its modules."""

    def rst(self) -> list[str]:
        groups: dict[str, list[str]] = {}
        for modname in public_modules(Path(self.env.app.srcdir)):
            groups.setdefault(modname.split(".")[1], []).append(modname)
        rows = []
        for top, modules in groups.items():
            head = f"{PACKAGE}.{top}"
            purpose = _first_paragraph(importlib.import_module(head))    # reST, as written
            links = ", ".join(f":mod:`{m.removeprefix(head + '.')} <{m}>`"
                              for m in modules if m != head) or "(one module)"
            rows.append((f":mod:`{top} <{head}>`", purpose, links))
        self.env.note_dependency(str(Path(self.env.app.srcdir) / PACKAGE / "__init__.py"))
        return _table(("Folder", "What it is for", "Modules"), rows, "12 55 33")


class NamesDirective(_RstDirective):
    """Every name of ``liqlearn.__all__``: linked to its documentation, with its summary."""

    def rst(self) -> list[str]:
        pkg = importlib.import_module(PACKAGE)
        exports: Mapping[str, str] = getattr(pkg, "_EXPORTS", {})
        rows = []
        for name in pkg.__all__:
            if name in exports:
                modname = f"{PACKAGE}.{exports[name]}"
                obj = getattr(pkg, name)
                documented = name in own_members(modname)
                ref = f":py:obj:`{name} <{modname}.{name}>`" if documented else f"``{name}``"
                summary = _plain_roles(_first_sentence(obj)) if callable(obj) \
                    else "data, see its module"
                rows.append((ref, f":mod:`~{modname}`", summary))
            else:
                rows.append((f"``{name}``", f"``{PACKAGE}``", f"``{getattr(pkg, name)!r}``"))
        return _table(("Name", "Module", "What it gives"), rows, "25 25 50")


def _home(target: str) -> str | None:
    """``liqlearn.a.b.Name`` -> where the object named so is defined (``liqlearn.c.Name``)."""
    modname, _, name = target.rpartition(".")
    try:
        obj = getattr(importlib.import_module(modname), name)
    except (ImportError, AttributeError, ValueError):
        return None
    home, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    return f"{home}.{qualname}" if home and qualname else None


def resolve_alias_refs(app: Sphinx, env: Any, node: Any, contnode: Any) -> Any:
    """Type references the default lookup misses, in signatures above all:

    * to documented module data (a type alias: ``ArrayLike``) with the ``class`` role;
    * to a name a module imports (``liqlearn.simulation.engine.LiquidationEvent``): its
      documentation where it is defined.
    """
    if node.get("refdomain") != "py":
        return None
    objects = env.get_domain("py").objects
    target = node.get("reftarget", "")
    entry = objects.get(target)
    if entry is None and target.startswith(PACKAGE + "."):
        target = _home(target) or target
        entry = objects.get(target)
    if entry is None:
        return None
    return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode,
                        target)


def dataclass_factories(app: Sphinx, what: str, name: str, obj: Any, options: Any,
                        signature: str | None, return_annotation: str | None) -> Any:
    """A dataclass's signature names each ``default_factory`` (``= dict()``) instead of
    Python's ``<factory>``, which Sphinx cannot parse: it would print the whole signature
    as plain text, ``~`` prefixes and broken ``tuple[float, ...]`` included."""
    import dataclasses

    if not signature or "<factory>" not in signature or not dataclasses.is_dataclass(obj):
        return None
    for field in dataclasses.fields(obj):
        factory = field.default_factory
        if factory is dataclasses.MISSING:
            continue
        label = getattr(factory, "__qualname__", None) or repr(factory)
        at = signature.find(f"{field.name}:")
        cut = signature.find("<factory>", at) if at >= 0 else -1
        if cut >= 0:
            signature = signature[:cut] + f"{label}()" + signature[cut + len("<factory>"):]
    return signature, return_annotation


def setup(app: Sphinx) -> dict[str, Any]:
    # before sphinx_external_toc (priority 900) expands the _toc.yml glob over book/api/
    app.connect("config-inited", write_pages, priority=450)
    app.setup_extension("sphinx.ext.autodoc")
    app.add_autodocumenter(SummarisedDataDocumenter, override=True)
    app.connect("autodoc-process-docstring", keep_data_comment, priority=400)  # napoleon: 500
    app.connect("autodoc-process-docstring", add_summaries, priority=600)
    app.connect("missing-reference", resolve_alias_refs, priority=400)
    app.connect("autodoc-process-signature", dataclass_factories)
    app.add_directive("liqapi-layers", LayersDirective)
    app.add_directive("liqapi-names", NamesDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
