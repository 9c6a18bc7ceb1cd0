"""One house style for every figure in the book and the explorers.

Colour-blind-safe Okabe–Ito palette; the same colour for the same quantity in
every chapter.  matplotlib is imported inside the functions, so importing this
module is free.

>>> COLORS["liquidation"]
'#D55E00'
>>> price_label(54271.364)
'54,271.36'
"""

from __future__ import annotations

from typing import Any

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# quantity -> colour, identical in every chapter and explorer
COLORS = {
    "entry": OKABE_ITO["black"],
    "liquidation": OKABE_ITO["vermillion"],
    "bankruptcy": OKABE_ITO["reddish_purple"],
    "mark": OKABE_ITO["blue"],
    "last": OKABE_ITO["orange"],
    "index": OKABE_ITO["bluish_green"],
    "equity": OKABE_ITO["sky_blue"],
    "maintenance": OKABE_ITO["vermillion"],
    "fund": OKABE_ITO["bluish_green"],
    "bid": OKABE_ITO["blue"],
    "ask": OKABE_ITO["orange"],
    "long": OKABE_ITO["blue"],
    "short": OKABE_ITO["orange"],
    "fill": OKABE_ITO["reddish_purple"],
    "neutral": "#999999",
    # explorers: the liquidation order's fill, and the insurance fund's ledger
    "vwap": OKABE_ITO["black"],
    "surplus": OKABE_ITO["bluish_green"],
    "shortfall": OKABE_ITO["vermillion"],
    "adl": OKABE_ITO["reddish_purple"],
}

LINESTYLES = {"liquidation": "--", "bankruptcy": ":", "entry": "-."}


def price_label(x: float, decimals: int = 2) -> str:
    """A price with thousands separators: ``54,271.36``."""
    return f"{x:,.{decimals}f}"


def percent_label(x: float, decimals: int = 1) -> str:
    """A fraction shown as a percentage: 0.095 -> ``9.5 %``."""
    return f"{100 * x:.{decimals}f} %"


def style() -> dict[str, Any]:
    """The rcParams of the house style (apply with ``matplotlib.rc_context``)."""
    from cycler import cycler

    return {
        "axes.prop_cycle": cycler(
            color=[OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion",
                                          "reddish_purple", "sky_blue", "black", "yellow")]
        ),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "figure.dpi": 100,
        "savefig.dpi": 100,
        # read on a phone too: the page pans a wide figure at >= 520 px rather than shrink
        # it, and no label is smaller than 10 pt (legends included: chapters do not set
        # their own sizes)
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.labelsize": 11,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "legend.fontsize": 10,
        "legend.frameon": False,
        # nothing clipped: the saved image takes in every tick label and outside legend
        "savefig.bbox": "tight",
        "savefig.pad_inches": 0.08,
    }


def use_style() -> None:
    """Apply the house style globally (chapters call this once in their first cell)."""
    import matplotlib as mpl

    mpl.rcParams.update(style())


def price_axis(ax: Any, axis: str = "y") -> None:
    """Format an axis as prices with thousands separators."""
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: f"{v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def percent_axis(ax: Any, axis: str = "y", decimals: int = 0) -> None:
    """Format an axis holding fractions as percentages."""
    from matplotlib.ticker import PercentFormatter

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(
        PercentFormatter(xmax=1.0, decimals=decimals)
    )
