from dimos.digitization.testing import DIMOS_DIGITIZATION_FUNCTIONAL_TESTING
from dimos.digitization.testing import DIMOS_DIGITIZATION_INTEGRATION_TESTING
from pytest_plone import fixtures_factory


globals().update(
    fixtures_factory(
        (
            (DIMOS_DIGITIZATION_FUNCTIONAL_TESTING, "functional"),
            (DIMOS_DIGITIZATION_INTEGRATION_TESTING, "integration"),
        )
    )
)
