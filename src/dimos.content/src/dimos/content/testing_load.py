"""Many citizens filing at once: the load used by the concurrency test and the benchmark.

No test-only dependencies, so benchmarks can import it under bin/zopepy.
"""

from concurrent.futures import ThreadPoolExecutor

import requests
import threading
import time


def register_concurrently(site_url, count, clients, auth=None):
    """POST ``count`` applications to ``site_url``/@protocol from ``clients`` threads at once.

    Returns (responses in completion order, seconds taken). Used by the
    concurrency test and by benchmarks/protocol_numbering.py.
    """
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
