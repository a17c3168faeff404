"""Empty the portal's micro-cache when what the portal shows has changed, once the change is committed.

Alerts, news, events and hotspots are what the captive portal shows. Any
change to one (added, edited, moved, removed, a workflow transition) asks the
micro-cache (``microcache.py``) to drop its entries after the transaction
commits: never before, or a phone could read the old state back into it.
Then each Varnish in front (``DIMOS_VARNISH``, see ``proxy/``) gets a BAN,
in that order: what Varnish fetches next comes from the emptied micro-cache.
"""

from dimos.hotspots import microcache
from dimos.hotspots import proxy
from Products.CMFCore.utils import getToolByName

import transaction


_MARK = "dimos.hotspots.microcache-invalidation"


def _after_commit(succeeded):
    if succeeded:
        microcache.invalidate()
        proxy.ban_now_and_again()


def alert_changed(alert, event):
    """An alert's change reaches the portal unless it is a draft's (its publication is not)."""
    workflow = getToolByName(alert, "portal_workflow", None)
    state = workflow.getInfoFor(alert, "review_state", None) if workflow is not None else None
    if state != "draft":
        invalidate_after_commit()


def invalidate_after_commit(obj=None, event=None):
    """Subscriber (any object, any event): one after-commit hook per transaction."""
    txn = transaction.get()
    if getattr(txn, "_dimos_microcache", None) == _MARK:
        return
    txn._dimos_microcache = _MARK
    txn.addAfterCommitHook(_after_commit)
