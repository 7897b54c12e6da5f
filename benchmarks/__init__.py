"""Benchmarks: the seed notebook's code against the engine (python -m benchmarks.run)."""
