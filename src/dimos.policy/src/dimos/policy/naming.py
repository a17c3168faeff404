"""Ids for new content, chosen before it is created."""

from plone.i18n.normalizer.interfaces import IURLNormalizer
from plone.i18n.normalizer.interfaces import IUserPreferredURLNormalizer
from zope.component import getUtility
from zope.globalrequest import getRequest


def new_id(container, title, fallback="item"):
    """The id Plone's name chooser would give ``title`` in ``container``, chosen up front.

    ``api.content.create`` without an id creates the object under a random one
    and renames it: a savepoint that writes its blobs a first time, and move
    events that search the catalog.
    """
    request = getRequest()
    if request is not None:
        name = IUserPreferredURLNormalizer(request).normalize(title)
    else:
        name = getUtility(IURLNormalizer).normalize(title)
    name = name or fallback
    candidate, suffix = name, 0
    while not container.checkIdAvailable(candidate):  # taken, or not allowed by Zope
        suffix += 1
        candidate = f"{name}-{suffix}"
    return candidate
