"""Gross-revenue and transient-resident fees declared by businesses; rates as effective-dated settings."""
