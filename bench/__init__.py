"""Benchmarks against named baselines (see README.md); not part of the package."""
