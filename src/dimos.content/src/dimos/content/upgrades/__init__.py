"""Upgrade steps of dimos.content:default, one module per profile version."""
