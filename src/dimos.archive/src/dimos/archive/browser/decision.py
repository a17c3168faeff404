"""``@@decision-view``: a council decision's public page (its default view, for staff too).

The decision's particulars, its text, the decisions it amends or repeals (and
those that amend or repeal it), its files, its scanned pages as images with
their OCR text beside them, the signatures of its signed PDF and its
permanent address. Opened from a search (``?q=...``), the searched words are
marked in the text and in the scanned pages.
"""

from dimos.archive import _
from dimos.archive.browser import related
from dimos.archive.browser.common import body_of
from dimos.archive.browser.common import DIAVGEIA_URL
from dimos.archive.browser.common import local_date
from dimos.archive.browser.common import permalinks
from dimos.archive.browser.common import switch_language_url
from dimos.archive.browser.common import t
from dimos.archive.browser.marks import mark_html
from dimos.archive.browser.marks import mark_text
from dimos.archive.search import PUBLIC_STATES
from dimos.content.vocabularies import DecisionTypes
from dimos.digitization.pages import matching_pages
from plone import api
from Products.Five.browser import BrowserView
from urllib.parse import quote
from urllib.parse import unquote
from urllib.parse import urlencode
from zope.i18n import translate


MAX_QUERY = 200

FILES = (
    ("signed_pdf", _("Signed PDF")),
    ("searchable_pdf", _("Searchable PDF (the scan with its text)")),
    ("source_scan", _("Original scan")),
)

STATUS = {
    "corrected": _("This decision was amended by a later decision."),
    "revoked": _("This decision was repealed by a later decision."),
}


def _size(size):
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


class DecisionView(BrowserView):
    def __call__(self):
        query = self.request.form.get("q", "")
        self.q = query.strip()[:MAX_QUERY] if isinstance(query, str) else ""
        return self.index()

    # --- particulars -------------------------------------------------------

    @property
    def state(self):
        return api.content.get_state(obj=self.context, default=None)

    def is_public(self):
        return self.state in PUBLIC_STATES

    def status_notice(self):
        message = STATUS.get(self.state)
        return t(message, self.request) if message else ""

    def state_title(self, state):
        title = api.portal.get_tool("portal_workflow").getTitleForStateOnType(
            state, "CouncilDecision"
        )
        return translate(title, domain="plone", context=self.request)

    def decision_type(self):
        value = self.context.decision_type
        if not value:
            return ""
        try:
            return DecisionTypes(self.context).getTerm(value).title
        except LookupError:
            return value

    def archive_link(self, **params):
        return f"{api.portal.get().absolute_url()}/decisions?{urlencode(params)}"

    def particulars(self):
        """[{id, label, value, href}] for the definition list, only what is known."""
        context = self.context
        rows = []

        def add(row_id, label, value, href=None, lang=None):
            if value:
                rows.append(
                    {"id": row_id, "label": label, "value": value, "href": href, "lang": lang}
                )

        add("number", _("Number"), context.number_label())
        add("date", _("Date"), local_date(context.decision_date))
        body = body_of(context)
        if body is not None:
            add("body", _("Body"), body.Title(), self.archive_link(body=body.getId()), "el")
        meeting = context.meeting()
        if meeting is not None and api.user.has_permission("View", obj=meeting):
            add("meeting", _("Meeting"), meeting.Title(), lang="el")
        add("type", _("Decision type (Diavgeia)"), self.decision_type(), lang="el")
        add("ada", _("ΑΔΑ (Diavgeia posting number)"), context.ada, self.diavgeia_url())
        add("protocol", _("Protocol number"), context.protocol_number)
        add("rapporteur", _("Rapporteur"), context.rapporteur, lang="el")
        origin = (
            _("Digitized from the paper archive")
            if context.from_paper()
            else _("Born-digital decision")
        )
        add("origin", _("Origin"), origin)
        return rows

    def categories(self):
        return [
            {"title": category, "href": self.archive_link(category=category)}
            for category in self.context.thematic_categories or ()
        ]

    def diavgeia_url(self):
        ada = self.context.ada
        return DIAVGEIA_URL.format(ada=quote(ada)) if ada else None

    def permalinks(self):
        """[{href, text}]: the address as written, the ΑΔΑ's Greek letters readable."""
        return [{"href": link, "text": unquote(link)} for link in permalinks(self.context)]

    # --- text, relations, files, signatures -------------------------------

    def text(self):
        text = self.context.text
        html = text.output_relative_to(self.context) if text else ""
        return mark_html(html, self.q) if self.q else html

    def relations(self):
        groups = related.relations(self.context)
        for group in groups:
            for item in group["decisions"]:
                item["state_title"] = self.state_title(item["state"]) if item["state"] else ""
        return groups

    def files(self):
        url = self.context.absolute_url()
        found = []
        for field, label in FILES:
            blob = getattr(self.context, field, None)
            if blob is None or not blob.getSize():
                continue
            kind = "PDF" if blob.contentType == "application/pdf" else blob.contentType
            found.append(
                {
                    "id": field,
                    "label": label,
                    "url": f"{url}/@@download/{field}",
                    "filename": blob.filename or field,
                    "details": f"{kind}, {_size(blob.getSize())}",
                }
            )
        return found

    def signature(self):
        return related.signature(self.context)

    # --- scanned pages -----------------------------------------------------

    def page_count(self):
        numbers = [page.get("number") or 0 for page in self.context.ocr_pages or ()]
        return max([self.context.page_count or 0, *numbers])

    def has_images(self):
        return bool(self.context.searchable_pdf or self.context.source_scan)

    def pages(self):
        """[{number, id, image, alt, text}] of the scanned pages, text marked when searched."""
        texts = {page["number"]: page.get("text") or "" for page in self.context.ocr_pages or ()}
        url = self.context.absolute_url()
        images = self.has_images()
        return [
            {
                "number": number,
                "id": f"page-{number}",
                "image": f"{url}/@@page-image?n={number}" if images else None,
                "alt": t(_("Page ${number} of the scan", mapping={"number": number}), self.request),
                "text": mark_text(texts.get(number, ""), self.q),
                "has_text": bool(texts.get(number, "").strip()),
            }
            for number in range(1, self.page_count() + 1)
        ]

    def found_on_pages(self):
        """The numbers of the scanned pages holding the searched words."""
        if not self.q or not self.context.ocr_pages:
            return []
        return matching_pages(self.context.ocr_pages, self.q)

    # --- chrome ------------------------------------------------------------

    def language_switch(self):
        url, code, label = switch_language_url(self.request, self.context.absolute_url())
        return {"url": url, "lang": code, "label": label}
