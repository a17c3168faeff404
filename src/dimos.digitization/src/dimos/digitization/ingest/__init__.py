"""The operators' batch ingest command (``bin/dimos-ingest``)."""
