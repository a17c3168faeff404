"""The payments' links in every page's header, so the pages can be found without a site action.

«Οι οφειλές μου» and «Πληρωμή με κωδικό RF» for everyone; «Διαχείριση
οφειλών» for those who may manage debts. (A portal action in a profile's
``actions.xml`` would be the usual way; this viewlet needs no profile.)
"""

from dimos.payments.browser.common import MANAGE_DEBTS
from dimos.payments.browser.common import may
from plone import api
from plone.app.layout.viewlets import ViewletBase


class PaymentsLinks(ViewletBase):
    def links(self):
        """(id, url, Greek, English) of each link this visitor may follow."""
        site = api.portal.get()
        url = site.absolute_url()
        links = [
            ("payments-link-my-debts", f"{url}/@@my-debts", "Οι οφειλές μου", "My debts"),
            ("payments-link-rf", f"{url}/@@rf-lookup", "Πληρωμή με κωδικό RF", "Pay by RF code"),
        ]
        if may(MANAGE_DEBTS, site):
            links.append(
                ("payments-link-admin", f"{url}/@@debts-admin", "Διαχείριση οφειλών", "Debts admin")
            )
        return [
            {"id": link_id, "url": href, "el": title_el, "en": title_en}
            for link_id, href, title_el, title_en in links
        ]
