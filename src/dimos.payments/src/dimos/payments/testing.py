"""Test layers for dimos.payments: a Plone site with the records, signing and the payments."""

from dimos.policy.testing import integration_and_functional
from dimos.signing.testing import DIMOS_SIGNING_FIXTURE
from plone.app.testing import applyProfile
from plone.app.testing import PloneSandboxLayer

import dimos.payments


class DimosPaymentsLayer(PloneSandboxLayer):
    defaultBases = (DIMOS_SIGNING_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        self.loadZCML(package=dimos.payments)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "dimos.payments:default")


DIMOS_PAYMENTS_FIXTURE = DimosPaymentsLayer()

DIMOS_PAYMENTS_INTEGRATION_TESTING, DIMOS_PAYMENTS_FUNCTIONAL_TESTING = integration_and_functional(
    DIMOS_PAYMENTS_FIXTURE, "DimosPaymentsLayer"
)
