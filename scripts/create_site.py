"""Create the Plone site `dimos` (with demo content) if it does not exist yet.

Run by `make start` as `bin/instance run scripts/create_site.py [--no-demo]`;
`app` is the Zope root, given by `bin/instance run`. Running it again keeps
all data: an existing site is left as it is.

The digitization workers' service account `digitizer` gets a generated
password, kept in `var/digitizer-password` (mode 600), on a new site and on an
existing one alike.

Environment: DIMOS_SITE_ID (default `dimos`), DIMOS_VAR (default `var/`).
"""

from dimos.digitization.account import ensure_service_password
from dimos.policy.site import ensure_admin
from dimos.policy.site import ensure_site
from dimos.policy.site import login
from dimos.policy.site import SITE_ID
from pathlib import Path

import os
import sys
import transaction


def main(app, argv):
    # `bin/instance run` gives sys.argv as [python, "-c", <this script>, args...] and
    # does not set __file__: find the script there to locate the repository's var/.
    script = next((Path(a) for a in sys.argv if a.endswith("create_site.py")), None)
    default_var = script.resolve().parent.parent / "var" if script else Path.cwd() / "var"
    var = Path(os.environ.get("DIMOS_VAR") or default_var)
    site_id = os.environ.get("DIMOS_SITE_ID", SITE_ID)
    admin = ensure_admin(app, var / "admin-password")
    transaction.commit()
    login(app, admin.user)
    site, created = ensure_site(app, site_id, demo="--no-demo" not in argv)
    service = ensure_service_password(var / "digitizer-password")
    if created:
        transaction.get().note(f"Created the Plone site {site_id}")
        transaction.commit()
        print(f"Δημιουργήθηκε ο ιστότοπος «{site.title}» (/{site_id}).")
        print(f"Created the Plone site /{site_id}.")
    else:
        transaction.get().note(f"Brought the Plone site {site_id} up to date")
        transaction.commit()
        print(f"Ο ιστότοπος /{site_id} υπάρχει ήδη: τα δεδομένα του διατηρούνται.")
        print(f"The site /{site_id} exists already: its data is kept.")
    address = os.environ.get("DIMOS_ADDRESS", "127.0.0.1:8080")
    print()
    print(f"  Dimos: http://{address}/{site_id}")
    print(f"  Σύνδεση / Log in: http://{address}/{site_id}/login")
    print(f"  Χρήστης / User: {admin.user}")
    if admin.created:
        print(f"  Κωδικός / Password: {admin.password}")
    print(f"  Ο κωδικός φυλάσσεται στο / The password is kept in: {admin.password_file} (mode 600)")
    print(
        f"  Λογαριασμός ψηφιοποίησης / Digitization service account: {service.user}, "
        f"κωδικός στο / password in {service.password_file} (mode 600)"
    )
    print()


main(app, sys.argv[1:])  # noqa: F821 (`app` is given by `bin/instance run`)
