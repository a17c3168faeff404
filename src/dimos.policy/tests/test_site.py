"""The admin user and its password file (``make start``)."""

from dimos.policy.site import ensure_admin

import stat


# The test layer's Zope root has a PluggableAuthService with PlonePAS's
# patches, as `bin/instance` has; its `admin` is the layer's site owner.
USER = "dimos-admin"


def test_first_run_generates_a_private_password(app, tmp_path):
    password_file = tmp_path / "var" / "admin-password"
    admin = ensure_admin(app, password_file, user=USER)
    assert admin.created
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert password_file.read_text().strip() == admin.password
    assert len(admin.password) >= 20
    assert admin.password != "admin"
    user = app.acl_users.authenticate(USER, admin.password, None)
    assert user is not None and "Manager" in user.getRoles()


def test_second_run_keeps_the_password(app, tmp_path):
    password_file = tmp_path / "admin-password"
    first = ensure_admin(app, password_file, user=USER)
    second = ensure_admin(app, password_file, user=USER)
    assert not second.created
    assert second.password == first.password
    assert app.acl_users.authenticate(USER, first.password, None) is not None


def test_lost_password_file_resets_the_password(app, tmp_path):
    password_file = tmp_path / "admin-password"
    first = ensure_admin(app, password_file, user=USER)
    password_file.unlink()
    second = ensure_admin(app, password_file, user=USER)
    assert second.created and second.password != first.password
    assert app.acl_users.authenticate(USER, first.password, None) is None
    assert app.acl_users.authenticate(USER, second.password, None) is not None


def test_loose_file_mode_is_tightened(app, tmp_path):
    password_file = tmp_path / "admin-password"
    ensure_admin(app, password_file, user=USER)
    password_file.chmod(0o644)
    ensure_admin(app, password_file, user=USER)
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
