"""Simulation: an order book, the liquidation engine and its seeded scenarios.

Layer 2, built on :mod:`liqlearn.formulas`: the engine's trigger, settlement and
partial liquidation call the same vectorised functions as the public API.
"""
