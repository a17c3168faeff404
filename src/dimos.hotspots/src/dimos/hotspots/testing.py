"""Test layers for dimos.hotspots: a Plone site with the records and the hotspots."""

from dimos.content.testing import DIMOS_CONTENT_FIXTURE
from dimos.policy.testing import integration_and_functional
from plone.app.testing import applyProfile
from plone.app.testing import PloneSandboxLayer

import dimos.hotspots


class DimosHotspotsLayer(PloneSandboxLayer):
    defaultBases = (DIMOS_CONTENT_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        self.loadZCML(package=dimos.hotspots)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "dimos.hotspots:default")


DIMOS_HOTSPOTS_FIXTURE = DimosHotspotsLayer()

DIMOS_HOTSPOTS_INTEGRATION_TESTING, DIMOS_HOTSPOTS_FUNCTIONAL_TESTING = integration_and_functional(
    DIMOS_HOTSPOTS_FIXTURE, "DimosHotspotsLayer"
)
