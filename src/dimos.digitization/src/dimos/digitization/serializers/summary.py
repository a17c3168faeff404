"""@search names the page: a decision found by words of its scan lists the pages holding them.

plone.restapi serializes each search result with the ``ISerializeToJsonSummary``
adapter of (brain, request). This one, more specific through the add-on's
browser layer, wraps the default and adds ``scan_pages`` to results that are
digitized decisions with per-page texts, when the query has SearchableText.
Other brains cost one dictionary look-up more.
"""

from dimos.digitization.interfaces import IDimosDigitizationLayer
from dimos.digitization.pages import matching_pages
from dimos.digitization.pages import terms
from plone.restapi.interfaces import ISerializeToJsonSummary
from plone.restapi.serializer.summary import DefaultJSONSummarySerializer
from Products.ZCatalog.interfaces import ICatalogBrain
from zope.component import adapter
from zope.interface import implementer


# The statuses under which a decision has per-page texts.
WITH_PAGES = ("ocr-done", "needs-review", "reviewed")


def page_terms(record):
    """number -> index terms of each page, kept while the pages are the same list."""
    pages = record.ocr_pages or ()
    cached = getattr(record, "_v_dimos_page_terms", None)
    if cached is not None and cached[0] is pages:
        return cached[1]
    found = {page["number"]: terms(page.get("text")) for page in pages}
    record._v_dimos_page_terms = (pages, found)
    return found


@implementer(ISerializeToJsonSummary)
@adapter(ICatalogBrain, IDimosDigitizationLayer)
class ScanPagesSummarySerializer(DefaultJSONSummarySerializer):
    def __call__(self):
        summary = super().__call__()
        query = self.request.form.get("SearchableText")
        brain = self.context
        if (
            query
            and isinstance(query, str)
            and brain.portal_type == "CouncilDecision"
            and getattr(brain, "digitization_status", None) in WITH_PAGES
        ):
            record = brain.getObject()
            if record.ocr_pages:
                summary["scan_pages"] = matching_pages(record.ocr_pages, query, page_terms(record))
        return summary
