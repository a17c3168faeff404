from dimos.signing.testing import DIMOS_SIGNING_FUNCTIONAL_TESTING
from dimos.signing.testing import DIMOS_SIGNING_INTEGRATION_TESTING
from dimos.signing.testing_pki import start_pki
from pytest_plone import fixtures_factory

import pytest


globals().update(
    fixtures_factory(
        (
            (DIMOS_SIGNING_FUNCTIONAL_TESTING, "functional"),
            (DIMOS_SIGNING_INTEGRATION_TESTING, "integration"),
        )
    )
)


@pytest.fixture(scope="session")
def pki():
    """One test PKI (CAs, signers, CRL, OCSP, TSA on 127.0.0.1) for the whole session."""
    with start_pki() as pki:
        yield pki
