"""Adapters: one sub-package per technology, one module per port it serves."""
