"""Entry points: composition root, HTTP API, CLI and long-running loops."""
