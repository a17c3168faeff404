"""The clerks' review of digitized decisions (Classic UI).

``@@digitization-review`` at the site root lists the decisions whose scan
needs review; ``@@review-scan`` on a decision shows each flagged page's image
(``@@scan-page?n=...``) beside its text, and saving stores the corrected
texts, clears the flags and marks the decision reviewed.

A decision whose number could not be read gets it here: the clerk types the
number, the year and, if missing, the date from the paper. The number is
checked against the body's number book before anything is stored (a taken
number is shown next to its field and nothing changes); the save then claims
it through the same handler as every other save (dimos.content.numbers).
Without a number the decision stays in the list, ``needs-review``.
"""

from dataclasses import dataclass
from dimos.content.content.council_body import DECISIONS_BOOK
from dimos.digitization import _
from plone import api
from plone.app.uuid.utils import uuidToCatalogBrain
from plone.protect import CheckAuthenticator
from plone.uuid.interfaces import IUUID
from Products.Five.browser import BrowserView
from zope.event import notify
from zope.i18n import translate
from zope.lifecycleevent import ObjectModifiedEvent

import datetime


LABELS = {
    "listing_title": _("Scanned decisions to review"),
    "listing_empty": _("No scanned decision needs review."),
    "decision": _("Decision"),
    "number": _("Number"),
    "pages": _("Pages to review"),
    "confidence": _("OCR confidence"),
    "review": _("Review"),
    "no_number": _("no number"),
    "scan_title": _("Review of the scanned pages"),
    "page": _("Page"),
    "page_confidence": _("Confidence"),
    "page_image": _("Image of the page"),
    "nothing_flagged": _("No page of this decision is flagged for review."),
    "save": _("Save the corrected texts"),
    "back": _("Back to the list"),
    "numbering": _("Number of the decision"),
    "numbering_help": _(
        "The number could not be read from the scan. Enter the number and the year "
        "(and the date, if missing) as written on the paper. Left empty, the decision "
        "stays in the list of decisions to review."
    ),
    "decision_number": _("Decision number"),
    "decision_year": _("Year"),
    "decision_date": _("Date of the decision"),
    "not_saved": _("Nothing was saved: correct the marked fields."),
}

MAX_NUMBER = 999999  # the number books key numbers as 32-bit integers
FIELDS = {"number": "decision-number", "year": "decision-year", "date": "decision-date"}


@dataclass(frozen=True)
class Numbering:
    """What the clerk typed for an unnumbered decision, checked."""

    number: int | None = None
    year: int | None = None
    date: datetime.date | None = None


def _typed(form, key):
    value = form.get(FIELDS[key], "")
    return value.strip() if isinstance(value, str) else ""


def parse_number(text):
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_NUMBER:
        raise ValueError(
            _(
                "Enter the decision number as a whole number from 1 to ${max}.",
                mapping={"max": MAX_NUMBER},
            )
        )
    return int(text)


def parse_year(text):
    if not text:
        return None
    if not text.isdigit() or not 1800 <= int(text) <= 2200:
        raise ValueError(_("Enter the year with four digits, from 1800 to 2200."))
    return int(text)


def parse_date(text):
    """``1979-03-12`` (what a date input sends) or ``12/3/1979``."""
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            date = datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if 1800 <= date.year <= 2200:
            return date
    raise ValueError(_("Enter the date as day/month/year, for example 12/03/1979."))


def read_numbering(form, record):
    """(Numbering, errors): ``errors`` maps a field key to its message."""
    if record.decision_number:  # numbered: the number is changed in the edit form only
        return Numbering(), {}
    values, errors = {}, {}
    parsers = {"number": parse_number, "year": parse_year, "date": parse_date}
    if record.decision_date is not None:
        del parsers["date"]
        values["date"] = None
    for key, parser in parsers.items():
        try:
            values[key] = parser(_typed(form, key))
        except ValueError as error:
            errors[key] = error.args[0]
    if errors:
        return Numbering(), errors
    date = values["date"] or record.decision_date
    year = values["year"] or (date.year if values["number"] and date else None)
    if values["number"] and year is None:
        errors["year"] = _("Enter the year of the decision: numbers start again every year.")
    elif values["number"]:
        taken = number_taken(record, values["number"], year)
        if taken is not None:
            errors["number"] = taken
    return Numbering(values["number"], year, values["date"]), errors


