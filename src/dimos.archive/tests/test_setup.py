"""dimos.archive installs on the site."""

from dimos.archive.interfaces import IDimosArchiveLayer
from plone.browserlayer.utils import registered_layers


def test_the_profile_is_installed(portal):
    setup = portal.portal_setup
    assert setup.getLastVersionForProfile("dimos.archive:default") == ("1000",)


def test_the_browser_layer_is_registered(portal):
    assert IDimosArchiveLayer in registered_layers()
