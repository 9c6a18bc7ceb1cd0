"""``python -m liqlearn price``: liquidation and bankruptcy price of one position.

::

    python -m liqlearn price --side long --entry 60000 --margin 1000 --leverage 10 --mmr 0.005
    python -m liqlearn price --side short --entry 60000 --margin 1000 --quantity 0.2 \\
        --mmr 0.005 --basis entry --fee-rate 0.0005 --json
    python -m liqlearn price --side long --entry 50000 --margin 0.1 --leverage 2 --mmr 0.005 \\
        --inverse --contract-size 100

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

FORMULAS = {
    ("linear", "mark"): "P_liq = (Q*E - s*(M + c)) / (Q*(1 - s*(m + f)))  "
                        "[MM at the trigger price: Binance USDⓈ-M, dYdX, Hyperliquid]",
    ("linear", "entry"): "P_liq = E*(1 + s*(m + f)) - s*(M + c)/Q  "
                         "[MM at the entry price: Bybit isolated, the primer's rough method]",
    ("inverse", "mark"): "P_liq = Q*V*(m + f + s) / (M + c + s*Q*V/E)  "
                         "[coin MM at the trigger price: Binance COIN-M]",
    ("inverse", "entry"): "P_liq = s*Q*V / (M + c + (s - m - f)*Q*V/E)  "
                          "[coin MM at the entry price: Bybit inverse, BitMEX-style]",
}
BANKRUPTCY = {
    "linear": "P_bkr = (Q*E - s*M) / (Q*(1 - s*f))  [equity zero, close fee reserved]",
    "inverse": "P_bkr = Q*V / (s*M + Q*V/E)  [coin equity zero; fees ignored]",
}


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
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _venue_names() -> list[str]:
    from .. import venues

    return venues.names()


def apply_venue(args: argparse.Namespace) -> dict[str, Any]:
    """Fill the unset options from ``--venue``'s preset; what was taken, for the output.

    Explicit ``--mmr``, ``--basis``, ``--fee-rate`` and ``--contract-size`` win.  The
    tier table stands in for ``--mmr`` (``args.mmr`` becomes the MaintenanceTiers, or the
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
    args.basis = args.basis or vn.mm_basis
    if args.fee_rate is None:
        if vn.fee_in_trigger and vn.taker_fee is None:
            raise ValueError(f"{vn.name} reserves the close fee in the trigger but no fee rate "
                             "is recorded in its preset: give --fee-rate")
        args.fee_rate = vn.close_fee_rate()
    if vn.contract == "inverse":
        args.inverse = True
        if args.contract_size is None:
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
        entry = float(v.positive("entry_price", args.entry))
        margin = float(v.nonnegative("margin", args.margin))
        if args.quantity is not None:
            value = float(v.positive("quantity", args.quantity)) * (
                float(v.positive("contract_size", args.contract_size)) / entry
                if args.inverse else entry)
        else:
            value = margin * float(v.positive("leverage", args.leverage))
        args.mmr = vn.mmr_for(value)
    return {"venue": vn.name, "venue_product": vn.product, "venue_source": vn.source,
            "venue_date_read": vn.date_read}


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
    tiered = isinstance(args.mmr, MaintenanceTiers)
    out: dict[str, Any] = {**preset, "side": args.side, "entry_price": entry, "margin": margin,
                           "mmr": "tiers" if tiered else args.mmr, "fee_rate": args.fee_rate,
                           "maintenance_amount": args.maintenance_amount,
                           "mm_basis": args.basis}
    if args.inverse:
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
        liq = liquidation_price(args.side, entry, quantity, margin, args.mmr,
                                args.maintenance_amount, fee_rate=args.fee_rate,
                                mm_basis=args.basis)
        bkr = bankruptcy_price(args.side, entry, quantity, margin, fee_rate=args.fee_rate)
        leverage = quantity * entry / margin if margin > 0 else math.inf
        out.update(contract="linear", quantity=quantity)
    kind = out["contract"]
    out.update(leverage=leverage, liquidation_price=liq, bankruptcy_price=bkr,
               formula=FORMULAS[(kind, args.basis)], bankruptcy_formula=BANKRUPTCY[kind])
    return out


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
    print(f"  liquidation price  {_price(r['liquidation_price'], r['side'])}")
    print(f"  bankruptcy price   {_price(r['bankruptcy_price'], r['side'])}")
    print(f"  {r['formula']}")
    print(f"  {r['bankruptcy_formula']}")
    print("  s = +1 long, -1 short; Q size, E entry, M margin, m mmr, f fee rate, "
          "c maintenance amount" + (", V contract size" if r["contract"] == "inverse" else ""))
    return 0
