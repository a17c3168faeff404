"""Celery workers that run the digitization pipeline (``bin/dimos-worker``)."""
