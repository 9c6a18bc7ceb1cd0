"""Course material: exercise self-checks and per-student problem sets.

Layer 2, built on :mod:`liqlearn.formulas`: every expected answer comes from the
public functions.
"""
