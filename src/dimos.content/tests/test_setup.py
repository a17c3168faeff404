"""dimos.content:default installs on top of the Dimos policy."""


def test_installed_with_policy(installer):
    assert installer.is_product_installed("dimos.content")
    assert installer.is_product_installed("dimos.policy")


def test_profile_version(setup_tool):
    assert setup_tool.getLastVersionForProfile("dimos.content:default") == ("1001",)
