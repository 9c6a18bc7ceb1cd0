"""Real markets: price history shipped in registry packages, and what the models say about it.

The submodules are imported on their own (``from liqlearn.markets import history``); none
of them is loaded by ``import liqlearn``, and none needs network access.
"""
