"""Dimos signing: PAdES signatures for employees and their public verification."""

from zope.i18nmessageid import MessageFactory

import logging


PACKAGE_NAME = "dimos.signing"

_ = MessageFactory(PACKAGE_NAME)

logger = logging.getLogger(PACKAGE_NAME)
