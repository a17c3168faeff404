from dimos.archive.testing import DIMOS_ARCHIVE_FUNCTIONAL_TESTING
from dimos.archive.testing import DIMOS_ARCHIVE_INTEGRATION_TESTING
from dimos.archive.testing_browser import sample_archive
from pytest_plone import fixtures_factory

import pytest
import transaction


globals().update(
    fixtures_factory(
        (
            (DIMOS_ARCHIVE_FUNCTIONAL_TESTING, "functional"),
            (DIMOS_ARCHIVE_INTEGRATION_TESTING, "integration"),
        )
    )
)


@pytest.fixture
def archive(functional_portal):
    """The sample archive (public, corrected, draft, scanned decisions), committed for HTTP."""
    records = sample_archive(functional_portal)
    transaction.commit()
    return functional_portal, records
