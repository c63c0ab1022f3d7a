"""Fixtures for the fault tests: an isolated pipeline on the shared services."""

from tests.faults.pipeline_fixture import pipeline, wide_pipeline

__all__ = ["pipeline", "wide_pipeline"]
