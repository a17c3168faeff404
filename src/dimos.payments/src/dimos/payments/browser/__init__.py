"""Classic UI pages for citizens and revenue staff."""
