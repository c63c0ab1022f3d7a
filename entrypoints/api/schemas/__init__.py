"""Driving adapter, HTTP wire format: pydantic request and response models."""
