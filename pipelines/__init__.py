"""Batch layer: PySpark transforms, jobs and Luigi tasks for SILVER and GOLD."""
