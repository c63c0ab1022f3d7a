"""Driving adapter, process entry: the app uvicorn imports (`entrypoints.api.main:build`)."""

import gc

from fastapi import FastAPI

from entrypoints.api.app import create_app
from entrypoints.bootstrap import create_container

# Container allocations between young-generation collections (CPython's default is 700).
# A request frees almost all it allocates by reference counting; what stays is the
# latest-committed cache, so the default only made the collector run every few requests and,
# every hundred or so, walk the whole heap (py-spy and gc.callbacks: 5 to 25 % of a request).
YOUNG_COLLECTION_THRESHOLD = 10_000


def build() -> FastAPI:
    """An app over the configured adapters (environment and `.env`); used as uvicorn's factory,
    so every worker process builds its own application and pool."""
    app = create_app(create_container(), owns_application=True)
    _settle_heap()
    return app


def _settle_heap() -> None:
    # The modules, the app and the catalog live as long as the process: frozen, no collection
    # walks them again (a full collection of this heap took ~100 ms).
    gc.collect()
    gc.freeze()
    _, *older = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *older)
