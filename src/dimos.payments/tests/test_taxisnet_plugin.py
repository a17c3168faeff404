"""The Taxisnet PAS plugin in a site: installed by the profile, citizens as Plone users."""

from Acquisition import aq_base
from dimos.payments.setuphandlers import post_install
from dimos.payments.taxisnet.client import Citizen
from dimos.payments.taxisnet.plugin import ACTIVE_INTERFACES
from dimos.payments.taxisnet.plugin import PLUGIN_ID
from dimos.payments.taxisnet.plugin import taxisnet_plugin
from dimos.payments.taxisnet.settings import SECRET_VARIABLE
from dimos.payments.taxisnet.settings import store_settings
from dimos.payments.taxisnet.settings import taxisnet_settings
from plone import api
from Products.PluggableAuthService.interfaces.plugins import IPropertiesPlugin

import pytest


VAVOULA = Citizen("068933130", "ΕΥΤΥΧΙΑ", "ΒΑΒΟΥΛΑ", "ΕΜΜΑΝΟΥΗΛ", "ΑΝΝΑ", "1950")
ANTONIOU = Citizen("094019245", "ΝΙΚΟΛΑΟΣ", "ΑΝΤΩΝΙΟΥ", "ΓΕΩΡΓΙΟΣ", "ΜΑΡΙΑ", "1978")


@pytest.fixture
def citizens(portal):
    plugin = taxisnet_plugin(portal)
    plugin.remember(VAVOULA)
    plugin.remember(ANTONIOU)
    return plugin


def test_profile_adds_and_activates_the_plugin(portal):
    pas = portal.acl_users
    assert PLUGIN_ID in pas.objectIds()
    for interface in ACTIVE_INTERFACES:
        assert PLUGIN_ID in pas.plugins.listPluginIds(interface), interface.__name__
    # Taxisnet's names win over mutable_properties' empty defaults
    assert pas.plugins.listPluginIds(IPropertiesPlugin)[0] == PLUGIN_ID


def test_installing_again_changes_nothing(portal, citizens):
    post_install(None)
    pas = portal.acl_users
    assert aq_base(taxisnet_plugin(portal)) is aq_base(citizens)
    assert citizens.is_citizen(VAVOULA.afm)
    for interface in ACTIVE_INTERFACES:
        assert pas.plugins.listPluginIds(interface).count(PLUGIN_ID) == 1


def test_citizen_is_a_member_known_by_afm(portal, citizens):
    user = api.user.get(userid=VAVOULA.afm)
    assert user.getId() == user.getUserName() == "068933130"
    assert user.getProperty("fullname") == "ΕΥΤΥΧΙΑ ΒΑΒΟΥΛΑ"
    assert user.getProperty("fathername") == "ΕΜΜΑΝΟΥΗΛ"
    assert user.getProperty("mothername") == "ΑΝΝΑ"
    assert user.getProperty("afm") == "068933130"
    assert user.getProperty("email") == ""
    assert set(user.getRoles()) == {"Member", "Authenticated"}
    assert "Member" in api.user.get_roles(user=user)


def test_email_has_its_place_in_member_data(portal, citizens):
    user = api.user.get(userid=VAVOULA.afm)
    user.setMemberProperties({"email": "eftyxia@example.org", "fullname": "Άλλο όνομα"})
    user = api.user.get(userid=VAVOULA.afm)
    assert user.getProperty("email") == "eftyxia@example.org"
    assert user.getProperty("fullname") == "ΕΥΤΥΧΙΑ ΒΑΒΟΥΛΑ"  # Taxisnet's names stand


def test_each_login_refreshes_the_names(portal, citizens):
    first_login = citizens.citizen(VAVOULA.afm).first_login
    citizens.remember(Citizen("068933130", "ΕΥΤΥΧΙΑ", "ΒΑΒΟΥΛΑ-ΠΑΠΑ", "ΕΜΜΑΝΟΥΗΛ", "ΑΝΝΑ", "1950"))
    assert api.user.get(userid=VAVOULA.afm).getProperty("fullname") == "ΕΥΤΥΧΙΑ ΒΑΒΟΥΛΑ-ΠΑΠΑ"
    record = citizens.citizen(VAVOULA.afm)
    assert record.first_login == first_login
    assert record.last_login > first_login


def test_staff_find_citizens_by_name_or_afm(portal, citizens):
    pas = portal.acl_users
    by_name = pas.searchUsers(fullname="βαβουλα")
    assert [info["id"] for info in by_name] == ["068933130"]
    assert [info["id"] for info in pas.searchUsers(login="0940")] == ["094019245"]
    assert [info["id"] for info in pas.searchUsers(id="068933130", exact_match=True)] == [
        "068933130"
    ]
    assert set(pas.getUserIds()) >= {"068933130", "094019245"}
    assert not pas.searchUsers(fullname="Κανένας")


def test_no_password_logs_a_citizen_in(portal, citizens):
    request = portal.REQUEST
    pas = portal.acl_users
    assert pas.authenticate("068933130", "", request) is None
    assert pas.authenticate("068933130", "068933130", request) is None
    member = api.user.get(userid=VAVOULA.afm)
    assert not member.canPasswordSet()
    with pytest.raises(RuntimeError):
        pas.userSetPassword("068933130", "a-new-password")


def test_administrators_may_remove_a_citizen(portal, citizens):
    member = api.user.get(userid=ANTONIOU.afm)
    assert member.canDelete()
    with api.env.adopt_roles(["Manager"]):
        api.user.delete(username=ANTONIOU.afm)
    assert api.user.get(userid=ANTONIOU.afm) is None
    assert not citizens.is_citizen(ANTONIOU.afm)
    assert citizens.is_citizen(VAVOULA.afm)


def test_settings_from_the_registry_and_the_secret_from_the_environment(portal, monkeypatch):
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    settings = taxisnet_settings("http://localhost:8080/dimos")
    assert settings.base_url == "https://www1.gsis.gr"
    assert settings.redirect_uri == "http://localhost:8080/dimos/@@taxisnet-callback"
    assert not settings.configured
    store_settings(
        base_url="https://test.gsis.gr/",
        client_id="DIMOS01",
        client_secret="from-the-registry",
        redirect_uri="https://www.dimos.gr/@@taxisnet-callback",
    )
    settings = taxisnet_settings("http://localhost:8080/dimos")
    assert settings.base_url == "https://test.gsis.gr"
    assert settings.client_secret == "from-the-registry"
    assert settings.redirect_uri == "https://www.dimos.gr/@@taxisnet-callback"
    assert (
        settings.client()
        .authorize_url("s")
        .startswith(
            "https://test.gsis.gr/oauth2server/oauth/authorize?response_type=code&client_id=DIMOS01"
        )
    )
    monkeypatch.setenv(SECRET_VARIABLE, "from-the-environment")
    assert taxisnet_settings("").client_secret == "from-the-environment"
