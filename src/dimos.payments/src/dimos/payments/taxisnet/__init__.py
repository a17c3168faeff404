"""Taxisnet (GSIS OAuth2) login: the citizen's AFM becomes their identity."""
