"""Dimos payments: municipal debts, fees and fines paid online with RF codes."""

from zope.i18nmessageid import MessageFactory

import logging


PACKAGE_NAME = "dimos.payments"

_ = MessageFactory(PACKAGE_NAME)

logger = logging.getLogger(PACKAGE_NAME)
