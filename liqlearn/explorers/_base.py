"""Shared machinery of the explorers: one anywidget per explorer, one front end.

Every explorer is a thin view over a plain compute function (``compute_leverage``,
``compute_risk``, ...), the reference the tests check.  The view is

* ``view`` -- an :class:`ExplorerWidget` (an ``anywidget.AnyWidget``, i.e. an
  ipywidgets ``DOMWidget``) whose synced state is the explorer's name, its
  control ``spec``, the control ``values``, build-time ``data`` and ``live``
  results Python adds in a running kernel;
* ``controls`` -- name -> :class:`Control`: the control's range or options,
  and its ``value``, read from and written to ``view.values``.

The front end is one JavaScript file, ``static/explorers.js``: it draws the
controls, the numbers (with a live region for screen readers) and SVG figures,
and computes from ``globalThis.liqlearn`` -- the formulas generated from the
SymPy registry by ``liqlearn.browser`` -- or from the ``data``/``live``
Python computed.  In a kernel (JupyterLab, Binder) anywidget runs it as the
widget's ES module (:func:`front_end`); on the static site a small shim
(``static/shim.js``) reads the widget state myst-nb saved in the page and mounts
the same file, loaded as classic scripts (so it also works from ``file://``).

When ``values`` changes (a control moved in the browser, or set from Python),
:meth:`Explorer.update` recomputes the reference result (``.result`` /
``.error``) and, for explorers whose numbers need the engine or random draws,
publishes them in ``live``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import anywidget
import numpy as np
import traitlets

from ..browser import cached_bundle
from ..plotting import COLORS, LINESTYLES

__all__ = ["STATIC", "SCRIPTS", "scripts", "shim", "front_end", "ExplorerWidget", "ControlSpec",
           "Control", "Explorer", "slider", "choice", "jsonable", "rounded", "first_index"]

STATIC = Path(__file__).with_name("static")


#: The front end's files, in load order: the framework, then one file per explorer.
SCRIPTS = ("explorers.js", "leverage.js", "mark_price.js", "slippage.js", "insurance_fund.js",
           "risk.js")


def scripts() -> str:
    """The explorers' front end as one classic script (the static site loads it as
    ``_static/liqlearn/explorers.js``, after ``liqlearn.js``)."""
    return "\n".join((STATIC / name).read_text(encoding="utf-8") for name in SCRIPTS)


def shim() -> str:
    """The static site's mounting shim (``_static/liqlearn/explorers-shim.js``)."""
    return (STATIC / "shim.js").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def front_end() -> str:
    """The widget's ES module: the classic bundle of ``liqlearn.browser``
    (``globalThis.liqlearn``), then ``explorers.js``, then a default export anywidget calls.

    Printing the registry to JavaScript takes ~20 s, so the text is cached on disk
    (next to the registry's pickle: ``LIQLEARN_CACHE_DIR``, default
    ``~/.cache/liqlearn``; an empty value disables it), keyed by the package's
    Python and JavaScript sources and SymPy's version.
    """
    return "\n".join([
        cached_bundle(), scripts(),
        "export default { render({ model, el }) {",
        "  return globalThis.liqlearnExplorers.render(model, el, { static: false });",
        "} };",
    ])


class ExplorerWidget(anywidget.AnyWidget):
    """The synced state of one explorer (see the module docstring)."""

    _esm = traitlets.Unicode("").tag(sync=True)
    explorer = traitlets.Unicode("").tag(sync=True)
    spec = traitlets.Dict().tag(sync=True)
    values = traitlets.Dict().tag(sync=True)
    data = traitlets.Dict().tag(sync=True)
    live = traitlets.Dict().tag(sync=True)


# ------------------------------------------------------------------ controls
@dataclass(frozen=True)
class ControlSpec:
    """A bounded slider (``kind="range"``) or a choice (``kind="select"``)."""

    name: str
    label: str
    kind: str
    value: Any
    min: float | None = None
    max: float | None = None
    step: float | None = None
    options: tuple[tuple[str, Any], ...] = ()
    format: str = "fixed:2"
    help: str = ""
    #: on the static site: why the control is fixed there (precomputed data)
    static_fixed: str = ""
    disabled_unless: tuple[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if v not in (None, "", ())}
        if self.options:
            out["options"] = [list(o) for o in self.options]
        return out

    def check(self, value: Any) -> Any:
        """``value`` if allowed, else ValueError naming the control and what it allows."""
        if self.kind == "select":
            allowed = [o[1] for o in self.options]
            if value not in allowed:
                raise ValueError(f"{self.name} must be one of {allowed!r}; got {value!r}")
            return value
        try:
            x = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{self.name} must be a number in [{self.min:g}, {self.max:g}]; "
                             f"got {value!r}") from None
        if not (math.isfinite(x) and self.min <= x <= self.max):
            raise ValueError(f"{self.name} must be in [{self.min:g}, {self.max:g}]; got {value!r}")
        return int(x) if self.format == "int" and float(x).is_integer() else x


def slider(name: str, label: str, lo: float, hi: float, step: float, value: float,
           fmt: str = "fixed:2", **extra: Any) -> ControlSpec:
    """A bounded slider (``fmt``: ``"fixed:N"``, ``"pct:N"``, ``"spct:N"``, ``"x:N"``,
    ``"money:N"`` or ``"int"`` -- how the front end shows its value)."""
    return ControlSpec(name, label, "range", value, lo, hi, step, format=fmt, **extra)


