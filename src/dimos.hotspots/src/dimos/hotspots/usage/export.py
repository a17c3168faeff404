"""Usage as CSV for Excel (plain Python).

UTF-8 with a byte-order mark (so Excel reads the Greek) and ``;`` between
columns (what Excel expects with Greek regional settings, whose decimal
separator is the comma); every value is an integer or plain text, quoted
only when needed. The header row gives each column's Greek and English name
(``Ημερομηνία / date``): the English part is the JSON field's name.
"""

import csv
import io


DELIMITER = ";"
BOM = "\ufeff"

DAY_COLUMNS = (
    ("date", "Ημερομηνία"),
    ("sessions", "Συνδέσεις"),
    ("peak_users", "Μέγιστοι ταυτόχρονοι χρήστες"),
    ("reports", "Αναφορές"),
    ("bytes_down", "Bytes λήψης"),
    ("bytes_up", "Bytes αποστολής"),
)
HOTSPOT_COLUMNS = (
    ("hotspot", "Σημείο"),
    ("title", "Όνομα"),
    ("controller_id", "Ελεγκτής"),
)


def header(columns):
    return [f"{el} / {en}" for en, el in columns]


def _text(rows):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()


def _day_row(day):
    data = day.to_json()
    return [data[name] for name, _el in DAY_COLUMNS]


def hotspot_csv(days):
    """The CSV bytes of one hotspot's DailyUsage list."""
    rows = [header(DAY_COLUMNS), *(_day_row(day) for day in days)]
    return (BOM + _text(rows)).encode("utf-8")


def all_hotspots_csv(usage):
    """The CSV bytes of ``usage``: (hotspot id, title, controller id, [DailyUsage]) per hotspot.

    One row per hotspot per day with data, hotspot by hotspot, each day in order.
    """
    rows = [header(HOTSPOT_COLUMNS + DAY_COLUMNS)]
    for hotspot_id, title, controller_id, days in usage:
        rows += [[hotspot_id, title, controller_id, *_day_row(day)] for day in days]
    return (BOM + _text(rows)).encode("utf-8")


def filename(stem, start, end):
    return f"{stem}-{start.isoformat()}-{end.isoformat()}.csv"
