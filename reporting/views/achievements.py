"""What the money achieves (`/dashboard/outcomes/`): money beside people supported and outcomes, by Plan priority,
stream, area, provider or service, the trend by quarter and how complete the returns are; and its downloads.

Thin views: the figures come from `reporting.selectors.achievements` (cached until the data changes); here they
are given their links (every figure opens the awards or returns behind it) and their charts (each beside a table
with the same figures).
"""

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from opcc.exports import csv_response, xlsx_response
from opcc.money import gbp, pence
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from reporting.selectors import achievements as sel
from reporting.selectors.outcomes import IndicatorTotal
from reporting.views.achievement_figures import figures
from reporting.views.achievement_lists import count, words
from reporting.views.achievement_lists import options as page_options
from reporting.views.dashboards import AMBER, BLUE, GREEN, subnav

DEFAULT_OUTCOME = "better-able-to-cope-and-recover"
ROWS_PER_PAGE = 25  # providers and services, a page at a time
# A dimension in a sentence: "By Plan priority", "by local policing area".
IN_WORDS = {
    "priority": "Plan priority",
    "stream": "stream",
    "area": "local policing area",
    "provider": "provider",
    "service": "service",
}
FILTER_NAMES = {
    "year": "financial year",
    "quarter": "quarter",
    "priority": "Plan priority",
    "stream": "stream",
    "area": "area",
    "provider": "provider",
    "award": "service",
    "by": "what to show the figures by",
    "outcome": "outcome to compare",
}


@dataclass(frozen=True)
class Choice:
    """What the page shows beyond the filters: the rows' dimension and the outcome compared across them."""

    by: str
    outcome: str


def _list(kind: str, filters: sel.AchievementFilters, **extra) -> str:
    return f"{_LIST_URLS[kind]}?{filters.query(**extra)}"


class _ListUrls(dict):
    """The drill-down lists' addresses, reversed once (a page links to them a few hundred times)."""

    def __missing__(self, kind):
        self[kind] = reverse("reporting:dashboard-list", args=[kind])
        return self[kind]


_LIST_URLS = _ListUrls()


def outcome_text(o: IndicatorTotal | None) -> str:
    if o is None:
        return "None reported"
    if o.aggregation == "sum":
        return count(o.value)
    return f"{count(o.numerator)} of {count(o.denominator)}" + (f" ({o.rate}%)" if o.rate is not None else "")


def _cells(row: sel.AchievementRow, outcome: str, about: str) -> list[tuple]:
    """(figure, text, link, what it is for a screen reader) for each figure of a row, each linked to its list."""
    f = row.filters
    awards, compared = _list("outcome-awards", f), row.outcome(outcome)
    cost = row.cost_per_person
    return [
        ("awards", str(row.awards), awards, f"awards: {about}"),
        ("committed", gbp(row.committed), awards, f"committed: {about}"),
        ("paid", gbp(row.paid), awards, f"paid: {about}"),
        (
            "people",
            count(row.people_supported),
            _list("outcome-returns", f, indicator=sel.PEOPLE_SUPPORTED),
            f"people supported: {about}",
        ),
        (
            "cost",
            gbp(cost) if cost is not None else "–",
            awards if cost is not None else "",
            f"paid per person supported: {about}",
        ),
        (
            "outcome",
            outcome_text(compared),
            _list("outcome-returns", f, indicator=outcome) if compared else "",
            f"{about}: see the returns",
        ),
        (
            "returns",
            f"{row.returns_accepted} of {row.returns_expected}",
            _list("outcome-returns", f, which="due"),
            f"returns accepted: {about}",
        ),
    ]


def _resolve(request, today):
    options, names = page_options()
    filters, ignored = sel.resolve_filters(request.GET, today, options)
    by = request.GET.get("by", "").strip()
    if by and by not in sel.DIMENSIONS:
        ignored.append("by")
    outcome = request.GET.get("outcome", "").strip()
    if outcome and (outcome not in names or outcome == sel.PEOPLE_SUPPORTED):
        ignored.append("outcome")
    default_outcome = (
        DEFAULT_OUTCOME
        if DEFAULT_OUTCOME in names
        else next((k for k in names if k != sel.PEOPLE_SUPPORTED), "")
    )
    choice = Choice(
        by=by if by in sel.DIMENSIONS else "priority",
        outcome=outcome if outcome in names and outcome != sel.PEOPLE_SUPPORTED else default_outcome,
    )
    return filters, choice, options, names, ignored


def _chart_label(row: sel.AchievementRow) -> str:
    """A service by its reference, anything else cut short: long labels squeeze a chart to nothing."""
    if row.dimension == "service":
        return row.label.split(" ", 1)[0]
    return row.label if len(row.label) <= 32 else row.label[:31].rstrip() + "…"


