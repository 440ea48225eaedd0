"""Template source checks: mistakes that would print template syntax onto a page."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_no_template_has_a_multi_line_short_comment():
    # Django's {# #} comment is one line only: spread over two, it is printed on the page as text.
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "{#" in line and "#}" not in line[line.index("{#") :]:
                offenders.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert not offenders, f"Use {{% comment %}} for comments over several lines: {offenders}"


def test_the_timeline_names_a_records_creation_and_each_move_as_its_pages_name_the_states(db):
    from datetime import UTC, datetime

    from django.contrib.contenttypes.models import ContentType
    from django.template.loader import render_to_string

    from commissioning.models import Commission
    from grants.models import Application
    from opcc.models import TransitionLog

    at = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    grant, commission = (ContentType.objects.get_for_model(m) for m in (Application, Commission))
    timeline = [
        TransitionLog(
            content_type=commission, from_state="do", to_state="review", transition="start_review", at=at
        ),
        TransitionLog(
            content_type=grant, from_state="draft", to_state="in_assessment", transition="assess", at=at
        ),
        TransitionLog(content_type=grant, from_state="", to_state="draft", transition="create", at=at),
    ]
    html = render_to_string("partial/timeline.html", {"timeline": timeline})
    assert "Do → Review" in html and "Draft → In assessment" in html
    assert "Created: Draft" in html and "→ Draft" not in html
