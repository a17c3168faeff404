"""`make start` on an existing site installs dimos.digitization (dimos.policy.site.bring_up_to_date)."""

from dimos.policy.site import bring_up_to_date
from dimos.policy.site import PROFILES


def test_existing_site_gets_digitization_installed(portal, installer, setup_tool):
    assert "dimos.digitization:default" in PROFILES
    setup_tool.unsetLastVersionForProfile("dimos.digitization:default")  # a site from before
    assert not installer.is_product_installed("dimos.digitization")
    bring_up_to_date(portal, demo=False)
    assert installer.is_product_installed("dimos.digitization")
    assert setup_tool.getLastVersionForProfile("dimos.digitization:default") == ("1000",)
