"""The schema errors of the hotspots' fields: Greek / English, shown by z3c.form and plone.restapi."""

from zope.schema.interfaces import ValidationError


class BilingualFieldError(ValidationError):
    """A value a field cannot take; the message is "Ελληνικά / English".

    A ``ValidationError`` (not a bare ``Invalid``) so that both z3c.form
    (``doc()``) and plone.restapi's deserializer (which catches
    ``ValidationError`` and reports ``doc()``) show the message.
    """

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def doc(self):
        return self.message

    def __str__(self):
        return self.message
