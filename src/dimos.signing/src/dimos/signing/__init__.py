"""Dimos signing: PAdES signatures for employees and their public verification."""
