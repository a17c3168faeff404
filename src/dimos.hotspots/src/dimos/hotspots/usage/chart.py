"""The usage chart: an SVG bar chart of sessions per day, peak users as a line (plain Python).

No JavaScript: the SVG is drawn on the server. It has a ``<title>`` and a
``<desc>`` (what a screen reader reads: the period, the totals, the busiest
day) and each bar its own ``<title>`` (a tooltip and a spoken label). Days
without data are drawn as zero. Bars are ``<rect class="bar">``, one per day.
"""

from datetime import timedelta
from xml.sax.saxutils import escape


WIDTH, HEIGHT = 900, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 64, 40, 64
BAR_COLOUR, LINE_COLOUR = "#1f6fb2", "#c0392b"


def nice_max(value):
    """The smallest 1, 2, 5 × 10^n at or above ``value`` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _days(start, end, usage):
    by_date = {day.date: day for day in usage}
    count = (end - start).days + 1
    return [
        (start + timedelta(days=i), by_date.get(start + timedelta(days=i))) for i in range(count)
    ]


def _axis(top_value, x0, x1, y_of, side, colour):
    """Gridlines and labels at 0, ¼, ½, ¾ and the top of an axis."""
    parts = []
    for i in range(5):
        value = top_value * i // 4
        y = y_of(value)
        if side == "left":
            parts.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" class="grid"/>')
            parts.append(
                f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{colour}">{value}</text>'
            )
        else:
            parts.append(
                f'<text x="{x1 + 6}" y="{y + 4:.1f}" text-anchor="start" fill="{colour}">{value}</text>'
            )
    return parts


def _bars(days, x_of, y_sessions, slot):
    parts = []
    for i, (day, usage) in enumerate(days):
        sessions = usage.sessions if usage else 0
        peak = usage.peak_users if usage else 0
        y = y_sessions(sessions)
        label = escape(f"{day:%d/%m/%Y}: {sessions} συνδέσεις / sessions, {peak} χρήστες / users")
        parts.append(
            f'<rect class="bar" x="{x_of(i) + slot * 0.1:.1f}" y="{y:.1f}" '
            f'width="{slot * 0.8:.1f}" height="{HEIGHT - BOTTOM - y:.1f}" fill="{BAR_COLOUR}" '
            f'data-date="{day.isoformat()}" data-sessions="{sessions}"><title>{label}</title></rect>'
        )
    return parts


def _date_labels(days, x_of, slot):
    every = max(1, len(days) // 10)
    parts = []
    for i, (day, _usage) in enumerate(days):
        if i % every == 0 or i == len(days) - 1:
            x = x_of(i) + slot / 2
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{day:%d/%m}</text>'
            )
    return parts


def _description(title, days):
    used = [u for _d, u in days if u]
    total = sum(u.sessions for u in used)
    if not used:
        return f"{title}: καμία αναφορά / no reports."
    busiest = max(used, key=lambda u: u.sessions)
    peak = max(u.peak_users for u in used)
    return (
        f"{title}: {total} συνδέσεις σε {len(days)} ημέρες, περισσότερες στις "
        f"{busiest.date:%d/%m/%Y} ({busiest.sessions}); μέγιστοι χρήστες {peak}. / "
        f"{total} sessions in {len(days)} days, most on {busiest.date:%d/%m/%Y} "
        f"({busiest.sessions}); peak users {peak}."
    )


def usage_svg(title, start, end, usage):
    """The SVG text of the chart of ``usage`` (DailyUsage list) from ``start`` to ``end``."""
    days = _days(start, end, usage)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(days)
    top_sessions = nice_max(max((u.sessions for _d, u in days if u), default=0))
    top_users = nice_max(max((u.peak_users for _d, u in days if u), default=0))

    def x_of(i):
        return LEFT + i * slot

    def y_sessions(value):
        return TOP + plot_h - plot_h * value / top_sessions

    def y_users(value):
        return TOP + plot_h - plot_h * value / top_users

    points = " ".join(
        f"{x_of(i) + slot / 2:.1f},{y_users(u.peak_users if u else 0):.1f}"
        for i, (_d, u) in enumerate(days)
    )
    heading = f"{title}: συνδέσεις ανά ημέρα / sessions per day, {start:%d/%m/%Y}–{end:%d/%m/%Y}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="chart-title">{escape(heading)}</title>',
        f'<desc id="chart-desc">{escape(_description(title, days))}</desc>',
        "<style>.grid{stroke:#ddd;stroke-width:1}</style>",
        *_axis(top_sessions, LEFT, WIDTH - RIGHT, y_sessions, "left", BAR_COLOUR),
        *_axis(top_users, LEFT, WIDTH - RIGHT, y_users, "right", LINE_COLOUR),
        *_bars(days, x_of, y_sessions, slot),
        f'<polyline class="peak-users" points="{points}" fill="none" stroke="{LINE_COLOUR}" '
        'stroke-width="2"/>',
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
        'stroke="#333"/>',
        *_date_labels(days, x_of, slot),
        f'<text x="{LEFT}" y="{TOP - 16}" fill="{BAR_COLOUR}">Συνδέσεις / Sessions (■)</text>',
        f'<text x="{WIDTH - RIGHT}" y="{TOP - 16}" text-anchor="end" fill="{LINE_COLOUR}">'
        "Μέγιστοι χρήστες / Peak users (—)</text>",
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 16}" text-anchor="middle">'
        "Ημέρα / Day</text>",
        "</svg>",
    ]
    return "\n".join(parts) + "\n"
