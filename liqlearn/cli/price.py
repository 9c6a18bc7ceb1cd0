"""``python -m liqlearn price``: liquidation and bankruptcy price of one position.

::

    python -m liqlearn price --side long --entry 60000 --margin 1000 --leverage 10 --mmr 0.005
    python -m liqlearn price --side short --entry 60000 --margin 1000 --quantity 0.2 \\
        --mmr 0.005 --basis entry --fee-rate 0.0005 --json
    python -m liqlearn price --side long --entry 50000 --margin 0.1 --leverage 2 --mmr 0.005 \\
        --inverse --contract-size 100
    python -m liqlearn price --side long --entry 60000 --margin 10000 --quantity 1 --mmr 0.004 \\
        --other short:10:3000:2900:0.005 --mark 58000 --tick 0.1

``--mark P`` adds the margin ratio (maintenance margin over equity, liquidation at 1)
and the distance to liquidation from ``P``.  ``--other SIDE:QUANTITY:ENTRY:MARK:MMR[:AMOUNT]``
(repeatable) puts the position in a cross-margin account beside those positions,
``--margin`` being the wallet balance (linear, basis mark, no fee: Binance USDⓈ-M
cross); the position's own mark is ``--mark`` (default the entry).  ``--tick T`` adds
both prices rounded conservatively to the tick (a long's up, a short's down).

``--venue NAME`` takes the tier table, maintenance basis, close fee and (inverse)
contract size from the venue's preset in :mod:`liqlearn.venues` and prints which
preset and the date it was read; ``--mmr``, ``--basis``, ``--fee-rate`` and
``--contract-size`` still override it.

Exactly one of ``--leverage`` and ``--quantity``.  Linear: quantity in base
units (BTC), ``quantity = margin * leverage / entry``.  ``--inverse``: margin
in coin, ``--quantity`` counts contracts of ``--contract-size`` USD, and
``contracts = margin * leverage * entry / contract_size``.  Bad input prints
the message to stderr and exits with code 2 (``__main__`` turns the
ValueError into that).
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from ..formulas import validation as v

from ..derivations.formula_lines import BANKRUPTCY, CROSS_BANKRUPTCY, CROSS_FORMULA, FORMULAS

OTHER_FORMAT = "SIDE:QUANTITY:ENTRY:MARK:MMR[:AMOUNT]"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--side", required=True, choices=v.SIDES)
    parser.add_argument("--entry", type=float, required=True, metavar="PRICE",
                        help="entry price")
    parser.add_argument("--margin", type=float, required=True,
                        help="collateral backing the position (coin with --inverse)")
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--leverage", type=float, help="leverage at entry (notional / margin)")
    size.add_argument("--quantity", type=float,
                      help="position size in base units (contracts with --inverse)")
    parser.add_argument("--venue", metavar="NAME",
                        help="take tiers, basis, close fee and contract size from a preset of "
                             "liqlearn.venues: " + ", ".join(_venue_names()))
    parser.add_argument("--mmr", type=float,
                        help="maintenance-margin rate as a fraction (0.005 = 0.5 %%); "
                             "required unless --venue gives a tier table")
    parser.add_argument("--basis", choices=v.MM_BASES, default=None,
                        help="maintenance margin at the trigger (mark) or entry price "
                             "(default mark, or the venue's)")
    parser.add_argument("--fee-rate", type=float, default=None,
                        help="close fee rate reserved in the trigger (OKX/Gate) and at "
                             "bankruptcy; default 0, or the venue's")
    parser.add_argument("--maintenance-amount", type=float, default=0.0, metavar="C",
                        help="maintenance amount of the bracket (Binance cum); default 0")
    parser.add_argument("--inverse", action="store_true",
                        help="coin-margined (inverse) contract; needs --contract-size")
    parser.add_argument("--contract-size", type=float, metavar="V",
                        help="USD value of one inverse contract (100 for Binance BTCUSD)")
    parser.add_argument("--mark", type=float, metavar="PRICE",
                        help="mark price for the margin ratio and the distance to liquidation")
    parser.add_argument("--other", action="append", metavar=OTHER_FORMAT,
                        help="another position in the same cross-margin account (repeatable); "
                             "--margin is then the wallet balance")
    parser.add_argument("--tick", type=float, metavar="T",
                        help="also print the prices rounded conservatively to this tick")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _venue_names() -> list[str]:
    from .. import venues

    return venues.names()


def apply_venue(args: argparse.Namespace) -> dict[str, Any]:
    """Fill the unset options from ``--venue``'s preset; what was taken, for the output.

    The preset prices the position as :meth:`liqlearn.venues.Venue.liquidation_price` does:
    its contract, basis, tier table and reserved close fee.  ``--mmr`` (your own rate or
    table) and ``--fee-rate`` (your taker-fee tier, on a venue that reserves the close fee)
    override the preset as that method's ``mmr`` and ``taker_fee`` do; a ``--basis``,
    ``--contract-size``, ``--inverse`` or ``--fee-rate`` the preset contradicts is refused.
    The tier table stands in for ``--mmr`` (``args.mmr`` becomes the MaintenanceTiers, or the
    whole-position step of the entry value on venues that charge the position one rate).
    """
    if args.venue is None:
        if args.mmr is None:
            raise ValueError("give --mmr (the maintenance-margin rate) or --venue NAME")
        args.basis = args.basis or "mark"
        args.fee_rate = 0.0 if args.fee_rate is None else args.fee_rate
        return {}
    from .. import venues

    vn = venues.get(args.venue)
    if args.basis not in (None, vn.mm_basis):
        raise ValueError(f"--basis: the {vn.name} preset computes on the {vn.mm_basis} basis; "
                         "leave --basis out or drop --venue")
    args.basis = vn.mm_basis
    if args.fee_rate not in (None, 0.0) and not vn.fee_in_trigger:
        raise ValueError(f"--fee-rate: {vn.name} reserves no close fee in its trigger; "
                         "leave --fee-rate out or drop --venue")
    if args.fee_rate is None or not vn.fee_in_trigger:
        if vn.fee_in_trigger and vn.taker_fee is None:
            raise ValueError(f"{vn.name} reserves the close fee in the trigger but no fee rate "
                             "is recorded in its preset: give --fee-rate")
        args.fee_rate = vn.close_fee_rate()
    if args.contract_size not in (None, vn.contract_size):
        raise ValueError(f"--contract-size: the {vn.name} preset's contract is "
                         + (f"{vn.contract_size:g} USD" if vn.contract_size else "linear")
                         + "; leave --contract-size out or drop --venue")
    if vn.contract == "inverse":
        args.inverse = True
        args.contract_size = vn.contract_size
    elif args.inverse:
        raise ValueError(f"--inverse: the {vn.name} preset is a linear contract ({vn.product})")
    if args.mmr is None:
        if vn.tiers is None:
            raise ValueError(f"no tier table is recorded for {vn.name} (see its preset's notes): "
                             "give --mmr")
        if args.maintenance_amount:
            raise ValueError("--maintenance-amount needs --mmr: the venue's tier table "
                             "carries its own maintenance amounts")
        if args.quantity is not None:
            value = vn.entry_value(args.entry, args.quantity, args.contract_size)
        else:
            value = float(v.nonnegative("margin", args.margin)) \
                * float(v.positive("leverage", args.leverage))
        args.mmr = vn.mmr_for(value)
    return {"venue": vn.name, "venue_product": vn.product, "venue_source": vn.source,
            "venue_date_read": vn.date_read}


def parse_other(text: str) -> dict[str, Any]:
    """``SIDE:QUANTITY:ENTRY:MARK:MMR[:AMOUNT]`` -> a position mapping for cross margin.

    >>> parse_other("short:10:3000:2900:0.005")["mark_price"]
    2900.0
    """
    fields = text.split(":")
    try:
        if len(fields) not in (5, 6):
            raise ValueError
        side, *numbers = fields
        q, e, p, m, *amount = (float(x) for x in numbers)
    except ValueError:
        raise ValueError(f"--other must be {OTHER_FORMAT}; got {text!r}") from None
    return {"side": side, "quantity": q, "entry_price": e, "mark_price": p, "mmr": m,
            "maintenance_amount": amount[0] if amount else 0.0}


def compute(args: argparse.Namespace) -> dict[str, Any]:
    """The numbers ``run`` prints, as a dict (ValueError on bad input)."""
    from ..formulas.liquidation import bankruptcy_price, liquidation_price
    from ..formulas.tiers import MaintenanceTiers

    preset = apply_venue(args)

    entry = float(v.positive("entry_price", args.entry))
    margin = float(v.nonnegative("margin", args.margin))
    if args.contract_size is not None and not args.inverse:
        raise ValueError("--contract-size only applies with --inverse")
    if args.leverage is not None:
        lev = float(v.positive("leverage", args.leverage))
        if margin == 0:
            raise ValueError("margin must be > 0 when --leverage is given "
                             "(the position size is margin * leverage)")
    others = [parse_other(text) for text in (args.other or [])]
    if others:
        if args.inverse:
            raise ValueError("--other (cross margin) applies to linear contracts only, "
                             "not with --inverse")
        if args.basis != "mark":
            raise ValueError("--other (cross margin) uses the maintenance margin at the "
                             "trigger price: --basis must be mark")
        if args.fee_rate != 0:
            raise ValueError("--other (cross margin) reserves no close fee: --fee-rate must be 0")
    mark = None if args.mark is None else float(v.positive("mark_price", args.mark))
    tiered = isinstance(args.mmr, MaintenanceTiers)
    out: dict[str, Any] = {**preset, "side": args.side, "entry_price": entry, "margin": margin,
                           "mmr": "tiers" if tiered else args.mmr, "fee_rate": args.fee_rate,
                           "maintenance_amount": args.maintenance_amount,
                           "mm_basis": args.basis}
    if args.inverse:
        if mark is not None:
            raise ValueError("--mark (margin ratio) is computed for linear contracts only, "
                             "not with --inverse")
        from ..formulas.inverse import inverse_bankruptcy_price, inverse_liquidation_price

        if args.contract_size is None:
            raise ValueError("--inverse needs --contract-size (USD value of one contract)")
        size = float(v.positive("contract_size", args.contract_size))
        contracts = (margin * lev * entry / size if args.leverage is not None
                     else float(v.positive("contracts", args.quantity)))
        liq = inverse_liquidation_price(args.side, entry, contracts, size, margin, args.mmr,
                                        args.maintenance_amount, fee_rate=args.fee_rate,
                                        mm_basis=args.basis)
        bkr = inverse_bankruptcy_price(args.side, entry, contracts, size, margin)
        leverage = contracts * size / entry / margin if margin > 0 else math.inf
        out.update(contract="inverse", contracts=contracts, contract_size=size)
    else:
        quantity = (margin * lev / entry if args.leverage is not None
                    else float(v.positive("quantity", args.quantity)))
        backing = margin
        if others:
            liq, bkr, backing = _cross(args, entry, quantity, margin, mark, others)
            out.update(margin_mode="cross", others=others, collateral=backing)
        else:
            liq = liquidation_price(args.side, entry, quantity, margin, args.mmr,
                                    args.maintenance_amount, fee_rate=args.fee_rate,
                                    mm_basis=args.basis)
            # a venue's bankruptcy price holds no fee (Venue.bankruptcy_price)
            bkr = bankruptcy_price(args.side, entry, quantity, margin,
                                   fee_rate=0.0 if preset else args.fee_rate)
        leverage = quantity * entry / margin if margin > 0 else math.inf
        out.update(contract="linear", quantity=quantity)
        if mark is not None:
            from ..formulas.margin import margin_ratio

            out.update(mark_price=mark, margin_ratio=margin_ratio(
                args.side, entry, mark, quantity, backing, args.mmr, args.maintenance_amount))
    kind = out["contract"]
    out.update(leverage=leverage, liquidation_price=liq, bankruptcy_price=bkr,
               formula=CROSS_FORMULA if others else FORMULAS[(kind, args.basis)],
               bankruptcy_formula=CROSS_BANKRUPTCY if others else BANKRUPTCY[kind])
    reference = entry if mark is None else mark
    out["distance_to_liquidation"] = abs(liq - reference) / reference
    if args.tick is not None:
        from ..formulas.liquidation import round_to_tick

        out.update(tick=args.tick, liquidation_price_rounded=round_to_tick(liq, args.tick, args.side),
                   bankruptcy_price_rounded=round_to_tick(bkr, args.tick, args.side))
    return out


def _cross(args: argparse.Namespace, entry: float, quantity: float, wallet: float,
           mark: float | None, others: list[dict[str, Any]]) -> tuple[float, float, float]:
    """(liquidation price, bankruptcy price, collateral) of the position in a cross account."""
    from ..formulas.cross import cross_collateral, cross_liquidation_price, others_totals
    from ..formulas.liquidation import bankruptcy_price

    me = {"side": args.side, "quantity": quantity, "entry_price": entry,
          "mark_price": entry if mark is None else mark, "mmr": args.mmr,
          "maintenance_amount": args.maintenance_amount}
    positions = [me, *others]
    liq = cross_liquidation_price(wallet, positions, 0)
    others_mm, others_upnl = others_totals(positions, 0)
    collateral = cross_collateral(wallet, others_mm, others_upnl)
    # bankrupt when the account's equity is zero: the wallet plus the others' P&L backs it
    bkr = bankruptcy_price(args.side, entry, quantity, wallet + others_upnl)
    return liq, bkr, float(collateral)


def _json_safe(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return "inf" if x > 0 else ("-inf" if x < 0 else "nan")
    return x


def _price(p: float, side: str) -> str:
    if math.isinf(p):
        return "none (the short can never be liquidated: inf)"
    if p == 0.0 and side == "long":
        return "none (the long cannot be liquidated: 0.0)"
    return f"{p:,.2f}"


def run(args: argparse.Namespace) -> int:
    r = compute(args)
    if args.json:
        print(json.dumps({k: _json_safe(val) for k, val in r.items()}, ensure_ascii=False))
        return 0
    if r["contract"] == "inverse":
        size = (f"{r['contracts']:,.6g} contracts of {r['contract_size']:,.6g} USD, "
                f"margin {r['margin']:,.8g} coin")
    else:
        size = f"{r['quantity']:,.8g} units, margin {r['margin']:,.2f}"
    lev = "" if math.isinf(r["leverage"]) else f" (leverage {r['leverage']:.4g}x)"
    if "venue" in r:
        print(f"preset: {r['venue']} {r['venue_product']} (read {r['venue_date_read']}; "
              f"{r['venue_source']})")
    mmr = "the venue's tier table" if r["mmr"] == "tiers" else f"mmr {100 * r['mmr']:.4g} %"
    extra = ""
    if r["fee_rate"]:
        extra += f", close fee {100 * r['fee_rate']:.4g} %"
    if r["maintenance_amount"]:
        extra += f", maintenance amount {r['maintenance_amount']:,.8g}"
    print(f"{r['side']} {size}, entry {r['entry_price']:,.2f}{lev}; "
          f"{mmr}{extra}, basis {r['mm_basis']}")
    if r.get("margin_mode") == "cross":
        print(f"  cross margin beside {len(r['others'])} other position(s): wallet "
              f"{r['margin']:,.2f}, collateral {r['collateral']:,.2f}")
    print(f"  liquidation price  {_price(r['liquidation_price'], r['side'])}")
    print(f"  bankruptcy price   {_price(r['bankruptcy_price'], r['side'])}")
    if "tick" in r:
        print(f"  on the tick {r['tick']:g}: liquidation "
              f"{_price(r['liquidation_price_rounded'], r['side'])}, bankruptcy "
              f"{_price(r['bankruptcy_price_rounded'], r['side'])}")
    if "margin_ratio" in r:
        print(f"  at mark {r['mark_price']:,.2f}: margin ratio {100 * r['margin_ratio']:.4g} % "
              f"(liquidation at 100 %), {100 * r['distance_to_liquidation']:.4g} % from "
              "the liquidation price")
    print(f"  {r['formula']}")
    print(f"  {r['bankruptcy_formula']}")
    print("  s = +1 long, -1 short; Q size, E entry, M margin, m mmr, f fee rate, "
          "c maintenance amount" + (", V contract size" if r["contract"] == "inverse" else ""))
    return 0
