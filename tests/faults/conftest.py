"""Fixtures for the fault tests: an isolated pipeline on the shared services."""

from tests.faults.pipeline_fixture import pipeline

__all__ = ["pipeline"]
