"""Tell IT which hotspots stopped reporting (and which are back): run every few minutes by cron.

    bin/instance run src/dimos.hotspots/src/dimos/hotspots/scripts/check_hotspots.py \\
        [--site dimos] [--user admin]

Calls ``dimos.hotspots.usage.stale.notify_stale`` (one email per outage to
``dimos.hotspots.it_email``), commits, and prints a summary in Greek and
English. Exit status 0 (a silent hotspot is news, not a failure of the script).

From Python (tests): ``run(site)`` returns the summary lines; the caller commits.
"""

from AccessControl.SecurityManagement import newSecurityManager
from dimos.hotspots.usage import stale
from pathlib import Path
from zope.component.hooks import setSite

import argparse
import sys
import transaction


SCRIPT_NAME = "check_hotspots.py"


def run(site, now=None):
    """Notify IT for ``site``; the summary as lines (Greek, then English)."""
    silent, back = stale.notify_stale(site, now)
    still = stale.stale_hotspots(site, now)
    names = ", ".join(spot.getId() for spot in silent) or "-"
    back_names = ", ".join(spot.getId() for spot in back) or "-"
    return [
        f"Σημεία που σιωπούν: {len(still)}· νέα ειδοποίηση για {len(silent)} ({names}); "
        f"ξανά σε λειτουργία {len(back)} ({back_names}).",
        f"Silent hotspots: {len(still)}; IT newly told of {len(silent)} ({names}); "
        f"back online {len(back)} ({back_names}).",
    ]


def _site(app, parser, site_id):
    sites = [oid for oid, obj in app.objectItems() if obj.meta_type == "Plone Site"]
    if site_id is None and len(sites) == 1:
        site_id = sites[0]
    if site_id not in sites:
        parser.error(f"give --site, one of: {', '.join(sites) or '(no Plone site)'}")
    return app[site_id]


def main(app, argv, out=sys.stdout):
    parser = argparse.ArgumentParser(
        prog=f"bin/instance run .../{SCRIPT_NAME}",
        description="Email IT the hotspots that stopped reporting (once per outage).",
    )
    parser.add_argument("--site", help="id of the Plone site (default: the only one)")
    parser.add_argument("--user", default="admin", help="Zope root user to act as")
    args = parser.parse_args(argv)
    user = app.acl_users.getUser(args.user)
    if user is None:
        parser.error(f"no user {args.user!r} in the Zope root")
    newSecurityManager(None, user.__of__(app.acl_users))
    site = _site(app, parser, args.site)
    setSite(site)
    lines = run(site)
    transaction.get().note("Checked the hotspots' reports")
    transaction.commit()
    print("\n".join(lines), file=out)
    return 0


def script_args(argv):
    """The arguments after this script's path (``bin/instance run`` puts more before it)."""
    for position, arg in enumerate(argv):
        if Path(arg).name == SCRIPT_NAME:
            return argv[position + 1 :]
    return argv[1:]


if __name__ == "__main__":
    sys.exit(main(app, script_args(sys.argv)))  # noqa: F821 (`app` is given by `bin/instance run`)
