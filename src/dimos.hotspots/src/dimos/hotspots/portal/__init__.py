"""The captive portal of the hotspots: what it shows (builder), its REST replies and its splash page."""
