"""SiteClient over a real socket, against a stand-in site that fails first."""

from dimos.digitization.client import SiteClient
from dimos.digitization.client import SiteRefused
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import contextlib
import email.parser
import email.policy
import json
import pytest
import threading


@contextlib.contextmanager
def stand_in_site(statuses):
    """A site answering POST with ``statuses`` in turn; yields (url, the requests it read)."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append((self.headers["Content-Type"], self.rfile.read(length)))
            status = statuses[min(len(received), len(statuses)) - 1]
            body = json.dumps({"@id": "http://site/record", "created": True}).encode()
            if status == 400:
                body = json.dumps(
                    {"type": "bad-payload", "messages": {"el": "Λάθος.", "en": "Wrong."}}
                ).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/site", received
    finally:
        server.shutdown()
        server.server_close()


def parts(content_type, body):
    """{name: (filename, content type, bytes)} of a multipart body."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    return {
        part.get_param("name", header="content-disposition"): (
            part.get_filename(),
            part.get_content_type(),
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    }


@pytest.fixture
def files(tmp_path):
    source, searchable = tmp_path / "scan.tif", tmp_path / "searchable.pdf"
    source.write_bytes(b"II*\x00 a scan \x00\xff\r\n--")
    searchable.write_bytes(b"%PDF-1.4 searchable")
    return {
        "source": ("scan.tif", source, "image/tiff"),
        "searchable_pdf": ("scan.searchable.pdf", searchable, "application/pdf"),
    }


def test_store_sends_one_multipart_request_and_the_same_again_on_retry(files):
    payload = {"sha256": "ab" * 32, "pages": [{"number": 1, "text": "Ὁ Δήμαρχος"}]}
    with stand_in_site([503, 502, 201]) as (url, received):
        answer = SiteClient(url, "digitizer", "pw", backoff=0).store(payload, files)
    assert answer["created"] is True
    assert len(received) == 3
    assert all(
        content_type.startswith("multipart/form-data; boundary=") for content_type, _ in received
    )
    sent = parts(*received[0])
    assert parts(*received[1]) == parts(*received[2]) == sent  # nothing lost on the way
    assert sent["payload"][1] == "application/json" and sent["payload"][0] is None
    assert json.loads(sent["payload"][2]) == payload
    assert sent["source"] == ("scan.tif", "image/tiff", b"II*\x00 a scan \x00\xff\r\n--")
    assert sent["searchable_pdf"] == (
        "scan.searchable.pdf",
        "application/pdf",
        b"%PDF-1.4 searchable",
    )


def test_a_refusal_is_not_retried(files):
    with stand_in_site([400]) as (url, received):
        with pytest.raises(SiteRefused) as refused:
            SiteClient(url, "digitizer", "pw", backoff=0).store({}, files)
    assert len(received) == 1
    assert (refused.value.message_el, refused.value.message_en) == ("Λάθος.", "Wrong.")
