from dimos.payments.interfaces import IDimosPaymentsLayer
from plone.browserlayer.utils import registered_layers


def test_profile_installed(portal):
    setup = portal.portal_setup
    assert setup.getLastVersionForProfile("dimos.payments:default") == ("1000",)
    assert IDimosPaymentsLayer in registered_layers()


def test_revenue_officers_manage_debts_members_see_their_own(portal):
    roles = {
        permission: {r["name"] for r in portal.rolesOfPermission(permission) if r["selected"]}
        for permission in ("Dimos: Manage debts", "Dimos: View own debts")
    }
    assert "RevenueOfficer" in roles["Dimos: Manage debts"]
    assert "Member" not in roles["Dimos: Manage debts"]
    assert "Member" in roles["Dimos: View own debts"]
    assert "Anonymous" not in roles["Dimos: View own debts"]
