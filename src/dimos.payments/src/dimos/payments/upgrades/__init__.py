"""Upgrade steps of dimos.payments:default."""
