"""Real markets: published figures of liquidation events, engine replays of them, and price
history shipped in registry packages held against the models.

The submodules are imported on their own (``from liqlearn.markets import history``); none
of them is loaded by ``import liqlearn``, and none needs network access.
"""
