import html
import re
from decimal import Decimal

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

from opcc import money, paging

register = template.Library()

# GOV.UK tag colours by state name, shared by every lifecycle.
TAG_COLOURS = {
    "draft": "grey",
    "indicative": "purple",
    "pending": "yellow",
    "approved": "green",
    "active": "green",
    "completed": "blue",
    "terminated": "red",
    "decommissioned": "orange",
    "cancelled": "grey",
    "closed": "grey",
    "withdrawn": "grey",
    "submitted": "blue",
    "in_assessment": "light-blue",
    "more_information": "yellow",
    "declined": "red",
    "offered": "purple",
    "accepted": "green",
    "lapsed": "grey",
    "not_yet_due": "grey",
    "open": "light-blue",
    "changes_requested": "yellow",
    "overdue": "red",
    "understand": "light-blue",
    "plan": "purple",
    "do": "pink",
    "review": "turquoise",
    "red": "red",
    "amber": "orange",
    "green": "green",
    "ready": "light-blue",
    "published": "green",
    "not_needed": "grey",
}


@register.filter
def gbp(value):
    """£1,234.56; empty for None."""
    return money.gbp(value)


@register.filter
def gbp0(value):
    """£1,235: whole pounds."""
    return money.gbp(value, whole_pounds=True)


@register.simple_tag
def status_tag(value, label=None):
    colour = TAG_COLOURS.get(str(value), "grey")
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        colour,
        label or str(value).replace("_", " ").capitalize(),
    )


@register.filter
def percent_of(part, whole):
    try:
        return f"{(Decimal(part) / Decimal(whole) * 100):.0f}%" if whole else "–"
    except (ArithmeticError, TypeError, ValueError):
        return "–"


@register.filter
def state_name(value):
    """A stored state as words: "in_assessment" -> "in assessment"."""
    return str(value or "").replace("_", " ")


@register.filter
def in_page_order(form):
    """A form's visible fields in the order its layout puts them on the page (the error summary's order), then any
    the layout leaves out."""
    helper = getattr(form, "helper", None)
    layout = getattr(helper, "layout", None)
    fields = form.visible_fields()
    if layout is None:
        return fields
    position: dict[str, int] = {}
    for i, pointer in enumerate(layout.get_field_names()):
        position.setdefault(pointer.name, i)
    return sorted(fields, key=lambda field: position.get(field.name, len(position)))


@register.filter
def page_range(page):
    """GOV.UK numbered pagination: first, last, and the pages either side of the current one; None for a gap."""
    ellipsis = page.paginator.ELLIPSIS
    return [
        None if n == ellipsis else n
        for n in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]


@register.simple_tag(takes_context=True)
def page_of(context, items, per_page, param):
    """{% page_of items 20 "timeline-page" as page %}: one page of a list a shared partial shows, for the
    partials that every view includes alike (a view pages its own lists with opcc.paging.page_of)."""
    return paging.page_of(context.get("request"), items, per_page=per_page, param=param)


@register.simple_tag(takes_context=True)
def page_href(context, number, param="page", anchor=""):
    """This page's address showing page `number` of the list `param` pages, its filters and other lists kept."""
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}" + (f"#{anchor}" if anchor else "")


def _govuk_time(value) -> str:
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    return f"{value.hour % 12 or 12}:{value.minute:02d}{'am' if value.hour < 12 else 'pm'}"


@register.filter(expects_localtime=True)
def govuk_datetime(value):
    """The GOV.UK style for a moment: 25 November 2026 at 5:27pm (midday and midnight in words)."""
    if not value:
        return ""
    return f"{value.day} {value:%B %Y} at {_govuk_time(value)}"


CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL)


@register.tag
def scrollable_table(parser, token):
    """{% scrollable_table %}<table>…</table>{% endscrollable_table %}: a table wider than the screen scrolls
    sideways in its own region, named by the table's caption, that a keyboard can reach and scroll, instead of
    the whole page scrolling (WCAG 1.4.10). static/js/init.js takes the region out of the tab order while the
    table fits."""
    nodelist = parser.parse(("endscrollable_table",))
    parser.delete_first_token()
    return ScrollableTableNode(nodelist)


class ScrollableTableNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        table = self.nodelist.render(context)
        caption = CAPTION.search(table)
        label = " ".join(html.unescape(strip_tags(caption.group(1))).split()) if caption else ""
        # The table was rendered by the template engine, so its content is already escaped.
        return format_html(
            '<div class="moj-scrollable-pane" role="region" aria-label="{}" tabindex="0">{}</div>',
            label,
            mark_safe(table),
        )
