"""Samplers: one file each, found by the registry (see :mod:`imbal_core.techniques.parts`)."""
