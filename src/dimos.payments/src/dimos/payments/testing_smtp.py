"""A real SMTP server on 127.0.0.1 that keeps what it receives, for tests.

``start_smtp()`` runs aiosmtpd on a free port in a daemon thread and returns
an ``SmtpServer``: its ``messages`` are ``Received`` (envelope and the message
parsed with the modern email policy, so a Greek subject reads as Greek).
``use_smtp(portal, server)`` points a Plone site's mail settings at it and sets
the site's sender address, as a mail administrator would in the control panel.

    with start_smtp() as smtp:
        ...
        assert smtp.messages[0].message["Subject"] == "Απόδειξη πληρωμής"
"""

from aiosmtpd.controller import Controller
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser

import threading
import time


@dataclass(frozen=True)
class Received:
    """One message as the server got it."""

    mail_from: str
    rcpt_tos: tuple
    data: bytes  # exactly what was sent after DATA
    message: object  # email.message.EmailMessage

    def attachments(self):
        """(filename, content type, bytes) of each attachment."""
        return [
            (part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
            for part in self.message.iter_attachments()
        ]

    def text(self):
        """The plain-text body, decoded."""
        body = self.message.get_body(preferencelist=("plain",))
        return body.get_content() if body is not None else ""


class _Collector:
    """aiosmtpd handler: accepts every message and keeps it."""

    def __init__(self, server):
        self.server = server

    async def handle_DATA(self, smtp, session, envelope):
        data = bytes(envelope.original_content or envelope.content)
        received = Received(
            mail_from=envelope.mail_from,
            rcpt_tos=tuple(envelope.rcpt_tos),
            data=data,
            message=BytesParser(policy=policy.default).parsebytes(data),
        )
        with self.server.arrived:
            self.server.messages.append(received)
            self.server.arrived.notify_all()
        return "250 Message accepted for delivery"


class _FreePortController(Controller):
    """Binds port 0 and reads the port the kernel chose before the readiness check."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpServer:
    """The running server: ``host``, ``port``, ``messages``; ``wait_for``, ``clear``, ``stop``."""

    __test__ = False

    def __init__(self, host="127.0.0.1"):
        self.messages = []
        self.arrived = threading.Condition()
        self._controller = _FreePortController(_Collector(self), hostname=host, port=0)
        self._controller.start()
        self.host = host
        self.port = self._controller.port

    def wait_for(self, count, timeout=10.0):
        """The messages once at least ``count`` have arrived; TimeoutError after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self.messages)} of {count} messages arrived")
                self.arrived.wait(left)
            return list(self.messages)

    def clear(self):
        with self.arrived:
            self.messages.clear()

    def stop(self):
        """Stop serving and free the port."""
        self._controller.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def start_smtp(host="127.0.0.1"):
    """A new SmtpServer on a free port of ``host``."""
    return SmtpServer(host)


def use_smtp(
    portal,
    server,
    from_address="noreply@dimos.example.gr",
    from_name="Δήμος Ελαιώνα",
):
    """Point ``portal``'s mail at ``server`` and set the site's sender (plone.email_from_*).

    Plone takes the SMTP host and port from its registry (``plone.smtp_host``,
    ``plone.smtp_port``: Products.CMFPlone.patches.sendmail makes every
    SMTPMailer read them), not from the MailHost's own attributes; both are set.
    """
    from plone import api

    host = api.portal.get_tool("MailHost")
    host.smtp_host = server.host
    host.smtp_port = server.port
    api.portal.set_registry_record("plone.smtp_host", server.host)
    api.portal.set_registry_record("plone.smtp_port", server.port)
    api.portal.set_registry_record("plone.email_from_address", from_address)
    api.portal.set_registry_record("plone.email_from_name", from_name)
    return host
