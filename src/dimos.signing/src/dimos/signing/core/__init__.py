"""Signing and verification without Zope: credentials, PAdES signing, verification reports."""
