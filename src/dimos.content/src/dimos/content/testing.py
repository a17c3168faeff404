"""Test layers for dimos.content: a Plone site with the Dimos policy and dimos.content."""

from dimos.policy.testing import DIMOS_POLICY_FIXTURE
from dimos.policy.testing import integration_and_functional
from plone.app.testing import applyProfile
from plone.app.testing import PloneSandboxLayer

import dimos.content


class DimosContentLayer(PloneSandboxLayer):
    defaultBases = (DIMOS_POLICY_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        self.loadZCML(package=dimos.content)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "dimos.content:default")


DIMOS_CONTENT_FIXTURE = DimosContentLayer()

DIMOS_CONTENT_INTEGRATION_TESTING, DIMOS_CONTENT_FUNCTIONAL_TESTING = integration_and_functional(
    DIMOS_CONTENT_FIXTURE, "DimosContentLayer"
)