def _dimension_charts(rows):
    labels = [_chart_label(r) for r in rows]
    money = {
        "labels": labels,
        "series": [
            {"label": "Committed", "data": [float(r.committed) for r in rows], "colour": AMBER},
            {"label": "Paid", "data": [float(r.paid) for r in rows], "colour": GREEN},
        ],
    }
    people = {
        "counts": True,
        "labels": labels,
        "series": [
            {"label": "People supported", "data": [float(r.people_supported) for r in rows], "colour": BLUE}
        ],
    }
    return {"money": money, "people": people}


def _trend_chart(trend, outcome, outcome_name):
    labels = [p.quarter.short_label for p in trend]
    people = {
        "type": "line",
        "counts": True,
        "labels": labels,
        "series": [
            {"label": "People supported", "data": [float(p.people_supported) for p in trend], "colour": BLUE}
        ],
    }
    measures = [p.outcome(outcome) for p in trend]
    rate = any(m is not None and m.numerator is not None for m in measures)
    series = [
        float(m.rate)
        if rate and m is not None and m.rate is not None
        else (float(m.value) if not rate and m is not None and m.value is not None else None)
        for m in measures
    ]
    return {
        "people": people,
        "outcome": {
            "type": "line",
            "counts": not rate,
            "labels": labels,
            "series": [{"label": f"{outcome_name}{' (%)' if rate else ''}", "data": series, "colour": AMBER}],
        },
    }


@login_required
def outcomes(request):
    require_view_perm(request, "reporting.view_dashboard")
    today = timezone.localdate()
    filters, choice, options, names, ignored = _resolve(request, today)
    figs = figures(filters, choice.by, today, options)
    total, trend, complete = figs.total, figs.trend, figs.completeness
    paged = choice.by in ("provider", "service")
    page = page_of(request, figs.rows, per_page=ROWS_PER_PAGE) if paged else None
    shown = list(page) if paged else list(figs.rows)
    outcome_name = names.get(choice.outcome, "")
    for row in shown:
        row.cells = _cells(row, choice.outcome, row.label)
    total.cells = _cells(total, choice.outcome, "in all")
    total.links = {
        "awards": _list("outcome-awards", filters),
        "people": _list("outcome-returns", filters, indicator=sel.PEOPLE_SUPPORTED),
    }
    for point in trend:
        point_filters = replace(filters, start_year=point.quarter.start_year, quarter=point.quarter.number)
        label, compared = point.quarter.short_label, point.outcome(choice.outcome)
        point.cells = [
            (
                "people",
                count(point.people_supported),
                _list("outcome-returns", point_filters, indicator=sel.PEOPLE_SUPPORTED),
                f"people supported in {label}",
            ),
            (
                "outcome",
                outcome_text(compared),
                _list("outcome-returns", point_filters, indicator=choice.outcome) if compared else "",
                f"{label}: see the returns",
            ),
            (
                "returns",
                f"{point.accepted} of {point.expected}",
                _list("outcome-returns", point_filters, which="due"),
                f"returns accepted for {label}",
            ),
        ]
    completeness = [
        {
            "quarter": c.quarter,
            "words": c.words,
            "expected": c.expected,
            "waiting": c.expected - c.accepted,
            "links": {
                "due": _list("outcome-returns", replace(filters, quarter=c.quarter.number), which="due"),
                "waiting": _list(
                    "outcome-returns", replace(filters, quarter=c.quarter.number), which="waiting"
                ),
            },
        }
        for c in complete
    ]
    outcome_rows = [
        (
            o,
            _list("outcome-returns", filters, indicator=o.key),
            count(o.value) if o.aggregation == "sum" else count(o.numerator),
            "" if o.aggregation == "sum" else count(o.denominator),
        )
        for o in total.outcomes
    ]
    # The other dashboards read year, stream and area: keep those in the sub-navigation.
    shared = {
        k: v
        for k, v in (
            ("year", filters.start_year),
            ("stream", filters.stream),
            ("area", "" if filters.area == sel.WEST_MERCIA else filters.area),
        )
        if v
    }
    page_query = filters.query(by=choice.by, outcome=choice.outcome)
    return render(
        request,
        "reporting/dashboards/outcomes.html",
        {
            "filters": filters,
            "choice": choice,
            "options": options,
            "indicators": names,
            "dimensions": sel.DIMENSIONS,
            "dimension_label": sel.DIMENSIONS[choice.by],
            "dimension_words": IN_WORDS[choice.by],
            "ignored": [FILTER_NAMES[name] for name in ignored],
            "scope_words": words(filters, options),
            "rows": shown,
            "page": page,
            "total": total,
            "trend": trend,
            "completeness": completeness,
            "total_people": count(total.people_supported),
            "outcome_name": outcome_name,
            "outcome_rows": outcome_rows,
            "compare_choices": [(k, n) for k, n in names.items() if k != sel.PEOPLE_SUPPORTED],
            "year_label": f"{filters.start_year} to {filters.start_year + 1}",
            "trend_last": trend[-1].quarter.short_label if trend else "",
            "charts": {
                **{f"by_{k}": v for k, v in _dimension_charts(shown).items()},
                **{f"trend_{k}": v for k, v in _trend_chart(trend, choice.outcome, outcome_name).items()},
            },
            "subnav": subnav(urlencode(shared)),
            "active": "outcomes",
            "form_action": request.path,
            "csv_url": f"{reverse('reporting:dashboard-outcomes-export', args=['csv'])}?{page_query}",
            "xlsx_url": f"{reverse('reporting:dashboard-outcomes-export', args=['xlsx'])}?{page_query}",
            "no_priority": sel.NO_PRIORITY,
            "west_mercia": sel.WEST_MERCIA,
        },
    )


