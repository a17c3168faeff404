"""Γενικό Πρωτόκολλο: the folder that holds protocolled applications and documents."""

from plone.dexterity.content import Container
from plone.supermodel import model
from zope.interface import implementer


class IProtocolRegistry(model.Schema):
    pass


@implementer(IProtocolRegistry)
class ProtocolRegistry(Container):
    pass
