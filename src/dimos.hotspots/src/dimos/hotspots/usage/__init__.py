"""Usage statistics of the hotspots: per-hotspot keys, the controllers' reports, daily totals, silence.

- ``keys``: IT issues a hotspot its report key (shown once; only a salted hash is kept).
- ``report``: a controller's JSON report, checked field by field (plain Python).
- ``store``: the daily aggregates per hotspot (annotation, one persistent object per day).
- ``export``: CSV of the days; ``chart``: the SVG bar chart (plain Python).
- ``stale``: hotspots that stopped reporting, and the one email per outage to IT.
- ``rest``: the ``@hotspots/{id}/usage`` and ``/key`` handlers and ``@hotspots-usage``.
- ``views``: ``@@usage``, ``@@usage-chart.svg`` on a Hotspot, ``@@hotspots-status`` on the network.
"""
