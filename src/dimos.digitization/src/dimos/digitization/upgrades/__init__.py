"""Upgrade steps of dimos.digitization:default, one module per profile version (none yet)."""
