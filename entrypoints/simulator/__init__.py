"""Traffic simulator: a pure, seeded model of shoppers and an HTTP driver that replays it."""
