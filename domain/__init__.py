"""The domain: pure-Python aggregates that decide and emit events."""
