"""Benchmarks of the client: ``python benchmarks/run.py`` (``--quick`` for a smoke run)."""
