"""The Panel report as a PDF: the offer letters' letterhead and page style (grants.letters), the report's frozen
content laid out by a project template (autoescaped: case studies and comments are people's words), WeasyPrint.

In demo mode every page says the report is a demonstration, as every demo offer letter does."""

import logging

from django.conf import settings
from django.template.loader import render_to_string

from grants import letters
from grants.selectors import current_template

# fontTools reports every font it subsets for WeasyPrint at INFO: noise in a worker's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

DEMO_NOTICE = "Demonstration report: made-up figures, not a report to the Panel"

REPORT_CSS = """
h1 { font-size: 15pt; margin: 6pt 0 4pt; }
h1, h2, h3, .intro { break-after: avoid; }
table.costs th:first-child, table.costs td:first-child { width: 26%; }
h2 { font-size: 12pt; margin: 14pt 0 4pt; border-bottom: 1px solid #b1b4b6; padding-bottom: 2pt; }
h3 { font-size: 10pt; margin: 9pt 0 3pt; }
table { margin-bottom: 8pt; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th { background: #f3f2f1; font-weight: bold; }
tfoot td, tfoot th { font-weight: bold; border-top: 2px solid #0b0c0c; }
.lede { font-size: 10.5pt; }
.note { font-size: 8.5pt; color: #383f43; }
.red-award, .case-study { page-break-inside: avoid; border-left: 4px solid #b1b4b6; padding: 1pt 0 1pt 8pt; margin: 0 0 9pt; }
.red-award { border-left-color: #d4351c; }
.tag { font-weight: bold; color: #942514; }
dl { margin: 0 0 4pt; }
dt { font-weight: bold; margin-top: 3pt; }
dd { margin: 0 0 2pt 0; }
.case-study p.text { white-space: pre-line; }
"""

DEMO_CSS = (
    '@page { @top-center { content: "'
    + DEMO_NOTICE
    + '";'
    + """
                      font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8pt; font-weight: bold; color: #d4351c; } }
.demo-notice { border: 2px solid #d4351c; padding: 2pt 5pt; margin: -4pt 0 6pt; font-size: 8.5pt; }
.demo-notice strong { color: #d4351c; }
"""
)


def letterhead_lines() -> list[str]:
    """The office's letterhead as staff last saved it for the offer letters (or the standard one)."""

    return [line for line in current_template().letterhead.splitlines() if line.strip()]


def render_html(*, report, content: dict, demo: bool | None = None) -> str:
    demo = settings.DEMO_MODE if demo is None else demo
    style = letters.PAGE_CSS + REPORT_CSS + (DEMO_CSS if demo else "")
    return render_to_string(
        "reporting/panel_report/pdf.html",
        {
            "report": report,
            "content": content,
            "letterhead": letterhead_lines(),
            "style": style,
            "demo": demo,
            "demo_notice": DEMO_NOTICE,
        },
    )


def render_pdf(*, report, content: dict, demo: bool | None = None) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint is slow to load; only a PDF needs it

    return HTML(string=render_html(report=report, content=content, demo=demo), base_url=None).write_pdf()
