"""Dimos hotspots: public WiFi spots with a captive portal, emergency alerts, events and usage."""

from zope.i18nmessageid import MessageFactory

import logging


PACKAGE_NAME = "dimos.hotspots"

_ = MessageFactory(PACKAGE_NAME)

logger = logging.getLogger(PACKAGE_NAME)
