"""The workers' service account: made by the profile without a usable password, given one by make start."""

from dimos.digitization.account import ensure_service_password
from dimos.digitization.account import ensure_service_user
from dimos.digitization.account import SERVICE_USER
from plone import api

import stat


def test_profile_makes_the_account_with_the_digitizer_role(portal):
    user = api.user.get(userid=SERVICE_USER)
    assert user is not None
    assert "Digitizer" in api.user.get_roles(user=user)
    assert api.user.has_permission("dimos.digitization: Store scan results", user=user, obj=portal)
    assert not api.user.has_permission("Modify portal content", user=user, obj=portal)
    # installing again neither duplicates nor breaks it
    ensure_service_user()
    assert "Digitizer" in api.user.get_roles(username=SERVICE_USER)


def test_site_creation_writes_a_private_working_password(portal, tmp_path):
    acl_users = api.portal.get_tool("acl_users")
    password_file = tmp_path / "var" / "digitizer-password"
    first = ensure_service_password(password_file)
    assert first.created
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert password_file.read_text().strip() == first.password
    assert acl_users.authenticate(SERVICE_USER, first.password, None) is not None
    # running `make start` again keeps it
    second = ensure_service_password(password_file)
    assert not second.created and second.password == first.password
    # a lost file gets a new password, and the old one stops working
    password_file.unlink()
    third = ensure_service_password(password_file)
    assert third.created and third.password != first.password
    assert acl_users.authenticate(SERVICE_USER, first.password, None) is None
    assert acl_users.authenticate(SERVICE_USER, third.password, None) is not None
