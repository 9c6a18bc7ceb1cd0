"""Real price history, offline: candles shipped inside a registry package.

The book holds its models against real prices without any network access.  The
price series come from the test data bundled with the ``backtesting`` package on
PyPI (licence AGPL-3.0), an *optional* extra of liqlearn::

    pip install "liqlearn[market-data]"

Nothing here imports ``backtesting`` (nor pandas): the CSV files are found
through the installed distribution's metadata and parsed with the standard
library and NumPy.  ``import liqlearn`` never needs the extra; only
:func:`load_candles` does, and without it raises :class:`MarketDataMissing`,
which names the extra to install.

=================  ======================  ========  =========================
name               series                  interval  span
=================  ======================  ========  =========================
``btc_monthly``    BTC/USD index           month     2012-01 to 2024-12
``goog_daily``     NASDAQ:GOOG stock       day       2004-08 to 2013-03
``eurusd_hourly``  EUR/USD spot forex      hour      2017-04 to 2018-02
=================  ======================  ========  =========================

A candle holds the first (open), highest (high), lowest (low) and last (close)
price of its interval; ``time`` is the label the file gives it (the month's
last day for the monthly series, the hour's start for the hourly one).

>>> c = Candles(name="toy", interval="hour", time=np.array(["2024-01-01T00", "2024-01-01T01"],
...             dtype="datetime64[s]"), open=[100.0, 101.0], high=[102.0, 103.0],
...             low=[99.0, 100.5], close=[101.0, 102.5])
>>> len(c), c.log_returns().round(5).tolist()
(2, [0.01474])
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "DATA_PACKAGE",
    "EXTRA",
    "DATASETS",
    "Candles",
    "MarketDataMissing",
    "load_candles",
    "parse_candles_csv",
    "data_source",
]

#: The registry package whose bundled test data the book uses, and the liqlearn extra
#: that installs it.
DATA_PACKAGE = "backtesting"
EXTRA = "market-data"

#: name -> (file inside the package, candle interval, what the series is)
DATASETS: dict[str, tuple[str, str, str]] = {
    "btc_monthly": ("backtesting/test/BTCUSD.csv", "month", "BTC/USD index, monthly candles"),
    "goog_daily": ("backtesting/test/GOOG.csv", "day", "NASDAQ:GOOG stock, daily candles"),
    "eurusd_hourly": ("backtesting/test/EURUSD.csv", "hour", "EUR/USD forex, hourly candles"),
}


class MarketDataMissing(ImportError):
    """The optional package holding the price data is not installed."""


def _floats(name: str, value: Any) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-d array of prices; got shape {arr.shape}")
    return arr


@dataclass(frozen=True)
class Candles:
    """OHLC candles as NumPy arrays, checked on construction.

    Every price is finite and > 0, ``high >= max(open, close)``, ``low <=
    min(open, close)`` and ``time`` increases strictly; a violation raises
    ValueError naming the field and the first bad index.
    """

    name: str
    interval: str
    time: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray | None = None
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        prices = {k: _floats(k, getattr(self, k)) for k in ("open", "high", "low", "close")}
        time = np.asarray(self.time, dtype="datetime64[s]")
        n = len(time)
        if n == 0:
            raise ValueError("candles need at least one row; got 0")
        for k, arr in prices.items():
            if len(arr) != n:
                raise ValueError(f"{k} has {len(arr)} values but time has {n}")
            bad = ~(np.isfinite(arr) & (arr > 0))
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise ValueError(f"{k} must be finite and > 0; got {arr[i]!r} at index {i}")
        o, h, lo, c = prices["open"], prices["high"], prices["low"], prices["close"]
        for what, bad in (("high >= max(open, close)", h < np.maximum(o, c)),
                          ("low <= min(open, close)", lo > np.minimum(o, c))):
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise ValueError(f"candles must have {what}; violated at index {i}")
        steps = np.diff(time)
        if (steps <= np.timedelta64(0, "s")).any():
            i = int(np.flatnonzero(steps <= np.timedelta64(0, "s"))[0]) + 1
            raise ValueError(f"time must increase strictly; index {i} is not after index {i - 1}")
        for k, arr in prices.items():
            arr.setflags(write=False)
            object.__setattr__(self, k, arr)
        time.setflags(write=False)
        object.__setattr__(self, "time", time)
        if self.volume is not None:
            vol = _floats("volume", self.volume)
            if len(vol) != n:
                raise ValueError(f"volume has {len(vol)} values but time has {n}")
            vol.setflags(write=False)
            object.__setattr__(self, "volume", vol)

    def __len__(self) -> int:
        return len(self.time)

    def log_returns(self) -> np.ndarray:
        """Close-to-close log returns ``ln(close[i] / close[i-1])`` (one fewer than candles)."""
        return np.diff(np.log(self.close))

    def __repr__(self) -> str:
        return (f"Candles({self.name!r}, {len(self)} {self.interval} candles, "
                f"{self.time[0]} to {self.time[-1]})")


def parse_candles_csv(text: str, *, name: str, interval: str, source: str = "") -> Candles:
    """Candles from CSV text with a header ``,Open,High,Low,Close[,Volume]``.

    The first column is the time stamp (``2012-01-31`` or ``2017-04-19 09:00:00``).

    >>> parse_candles_csv(",Open,High,Low,Close\\n2024-01-31,1,2,0.5,1.5\\n",
    ...                   name="x", interval="month").close.tolist()
    [1.5]
    """
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ValueError(f"{name}: the CSV text is empty")
    header = [h.strip().lower() for h in rows[0]]
    missing = [k for k in ("open", "high", "low", "close") if k not in header]
    if missing:
        raise ValueError(f"{name}: the CSV header {rows[0]} lacks the columns {missing}")
    body = [r for r in rows[1:] if r]
    col = {k: header.index(k) for k in ("open", "high", "low", "close", "volume") if k in header}
    try:
        time = np.array([r[0].strip().replace(" ", "T") for r in body], dtype="datetime64[s]")
        values = {k: np.array([float(r[i]) for r in body]) for k, i in col.items()}
    except (ValueError, IndexError) as exc:
        raise ValueError(f"{name}: a row of the CSV cannot be read: {exc}") from None
    return Candles(name=name, interval=interval, time=time, open=values["open"],
                   high=values["high"], low=values["low"], close=values["close"],
                   volume=values.get("volume"), source=source)


def _distribution(package: str) -> metadata.Distribution:
    try:
        return metadata.distribution(package)
    except metadata.PackageNotFoundError:
        raise MarketDataMissing(
            f"the market price data ship with the optional package {package!r}, which is not "
            f"installed; install liqlearn's extra {EXTRA!r}: pip install 'liqlearn[{EXTRA}]'"
        ) from None


def data_source(package: str = DATA_PACKAGE) -> dict[str, str]:
    """Name, version and licence of the installed package holding the data.

    Raises :class:`MarketDataMissing` (naming the extra to install) without it.
    """
    dist = _distribution(package)
    meta = dist.metadata
    licence = meta.get("License-Expression") or meta.get("License") or "see the package"
    return {"package": meta["Name"], "version": dist.version, "license": licence,
            "home": meta.get("Home-page") or ""}


def load_candles(name: str, *, package: str = DATA_PACKAGE) -> Candles:
    """Load one of :data:`DATASETS` from the installed data package (no network).

    ``name`` is ``"btc_monthly"``, ``"goog_daily"`` or ``"eurusd_hourly"``.
    Without the package: :class:`MarketDataMissing`, naming the extra
    ``market-data`` to install.
    """
    if name not in DATASETS:
        raise ValueError(f"name must be one of {sorted(DATASETS)}; got {name!r}")
    file, interval, what = DATASETS[name]
    dist = _distribution(package)
    path = Path(str(dist.locate_file(file)))
    if not path.is_file():
        raise MarketDataMissing(
            f"{package} {dist.version} is installed but has no {file}; install the version "
            f"pinned by liqlearn's extra {EXTRA!r}: pip install 'liqlearn[{EXTRA}]'")
    source = f"{what}: {file} in {package} {dist.version}"
    return parse_candles_csv(path.read_text(encoding="utf-8"), name=name, interval=interval,
                             source=source)
