Digitization: scanning operators ingest folders of scanned decisions with `bin/dimos-ingest`;
Celery workers (`bin/dimos-worker`, filesystem broker by default, Redis with `DIMOS_BROKER_URL`)
check each file, keep good text layers, OCR the rest with tesseract (ell, grc for polytonic pages),
build a searchable PDF and store the decision in Plone with its per-page text; low-confidence pages
wait for a clerk's review. @search names the page where the words are.
Workers send their results as multipart/form-data (the files as binary parts): a fifth of the worker time per stored page that base64 JSON took.
The OCR benchmark sandwiches each pipeline run between two raw tesseract runs and counts core-seconds of every process: pipeline / raw tesseract 1.14 (median of 5 rounds).
