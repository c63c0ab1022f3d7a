"""Driving adapter, process entry: the app uvicorn imports (`entrypoints.api.main:build`)."""

from fastapi import FastAPI

from entrypoints.api.app import create_app
from entrypoints.bootstrap import create_container


def build() -> FastAPI:
    """An app over the configured adapters (environment and `.env`); used as uvicorn's factory,
    so every worker process builds its own application and pool."""
    return create_app(create_container(), owns_application=True)
