"""``@@page-image?n=3``: a scanned page as PNG for whoever may view the decision.

dimos.digitization's ``@@scan-page`` is for the clerks who review scans; this
view renders the same way (its ``render_page``) under the View permission, so
a published decision's pages are public, and lets caches keep them: the scan
of a published decision does not change.
"""

from dimos.archive.search import PUBLIC_STATES
from dimos.digitization.browser.scanpage import render_page
from plone import api
from Products.Five.browser import BrowserView
from zExceptions import NotFound

import subprocess


PUBLIC_MAX_AGE = 86400
PRIVATE_MAX_AGE = 600


class PageImage(BrowserView):
    def number(self):
        text = self.request.form.get("n", "1")
        if not isinstance(text, str) or not text.isdigit():
            raise NotFound("n")
        number = int(text)
        pages = [page.get("number") or 0 for page in self.context.ocr_pages or ()]
        if not 1 <= number <= max([self.context.page_count or 0, *pages]):
            raise NotFound(str(number))
        return number

    def __call__(self):
        number = self.number()
        try:
            png = render_page(self.context, number)
        except (subprocess.SubprocessError, OSError, EOFError) as error:
            raise NotFound(str(number)) from error
        response = self.request.response
        response.setHeader("Content-Type", "image/png")
        response.setHeader("Content-Length", str(len(png)))
        if api.content.get_state(obj=self.context, default=None) in PUBLIC_STATES:
            response.setHeader("Cache-Control", f"public, max-age={PUBLIC_MAX_AGE}")
        else:
            response.setHeader("Cache-Control", f"private, max-age={PRIVATE_MAX_AGE}")
        return png
