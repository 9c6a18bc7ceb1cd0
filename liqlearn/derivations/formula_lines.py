"""The formulas the command line and the calculator print beside their answers, as plain text.

``python -m liqlearn price`` prints the line that produced its answer, and the browser's
calculator shows the same line (:mod:`liqlearn.browser` exports this module's strings), so
the two never disagree.  Each line is the registry's formula (see ``liqlearn.FORMULAS``)
written in plain text, with the venue convention it follows.
"""

from __future__ import annotations

FORMULAS = {
    ("linear", "mark"): "P_liq = (Q*E - s*(M + c)) / (Q*(1 - s*(m + f)))  "
                        "[MM at the trigger price: Binance USDⓈ-M, dYdX, Hyperliquid]",
    ("linear", "entry"): "P_liq = E*(1 + s*(m + f)) - s*(M + c)/Q  "
                         "[MM at the entry price: Bybit isolated 2024, the primer's rough method]",
    ("inverse", "mark"): "P_liq = Q*V*(m + f + s) / (M + c + s*Q*V/E)  "
                         "[coin MM at the trigger price: Binance COIN-M]",
    ("inverse", "entry"): "P_liq = s*Q*V / (M + c + (s - m - f)*Q*V/E)  "
                          "[coin MM at the entry price: Bybit inverse 2024, BitMEX-style]",
}
BANKRUPTCY = {
    "linear": "P_bkr = (Q*E - s*M) / (Q*(1 - s*f))  [equity zero, close fee reserved]",
    "inverse": "P_bkr = Q*V / (s*M + Q*V/E)  [coin equity zero; fees ignored]",
}
CROSS_FORMULA = ("P_liq = (C + c - s*Q*E) / (Q*(m - s)), C = W - MM_o + UPnL_o  "
                 "[cross margin, others at their marks: Binance USDⓈ-M cross, dYdX]")
CROSS_BANKRUPTCY = "P_bkr = E - s*(W + UPnL_o)/Q  [account equity zero, others at their marks]"
