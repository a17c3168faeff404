"""Test layers for dimos.archive: a Plone site with the records, digitization, signing and the archive."""

from dimos.policy.testing import integration_and_functional
from dimos.signing.testing import DIMOS_SIGNING_FIXTURE
from plone.app.testing import applyProfile
from plone.app.testing import PloneSandboxLayer

import dimos.archive
import dimos.digitization


class DimosArchiveLayer(PloneSandboxLayer):
    defaultBases = (DIMOS_SIGNING_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        self.loadZCML(package=dimos.digitization)
        self.loadZCML(package=dimos.archive)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "dimos.digitization:default")
        applyProfile(portal, "dimos.archive:default")


DIMOS_ARCHIVE_FIXTURE = DimosArchiveLayer()

DIMOS_ARCHIVE_INTEGRATION_TESTING, DIMOS_ARCHIVE_FUNCTIONAL_TESTING = integration_and_functional(
    DIMOS_ARCHIVE_FIXTURE, "DimosArchiveLayer"
)
