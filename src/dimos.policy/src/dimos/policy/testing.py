"""Test layers for dimos.policy: a Plone site with the Dimos policy installed."""

from plone.app.testing import applyProfile
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PLONE_FIXTURE
from plone.app.testing import PloneSandboxLayer
from plone.testing.zope import WSGI_SERVER_FIXTURE

import dimos.policy


class DimosPolicyLayer(PloneSandboxLayer):
    defaultBases = (PLONE_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        import plone.restapi

        self.loadZCML(package=plone.restapi)
        self.loadZCML(package=dimos.policy)

    def setUpPloneSite(self, portal):
        # As on a real site (plone.app.testing leaves the default chain empty).
        portal.portal_workflow.setDefaultChain("simple_publication_workflow")
        applyProfile(portal, "plone.app.contenttypes:default")
        applyProfile(portal, "plone.restapi:default")
        applyProfile(portal, "dimos.policy:default")


DIMOS_POLICY_FIXTURE = DimosPolicyLayer()


def integration_and_functional(fixture, name):
    """The integration and functional (HTTP server) layers on top of ``fixture``."""
    return (
        IntegrationTesting(bases=(fixture,), name=f"{name}:IntegrationTesting"),
        FunctionalTesting(bases=(fixture, WSGI_SERVER_FIXTURE), name=f"{name}:FunctionalTesting"),
    )


DIMOS_POLICY_INTEGRATION_TESTING, DIMOS_POLICY_FUNCTIONAL_TESTING = integration_and_functional(
    DIMOS_POLICY_FIXTURE, "DimosPolicyLayer"
)
