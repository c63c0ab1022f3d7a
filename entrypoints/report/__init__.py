"""The HTML report of a demo run: GOLD charts, data quality and the reconciliation, in one file."""
