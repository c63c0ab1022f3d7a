"""Benchmarks (not tests): each public module has a `main()`; `python -m benchmarks` runs all."""
