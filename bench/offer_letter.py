"""How long a one-page offer letter takes to render to PDF (target: under 0.5 s).

Run: DEBUG=true .venv/bin/python bench/offer_letter.py [renders]
Renders the default letter wording with realistic example values (no database needed) and prints the
median, after one warm-up render (WeasyPrint loads its fonts on the first).
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opcc.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from pypdf import PdfReader  # noqa: E402

from grants import letters  # noqa: E402


def main(renders: int = 9) -> None:
    values = letters.sample_values()

    def render() -> bytes:
        return letters.render_letter_pdf(
            letterhead=letters.DEFAULT_LETTERHEAD, body=letters.DEFAULT_BODY, values=values
        )

    first_started = time.perf_counter()
    data = render()
    first = time.perf_counter() - first_started
    pages = len(PdfReader(io.BytesIO(data)).pages)
    timings = []
    for _ in range(renders):
        started = time.perf_counter()
        render()
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    print(
        f"offer letter: {pages} page(s), {len(data):,} bytes; first render {first * 1000:.0f} ms; "
        f"median of {renders} renders {median * 1000:.0f} ms (target < 500 ms) {'OK' if median < 0.5 else 'TOO SLOW'}"
    )
    sys.exit(0 if median < 0.5 else 1)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
