"""The archive page's filters: Part A's facet counts as form controls and links.

Every filter is a plain GET parameter of the archive's URL contract, so a
filtered page is a link that can be shared and bookmarked, and the form works
without JavaScript: lists (body, type, category) are checkboxes, the origin is
a choice of one, years are links that set ``year_from`` and ``year_to``.
"""

from dimos.archive import _


# (facet, which is also its GET parameter, legend, kind of control)
GROUPS = (
    ("body", _("Body"), "checkbox"),
    ("type", _("Decision type"), "checkbox"),
    ("category", _("Thematic category"), "checkbox"),
    ("origin", _("Origin"), "radio"),
    ("amended", _("Amendments"), "checkbox"),
)

YEARS_SHOWN = 12


def _options(parameter, values):
    options = []
    for index, facet_value in enumerate(values):
        if not facet_value.count and not facet_value.selected:
            continue
        options.append(
            {
                "id": f"facet-{parameter}-{index}",
                "name": parameter,
                "value": str(facet_value.value),
                "label": str(facet_value.label or facet_value.value),
                "count": facet_value.count,
                "checked": bool(facet_value.selected),
            }
        )
    return options


def facet_groups(facets, translate):
    """[{id, legend, kind, options}] of the facets that have something to choose."""
    groups = []
    for parameter, legend, kind in GROUPS:
        options = _options(parameter, facets.get(parameter) or ())
        if not options:
            continue
        if kind == "radio":
            any_selected = any(option["checked"] for option in options)
            options.insert(
                0,
                {
                    "id": f"facet-{parameter}-all",
                    "name": parameter,
                    "value": "",
                    "label": translate(_("All")),
                    "count": None,
                    "checked": not any_selected,
                },
            )
        groups.append(
            {
                "id": f"facet-{parameter}",
                "legend": translate(legend),
                "kind": kind,
                "options": options,
            }
        )
    return groups


def year_links(facets, link):
    """[{year, count, href, current}] newest first; ``link(year)`` gives a year's URL
    (the query with that year, or without it when it is the year picked)."""
    values = [value for value in facets.get("year") or () if value.count or value.selected]
    values.sort(key=lambda value: int(value.value), reverse=True)
    return [
        {
            "year": str(value.value),
            "count": value.count,
            "href": link(str(value.value)),
            "current": bool(value.selected),
        }
        for value in values
    ]
