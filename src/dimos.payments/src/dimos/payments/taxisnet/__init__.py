"""Taxisnet (GSIS OAuth2) login: the citizen's AFM becomes their identity.

``client`` speaks GSIS's protocol (no Zope), ``settings`` reads the registry
and the environment, ``state`` keeps the login's state in a signed cookie,
``exchange`` exchanges a code once per login, ``plugin`` is the PAS plugin
and ``views`` are @@taxisnet-login, @@taxisnet-callback and @@taxisnet-logout.
The local stand-in for tests and development is ``dimos.payments.testing_taxisnet``.
"""
