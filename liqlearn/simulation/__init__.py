"""Simulation: an order book, the liquidation engine and its seeded scenarios.

Layer 2, built on ``liqlearn.formulas``: the engine's trigger, settlement and
partial liquidation call the same vectorised functions as the public API.

``orderbook``   the limit order book (walks, quotes, depth profiles)
``sweep``       a round's orders on one side of the book, by binary search
``config``      :class:`~liqlearn.simulation.config.EngineConfig`, the venue modelled
``accounts``    wallets, positions and trigger prices (the engine's state)
``thresholds``  triggers kept sorted, so a check reads only the accounts the mark crossed
``adl``         auto-deleveraging: the ranked queue of opposite positions
``engine``      :class:`~liqlearn.simulation.engine.Engine`: steps, rounds, the waterfall
``records``     liquidation events, ADL fills, tables and the finished run
``scenarios``   five seeded market stories
"""
