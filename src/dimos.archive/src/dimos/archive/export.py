"""``decisions.csv``: the metadata of every decision matching the archive's query, as CSV.

Same parameters and matches as the archive page (only public decisions; ``page``
and ``size`` are ignored: all matches, in the query's order). UTF-8 with a BOM,
so that spreadsheets read the Greek right, and a Greek header row; written in
chunks from the catalog's metadata, no object loaded.
"""

from dimos.archive.facets import type_label
from dimos.archive.query import ArchiveQuery
from dimos.archive.query import QueryError
from dimos.archive.search import brains
from dimos.archive.search import matches
from dimos.archive.search import meta
from dimos.archive.search import ordered
from dimos.archive.services.decisions.get import language
from plone import api
from Products.Five.browser import BrowserView

import csv
import io


FILENAME = "apofaseis.csv"
HEADER = (
    "Αριθμός",
    "Έτος",
    "Ημερομηνία",
    "Όργανο",
    "Τύπος",
    "Θεματικές κατηγορίες",
    "ΑΔΑ",
    "Θέμα",
    "Προέλευση",
    "Σύνδεσμος",
)
CHUNK = 1000


def row(brain):
    decision_date = meta(brain, "decision_date")
    code = meta(brain, "decision_type")
    return (
        meta(brain, "decision_number") or "",
        meta(brain, "decision_year") or "",
        decision_date.isoformat() if decision_date else "",
        meta(brain, "decision_body_title") or "",
        type_label(code) if code else "",
        "; ".join(meta(brain, "thematic_categories") or ()),
        meta(brain, "ada") or "",
        brain.Title or "",
        meta(brain, "decision_origin") or "",
        brain.getURL(),
    )


def csv_text(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


class DecisionsCSV(BrowserView):
    def __call__(self):
        response = self.request.response
        try:
            query = ArchiveQuery.from_form(self.request.form)
            catalog = api.portal.get_tool("portal_catalog")
            found = matches(catalog, query)
        except QueryError as error:
            response.setStatus(400)
            response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return error.message(language(self.request))
        rids = ordered(catalog, found.rids, found.scores, query, 0, len(found.rids))
        response.setHeader("Content-Type", "text/csv; charset=utf-8")
        response.setHeader("Content-Disposition", f'attachment; filename="{FILENAME}"')
        response.write(("\ufeff" + csv_text([HEADER])).encode("utf-8"))
        for start in range(0, len(rids), CHUNK):
            chunk = rids[start : start + CHUNK]
            # read in record order (the catalog's buckets one after the other), write in the query's
            records = dict(zip(sorted(chunk), brains(catalog, sorted(chunk)), strict=True))
            response.write(csv_text([row(records[rid]) for rid in chunk]).encode("utf-8"))
        return b""
