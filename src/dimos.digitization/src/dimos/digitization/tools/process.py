"""One way to run an external program of the pipeline (tesseract, poppler).

A program that cannot start, runs too long or exits non-zero becomes an
OcrFailed naming it, with the last line it wrote to stderr.
"""

from dimos.digitization.pipeline.model import OcrFailed

import subprocess


def run(command, timeout, env=None):
    """Run ``command`` (program first); its stdout as bytes."""
    program = str(command[0])
    try:
        done = subprocess.run(
            [str(part) for part in command], capture_output=True, timeout=timeout, env=env
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise OcrFailed(
            f"Το {program} δεν ολοκληρώθηκε: {error}",
            f"{program} did not finish: {error}",
        ) from error
    if done.returncode != 0:
        detail = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1]
        raise OcrFailed(f"Το {program} απέτυχε: {detail}", f"{program} failed: {detail}")
    return done.stdout