def choice(name: str, label: str, options: Sequence[tuple[str, Any]], value: Any,
           **extra: Any) -> ControlSpec:
    """A choice among (label, value) options."""
    return ControlSpec(name, label, "select", value, options=tuple(options), **extra)


class Control:
    """One control of an explorer: its spec, and its value in the widget's state.

    Setting ``value`` validates it and updates ``explorer.view.values`` (the
    front end follows, and the explorer recomputes).
    """

    def __init__(self, explorer: "Explorer", spec: ControlSpec) -> None:
        self._explorer = explorer
        self.spec = spec

    name = property(lambda self: self.spec.name)
    description = property(lambda self: self.spec.label)
    min = property(lambda self: self.spec.min)
    max = property(lambda self: self.spec.max)
    step = property(lambda self: self.spec.step)

    @property
    def options(self) -> list[Any]:
        return [o[1] for o in self.spec.options]

    @property
    def value(self) -> Any:
        return self._explorer.view.values[self.spec.name]

    @value.setter
    def value(self, new: Any) -> None:
        self._explorer.set(**{self.spec.name: new})

    def __repr__(self) -> str:
        return f"Control({self.spec.name!r}, value={self.value!r})"


# ------------------------------------------------------------------ the base
class Explorer:
    """Base of the five explorers.

    Subclasses set ``name`` (the front end's explorer), ``title``, ``intro`` and
    implement ``_controls() -> list[ControlSpec]``, ``compute(**values)`` (the
    reference; raises ``ValueError`` for inputs with no valid answer), and
    optionally ``_data()`` (build-time data for the front end) and
    ``_live(result)`` (results the front end cannot compute itself).
    """

    name: str = ""
    title: str = ""
    intro: str = ""

    def __init__(self, **initial: Any) -> None:
        specs = self._controls()
        self.controls: dict[str, Control] = {c.name: Control(self, c) for c in specs}
        unknown = sorted(set(initial) - set(self.controls))
        if unknown:
            allowed = ", ".join(repr(k) for k in self.controls)
            raise ValueError(f"unknown control {unknown[0]!r}; the controls are {allowed}")
        values = {c.name: c.value for c in specs}
        values.update({k: self.controls[k].spec.check(v) for k, v in initial.items()})
        self.result: Any = None
        self.error: str | None = None
        spec = {"title": self.title, "intro": self.intro,
                "controls": [c.as_json() for c in specs],
                "colors": dict(COLORS), "dashes": dict(LINESTYLES)}
        self.view = ExplorerWidget(_esm=front_end(), explorer=self.name, spec=spec,
                                   values=values, data=jsonable(self._data()))
        self.view.observe(self._on_values, names="values")
        self.update()

    # ------------------------------------------------------------- protocol
    def _controls(self) -> list[ControlSpec]:  # pragma: no cover - abstract
        raise NotImplementedError

    def compute(self, **values: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _data(self) -> dict[str, Any]:
        return {}

    def _live(self, result: Any, values: Mapping[str, Any]) -> dict[str, Any]:
        return {}

    # ------------------------------------------------------------ behaviour
    def values(self) -> dict[str, Any]:
        """The current control values, by control name."""
        return dict(self.view.values)

    def _on_values(self, _change: Mapping[str, Any]) -> None:
        self.update()

    def update(self) -> None:
        """Recompute the reference result from the controls; publish ``live`` data."""
        values = self.values()
        try:
            result = self.compute(**values)
        except ValueError as exc:
            self.result, self.error = None, str(exc)
            live = {}
        else:
            self.result, self.error = result, None
            live = self._live(result, values)
        self.view.live = jsonable({"values": values, **live}) if live else {}

    def set(self, update: bool = True, **values: Any) -> None:
        """Set several controls at once (validated); the explorer updates once.

        ``update=False`` moves the controls without recomputing.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            allowed = ", ".join(repr(k) for k in self.controls)
            raise ValueError(f"unknown control {unknown[0]!r}; the controls are {allowed}")
        new = {**self.view.values,
               **{k: self.controls[k].spec.check(v) for k, v in values.items()}}
        if update:
            self.view.values = new  # the observer recomputes
        else:
            with self.view.hold_trait_notifications():
                self.view.unobserve(self._on_values, names="values")
                try:
                    self.view.values = new
                finally:
                    self.view.observe(self._on_values, names="values")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.view)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The view's widget bundle (for front ends that do not call ``_ipython_display_``)."""
        return self.view._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        state = "invalid" if self.error else "ok"
        shown = ", ".join(f"{k}={v!r}" for k, v in self.values().items())
        return f"{type(self).__name__}({shown}) [{state}]"


# ------------------------------------------------------------- small helpers
def jsonable(x: Any) -> Any:
    """Plain JSON types for the widget state: arrays to lists, NaN/inf to None."""
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return jsonable(x.tolist())
    if isinstance(x, (np.floating, float)):
        f = float(x)
        return f if math.isfinite(f) else None
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def rounded(a: Any, decimals: int) -> list:
    """An array as a list rounded to ``decimals`` (for data only drawn, never shown as numbers)."""
    return np.round(np.asarray(a, dtype=float), decimals).tolist()


def first_index(mask: np.ndarray) -> int | None:
    """Index of the first True in a 1-d boolean array, or None."""
    idx = np.flatnonzero(mask)
    return int(idx[0]) if idx.size else None
