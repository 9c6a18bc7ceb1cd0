"""Self-checks for exercises: ``check.NAME(answer, **params) -> CheckResult``.

A student computes an answer and asks whether it is right.  The check
recomputes the answer with the public liqlearn function, compares within a
tolerance and, when the answer is wrong, tries to *name the likely mistake*
(maintenance margin at entry instead of at the trigger, a rate used as a
percentage, the wrong side, the fee left out, ...) -- without ever revealing
the expected value.

Parameters default to the primer's position: a long of 1,000 USDT margin at
10x on BTC at 60,000 with a maintenance-margin rate of 0.5 %, so a check works
with the answer alone.  The position size may be given as ``quantity`` or is
derived from ``margin * leverage / entry_price``.  Positions that need a mark
price (P&L, equity, margin ratio, effective leverage) default to a mark of 57,000.

>>> from liqlearn import check
>>> check.liquidation_price_long(54_271.36)
✓ Correct.
>>> check.liquidation_price_long(54_300, strict=False)
✗ Not yet — you took the maintenance margin at the entry price (the primer's rough method, Bybit's former basis); this question takes it at the liquidation price itself (mark basis: Binance, dYdX, Hyperliquid, Bybit's current page).
>>> check.liquidation_price(54_300, mm_basis="entry")
✓ Correct.
>>> check.liquidation_price_short(65_671.64)
✓ Correct.
>>> bool(check.bankruptcy_price(54_000))
True
>>> check.bankruptcy_price(54_271.36, strict=False).mistake
'liquidation_not_bankruptcy'

A result is truthy exactly when the answer is correct; it shows itself in a
notebook as "✓ Correct." or "✗ Not yet — <hint>".  When the environment
variable ``LIQLEARN_STRICT_CHECKS=1`` is set (``make book``, the tests and
``tools/run_chapter.py`` set it) a wrong answer raises :class:`AssertionError`,
so a worked solution that calls a check proves itself in the strict build;
``strict=False`` (or ``True``) overrides the environment for one call:

>>> check.notional(10_000)
✓ Correct.
>>> check.initial_margin(100_000, strict=False).mistake
'times_leverage'
>>> check.leverage(10)
✓ Correct.
>>> check.unrealized_pnl(-500)             # long 1/6 BTC from 60,000 to 57,000
✓ Correct.
>>> check.equity(500)
✓ Correct.
>>> check.effective_leverage(19)
✓ Correct.
>>> check.maintenance_margin(50)           # 10,000 notional at 0.5 %
✓ Correct.
>>> check.margin_ratio(0.095)              # 47.5 maintenance over 500 equity
✓ Correct.
>>> check.liquidation_price(54_271.36, fee_rate=0.0, maintenance_amount=0.0)
✓ Correct.
>>> check.number(0.75, 3 / 4)
✓ Correct.

Every check accepts ``rel_tol`` (relative tolerance, default 1e-4) and
``abs_tol`` (absolute; 0.005 -- half a cent -- for prices and money, so an
answer rounded to the cent is accepted; 0 for rates, ratios and probabilities).

The checks
----------
``number(answer, expected)``: generic.  Linear contracts: ``notional``,
``initial_margin``, ``leverage``, ``effective_leverage``, ``unrealized_pnl``,
``equity``, ``maintenance_margin`` (flat or tiers), ``margin_ratio``,
``liquidation_price`` (``side``, ``mm_basis``, ``fee_rate``,
``maintenance_amount``; ``mmr`` may be a ``MaintenanceTiers``),
``liquidation_price_long``, ``liquidation_price_short``, ``bankruptcy_price``,
``cross_liquidation_price``.  Inverse contracts: ``inverse_liquidation_price``,
``inverse_bankruptcy_price``.  Prices: ``mark_price``, ``funding_rate``,
``funding_payment``.  Risk: ``liquidation_probability``, ``call_price``,
``put_price``, ``max_leverage``.  :data:`MISTAKES` lists every diagnosis.
"""

from __future__ import annotations

from . import checks_inverse, checks_liquidation, checks_margin, checks_prices, checks_risk
from .judge import CENT, PRIMER, STRICT_ENV, CheckResult, number  # noqa: F401
from .mistakes import MISTAKES  # noqa: F401

_TOPICS = (checks_margin, checks_liquidation, checks_inverse, checks_prices, checks_risk)
__all__ = ["CheckResult", "MISTAKES", "PRIMER", "number",
           *(name for topic in _TOPICS for name in topic.__all__)]
globals().update({name: getattr(topic, name) for topic in _TOPICS for name in topic.__all__})
