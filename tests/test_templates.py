"""Template source checks: mistakes that would print template syntax onto a page."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_no_template_has_a_multi_line_short_comment():
    # Django's {# #} comment is one line only: spread over two, it is printed on the page as text.
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "{#" in line and "#}" not in line[line.index("{#"):]:
                offenders.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert not offenders, f"Use {{% comment %}} for comments over several lines: {offenders}"


def test_the_timeline_names_a_records_creation_and_each_move():
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    at = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    timeline = [SimpleNamespace(from_state="draft", to_state="in_assessment", transition="assess", by=None, at=at, note=""),
                SimpleNamespace(from_state="", to_state="draft", transition="create", by=None, at=at, note="")]
    html = render_to_string("partial/timeline.html", {"timeline": timeline})
    assert "Draft → in assessment" in html
    assert "Created as draft" in html and "→ draft" not in html
