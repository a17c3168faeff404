"""Test layers for dimos.digitization: a Plone site with the Dimos policy and dimos.digitization."""

from dimos.policy.testing import DIMOS_POLICY_FIXTURE
from plone.app.testing import applyProfile
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PloneSandboxLayer
from plone.testing.zope import WSGI_SERVER_FIXTURE
import dimos.digitization


class DimosDigitizationLayer(PloneSandboxLayer):
    defaultBases = (DIMOS_POLICY_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        self.loadZCML(package=dimos.digitization)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "dimos.digitization:default")


DIMOS_DIGITIZATION_FIXTURE = DimosDigitizationLayer()

DIMOS_DIGITIZATION_INTEGRATION_TESTING = IntegrationTesting(
    bases=(DIMOS_DIGITIZATION_FIXTURE,),
    name="DimosDigitizationLayer:IntegrationTesting",
)

DIMOS_DIGITIZATION_FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(DIMOS_DIGITIZATION_FIXTURE, WSGI_SERVER_FIXTURE),
    name="DimosDigitizationLayer:FunctionalTesting",
)
