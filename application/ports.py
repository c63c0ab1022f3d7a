"""Ports: the interfaces the use cases need. Adapters in `adapters/<tech>/` implement them.

Each section below is owned by one area of work; keep edits inside your section.
"""

from __future__ import annotations

# --- Catalog, failed events, idempotency (domain and gateway) -------------------------------


# --- Event publishing and BRONZE loading (streaming) ----------------------------------------
