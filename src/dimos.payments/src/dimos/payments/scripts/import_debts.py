"""Import the financial system's certified debts from a CSV or JSON file into the site.

From the command line (commits, unless ``--dry-run``)::

    bin/instance run src/dimos.payments/src/dimos/payments/scripts/import_debts.py FILE \\
        [--site dimos] [--user admin] [--dry-run]

``FILE`` is CSV (UTF-8, ``;`` or ``,``) unless its name ends in ``.json``; its
columns are described in ``dimos.payments.importer``. The report (counts,
conflicts, rows with errors) is printed in Greek and English. A file refused
as a whole imports nothing and exits with status 2. The audit trail shows
``--user`` as who imported.

From Python (tests), on a site that is set up::

    report = import_path(path, actor)
"""

from AccessControl.SecurityManagement import newSecurityManager
from dimos.payments import ledger
from dimos.payments.importer import ImportRefused
from pathlib import Path
from zope.component.hooks import setSite

import argparse
import sys
import transaction


SCRIPT_NAME = "import_debts.py"


def content_type_of(path):
    return "application/json" if Path(path).suffix.lower() == ".json" else "text/csv"


def import_path(path, actor):
    """Import the file at ``path`` into the current site's ledger; the ImportReport."""
    path = Path(path)
    return ledger.import_file(path.read_bytes(), actor, content_type_of(path))


def report_lines(report):
    """The report as lines for a terminal: the summary, then each conflict and error."""
    lines = [report.summary("el"), report.summary("en")]
    for conflict in report.conflicts:
        lines.append(
            f"  row {conflict['row']}: {conflict['message_el']} / {conflict['message_en']}"
        )
    for error in report.errors:
        lines.append(f"  row {error['row']}: {error['message_el']} / {error['message_en']}")
    return lines


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
        description="Import certified debts (CSV or JSON) into the payments' ledger.",
    )
    parser.add_argument("file", type=Path, help="the CSV or JSON file")
    parser.add_argument("--site", help="id of the Plone site (default: the only one)")
    parser.add_argument("--user", default="admin", help="Zope root user to act as")
    parser.add_argument("--dry-run", action="store_true", help="report, but change nothing")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        parser.error(f"no file {args.file}")
    user = app.acl_users.getUser(args.user)
    if user is None:
        parser.error(f"no user {args.user!r} in the Zope root")
    newSecurityManager(None, user.__of__(app.acl_users))
    setSite(_site(app, parser, args.site))
    try:
        report = import_path(args.file, args.user)
    except ImportRefused as error:
        transaction.abort()
        print(error.message_el, error.message_en, sep="\n", file=sys.stderr)
        return 2
    if args.dry_run:
        transaction.abort()
    else:
        transaction.get().note(f"Imported debts from {args.file.name}")
        transaction.commit()
    print("\n".join(report_lines(report)), file=out)
    return 0


def script_args(argv):
    """The arguments after this script's path (``bin/instance run`` puts more before it)."""
    for position, arg in enumerate(argv):
        if Path(arg).name == SCRIPT_NAME:
            return argv[position + 1 :]
    return argv[1:]


if __name__ == "__main__":
    sys.exit(main(app, script_args(sys.argv)))  # noqa: F821 (`app` is given by `bin/instance run`)
