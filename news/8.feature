Public WiFi hotspots (`dimos.hotspots`): Hotspot records with a map (Leaflet, and a table that works
without JavaScript); the captive portal `GET /@hotspots/{id}/portal` and a light splash page
`/hotspots/{id}/@@portal` (alerts first, news, nearby events, e-services; ETag/304); emergency alerts
with the CAP 1.2 fields, a draft/published/withdrawn workflow, CAP XML per alert, a CAP feed and an Atom
feed; the events programme per area and period with iCalendar export; usage reports from each hotspot
with its own revocable key, daily totals, CSV, a chart per spot, and silent spots emailed to IT.
Varnish in front of Zope (`bin/dimos-varnish`, started by `make start` on port 6081) keeps the
portal's answers for as long as Zope says they stay true, and Zope bans them after every commit that
changes what the portal shows; a micro-cache inside Zope fills its misses. `benchmarks/portal_load.py`
drives it with wrk.
