from django import template
from django.utils.html import format_html

from opcc.templatetags.opcc_tags import status_tag
from reporting.selectors import transparency as published

register = template.Library()


@register.simple_tag
def return_status(ret, today):
    """The return's state, and "Overdue" beside it when it is past its due date and not yet submitted."""
    tag = status_tag(ret.status, ret.get_status_display())
    if ret.is_overdue(today):
        days = ret.days_overdue(today)
        return format_html(
            '{} <strong class="govuk-tag govuk-tag--red">Overdue {} day{}</strong>',
            tag,
            days,
            "" if days == 1 else "s",
        )
    return tag


@register.simple_tag
def rag_tag(rag, label=""):
    if not rag:
        return format_html('<span class="govuk-body-s">{}</span>', label or "No target")
    names = {"red": "Red", "amber": "Amber", "green": "Green"}
    return status_tag(rag, names.get(rag, rag))


@register.filter
def number(value):
    """A reported number without trailing zeros: 12, 75.5."""
    if value is None or value == "":
        return "–"
    return f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)


@register.simple_tag
def due_tag(due, today):
    """A visit's or annual review's due date as a tag: overdue (red) or due within 30 days (yellow)."""
    if due is None:
        return ""
    days = (due - today).days
    if days < 0:
        return format_html(
            '<strong class="govuk-tag govuk-tag--red">Overdue {} day{}</strong>',
            -days,
            "" if days == -1 else "s",
        )
    if days <= 30:
        return format_html(
            '<strong class="govuk-tag govuk-tag--yellow">Due {}</strong>',
            "today" if days == 0 else f"in {days} day{'' if days == 1 else 's'}",
        )
    return ""


@register.filter
def public_title(award):
    """The award's title as approved for publication (the transparency pages never show the live field)."""
    return published.public_title(award)


@register.filter
def public_purpose(award):
    """The award's purpose as approved for publication."""
    return published.public_purpose(award)
