"""Test layers for dimos.content: a Plone site with the Dimos policy and dimos.content."""

from dimos.policy.testing import DIMOS_POLICY_FIXTURE
from dimos.policy.testing import integration_and_functional
from plone.app.testing import applyProfile
from plone.app.testing import PloneSandboxLayer

import dimos.content


class DimosContentLayer(PloneSandboxLayer):
    defaultBases = (DIMOS_POLICY_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        self.loadZCML(package=dimos.content)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "dimos.content:default")


DIMOS_CONTENT_FIXTURE = DimosContentLayer()

DIMOS_CONTENT_INTEGRATION_TESTING, DIMOS_CONTENT_FUNCTIONAL_TESTING = integration_and_functional(
    DIMOS_CONTENT_FIXTURE, "DimosContentLayer"
)


def register_concurrently(site_url, count, clients, auth=None):
    """POST ``count`` applications to ``site_url``/@protocol from ``clients`` threads at once.

    Returns (responses in completion order, seconds taken). Used by the
    concurrency test and by benchmarks/protocol_numbering.py.
    """
    from concurrent.futures import ThreadPoolExecutor

    import requests
    import threading
    import time

    local = threading.local()
    body = {
        "kind": "general-request",
        "subject": "Αίτημα καθαρισμού οικοπέδου",
        "applicant": {"name": "Δοκιμαστικός Αιτών", "afm": "094019245"},
    }
    start = threading.Barrier(clients)

    def one(index):
        if not hasattr(local, "session"):
            local.session = requests.Session()
            start.wait()  # every client starts together
        return local.session.post(
            f"{site_url}/@protocol",
            json=dict(body, subject=f"{body['subject']} #{index}"),
            headers={"Accept": "application/json"},
            auth=auth,
            timeout=120,
        )

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        responses = list(pool.map(one, range(count)))
    return responses, time.perf_counter() - began
