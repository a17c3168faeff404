"""Signing and verification speed: PKCS#12 and a SoftHSM2 token, 1-page and 50-page PDFs.

Uses the test PKI of dimos.signing.testing_pki (root and issuing CA, OCSP and
an RFC 3161 TSA on 127.0.0.1) and prints:

- signatures per second with a PKCS#12 credential and with a SoftHSM2 token
  (PAdES-B-LT: TSA timestamp and OCSP answers embedded, as in production);
- the time to verify a signed 1-page and a signed 50-page PDF (median of runs).

Run: `make bench` or `bin/zopepy benchmarks/signing.py [--signatures N]`.
"""

from dimos.signing.core.credentials import open_pkcs11
from dimos.signing.core.credentials import open_pkcs12
from dimos.signing.core.credentials import TokenRef
from dimos.signing.core.sign import sign_pdf
from dimos.signing.core.sign import Stamp
from dimos.signing.core.verify import verify_pdf
from dimos.signing.testing_hsm import make_token
from dimos.signing.testing_pki import start_pki
from io import BytesIO
from pathlib import Path
from PIL import Image
from PIL import ImageDraw

import argparse
import statistics
import tempfile
import time


PASSWORD = "bench-password"
URL = "https://dimos.example.gr/@@verify/bench"


def a_pdf(pages):
    images = []
    for number in range(1, pages + 1):
        image = Image.new("L", (1240, 1754), 255)  # A4 at 150 DPI
        ImageDraw.Draw(image).text((100, 100), f"Page {number}", fill=0)
        images.append(image)
    out = BytesIO()
    images[0].save(out, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return out.getvalue()


def rate(count, sign_one):
    started = time.perf_counter()
    for _ in range(count):
        sign_one()
    seconds = time.perf_counter() - started
    return count / seconds, seconds / count


def verify_time(data, roots, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        report = verify_pdf(data, roots)
        times.append(time.perf_counter() - started)
        assert report.status == "intact", report.messages
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signatures", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    one, fifty = a_pdf(1), a_pdf(50)
    print(f"PDFs: 1 page {len(one) / 1024:.0f} KB, 50 pages {len(fifty) / 1024:.0f} KB")
    with start_pki() as pki, tempfile.TemporaryDirectory() as tmp:
        roots = [pki.root.cert]
        identity = pki.identities["secretary"]
        p12 = identity.pkcs12(PASSWORD.encode(), chain=pki.chain())
        opened = open_pkcs12(p12, PASSWORD)
        stamp = Stamp(opened.info.common_name, opened.info.title, URL)
        per_second, each = rate(
            args.signatures, lambda: sign_pdf(one, opened, stamp, pki.tsa_url, roots)
        )
        print(f"PKCS#12:  {per_second:5.1f} signatures/s ({each * 1000:.0f} ms each, PAdES-B-LT)")
        token = make_token(Path(tmp) / "hsm", pki.identities["mayor"], label="bench")
        ref = TokenRef(token.module, token.label, token.key_label)
        with open_pkcs11(ref, token.pin, extra_certs=pki.chain()) as on_token:
            stamp = Stamp(on_token.info.common_name, on_token.info.title, URL)
            per_second, each = rate(
                args.signatures, lambda: sign_pdf(one, on_token, stamp, pki.tsa_url, roots)
            )
        print(f"SoftHSM2: {per_second:5.1f} signatures/s ({each * 1000:.0f} ms each, PAdES-B-LT)")
        for label, data in (("1 page", one), ("50 pages", fifty)):
            signed = sign_pdf(data, opened, Stamp("Μαρία", "Γραμματέας", URL), pki.tsa_url, roots)
            seconds = verify_time(signed.pdf, roots, args.runs)
            print(f"verify {label:>8}: {seconds * 1000:6.0f} ms (median of {args.runs})")


if __name__ == "__main__":
    main()
