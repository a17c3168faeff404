"""The ingest gives back a file whose worker process died, and only then (real file backend)."""

from celery.result import AsyncResult
from dimos.digitization.ingest.batch import lost
from dimos.digitization.worker.app import make_app

import os
import socket
import subprocess
import uuid


def started(app, pid, host=None):
    task_id = str(uuid.uuid4())
    info = {"pid": pid, "hostname": f"celery@{host or socket.gethostname()}"}
    app.backend.store_result(task_id, info, "STARTED")
    return AsyncResult(task_id, app=app)


def dead_pid():
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_task_whose_worker_process_died_is_lost(tmp_path):
    app = make_app(broker_url="", var=tmp_path)
    assert lost(started(app, dead_pid()))


def test_a_task_whose_worker_runs_is_not_lost(tmp_path):
    app = make_app(broker_url="", var=tmp_path)
    assert not lost(started(app, os.getpid()))


def test_a_task_of_another_machine_is_not_lost(tmp_path):
    app = make_app(broker_url="", var=tmp_path)
    assert not lost(started(app, dead_pid(), host="scanner-2"))


def test_a_finished_or_unknown_task_is_not_lost(tmp_path):
    app = make_app(broker_url="", var=tmp_path)
    result = started(app, dead_pid())
    app.backend.store_result(result.id, {"status": "stored"}, "SUCCESS")
    assert not lost(result)
    assert not lost(AsyncResult(str(uuid.uuid4()), app=app))
