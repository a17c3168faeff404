"""Dimos content."""

from zope.i18nmessageid import MessageFactory

import logging


PACKAGE_NAME = "dimos.content"

_ = MessageFactory(PACKAGE_NAME)

logger = logging.getLogger(PACKAGE_NAME)
