from dimos.hotspots.testing import DIMOS_HOTSPOTS_FUNCTIONAL_TESTING
from dimos.hotspots.testing import DIMOS_HOTSPOTS_INTEGRATION_TESTING
from pytest_plone import fixtures_factory


globals().update(
    fixtures_factory(
        (
            (DIMOS_HOTSPOTS_FUNCTIONAL_TESTING, "functional"),
            (DIMOS_HOTSPOTS_INTEGRATION_TESTING, "integration"),
        )
    )
)
