"""dimos.policy:default: language, time, departments, roles, search pipeline."""

from dimos.policy.catalog.lexicon import has_greek_pipeline
from dimos.policy.catalog.lexicon import lexicon_indexes
from dimos.policy.departments import DEPARTMENTS
from dimos.policy.departments import ROLES
from plone import api

import pytest


PACKAGE = "dimos.policy"


class TestInstall:
    def test_installed(self, installer):
        assert installer.is_product_installed(PACKAGE)

    def test_profile_version(self, setup_tool):
        assert setup_tool.getLastVersionForProfile(f"{PACKAGE}:default") == ("1002",)

    @pytest.mark.parametrize(
        "record, value",
        [
            ("plone.default_language", "el"),
            ("plone.available_languages", ["el", "en"]),
            ("plone.portal_timezone", "Europe/Athens"),
            ("plone.first_weekday", 0),
        ],
    )
    def test_registry(self, portal, record, value):
        assert api.portal.get_registry_record(record) == value

    def test_greek_dates(self, portal, http_request):
        from DateTime import DateTime
        from Products.CMFPlone.i18nl10n import ulocalized_time

        http_request["LANGUAGE"] = "el"
        when = DateTime("2026/03/05 14:30 Europe/Athens")
        assert ulocalized_time(when, context=portal, request=http_request) == "05/03/2026"
        long = ulocalized_time(when, long_format=True, context=portal, request=http_request)
        assert long.startswith("05/03/2026") and "14:30" in long


class TestDepartments:
    @pytest.mark.parametrize("department", DEPARTMENTS, ids=lambda d: d.id)
    def test_group_with_roles(self, portal, department):
        group = api.group.get(groupname=department.id)
        assert group is not None
        assert group.getProperty("title") == department.title
        roles = set(api.group.get_roles(groupname=department.id))
        assert set(department.roles) <= roles

    def test_all_department_titles(self, portal):
        titles = {api.group.get(groupname=d.id).getProperty("title") for d in DEPARTMENTS}
        assert titles == {
            "Δημοτολόγιο",
            "Ληξιαρχείο",
            "Γενικό Πρωτόκολλο",
            "Οικονομική Υπηρεσία (Έσοδα)",
            "Νομική Υπηρεσία",
            "Τμήμα Προσωπικού",
            "Γραμματεία Δημοτικού Συμβουλίου",
            "Ψηφιοποίηση",
        }

    def test_reinstall_keeps_members(self, portal, setup_tool):
        api.user.create(email="clerk@example.org", username="clerk")
        api.group.add_user(groupname="geniko-protokollo", username="clerk")
        setup_tool.runAllImportStepsFromProfile("profile-dimos.policy:default")
        members = api.user.get_users(groupname="geniko-protokollo")
        assert [m.getId() for m in members] == ["clerk"]


class TestRoles:
    @pytest.mark.parametrize("role", ROLES)
    def test_role_exists(self, portal, role):
        assert role in portal.valid_roles()

    def test_roles_in_sharing_tab_in_greek(self, functional_portal):
        """The sharing tab, as a site manager sees it over HTTP, lists the roles in Greek."""
        from plone.app.testing import SITE_OWNER_NAME
        from plone.app.testing import SITE_OWNER_PASSWORD

        import requests

        response = requests.get(
            f"{functional_portal.absolute_url()}/@@sharing",
            auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
            headers={"Accept-Language": "el"},
            timeout=30,
        )
        assert response.status_code == 200
        for title in (
            "Υπάλληλος αρχείου",
            "Γραμματέας συλλογικού οργάνου",
            "Υπάλληλος εσόδων",
            "Νομικός σύμβουλος",
            "Υπάλληλος προσωπικού",
            "Χειριστής σάρωσης",
        ):
            assert title in response.text

    def test_editor_cannot_delegate_department_roles(self, portal):
        perm = "Dimos: Delegate department roles"
        roles = {r["name"] for r in portal.rolesOfPermission(perm) if r["selected"]}
        assert roles == {"Manager", "Site Administrator"}


class TestCatalog:
    def test_lexicon_has_greek_pipeline(self, portal):
        assert has_greek_pipeline(api.portal.get_tool("portal_catalog"))

    def test_text_indexes_use_it(self, portal):
        ids = {i.getId() for i in lexicon_indexes(api.portal.get_tool("portal_catalog"))}
        assert {"SearchableText", "Title", "Description"} <= ids
