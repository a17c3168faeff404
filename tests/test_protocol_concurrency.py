"""Many citizens file at the same moment against a real Zope: no duplicate, no gap.

A real bin/instance (waitress with its 4 threads, FileStorage, Zope's conflict
retries) on a throw-away var/; 16 clients post 64 applications at once.
"""

from dimos.content.testing_load import register_concurrently
from dimos.policy.testing_instance import ThrowawayInstance

import pytest
import requests


pytestmark = pytest.mark.slow

CLIENTS = 16
COUNT = 64


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    instance = ThrowawayInstance(tmp_path_factory.mktemp("dimos"))
    instance.create_site("--no-demo")
    with instance.serving():
        yield instance


def test_concurrent_submissions_get_consecutive_numbers(server):
    first = register_concurrently(server.url, 1, 1)[0][0].json()
    responses, _seconds = register_concurrently(server.url, COUNT, CLIENTS)

    assert [r.status_code for r in responses] == [201] * COUNT, {r.text for r in responses}
    receipts = [r.json() for r in responses]
    numbers = sorted(r["number"] for r in receipts)
    start = first["number"] + 1
    assert numbers == list(range(start, start + COUNT))  # no duplicate, no gap
    assert len({r["token"] for r in receipts}) == COUNT

    # every citizen can track their own application, and only with their own token
    for receipt in receipts[:8]:
        own = requests.get(
            receipt["tracking_url"], headers={"Accept": "application/json"}, timeout=30
        )
        assert own.status_code == 200
        assert own.json()["number"] == receipt["number"]
    other = receipts[1]["tracking_url"].replace(receipts[1]["token"], receipts[2]["token"])
    assert (
        requests.get(other, headers={"Accept": "application/json"}, timeout=30).status_code == 403
    )

    # the registry, read by the admin, holds exactly these records
    listing = requests.get(
        f"{server.url}/@search",
        params={
            "portal_type": "CitizenApplication",
            "b_size": 500,
            "metadata_fields": "protocol_number",
        },
        headers={"Accept": "application/json"},
        auth=server.admin(),
        timeout=30,
    ).json()
    assert listing["items_total"] == COUNT + 1
    assert sorted(int(i["protocol_number"].split("/")[0]) for i in listing["items"]) == list(
        range(first["number"], start + COUNT)
    )
