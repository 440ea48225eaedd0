"""Offer letters: the staff-edited wording, rendered safely, and the PDF.

The wording is a Django template stored in the database. It is rendered by a bare engine (no loaders,
no libraries) with a context of plain strings built here, so a template author cannot reach settings,
models or anything else. Values are escaped by the engine; the few ready-made pieces of HTML (the
payment schedule table, lists of conditions and outcomes) are built here from escaped text.
"""

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from funding.hooks import monitoring_terms
from opcc.calendar import add_years, financial_year_of, month_start
from opcc.money import amount_in_words, gbp

# WeasyPrint reports each layout step at INFO; that is noise in the logs of a web request.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

_SANDBOX = Engine(debug=False, libraries={}, builtins=[], autoescape=True, string_if_invalid="", loaders=[])

DEFAULT_LETTERHEAD = """Office of the West Mercia Police and Crime Commissioner
Hindlip Hall, Worcester WR3 8SP
opcc@westmercia.police.uk · 01905 331545"""

DEFAULT_BODY = """<p>{{ date }}</p>
<p>{{ organisation }}<br>{{ organisation_address }}</p>
<p>Our reference: {{ reference }}</p>
<h1>Offer of a grant: {{ project }}</h1>
<p>Dear {{ contact }},</p>
<p>I am pleased to offer {{ organisation }} a grant of <strong>{{ amount }}</strong> ({{ amount_in_words }}) from the {{ scheme }} for the project described in your application, from {{ start_date }} to {{ end_date }}.</p>
<h2>Purpose of the grant</h2>
<p>{{ purpose }}</p>
<h2>Conditions</h2>
{{ conditions }}
<h2>Outcomes to be reported</h2>
{{ outcomes }}
<h2>Payment schedule</h2>
{{ payment_schedule }}
<h2>Monitoring and publication</h2>
<p>{{ monitoring }} Under the Elected Local Policing Bodies (Specified Information) Order 2011 the Commissioner publishes each grant made: the recipient, the amount, its purpose and conditions.</p>
<h2>Accepting this offer</h2>
<p>Please accept this offer online by <strong>{{ accept_by }}</strong>. If it is not accepted by then, the offer lapses and the money returns to the fund.</p>
<p>Yours sincerely,</p>
<p>{{ signatory }}<br>{{ office }}</p>
{{ acceptance }}"""

PLACEHOLDERS = [
    "date",
    "reference",
    "organisation",
    "organisation_address",
    "contact",
    "project",
    "scheme",
    "round",
    "amount",
    "amount_in_words",
    "start_date",
    "end_date",
    "purpose",
    "conditions",
    "outcomes",
    "payment_schedule",
    "monitoring",
    "accept_by",
    "signatory",
    "signatory_name",
    "signatory_role",
    "office",
    "acceptance",
]

# What monitoring asks of a grant follows its value (reporting's monitoring tiers, through funding.hooks); this is the
# standard tier's wording, for a letter read where monitoring is not installed.
STANDARD_MONITORING = (
    "You will send an outcome return each quarter, within 30 days of the quarter's end, and we may "
    "visit the project."
)

# WeasyPrint's @page margin boxes do not inherit body's font, so each names its own.
PAGE_CSS = """
@page { size: A4; margin: 18mm 20mm 20mm 20mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages);
                   font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8pt; color: #505a5f; } }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9.5pt; line-height: 1.35; color: #0b0c0c; }
.letterhead { border-bottom: 2px solid #1d70b8; padding-bottom: 6pt; margin-bottom: 10pt; font-size: 8.5pt; color: #383f43; }
.letterhead p { margin: 0; }
.letterhead p:first-child { font-size: 12pt; font-weight: bold; color: #0b0c0c; }
h1 { font-size: 13pt; margin: 10pt 0 6pt; }
h2 { font-size: 10.5pt; margin: 9pt 0 3pt; }
p { margin: 0 0 5pt; }
ul { margin: 0 0 5pt; padding-left: 14pt; }
table { border-collapse: collapse; width: 100%; margin-bottom: 5pt; }
th, td { text-align: left; border-bottom: 1px solid #b1b4b6; padding: 2pt 4pt; }
td.num, th.num { text-align: right; }
.acceptance { border: 1px solid #0b0c0c; padding: 6pt; margin-top: 8pt; }
"""

