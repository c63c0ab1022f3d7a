"""Reusable test support: data generators shared by tests, benchmarks and demos."""
