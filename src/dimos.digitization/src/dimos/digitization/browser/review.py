"""The clerks' review of digitized decisions (Classic UI).

``@@digitization-review`` at the site root lists the decisions whose scan
needs review; ``@@review-scan`` on a decision shows each flagged page's image
(``@@scan-page?n=...``) beside its text, and saving stores the corrected
texts, clears the flags and marks the decision reviewed.
"""

from dimos.digitization import _
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zope.event import notify
from zope.i18n import translate
from zope.lifecycleevent import ObjectModifiedEvent


LABELS = {
    "listing_title": _("Scanned decisions to review"),
    "listing_empty": _("No scanned decision needs review."),
    "decision": _("Decision"),
    "number": _("Number"),
    "pages": _("Pages to review"),
    "confidence": _("OCR confidence"),
    "review": _("Review"),
    "no_number": _("no number read"),
    "scan_title": _("Review of the scanned pages"),
    "page": _("Page"),
    "page_confidence": _("Confidence"),
    "page_image": _("Image of the page"),
    "nothing_flagged": _("No page of this decision is flagged for review."),
    "save": _("Save the corrected texts"),
    "back": _("Back to the list"),
}


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
    def __call__(self):
        if self.request.method == "POST" and "form.buttons.save" in self.request.form:
            CheckAuthenticator(self.request)
            self.save()
            api.portal.show_message(
                translate(_("The corrected texts are saved."), context=self.request),
                request=self.request,
            )
            self.request.response.redirect(
                f"{api.portal.get().absolute_url()}/@@digitization-review"
            )
            return ""
        return self.index()

    def flagged(self):
        """The flagged pages, each with its image's address."""
        wanted = set(self.context.review_pages or ())
        url = self.context.absolute_url()
        return [
            dict(
                page, image=f"{url}/@@scan-page?n={page['number']}", field=f"page-{page['number']}"
            )
            for page in self.context.ocr_pages or ()
            if page["number"] in wanted or page.get("flagged")
        ]

    def save(self):
        """Store the texts typed for the flagged pages; the decision is then reviewed."""
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
        record.digitization_status = "reviewed"
        notify(ObjectModifiedEvent(record))
        record.reindexObject()
