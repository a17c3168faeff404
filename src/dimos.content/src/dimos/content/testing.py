"""Test layers for dimos.content: a Plone site with the Dimos policy and dimos.content."""

from dimos.policy.testing import DIMOS_POLICY_FIXTURE
from plone.app.testing import applyProfile
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PloneSandboxLayer
from plone.testing.zope import WSGI_SERVER_FIXTURE
import dimos.content


class DimosContentLayer(PloneSandboxLayer):
    defaultBases = (DIMOS_POLICY_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        self.loadZCML(package=dimos.content)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "dimos.content:default")


DIMOS_CONTENT_FIXTURE = DimosContentLayer()

DIMOS_CONTENT_INTEGRATION_TESTING = IntegrationTesting(
    bases=(DIMOS_CONTENT_FIXTURE,),
    name="DimosContentLayer:IntegrationTesting",
)

DIMOS_CONTENT_FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(DIMOS_CONTENT_FIXTURE, WSGI_SERVER_FIXTURE),
    name="DimosContentLayer:FunctionalTesting",
)
