"""dimos.digitization:default installs on top of the Dimos policy."""


def test_installed_with_policy(installer):
    assert installer.is_product_installed("dimos.digitization")
    assert installer.is_product_installed("dimos.policy")


def test_profile_version(setup_tool):
    assert setup_tool.getLastVersionForProfile("dimos.digitization:default") == ("1000",)
