"""Dimos archive: the public archive of council decisions."""

from zope.i18nmessageid import MessageFactory

import logging


PACKAGE_NAME = "dimos.archive"

_ = MessageFactory(PACKAGE_NAME)

logger = logging.getLogger(PACKAGE_NAME)
