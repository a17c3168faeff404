"""dimos.signing:default installs its settings, indexes, role and folder on top of the records."""

from dimos.signing.interfaces import IDimosSigningLayer
from dimos.signing.interfaces import ISigningSettings
from dimos.signing.settings import signing_settings
from dimos.signing.settings import store_settings
from plone import api
from plone.browserlayer.utils import registered_layers

import pytest


def test_installed_with_the_records(installer):
    assert installer.is_product_installed("dimos.signing")
    assert installer.is_product_installed("dimos.content")


def test_profile_version(setup_tool):
    assert setup_tool.getLastVersionForProfile("dimos.signing:default") == ("1000",)


def test_browser_layer(portal):
    assert IDimosSigningLayer in registered_layers()


def test_catalog_indexes(portal):
    catalog = api.portal.get_tool("portal_catalog")
    assert catalog._catalog.indexes["signature_awaiting"].meta_type == "KeywordIndex"
    assert catalog._catalog.indexes["signed_sha256"].meta_type == "FieldIndex"


def test_signed_documents_folder_is_private_and_out_of_navigation(portal):
    folder = portal["signed-documents"]
    assert folder.Title() == "Υπογεγραμμένα έγγραφα"
    assert api.content.get_state(folder) == "private"
    assert folder.exclude_from_nav is True


def test_signer_role_signs_only_where_given(portal):
    assert "Signer" in portal.validRoles()
    roles = {
        r["name"]
        for r in portal.rolesOfPermission("dimos.signing: Sign documents")
        if r["selected"]
    }
    assert roles == {"Signer"}


def test_settings_default_to_the_site_address_and_no_tsa(portal):
    for name in ISigningSettings.names():
        assert api.portal.get_registry_record(f"dimos.signing.{name}") in (None, "", False)
    settings = signing_settings()
    assert settings.tsa_url == ""
    assert settings.trust_roots == ()
    assert settings.public_url == portal.absolute_url()


def test_trust_list_must_be_pem_certificates(portal, pki):
    from dimos.signing.core.errors import SigningError

    with pytest.raises(SigningError) as refused:
        store_settings(trust_roots="not a certificate")
    assert refused.value.code == "bad-pem"
    broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    with pytest.raises(SigningError) as refused:
        store_settings(trust_roots=broken)
    assert "αρ. 1" in refused.value.message_el
    store_settings(trust_roots=pki.root_pem().decode() + pki.intermediate.cert_pem().decode())
    assert len(signing_settings().trust_roots) == 2
