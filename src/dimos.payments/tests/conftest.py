from dimos.payments.testing import DIMOS_PAYMENTS_FUNCTIONAL_TESTING
from dimos.payments.testing import DIMOS_PAYMENTS_INTEGRATION_TESTING
from pytest_plone import fixtures_factory


globals().update(
    fixtures_factory(
        (
            (DIMOS_PAYMENTS_FUNCTIONAL_TESTING, "functional"),
            (DIMOS_PAYMENTS_INTEGRATION_TESTING, "integration"),
        )
    )
)
