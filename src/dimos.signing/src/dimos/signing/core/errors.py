"""Refusals of the signing core, each with a code and a message in Greek and English."""


class SigningError(Exception):
    """Nothing was signed: the request, the credential or the document is refused."""

    def __init__(self, code, message_el, message_en):
        super().__init__(f"{message_el} / {message_en}")
        self.code = code
        self.message_el = message_el
        self.message_en = message_en

    def messages(self):
        return {"el": self.message_el, "en": self.message_en}
