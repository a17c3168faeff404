"""Test layers for dimos.digitization: a Plone site with the Dimos policy and dimos.digitization."""

from dimos.policy.testing import DIMOS_POLICY_FIXTURE
from dimos.policy.testing import integration_and_functional
from plone.app.testing import applyProfile
from plone.app.testing import PloneSandboxLayer

import dimos.digitization


class DimosDigitizationLayer(PloneSandboxLayer):
    defaultBases = (DIMOS_POLICY_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        self.loadZCML(package=dimos.digitization)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "dimos.digitization:default")


DIMOS_DIGITIZATION_FIXTURE = DimosDigitizationLayer()

DIMOS_DIGITIZATION_INTEGRATION_TESTING, DIMOS_DIGITIZATION_FUNCTIONAL_TESTING = (
    integration_and_functional(DIMOS_DIGITIZATION_FIXTURE, "DimosDigitizationLayer")
)