# In demo mode every letter says, on every page, that it offers nothing (its letterhead may be a real office's).
DEMO_NOTICE = "Demonstration letter: not a real offer of funding"

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


class LetterTemplateError(ValueError):
    pass


def check_template(body: str) -> None:
    """Raise LetterTemplateError with a plain message if the wording will not render."""
    try:
        # Rendering the example catches what only fails at render time, such as an {% include %}.
        _SANDBOX.from_string(body).render(Context(_plain(sample_values()), autoescape=True))
    except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
        raise LetterTemplateError(f"The letter has a mistake in its placeholders or tags: {exc}") from None


def _plain(values: dict) -> dict:
    """Only strings reach the template: SafeStrings built here stay as they are, everything else is text."""
    return {k: (v if isinstance(v, SafeString) else ("" if v is None else str(v))) for k, v in values.items()}


def _demo_notice() -> SafeString:
    return format_html(
        '<p class="demo-notice"><strong>{}.</strong> Its organisations, people and amounts are made up: do not act '
        "on it or use the contact details above.</p>",
        DEMO_NOTICE,
    )


def render_letter_html(
    *, letterhead: str, body: str, values: dict, demo: bool | None = None, kind: str = "offer letter"
) -> str:
    """The letter as HTML. In demo mode (`demo`, else settings.DEMO_MODE) it is marked as a demonstration here,
    outside the staff-edited wording, so no edit of the template can leave the marking out."""
    demo = settings.DEMO_MODE if demo is None else demo
    content = _SANDBOX.from_string(body).render(Context(_plain(values), autoescape=True))
    head = format_html_join("", "<p>{}</p>", ((line,) for line in letterhead.splitlines() if line.strip()))
    title, style, notice = kind[:1].upper() + kind[1:], PAGE_CSS, ""
    if demo:
        title, style, notice = f"{DEMO_NOTICE} ({kind})", PAGE_CSS + DEMO_CSS, _demo_notice()
    return (
        f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title>'
        f'<style>{style}</style></head><body><div class="letterhead">{head}</div>{notice}{content}</body></html>'
    )


def render_letter_pdf(
    *, letterhead: str, body: str, values: dict, demo: bool | None = None, kind: str = "offer letter"
) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - loaded only when a letter is drawn: it is slow to import

    html = render_letter_html(letterhead=letterhead, body=body, values=values, demo=demo, kind=kind)
    return HTML(string=html, base_url=None).write_pdf()


def _day(d: date | None) -> str:
    return f"{d:%-d %B %Y}" if d else ""


def _list(lines) -> SafeString:
    lines = [line for line in lines if line]
    if not lines:
        return mark_safe("<p>None.</p>")
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in lines)))


def _schedule_table(rows) -> SafeString:
    if not rows:
        return mark_safe("<p>Payments will be agreed with you.</p>")
    body = format_html_join("", '<tr><td>{}</td><td>{}</td><td class="num">{}</td></tr>', rows)
    return format_html(
        '<table><thead><tr><th>Due</th><th>Payment</th><th class="num">Amount</th></tr></thead><tbody>{}</tbody></table>',
        body,
    )


def _acceptance_block(organisation: str, name: str, role: str, at) -> SafeString:
    return format_html(
        '<div class="acceptance"><p><strong>Accepted online</strong> on behalf of {} by {}, {}, at {}.</p></div>',
        organisation,
        name,
        role,
        f"{timezone.localtime(at):%-I:%M%p on %-d %B %Y}".replace("AM", "am").replace("PM", "pm"),
    )


def _offer_signatory(offer) -> tuple[str, str]:
    """The letter's signatory: the name and role recorded with the offer, else (an offer made before they were asked)
    the person who made it."""
    if offer.signatory_name:
        return offer.signatory_name, offer.signatory_role
    maker = offer.made_by
    if maker is not None:
        return maker.full_name, maker.job_title or maker.role_label
    return "", "Head of Commissioning"


def _signatory(name: str, role: str) -> dict:
    """`signatory` is the name and role on two lines (what the letter has always shown there), with each also
    on its own for a template that wants them apart."""
    lines = [line for line in (name, role) if line]
    return {
        "signatory": format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)),
        "signatory_name": name,
        "signatory_role": role,
    }


