"""The categories of municipal debts, as data: ASCII tokens with Greek and English titles.

Files from the financial system may name a category by its token or by its
Greek or English title (any case, with or without accents): ``category_for``
finds it. No Zope or Plone imports.
"""

from dataclasses import dataclass
from dimos.payments.bilingual import BilingualError

import unicodedata


@dataclass(frozen=True)
class Category:
    token: str
    title_el: str
    title_en: str

    def title(self, language="el"):
        return self.title_en if language == "en" else self.title_el

    def to_json(self):
        return {"token": self.token, "title_el": self.title_el, "title_en": self.title_en}


CATEGORIES = (
    Category("gross-revenue", "Τέλος ακαθαρίστων εσόδων", "Gross revenue fee"),
    Category("transient-resident", "Τέλος παρεπιδημούντων", "Transient residents' fee"),
    Category("common-space", "Τέλος κοινοχρήστων χώρων", "Common space fee"),
    Category("property-tap", "Τέλος ακίνητης περιουσίας (ΤΑΠ)", "Property fee (TAP)"),
    Category("traffic-fine", "Πρόστιμα ΚΟΚ", "Traffic fines (KOK)"),
    Category("other-fines-fees", "Λοιπά πρόστιμα και τέλη", "Other fines and fees"),
    Category(
        "arrangement-instalment",
        "Δόσεις ρύθμισης οφειλών",
        "Instalments of payment arrangements",
    ),
    Category("rent", "Μισθώματα", "Rents"),
)

BY_TOKEN = {category.token: category for category in CATEGORIES}


class UnknownCategory(BilingualError):
    code = "bad-category"


def fold(text):
    """``text`` for comparing names: case, accents and repeated spaces ignored."""
    decomposed = unicodedata.normalize("NFD", str(text).strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


_BY_NAME = {
    fold(name): category
    for category in CATEGORIES
    for name in (category.token, category.title_el, category.title_en)
}


def get_category(token):
    """The category of ``token``, or None."""
    return BY_TOKEN.get(token)


def category_for(text):
    """The Category named by ``text`` (token or title, any case or accents); UnknownCategory if none."""
    category = _BY_NAME.get(fold(text or ""))
    if category is None:
        tokens = ", ".join(BY_TOKEN)
        raise UnknownCategory(
            f"Άγνωστη κατηγορία οφειλής «{text}»· δεκτές: {tokens}.",
            f"Unknown debt category “{text}”; accepted: {tokens}.",
            value=str(text),
        )
    return category
