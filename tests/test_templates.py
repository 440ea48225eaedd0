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
