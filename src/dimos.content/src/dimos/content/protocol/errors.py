"""Errors of the protocol services, with their message in Greek and in English."""

from zope.i18n import translate


class ProtocolError(Exception):
    """A refused request: HTTP ``status``, a machine ``code`` and a translatable message."""

    def __init__(self, status, code, message, field=None):
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.field = field

    def payload(self, request):
        """The JSON error body: the message in the request's language, plus el and en."""
        error = {
            "type": self.code,
            "message": translate(self.message, context=request),
            "messages": {
                language: translate(self.message, target_language=language)
                for language in ("el", "en")
            },
        }
        if self.field:
            error["field"] = self.field
        return {"error": error}
