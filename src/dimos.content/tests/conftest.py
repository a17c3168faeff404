from dimos.content.testing import DIMOS_CONTENT_FUNCTIONAL_TESTING
from dimos.content.testing import DIMOS_CONTENT_INTEGRATION_TESTING
from pytest_plone import fixtures_factory


globals().update(
    fixtures_factory(
        (
            (DIMOS_CONTENT_FUNCTIONAL_TESTING, "functional"),
            (DIMOS_CONTENT_INTEGRATION_TESTING, "integration"),
        )
    )
)
