"""The formulas: NumPy twins of every derivation, one module per idea (the bottom layer).

``margin`` (notional, equity, maintenance margin, margin ratio), ``tiers`` (tiered
maintenance margin), ``liquidation`` (liquidation and bankruptcy prices), ``cross``,
``inverse``, ``prices`` (mark price, funding), ``risk`` (touch probabilities),
``options``, ``solvers`` (margin for a target price, maximum leverage),
``settlement`` (what happens after the trigger), ``book_depth``, ``deleveraging``,
``cascade``; ``validation`` checks every input.  These modules import NumPy and
SciPy only: their SymPy derivations live in :mod:`liqlearn.derivations`.
"""
