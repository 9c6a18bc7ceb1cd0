"""Every mistake the self-checks can diagnose: code -> the hint a student sees.

Hints never contain numbers, so a hint never reveals the expected value.
"""

from __future__ import annotations

from typing import Mapping

#: mistake code -> the hint a student sees.  Hints never contain numbers.
MISTAKES: Mapping[str, str] = {
    # liquidation price
    "basis_entry": "you took the maintenance margin at the entry price (the primer's rough method, "
                   "Bybit's former basis); this question takes it at the liquidation price itself "
                   "(mark basis: Binance, dYdX, Hyperliquid, Bybit's current page).",
    "basis_mark": "you took the maintenance margin at the liquidation price (mark basis); this "
                  "question takes it at the entry price (entry basis, as the primer and Bybit's "
                  "older page do).",
    "wrong_side": "that is the answer for the opposite side: a long loses when the price falls, "
                  "a short when it rises.",
    "mmr_percent": "the maintenance-margin rate was used as a percentage (0.5 for 0.5 %); rates "
                   "are fractions (0.005).",
    "mmr_over_100": "the maintenance-margin rate was divided by 100 once too often: 0.005 already "
                    "means 0.5 %.",
    "fee_percent": "the fee rate was used as a percentage; rates are fractions (0.0005 = 0.05 %).",
    "no_maintenance_amount": "you left out the maintenance amount (Binance 'cum', Bybit 'MM "
                             "deduction'), which is subtracted from notional × rate.",
    "amount_added": "the maintenance amount is subtracted from notional × rate, not added.",
    "no_fee": "you left out the close fee: its rate is added to the maintenance-margin rate "
              "(the venue reserves the fee to close the position).",
    "bankruptcy_not_liquidation": "that is the bankruptcy price (equity zero): liquidation "
                                  "comes earlier, when equity falls to the maintenance margin.",
    "liquidation_not_bankruptcy": "that is the liquidation price (equity equal to the "
                                  "maintenance margin); bankruptcy is where equity reaches zero.",
    "leverage_twice": "the leverage seems to be applied twice: the position size is "
                      "margin × leverage / entry price, with the leverage once.",
    "entry_bracket": "you used the bracket of the entry notional; under the mark basis the "
                     "bracket is the one that holds the notional at the liquidation price.",
    # margin and leverage
    "margin_not_notional": "that is the margin (the collateral); the notional is size × price.",
    "times_leverage": "margin is notional divided by the leverage, not multiplied by it.",
    "no_leverage": "that is the notional; the initial margin is the notional divided by the "
                   "leverage.",
    "inverted": "the ratio is upside down: check which quantity goes on top.",
    "initial_margin_for_equity": "you used the initial margin where the equity (margin plus "
                                 "unrealized P&L) was meant.",
    "entry_notional": "you used the notional at the entry price; this quantity uses the notional "
                      "at the current mark price.",
    "entry_leverage": "that is the leverage chosen at entry; effective leverage is the notional "
                      "at the mark over the equity now.",
    "pnl_only": "equity is margin plus unrealized P&L; you have the P&L alone.",
    "no_quantity": "that is the price change per unit; multiply by the position size.",
    "return_not_pnl": "that is a return (a fraction of the entry price), not an amount in quote "
                      "currency: multiply by the notional.",
    "mm_at_entry": "you took the maintenance margin at the entry price; the margin ratio uses the "
                   "notional at the current mark price.",
    # cross margin
    "others_pnl_ignored": "you left out the other positions' unrealized P&L: in cross margin it "
                          "adds to (or eats into) this position's collateral.",
    "others_mm_ignored": "you left out the other positions' maintenance margin: it is reserved "
                         "from the wallet before this position can use it.",
    "others_ignored": "you treated the position as isolated with the whole wallet; in cross "
                      "margin the other positions' P&L and maintenance margin count too.",
    "others_pnl_sign": "the other positions' P&L entered with the wrong sign: a profit adds to "
                       "the collateral, a loss reduces it.",
    # inverse
    "linear_for_inverse": "you used the linear (USDT-margined) formula; an inverse contract's "
                          "P&L in coin is contracts × size × (1/entry − 1/price).",
    "no_contract_size": "the contract size is missing: each contract is worth contract_size "
                        "units of the quote currency.",
    # prices
    "last_price": "that is the last traded price; the mark price is the median of three prices "
                  "built from the index.",
    "index_price": "that is the index price alone; the mark price is the median of three prices.",
    "mean_not_median": "that is the mean of the three prices; the mark price is their median.",
    "no_time_fraction": "the funding term is scaled by the fraction of the interval left until "
                        "the next funding (time to funding / funding interval).",
    "no_clamp": "the difference between the interest rate and the premium index is clamped "
                "before it is added.",
    "premium_only": "you left out the interest-rate term (clamped interest minus premium).",
    "wrong_payer": "right size, wrong direction: with a positive funding rate longs pay shorts.",
    "no_price": "funding is paid on the notional (size × mark price), not on the size alone.",
    # risk and options
    "terminal_not_touch": "that is the probability of *ending* beyond the barrier at the "
                          "horizon; liquidation happens if the price *touches* it at any time "
                          "before.",
    "no_ito": "the drift was used as the log-price drift; the log-price drifts at "
              "mu − sigma²/2.",
    "complement": "that is the probability of the opposite event (survival instead of "
                  "liquidation, or the reverse).",
    "vol_percent": "the volatility was used as a percentage; it is a fraction per year "
                   "(0.6 = 60 %).",
    "horizon_days": "the horizon was used in days; horizons are in years (one week is 7/365).",
    "call_put_swapped": "that is the price of the other option (call for put or put for call).",
    "intrinsic": "that is the intrinsic value only; the option is also worth its time value.",
    "no_discount": "the strike was not discounted: the formula uses strike × exp(−rate × horizon).",
    "survival_swapped": "survival and liquidation probability are swapped: survival 0.99 means a "
                        "1 % chance of liquidation.",
    "no_mmr": "you left out the maintenance-margin rate: liquidation comes before the margin is "
              "used up.",
    # generic
    "times_100": "off by a factor of 100: a percentage and a fraction seem mixed up.",
    "over_100": "off by a factor of 100: a fraction and a percentage seem mixed up.",
    "sign": "right size, wrong sign: check the side (who gains when the price rises?).",
}
