from dimos.archive.testing import DIMOS_ARCHIVE_FUNCTIONAL_TESTING
from dimos.archive.testing import DIMOS_ARCHIVE_INTEGRATION_TESTING
from pytest_plone import fixtures_factory


globals().update(
    fixtures_factory(
        (
            (DIMOS_ARCHIVE_FUNCTIONAL_TESTING, "functional"),
            (DIMOS_ARCHIVE_INTEGRATION_TESTING, "integration"),
        )
    )
)
