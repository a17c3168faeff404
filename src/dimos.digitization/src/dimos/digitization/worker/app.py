"""The Celery application shared by the workers and the ingest command.

Broker: ``DIMOS_BROKER_URL`` (``redis://…``; results go to the same Redis), or
else kombu's filesystem transport under ``$DIMOS_VAR/celery/`` with results in
``$DIMOS_VAR/celery/results``: no server to run. One task at a time per
process, in JSON. On Redis, tasks are acknowledged late and given back when a
worker process dies; on the file transport a re-run of the ingest does that.
"""

from celery import Celery
from dimos.digitization.client import var_folder

import os


def broker_settings(broker_url=None, var=None):
    """Celery settings for the configured broker (a plain dict, for tests and the CLI)."""
    broker_url = broker_url if broker_url is not None else os.environ.get("DIMOS_BROKER_URL", "")
    var = var or var_folder()
    if broker_url:
        return {"broker_url": broker_url, "result_backend": broker_url}
    root = var / "celery"
    folders = {name: root / name for name in ("queue", "control", "processed", "results")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "broker_url": "filesystem://",
        "broker_transport_options": {
            # One folder for both directions: the ingest writes where the workers read.
            "data_folder_in": str(folders["queue"]),
            "data_folder_out": str(folders["queue"]),
            "control_folder": str(folders["control"]),
            "processed_folder": str(folders["processed"]),
            "store_processed": False,
            # The transport looks for new files this often (kombu's default is 1 s, which
            # would leave a worker idle up to a second between two pages' worth of work).
            "polling_interval": 0.1,
        },
        "result_backend": f"file://{folders['results']}",
        # Remote control needs a broadcast channel the file transport serves poorly.
        "worker_enable_remote_control": False,
        # The file transport deletes a message as a worker takes it, so a late
        # acknowledgement gives nothing back after a crash (the ingest's re-run
        # does); and Celery's loop for polled transports only acknowledges between
        # two 2-second waits, which left each worker process idle about 1.5 s
        # between files. Acknowledged on receipt, the next file is always at hand.
        "task_acks_late": False,
    }


def make_app(broker_url=None, var=None):
    app = Celery("dimos.digitization", include=["dimos.digitization.worker.tasks"])
    settings = dict(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_track_started=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        result_extended=False,
        result_expires=None,
        broker_connection_retry_on_startup=True,
        task_default_queue="digitization",
    )
    settings.update(broker_settings(broker_url, var))
    app.conf.update(settings)
    return app


app = make_app()


def where(app=app):
    """Where the app's broker is, for people: the folder or the Redis URL (no password)."""
    conf = app.conf
    if conf.broker_url.startswith("filesystem"):
        return conf.broker_transport_options["data_folder_in"]
    return app.connection().as_uri()
