"""Silent hotspots: detection, one email to IT per outage (real SMTP on 127.0.0.1), the script."""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from dimos.hotspots.scripts import check_hotspots
from dimos.hotspots.usage import keys
from dimos.hotspots.usage import stale
from dimos.hotspots.usage.testing import create_hotspot
from dimos.hotspots.usage.testing import post_report
from dimos.hotspots.usage.testing import report
from dimos.payments.testing_smtp import start_smtp
from dimos.payments.testing_smtp import use_smtp
from plone import api

import io
import pytest
import transaction


IT_EMAIL = "pliroforiki@elaionas.example.gr"


@pytest.fixture(scope="module")
def smtp():
    with start_smtp() as server:
        yield server


@pytest.fixture
def site(functional_portal, smtp):
    """Three hotspots: «plateia» seen 5' ago, «limani» seen 2 h ago, «kastro» never (with a key)."""
    use_smtp(functional_portal, smtp)
    now = datetime.now(UTC)
    plateia = create_hotspot(functional_portal, "plateia", "Κεντρική Πλατεία")
    plateia.last_seen = now - timedelta(minutes=5)
    limani = create_hotspot(functional_portal, "limani", "Λιμάνι", address="Ακτή Λιμανιού 3")
    limani.last_seen = now - timedelta(hours=2)
    kastro = create_hotspot(functional_portal, "kastro", "Κάστρο")
    key, _issued = keys.issue_key(limani, "it-officer", now=now - timedelta(days=1))
    keys.issue_key(kastro, "it-officer", now=now - timedelta(hours=1))
    create_hotspot(functional_portal, "neo", "Νέο σημείο")  # never seen, no key: being set up
    transaction.commit()
    smtp.clear()
    return functional_portal, key


def ids(spots):
    return [spot.getId() for spot in spots]


def test_is_stale_goes_by_last_seen_and_the_key(site):
    portal, _key = site
    now = datetime.now(UTC)
    folder = portal["hotspots"]
    assert ids(stale.stale_hotspots(portal)) == ["kastro", "limani"]
    assert not stale.is_stale(folder["plateia"])
    assert stale.is_stale(folder["plateia"], now + timedelta(minutes=26))
    assert not stale.is_stale(folder["neo"], now + timedelta(days=10))
    keys.issue_key(folder["neo"], "it-officer", now=now)
    assert not stale.is_stale(folder["neo"], now + timedelta(minutes=29))
    assert stale.is_stale(folder["neo"], now + timedelta(minutes=31))
    api.portal.set_registry_record("dimos.hotspots.stale_after_minutes", 180)
    assert ids(stale.stale_hotspots(portal)) == []


def test_a_spot_set_aside_by_it_is_not_flagged_again(site):
    portal, _key = site
    folder = portal["hotspots"]
    folder["kastro"].status = "maintenance"
    assert stale.is_stale(folder["kastro"])  # its page still says so
    assert ids(stale.stale_hotspots(portal)) == ["limani"]


def test_one_email_per_outage_and_back_online_after_a_report(site, smtp):
    portal, key = site
    silent, back = stale.notify_stale(portal)
    assert (ids(silent), back) == (["kastro", "limani"], [])
    transaction.commit()
    message = smtp.wait_for(1)[0]
    assert message.rcpt_tos == (IT_EMAIL,)
    assert message.message["Subject"] == "Σημεία WiFi χωρίς αναφορά / Hotspots not reporting: 2"
    text = message.text()
    assert "Λιμάνι (limani), Ακτή Λιμανιού 3" in text and "Κάστρο (kastro)" in text
    assert "ποτέ / never" in text and "Κεντρική" not in text
    assert text.index("Σημεία WiFi χωρίς αναφορά") < text.index("Hotspots that have not reported")
    assert stale.flagged(portal["hotspots"]["limani"]) is not None

    # the next runs: still silent, already told
    assert stale.notify_stale(portal) == ([], [])
    transaction.commit()
    assert stale.notify_stale(portal) == ([], [])
    transaction.commit()

    # limani reports: the mark clears, the next run says it is back (once)
    url = portal.absolute_url()
    assert post_report(url, "limani", key, report("back-1")).status_code == 201
    transaction.begin()
    assert stale.flagged(portal["hotspots"]["limani"]) is None
    silent, back = stale.notify_stale(portal)
    assert (silent, ids(back)) == ([], ["limani"])
    transaction.commit()
    assert len(smtp.wait_for(2)) == 2
    assert "back online: 1" in smtp.messages[1].message["Subject"]
    assert stale.notify_stale(portal) == ([], [])
    transaction.commit()

    # a new outage of limani: a new email
    later = datetime.now(UTC) + timedelta(hours=1)
    silent, _back = stale.notify_stale(portal, now=later)
    assert ids(silent) == ["limani", "plateia"]
    transaction.commit()
    assert len(smtp.wait_for(3)) == 3


def test_an_aborted_run_sends_nothing_and_marks_nothing(site, smtp):
    portal, _key = site
    stale.notify_stale(portal)
    transaction.abort()
    assert stale.flagged(portal["hotspots"]["limani"]) is None
    with pytest.raises(TimeoutError):
        smtp.wait_for(1, timeout=1)


def test_without_it_email_nothing_is_sent_but_outages_are_marked(site, smtp):
    portal, _key = site
    api.portal.set_registry_record("dimos.hotspots.it_email", "")
    silent, _back = stale.notify_stale(portal)
    assert ids(silent) == ["kastro", "limani"]
    transaction.commit()
    with pytest.raises(TimeoutError):
        smtp.wait_for(1, timeout=1)


def test_the_script_s_run_prints_a_bilingual_summary(site, smtp):
    portal, _key = site
    lines = check_hotspots.run(portal)
    transaction.commit()
    assert lines[0].startswith("Σημεία που σιωπούν: 2· νέα ειδοποίηση για 2 (kastro, limani)")
    assert lines[1].startswith("Silent hotspots: 2; IT newly told of 2 (kastro, limani)")
    assert len(smtp.wait_for(1)) == 1
    assert check_hotspots.run(portal)[1].startswith("Silent hotspots: 2; IT newly told of 0")


def test_the_script_s_main_finds_the_site_and_commits(site, smtp, functional_app):
    out = io.StringIO()
    status = check_hotspots.main(functional_app, ["--user", "admin"], out=out)
    assert status == 0
    assert "Silent hotspots: 2" in out.getvalue()
    assert len(smtp.wait_for(1)) == 1
    assert check_hotspots.script_args(
        ["bin/instance", "run", "src/x/check_hotspots.py", "--site", "plone"]
    ) == ["--site", "plone"]