# ---- Downloads ---------------------------------------------------------------------------------------


def _rate(total) -> object:
    return total.rate if total is not None else None


def _dimension_sheet(rows, total, label: str):
    """The table by the dimension shown, with every indicator reported in scope as its own columns (a rate as
    achieved, out of and the rate), and the total counting each award once."""
    reported = [(o.key, o.name, o.aggregation != "sum") for o in total.outcomes]
    header = [
        label,
        "Awards",
        "Committed",
        "Paid",
        "People supported",
        "Cost per person supported (paid ÷ people)",
        "Returns accepted",
        "Returns due",
    ]
    for _key, name, is_rate in reported:
        header += [f"{name}: achieved", f"{name}: out of", f"{name}: rate %"] if is_rate else [name]
    data = []
    for row in [*rows, total]:
        line = [
            row.label if row is not total else "Total (each award once)",
            row.awards,
            pence(row.committed),
            pence(row.paid),
            row.people_supported,
            pence(row.cost_per_person),
            row.returns_accepted,
            row.returns_expected,
        ]
        for key, _name, is_rate in reported:
            o = row.outcome(key)
            line += (
                [o.numerator if o else None, o.denominator if o else None, _rate(o)]
                if is_rate
                else [o.value if o else None]
            )
        data.append(line)
    return header, data


@login_required
def outcomes_export(request, fmt):
    """The page's figures as a CSV (the table by the dimension shown, every indicator as its own columns) or an
    XLSX (that table, the outcomes, the trend by quarter and the completeness of the returns)."""
    require_view_perm(request, "reporting.view_dashboard")
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    today = timezone.localdate()
    filters, choice, options, names, _ignored = _resolve(request, today)
    figs = figures(filters, choice.by, today, options)
    total, trend, complete = figs.total, figs.trend, figs.completeness
    header, data = _dimension_sheet(list(figs.rows), total, sel.DIMENSIONS[choice.by])
    filename = f"what-the-money-achieves-{filters.start_year}-by-{choice.by}"
    if fmt == "csv":
        return csv_response(filename, header, data)
    outcomes_sheet = [
        [o.name, o.unit, o.value, o.numerator, o.denominator, o.rate, o.awards] for o in total.outcomes
    ]
    trend_sheet = [
        [
            p.quarter.short_label,
            p.people_supported,
            *(
                x
                for o in [p.outcome(choice.outcome)]
                for x in (
                    o.value if o else None,
                    o.numerator if o else None,
                    o.denominator if o else None,
                    _rate(o),
                )
            ),
            p.accepted,
            p.expected,
        ]
        for p in trend
    ]
    outcome_name = names.get(choice.outcome, "")
    return xlsx_response(
        filename,
        [
            (f"By {IN_WORDS[choice.by]}", header, data),
            (
                "Outcomes",
                [
                    "Indicator",
                    "Unit",
                    "Total",
                    "Achieved (rate)",
                    "Out of (rate)",
                    "Rate %",
                    "Awards reporting",
                ],
                outcomes_sheet,
            ),
            (
                "Trend by quarter",
                [
                    "Quarter",
                    "People supported",
                    f"{outcome_name}: total",
                    f"{outcome_name}: achieved",
                    f"{outcome_name}: out of",
                    f"{outcome_name}: rate %",
                    "Returns accepted",
                    "Returns due",
                ],
                trend_sheet,
            ),
            (
                "Completeness",
                ["Quarter", "Returns accepted", "Returns due"],
                [[c.quarter.short_label, c.accepted, c.expected] for c in complete],
            ),
        ],
    )
