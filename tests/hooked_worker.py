"""`python -m tests.hooked_worker ARGS...`: `celery ARGS...` with extraction slowed down on
purpose for texts that ask for it, so fault tests can reach the task time limits:

- SLOW-EXTRACTION: extraction sleeps a minute (the soft time limit interrupts it);
- STUCK-EXTRACTION: extraction ignores the soft time limit, as C code that never returns to
  Python would, until the hard time limit kills the process.

Only the tests start it; the extraction of every other text is the real one."""

from __future__ import annotations

import os
import sys
import time

from celery.exceptions import SoftTimeLimitExceeded


def _hooked(real):
    def analyse(text, published):
        if "SLOW-EXTRACTION" in text:
            time.sleep(60)
        if "STUCK-EXTRACTION" in text:
            deadline = time.monotonic() + 120
            # The soft limit's exception may arrive at any instruction, not only in sleep():
            # the whole wait is inside the handler, so it never escapes.
            while True:
                try:
                    while time.monotonic() < deadline:
                        time.sleep(0.5)
                    break
                except SoftTimeLimitExceeded:
                    continue
        return real(text, published)

    return analyse


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from celery.__main__ import main as celery_main

    from ingest import extraction

    extraction.analyse = _hooked(extraction.analyse)
    sys.argv = ["celery", *sys.argv[1:]]
    celery_main()


if __name__ == "__main__":
    main()