def _monitoring(award) -> str:
    """What monitoring will ask of this grant, in proportion to its value (light: one end-of-project report by a
    date; standard: a return each quarter; enhanced: returns, visits and an annual review)."""

    terms = monitoring_terms(award)
    return terms.sentence if terms is not None else STANDARD_MONITORING


def letter_values(application, *, today: date | None = None) -> dict:
    """The letter's placeholders for one offered application, as plain strings."""
    offer = application.offer
    award = application.award
    organisation = application.organisation
    scheme = application.round.scheme
    measures = [m["name"] for m in scheme.measures]
    conditions = scheme.condition_lines() + [
        line.strip() for line in offer.conditions.splitlines() if line.strip()
    ]
    outcomes = [line.strip() for line in offer.outcomes.splitlines() if line.strip()] + measures
    schedule = [(_day(line.due_date), line.description, gbp(line.amount)) for line in award.schedule.all()]
    values = {
        "date": _day(
            timezone.localtime(offer.made_at).date() if offer.made_at else (today or timezone.localdate())
        ),
        "reference": award.reference,
        "organisation": organisation.name,
        "organisation_address": organisation.address,
        "contact": offer.accepted_name
        or (application.created_by.full_name if application.created_by else organisation.name),
        "project": application.display_title,
        "scheme": scheme.name,
        "round": application.round.name,
        "amount": gbp(award.amount),
        "amount_in_words": amount_in_words(award.amount),
        "start_date": _day(award.start_date),
        "end_date": _day(award.end_date),
        "purpose": award.purpose,
        "conditions": _list(conditions),
        "outcomes": _list(outcomes),
        "payment_schedule": _schedule_table(schedule),
        "monitoring": _monitoring(award),
        "accept_by": _day(offer.accept_by),
        **_signatory(*_offer_signatory(offer)),
        "office": settings.OFFICE_NAME,
        "acceptance": mark_safe(""),
    }
    if offer.accepted_at:
        values["acceptance"] = _acceptance_block(
            organisation.name, offer.accepted_name, offer.accepted_role, offer.accepted_at
        )
    return values


def sample_values() -> dict:
    """Realistic values for the staff preview and the benchmark: no database needed. Dated from today (a
    project starting next month, for a year), so the preview never shows a date long past."""
    today = timezone.localdate()
    start = month_start(today, 1)
    end = add_years(start, 1) - timedelta(days=1)
    second = month_start(start, 6)
    fy = financial_year_of(today)

    def year_of(day):
        first = financial_year_of(day)
        return f"{first} to {first + 1}"

    rows = [
        (_day(start), f"{year_of(start)} first instalment", "£9,250.00"),
        (_day(second), f"{year_of(second)} second instalment", "£9,250.50"),
    ]
    return {
        "date": _day(today),
        "reference": f"G{fy % 100:02d}-0042",
        "organisation": "Severn Valley Women's Aid (demo)",
        "organisation_address": "14 Bridge Street, Worcester, WR1 2HG",
        "contact": "Lucy Evans",
        "project": "Safe at home: sanctuary and target hardening",
        "scheme": "Commissioner's Grant Scheme",
        "round": f"Commissioner's Grant Scheme {fy}/{(fy + 1) % 100:02d}",
        "amount": "£18,500.50",
        "amount_in_words": amount_in_words(Decimal("18500.50")),
        "start_date": _day(start),
        "end_date": _day(end),
        "purpose": "Sanctuary measures and target hardening for victims of domestic abuse in South Worcestershire.",
        "conditions": _list(
            [
                "Send a short update each quarter.",
                "Return any underspend at the end of the grant.",
                "Acknowledge the Commissioner's funding in publicity.",
            ]
        ),
        "outcomes": _list(["Households made safer", "Service users who feel safer"]),
        "payment_schedule": _schedule_table(rows),
        "monitoring": STANDARD_MONITORING,
        "accept_by": _day(today + timedelta(days=28)),
        **_signatory("Glyn Edwards", "Head of Commissioning"),
        "office": settings.OFFICE_NAME,
        "acceptance": mark_safe(""),
    }
