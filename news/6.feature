Public decisions archive (dimos.archive): search with Greek folding and facets, the public decision page with scanned pages beside their text, permalinks by number/year and ΑΔΑ, JSON/CSV/Atom open data; Chromium browser tests with axe-core.
`benchmarks/archive_search.py` measures the archive over 50,000 sampled decisions; matches and facet counts
are kept a short while per process so the next page and the JSON of a search reuse them.
