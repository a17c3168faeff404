"""Sample debts, debtors and users for tests (ours and other engineers'): builders, not fixtures.

* ``make_afm(seed)`` a valid 9-digit ΑΦΜ; ``AFM_A``, ``AFM_B``, ``AFM_C`` ready-made;
* ``debt_row(debt_id, afm, **columns)`` one import row (file column names, text values);
* ``sample_rows()`` a handful of debts of A and B across the categories;
* ``to_csv(rows, delimiter=";", bom=True)`` / ``to_json(rows)`` the bytes of a file;
* ``import_sample(actor)`` imports ``sample_rows()`` into the site's ledger;
* ``create_citizen(afm)`` a Plone user whose id is the ΑΦΜ (as Taxisnet makes them),
  ``create_revenue_officer()`` a user with the RevenueOfficer role.

Nothing here commits: functional tests call ``transaction.commit()`` themselves.
"""

from stdnum.gr import vat

import csv
import io
import json


PASSWORD = "secret-pass-1"


def make_afm(seed):
    """A valid ΑΦΜ from an integer seed (8 digits + the check digit)."""
    body = f"{int(seed) % 10**8:08d}"
    return body + vat.calc_check_digit(body)


AFM_A = make_afm(12345678)
AFM_B = make_afm(87654321)
AFM_C = make_afm(11223344)
NAME_A = "Παπαδόπουλος Γεώργιος"
NAME_B = "Ιωάννου Μαρία"
NAME_C = "ΑΦΟΙ Κωνσταντίνου Ο.Ε."
NAMES = {AFM_A: NAME_A, AFM_B: NAME_B, AFM_C: NAME_C}


def debt_row(debt_id, afm=AFM_A, **columns):
    """One row as the financial system writes it; ``columns`` override or add (e.g. status)."""
    row = {
        "id": debt_id,
        "afm": afm,
        "name": NAMES.get(afm, "Δοκιμαστικός Οφειλέτης"),
        "category": "property-tap",
        "description": f"Οφειλή {debt_id}",
        "amount": "12,50",
        "surcharge": "0,00",
        "due_date": "31/03/2026",
    }
    row.update(columns)
    return row


def sample_rows():
    """Debts of A (four, several categories) and B (two), with Greek-style amounts."""
    return [
        debt_row("2026-0001", AFM_A, category="property-tap", amount="120,00"),
        debt_row(
            "2026-0002",
            AFM_A,
            category="Τέλος κοινοχρήστων χώρων",
            description="Τραπεζοκαθίσματα, οδός Ερμού 5",
            amount="1.234,56",
            surcharge="61,73",
            due_date="2026-02-28",
        ),
        debt_row("2026-0003", AFM_A, category="traffic-fine", amount="40", due_date="15/01/2026"),
        debt_row("2026-0004", AFM_A, category="rent", amount="350.00", due_date="01/04/2026"),
        debt_row("2026-0101", AFM_B, category="gross-revenue", amount="87,30"),
        debt_row("2026-0102", AFM_B, category="arrangement-instalment", amount="50,00"),
    ]


def to_csv(rows, delimiter=";", bom=True, columns=None):
    """The bytes of a CSV file of ``rows`` (as Greek Excel saves "CSV UTF-8": BOM and ``;``)."""
    columns = columns or list(dict.fromkeys(name for row in rows for name in row))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(name, "") for name in columns])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def to_json(rows):
    return json.dumps(rows, ensure_ascii=False).encode("utf-8")


def import_sample(actor="test-setup"):
    """Import ``sample_rows()`` into the site's ledger; the ImportReport."""
    from dimos.payments import ledger

    return ledger.import_debts(sample_rows(), actor)


def create_citizen(afm, password=PASSWORD):
    """A plain Plone member whose user id is ``afm`` (as the Taxisnet login makes them)."""
    from plone import api

    return api.user.create(
        email=f"{afm}@example.org",
        username=afm,
        password=password,
        properties={"fullname": NAMES.get(afm, afm)},
    )


def create_revenue_officer(username="revenue-officer", password=PASSWORD):
    from plone import api

    user = api.user.create(email=f"{username}@example.org", username=username, password=password)
    api.user.grant_roles(username=username, roles=["RevenueOfficer"])
    return user


MEMBER_WITHOUT_AFM = "plain-member"
REVENUE_OFFICER = "revenue-officer"


def sample_site():
    """Citizens A and B (ids = ΑΦΜ), a member without ΑΦΜ, a revenue officer, the sample debts.

    Returns ``{name: (user id, password)}`` for "a", "b", "member", "staff".
    """
    from plone import api

    create_citizen(AFM_A)
    create_citizen(AFM_B)
    api.user.create(email="member@example.org", username=MEMBER_WITHOUT_AFM, password=PASSWORD)
    create_revenue_officer(REVENUE_OFFICER)
    import_sample()
    return {
        "a": (AFM_A, PASSWORD),
        "b": (AFM_B, PASSWORD),
        "member": (MEMBER_WITHOUT_AFM, PASSWORD),
        "staff": (REVENUE_OFFICER, PASSWORD),
    }
