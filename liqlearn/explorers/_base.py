"""Shared machinery of the explorers: controls, one Agg figure, a PNG view.

Every explorer is a thin view over a plain compute function (``compute_leverage``,
``compute_risk``, ...).  The view owns

* ``controls`` -- name -> bounded ipywidgets control (sliders, bounded number
  boxes, dropdowns, toggle buttons: nothing a reader can type is out of range);
* ``figure`` -- a :class:`matplotlib.figure.Figure` on a ``FigureCanvasAgg``
  (no pyplot, so no inline backend shows a second copy of it);
* ``view`` -- the top-level ``VBox``: title, controls, a message box, a table of
  numbers and an ``ipywidgets.Image`` holding the figure as PNG.

A control change calls :meth:`Explorer.update`: compute, move the existing
artists (``set_data`` and friends; no new figure, no new axes), render the
figure with Agg to PNG and put the bytes in the ``Image``.  Because the PNG
sits in the widget's state, the static site shows the initial picture from the
saved widget state, and a live kernel (Binder, JupyterLab) updates it.

A combination of inputs with no valid answer (the compute function raises
``ValueError``, e.g. a position liquidated at entry) shows the message in the
explorer and a notice in the figure instead of a traceback.
"""

from __future__ import annotations

import html
import io
import textwrap
from typing import Any, Iterable, Mapping, Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..plotting import COLORS, style

__all__ = [
    "DPI",
    "Explorer",
    "render_png",
    "slider",
    "int_slider",
    "number",
    "toggle",
    "dropdown",
    "table_html",
    "message_html",
    "rectangles",
    "label_axes",
    "set_limits",
    "first_index",
    "fmt_price",
    "fmt_pct",
]

# Modest resolution: ~760 px wide figures are sharp in a book column and
# cheap to rasterise and encode (see benchmarks/explorers.py).
DPI = 90

_DESCRIPTION = {"description_width": "11em"}
_CONTROL_LAYOUT = {"width": "auto"}


# ----------------------------------------------------------------- rendering
def render_png(figure: Figure) -> bytes:
    """Draw ``figure`` with Agg and encode it as PNG (the explorers' "bare render").

    ``canvas.draw()`` rasterises; Pillow encodes the RGBA buffer with a low zlib
    level (fast; the files are barely larger than at the default level).
    """
    from PIL import Image

    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(figure)
    canvas.draw()
    buf = canvas.buffer_rgba()
    out = io.BytesIO()
    Image.frombuffer("RGBA", (buf.shape[1], buf.shape[0]), buf, "raw", "RGBA", 0, 1).save(
        out, format="png", compress_level=1
    )
    return out.getvalue()


# ------------------------------------------------------------------ controls
def _bounded(cls: type, description: str, lo: float, hi: float, step: float, value: float,
             tooltip: str, **extra: Any) -> Any:
    """A bounded numeric control that reports its value on release, not while dragging."""
    return cls(value=value, min=lo, max=hi, step=step, description=description,
               continuous_update=False, style=_DESCRIPTION, layout=_CONTROL_LAYOUT,
               tooltip=tooltip or description, **extra)


def slider(description: str, lo: float, hi: float, step: float, value: float,
           fmt: str = ".2f", tooltip: str = "") -> widgets.FloatSlider:
    """A bounded float slider that updates on release (one render per move)."""
    return _bounded(widgets.FloatSlider, description, lo, hi, step, value, tooltip,
                    readout_format=fmt)


def int_slider(description: str, lo: int, hi: int, step: int, value: int,
               tooltip: str = "") -> widgets.IntSlider:
    """A bounded integer slider that updates on release."""
    return _bounded(widgets.IntSlider, description, lo, hi, step, value, tooltip)


def number(description: str, lo: float, hi: float, step: float, value: float,
           tooltip: str = "") -> widgets.BoundedFloatText:
    """A bounded number box: typed values are clamped into ``[lo, hi]``."""
    return _bounded(widgets.BoundedFloatText, description, lo, hi, step, value, tooltip)


def toggle(description: str, options: Sequence[Any], value: Any,
           tooltip: str = "") -> widgets.ToggleButtons:
    """A choice among a few fixed options."""
    return widgets.ToggleButtons(
        options=options, value=value, description=description, style={
            **_DESCRIPTION, "button_width": "6em"}, tooltip=tooltip or description,
    )


def dropdown(description: str, options: Sequence[Any], value: Any,
             tooltip: str = "") -> widgets.Dropdown:
    """A choice from a list (e.g. dated venue tier tables)."""
    return widgets.Dropdown(options=options, value=value, description=description,
                            style=_DESCRIPTION, layout=_CONTROL_LAYOUT,
                            tooltip=tooltip or description)


