"""Driving adapter, HTTP routes: one router per resource."""

API_PREFIX = "/api/v1"
