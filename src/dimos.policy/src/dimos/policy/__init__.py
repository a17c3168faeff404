"""Dimos site policy."""

from zope.i18nmessageid import MessageFactory

import logging


PACKAGE_NAME = "dimos.policy"

_ = MessageFactory(PACKAGE_NAME)

logger = logging.getLogger(PACKAGE_NAME)