# ------------------------------------------------------------------ HTML bits
def table_html(rows: Iterable[tuple[str, str]], caption: str = "") -> str:
    """A two-column table of (label, value) rows; values already formatted."""
    body = "".join(
        f"<tr><td style='padding:1px 12px 1px 0'>{html.escape(k)}</td>"
        f"<td style='padding:1px 0;text-align:right;font-variant-numeric:tabular-nums'>"
        f"{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    cap = (f"<caption style='caption-side:top;text-align:left;font-weight:600'>"
           f"{html.escape(caption)}</caption>") if caption else ""
    return f"<table style='border-collapse:collapse;font-size:0.92em'>{cap}{body}</table>"


def message_html(text: str, kind: str = "error") -> str:
    """A visible message box (``kind`` "error" or "note")."""
    colour = COLORS["liquidation"] if kind == "error" else COLORS["mark"]
    title = "No valid answer for these inputs" if kind == "error" else "Note"
    return (
        f"<div role='status' style='border-left:4px solid {colour};padding:4px 10px;"
        f"margin:4px 0;background:#f7f7f7'><b>{title}.</b> {html.escape(text)}</div>"
    )


# ------------------------------------------------------------------ the base
class Explorer:
    """Base of the five explorers.

    Subclasses set ``title``, ``figsize`` and implement

    * ``_controls() -> dict[str, Widget]``;
    * ``compute_function`` (the module's plain compute function, called with
      the control values; it raises ``ValueError`` for inputs with no valid
      answer) or ``compute(**values)`` where controls need translating;
    * ``_build(figure)`` -- create axes and artists once;
    * ``_draw(result)`` -- move those artists to the new result;
    * ``_summary(result) -> str`` -- the numbers, as HTML;
    * optionally ``_sync_controls(values)`` (enable/disable dependent controls).
    """

    title: str = ""
    intro: str = ""
    figsize: tuple[float, float] = (8.4, 3.3)
    columns: int = 2

    def __init__(self, **initial: Any) -> None:
        import matplotlib as mpl

        self.controls: dict[str, widgets.ValueWidget] = self._controls()
        unknown = sorted(set(initial) - set(self.controls))
        if unknown:
            allowed = ", ".join(repr(k) for k in self.controls)
            raise ValueError(f"unknown control {unknown[0]!r}; the controls are {allowed}")
        for name, value in initial.items():
            self.controls[name].value = value
        with mpl.rc_context(style()):
            self.figure = Figure(figsize=self.figsize, dpi=DPI)
            FigureCanvasAgg(self.figure)
            self._build(self.figure)
            for ax in self.figure.axes:  # fewer tick labels: text is most of a render
                for axis in (ax.xaxis, ax.yaxis):
                    if isinstance(axis.get_major_locator(), MaxNLocator):
                        axis.get_major_locator().set_params(nbins=5)
            self._notice = self.figure.text(
                0.5, 0.5, "", ha="center", va="center", wrap=True, visible=False,
                color=COLORS["liquidation"], fontsize=11,
            )
        self.result: Any = None
        self.error: str | None = None
        self.png: bytes = b""
        self.message = widgets.HTML()
        self.numbers = widgets.HTML()
        width = int(self.figsize[0] * DPI)
        self.image = widgets.Image(format="png",
                                   layout=widgets.Layout(width="100%", max_width=f"{width}px"))
        header = widgets.HTML(
            f"<b>{html.escape(self.title)}</b>"
            + (f"<br><span style='font-size:0.9em'>{html.escape(self.intro)}</span>"
               if self.intro else "")
        )
        grid = widgets.GridBox(
            list(self.controls.values()),
            layout=widgets.Layout(
                grid_template_columns=f"repeat({self.columns}, minmax(0, 1fr))",
                grid_gap="2px 16px",
            ),
        )
        self.view = widgets.VBox([header, grid, self.message, self.numbers, self.image],
                                 layout=widgets.Layout(width="100%"))
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    # ------------------------------------------------------------- protocol
    def _controls(self) -> dict[str, widgets.ValueWidget]:  # pragma: no cover - abstract
        raise NotImplementedError

    #: the module's plain compute function (a ``staticmethod``)
    compute_function: Any = None

    def compute(self, **values: Any) -> Any:
        """The result for these control values (override to translate controls)."""
        return self.compute_function(**values)

    def _build(self, figure: Figure) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _two_panels(self, figure: Figure, *, left: float = 0.09, wspace: float = 0.3,
                    width_ratios: Sequence[float] | None = None) -> tuple[Any, Any]:
        """The two side-by-side axes every explorer draws in (``self.ax``, ``self.ax2``).

        A fixed layout (no constrained layout): nothing is re-laid out per render.
        """
        ax, ax2 = figure.subplots(1, 2, gridspec_kw=(
            {"width_ratios": list(width_ratios)} if width_ratios else None))
        figure.subplots_adjust(left=left, right=0.985, bottom=0.15, top=0.9, wspace=wspace)
        self.ax, self.ax2 = ax, ax2
        return ax, ax2

    def _draw(self, result: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _summary(self, result: Any) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _sync_controls(self, values: Mapping[str, Any]) -> None:
        """Enable or disable controls that depend on others (default: nothing)."""

    def _note(self, result: Any) -> str | None:
        """A remark worth a box above the numbers (default: none)."""
        return None

    # ------------------------------------------------------------ behaviour
    def values(self) -> dict[str, Any]:
        """The current control values, by control name."""
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, _change: Mapping[str, Any]) -> None:
        self.update()

    def update(self) -> None:
        """Recompute from the controls, move the artists, re-render the PNG."""
        values = self.values()
        self._sync_controls(values)
        try:
            result = self.compute(**values)
        except ValueError as exc:
            self.result, self.error = None, str(exc)
            self.message.value = message_html(self.error)
            self.numbers.value = ""
            self._set_axes_visible(False)
            self._notice.set_text("No valid answer for these inputs:\n"
                                  + textwrap.fill(self.error, 70))
            self._notice.set_visible(True)
        else:
            self.result, self.error = result, None
            note = self._note(result)
            self.message.value = message_html(note, "note") if note else ""
            self._notice.set_visible(False)
            self._set_axes_visible(True)
            self._draw(result)
            self.numbers.value = self._summary(result)
        self.png = render_png(self.figure)
        self.image.value = self.png

    def _set_axes_visible(self, visible: bool) -> None:
        for ax in self.figure.axes:
            ax.set_visible(visible)

    def set(self, update: bool = True, **values: Any) -> None:
        """Set several controls and update once (for scripts and tests).

        ``update=False`` only moves the controls (the figure and numbers keep
        the previous state until the next change or :meth:`update`).
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            allowed = ", ".join(repr(k) for k in self.controls)
            raise ValueError(f"unknown control {unknown[0]!r}; the controls are {allowed}")
        for control in self.controls.values():
            control.unobserve(self._on_change, names="value")
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            for control in self.controls.values():
                control.observe(self._on_change, names="value")
        if update:
            self.update()

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
def set_limits(ax: Any, x: Sequence[float] | None = None, y: Sequence[float] | None = None,
               pad: float = 0.04) -> None:
    """Set axis limits from finite data extremes with a relative pad."""
    for values, setter in ((x, ax.set_xlim), (y, ax.set_ylim)):
        if values is None:
            continue
        arr = np.asarray([val for val in np.ravel(values) if np.isfinite(val)], dtype=float)
        if arr.size == 0:
            continue
        lo, hi = float(arr.min()), float(arr.max())
        span = hi - lo if hi > lo else max(abs(hi), 1.0) * 0.01
        setter(lo - pad * span, hi + pad * span)


def rectangles(x0: Any, x1: Any, y0: Any, y1: Any) -> np.ndarray:
    """Axis-aligned rectangles as ``(n, 4, 2)`` vertices for a ``PolyCollection``.

    Bars of a bar chart or an order-book ladder: update them with
    ``collection.set_verts(rectangles(...))`` instead of moving n patches.

    >>> rectangles([0.0], [2.0], [1.0], [3.0]).tolist()
    [[[0.0, 1.0], [2.0, 1.0], [2.0, 3.0], [0.0, 3.0]]]
    """
    x0, x1, y0, y1 = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (x0, x1, y0, y1)))
    return np.stack([np.stack([x0, y0], -1), np.stack([x1, y0], -1),
                     np.stack([x1, y1], -1), np.stack([x0, y1], -1)], axis=-2)


def label_axes(ax: Any, xlabel: str, ylabel: str, title: str) -> None:
    """Axis labels (with units) and a title in one call."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)


def first_index(mask: np.ndarray) -> int | None:
    """Index of the first True in a 1-d boolean array, or None."""
    idx = np.flatnonzero(mask)
    return int(idx[0]) if idx.size else None


def fmt_price(x: float | None, unit: str = "USDT") -> str:
    """A price with thousands separators, or a word for the edge cases."""
    if x is None:
        return "—"
    if np.isinf(x):
        return "never (∞)"
    return f"{x:,.2f} {unit}".rstrip()


def fmt_pct(x: float | None, decimals: int = 2) -> str:
    """A fraction as a percentage."""
    return "—" if x is None else f"{100 * x:.{decimals}f} %"

