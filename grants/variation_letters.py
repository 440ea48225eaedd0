"""Variation letters: what changes in an active grant, in the offer letters' letterhead and layout, drawn as a PDF by
the same sandboxed renderer (grants.letters). Values are plain strings, escaped by the engine; the table of changes
is built here from escaped text."""

from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from grants import letters
from grants.models import Variation
from grants.selectors import current_template
from opcc.money import amount_in_words, gbp

BODY = """<p>{{ date }}</p>
<p>{{ organisation }}<br>{{ organisation_address }}</p>
<p>Our reference: {{ reference }} (grant {{ award_reference }})</p>
<h1>Variation of your grant: {{ project }}</h1>
<p>Dear {{ contact }},</p>
<p>{{ opening }}</p>
<h2>What changes</h2>
{{ changes }}
<p>Everything else in your grant agreement stays as it was.</p>
<h2>Why</h2>
<p>{{ reason }}</p>
<h2>Accepting this variation</h2>
<p>Please accept this variation online by <strong>{{ accept_by }}</strong>. If it is not accepted by then, it lapses and your grant continues unchanged.</p>
<p>Yours sincerely,</p>
<p>{{ signatory }}<br>{{ office }}</p>
{{ acceptance }}"""


def _day(d: date | None) -> str:
    return f"{d:%-d %B %Y}" if d else ""


def _lines(text: str) -> SafeString:
    rows = [line.strip() for line in text.splitlines() if line.strip()]
    if not rows:
        return mark_safe("None.")
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((row,) for row in rows)))


def changes(variation: Variation) -> list[tuple[str, str, str]]:
    """(what, from, to) for each part of the award the variation changes, as the letter and the pages show it."""
    rows: list[tuple[str, str, str]] = []
    if variation.new_amount is not None and variation.new_amount != variation.old_amount:
        rows.append(("Total amount", gbp(variation.old_amount), gbp(variation.new_amount)))
    if variation.new_end_date is not None and variation.new_end_date != variation.old_end_date:
        rows.append(("End date", _day(variation.old_end_date), _day(variation.new_end_date)))
    if variation.new_purpose.strip():
        rows.append(("Purpose", variation.old_purpose, variation.new_purpose.strip()))
    if variation.new_conditions.strip():
        rows.append(("Conditions", variation.old_conditions, variation.new_conditions.strip()))
    return rows


def _changes_table(rows) -> SafeString:
    body = format_html_join(
        "",
        "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
        (
            (
                what,
                _lines(before) if what == "Conditions" else before,
                _lines(after) if what == "Conditions" else after,
            )
            for what, before, after in rows
        ),
    )
    return format_html(
        "<table><thead><tr><th>What</th><th>Was</th><th>Becomes</th></tr></thead><tbody>{}</tbody></table>",
        body,
    )


def _opening(variation: Variation, organisation: str) -> str:
    if variation.new_amount is not None and variation.new_amount != variation.old_amount:
        return (
            f"I am writing to vary the grant to {organisation}. Its total becomes {gbp(variation.new_amount)} "
            f"({amount_in_words(variation.new_amount)}), as set out below."
        )
    return f"I am writing to vary the grant to {organisation}, as set out below."


def letter_values(variation: Variation) -> dict:
    award = variation.award
    organisation = award.organisation
    application = getattr(award, "grant_application", None)
    decider = variation.decided_by
    contact = variation.accepted_name or (
        variation.requested_by.full_name
        if variation.requested_by and variation.from_provider
        else (
            application.created_by.full_name if application and application.created_by else organisation.name
        )
    )
    values = {
        "date": _day(timezone.localtime(variation.decided_at).date() if variation.decided_at else None)
        or _day(timezone.localdate()),
        "reference": variation.reference,
        "award_reference": award.reference,
        "organisation": organisation.name,
        "organisation_address": organisation.address,
        "contact": contact,
        "project": award.title,
        "opening": _opening(variation, organisation.name),
        "changes": _changes_table(changes(variation)),
        "reason": variation.reason,
        "accept_by": _day(variation.accept_by),
        "signatory": format_html_join(
            mark_safe("<br>"),
            "{}",
            ((line,) for line in (decider.full_name, decider.job_title or decider.role_label) if line)
            if decider
            else (),
        ),
        "office": settings.OFFICE_NAME,
        "acceptance": mark_safe(""),
    }
    if variation.accepted_at:
        values["acceptance"] = format_html(
            '<div class="acceptance"><p><strong>Accepted online</strong> on behalf of {} by {}, {}, at {}.</p></div>',
            organisation.name,
            variation.accepted_name,
            variation.accepted_role,
            f"{timezone.localtime(variation.accepted_at):%-I:%M%p on %-d %B %Y}".replace("AM", "am").replace(
                "PM", "pm"
            ),
        )
    return values


def letter_pdf(variation: Variation) -> bytes:
    """The variation letter as it reads now, on the office's letterhead (the offer letter's)."""
    return letters.render_letter_pdf(
        letterhead=current_template().letterhead,
        body=BODY,
        values=letter_values(variation),
        kind="variation letter",
    )
