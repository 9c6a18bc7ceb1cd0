"""Real-market data: published figures of liquidation events, price history, replays."""