def number_taken(record, number, year):
    """The message saying ``number/year`` belongs to another decision of the body, or None."""
    body = record.body()
    if body is None:
        return None
    book = body.number_book(DECISIONS_BOOK)
    if book.is_free(year, number, IUUID(record, None)):
        return None
    holder = uuidToCatalogBrain(book.holder(year, number))  # the clerk may not see it
    return _(
        "Decision ${number}/${year} of this body exists already: “${title}”. "
        "Numbers are never reused; check the number on the paper.",
        mapping={
            "number": number,
            "year": year,
            "title": holder.Title if holder is not None else "?",
        },
    )


class LabelsMixin:
    def labels(self):
        return {key: translate(msg, context=self.request) for key, msg in LABELS.items()}


class ReviewListing(LabelsMixin, BrowserView):
    """The decisions needing review, oldest first."""

    def rows(self):
        catalog = api.portal.get_tool("portal_catalog")
        brains = catalog.unrestrictedSearchResults(
            portal_type="CouncilDecision", digitization_status="needs-review", sort_on="created"
        )
        rows = []
        for brain in brains[:500]:
            record = brain._unrestrictedGetObject()
            rows.append(
                {
                    "title": record.Title(),
                    "url": f"{record.absolute_url()}/@@review-scan",
                    "number": record.number_label(),
                    "pages": ", ".join(str(n) for n in record.review_pages or ()),
                    "confidence": record.ocr_confidence,
                }
            )
        return rows


class ReviewScan(LabelsMixin, BrowserView):
    errors = None  # field key -> message, after a refused save

    def __call__(self):
        if self.request.method == "POST" and "form.buttons.save" in self.request.form:
            CheckAuthenticator(self.request)
            numbering, errors = read_numbering(self.request.form, self.context)
            if errors:
                self.errors = errors
                return self.index()
            had_number = not self.needs_number()
            self.save(numbering)
            api.portal.show_message(self.saved_message(had_number), request=self.request)
            self.request.response.redirect(
                f"{api.portal.get().absolute_url()}/@@digitization-review"
            )
            return ""
        return self.index()

    def saved_message(self, had_number):
        label = self.context.number_label()
        if had_number:
            message = _("The corrected texts are saved.")
        elif label:
            message = _(
                "The corrected texts are saved; the decision is numbered ${label}.",
                mapping={"label": label},
            )
        else:
            message = _("The corrected texts are saved; the decision still needs its number.")
        return translate(message, context=self.request)

    def needs_number(self):
        """The form asks for the number while the decision has none."""
        return not self.context.decision_number

    def numbering(self):
        """The number fields of the form, or None for a numbered decision."""
        if not self.needs_number():
            return None
        record = self.context
        form = self.request.form
        refused = self.errors is not None
        year = record.decision_year or ""
        fields = {
            "number": _typed(form, "number") if refused else "",
            "year": _typed(form, "year") if refused else str(year),
        }
        if record.decision_date is None:
            fields["date"] = _typed(form, "date") if refused else ""
        return [
            {
                "key": key,
                "name": FIELDS[key],
                "value": value,
                "type": "date" if key == "date" else "text",
                "label": self.labels()[f"decision_{key}"],
                "error": self.error(key),
            }
            for key, value in fields.items()
        ]

    def error(self, key):
        message = (self.errors or {}).get(key)
        return translate(message, context=self.request) if message is not None else None

    def flagged(self):
        """The flagged pages, each with its image's address (and what was typed, if refused)."""
        wanted = set(self.context.review_pages or ())
        url = self.context.absolute_url()
        form = self.request.form if self.errors is not None else {}
        pages = []
        for page in self.context.ocr_pages or ():
            if page["number"] in wanted or page.get("flagged"):
                field = f"page-{page['number']}"
                typed = form.get(field)
                text = typed if isinstance(typed, str) else page["text"]
                pages.append(
                    dict(
                        page,
                        text=text,
                        image=f"{url}/@@scan-page?n={page['number']}",
                        field=field,
                    )
                )
        return pages

    def save(self, numbering):
        """Store the texts typed for the flagged pages and the number; then reviewed if numbered."""
        record = self.context
        form = self.request.form
        pages = []
        for page in record.ocr_pages or ():
            page = dict(page)
            text = form.get(f"page-{page['number']}")
            if page.get("flagged") or page["number"] in (record.review_pages or ()):
                if isinstance(text, str):
                    page["text"] = text.replace("\r\n", "\n")
                    page["source"] = "review"
                page["flagged"] = False
            pages.append(page)
        record.ocr_pages = pages
        record.review_pages = []
        if numbering.date is not None:
            record.decision_date = numbering.date
        if numbering.year is not None:
            record.decision_year = numbering.year
        if numbering.number is not None:
            record.decision_number = numbering.number
        record.digitization_status = "reviewed" if record.decision_number else "needs-review"
        notify(ObjectModifiedEvent(record))  # claims the number in the body's book
        record.reindexObject()
