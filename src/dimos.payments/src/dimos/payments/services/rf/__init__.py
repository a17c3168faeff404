"""GET /@rf/{code}: what an RF payment code unlocks, for anyone holding it."""
