"""Use cases, ports and the logic that moves events between them."""
