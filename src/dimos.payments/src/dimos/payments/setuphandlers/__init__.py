"""Install handler of dimos.payments: the Taxisnet PAS plugin in the site's ``acl_users``."""

from dimos.payments.taxisnet.plugin import install_plugin
from plone import api


def post_install(context):
    install_plugin(api.portal.get_tool("acl_users"))
