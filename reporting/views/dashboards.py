"""The Commissioner's dashboards: Money and Performance, each figure a link to the list behind it.

Thin views: resolve the scope from the GET form, ask the selectors, shape charts and links. Every
chart's figures are also in a table on the page, so nothing needs JavaScript.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from opcc.aggregates import cached
from opcc.exports import csv_response, xlsx_response
from opcc.permissions import require_view_perm
from reporting.selectors import dashboards as sel
from reporting.selectors import outcomes as outcome_selectors
from reporting.views import achievement_lists
from reporting.views.dashboards_lists import LISTS as DASHBOARD_LISTS

LISTS = {**DASHBOARD_LISTS, **achievement_lists.LISTS}

GREEN, AMBER, RED, GREY, BLUE, PURPLE = "#00703c", "#f47738", "#d4351c", "#505a5f", "#1d70b8", "#4c2c92"


def _list_url(list_name: str, scope: sel.Scope, /, **extra) -> str:
    return f"{reverse('reporting:dashboard-list', args=[list_name])}?{scope.query(**extra)}"


def scope_words(scope: sel.Scope, choices: sel.Choices, *, per_year: bool = True) -> str:
    parts = [dict(choices.years).get(scope.year, str(scope.year))] if per_year else []
    if scope.stream:
        parts.append(dict(choices.streams)[scope.stream])
    if scope.pot:
        parts.append(dict(choices.pots)[scope.pot])
    if scope.area:
        parts.append(dict(choices.areas)[scope.area])
    return ", ".join(parts) if parts else "All streams and areas"


def subnav(query: str = "") -> list[tuple[str, str, str]]:
    """The dashboard's MOJ sub-navigation (Money, Performance, What the money achieves, Crime trends, Outcome
    indicators, MoJ return, Panel reports), keeping the filters."""
    suffix = f"?{query}" if query else ""
    return [
        ("money", "Money", f"{reverse('reporting:dashboard')}{suffix}"),
        ("performance", "Performance", f"{reverse('reporting:dashboard-performance')}{suffix}"),
        ("outcomes", "What the money achieves", f"{reverse('reporting:dashboard-outcomes')}{suffix}"),
        ("crime", "Crime trends", reverse("reporting:crime-trends")),
        ("indicators", "Outcome indicators", reverse("reporting:dashboard-indicators")),
        ("moj", "MoJ return", f"{reverse('reporting:moj-return')}{suffix}"),
        ("panel", "Panel reports", reverse("reporting:panel-reports")),
    ]


def _common(request, active: str):
    today = timezone.localdate()
    scope, choices = sel.resolve_scope(request.GET, today, cache=True)
    query = scope.query()
    return (
        today,
        scope,
        choices,
        {
            "scope": scope,
            "choices": choices,
            "today": today,
            "active": active,
            "scope_words": scope_words(scope, choices),
            "subnav": subnav(query),
            "form_action": request.path,
        },
    )


@login_required
def money(request):
    require_view_perm(request, "reporting.view_dashboard")
    today, scope, choices, context = _common(request, "money")
    # The figures are cached until the data changes (opcc.aggregates); the lists behind them are not.
    figures = cached("dashboard-money", scope, lambda: sel.money(scope))
    overview = reverse("funding:overview", args=[scope.year])
    for row in figures.streams:
        stream_scope = sel.Scope(scope.year, row.value, scope.pot, scope.area)
        row.links = {"allocated": f"{overview}#streams", "committed": _list_url("commitments", stream_scope)}
        for pot in row.pots:
            pot.link = reverse("funding:pot", args=[scope.year, pot.key])
    contracts = cached(
        "dashboard-contracts", (scope, today), lambda: sel.contract_counts(sel.contracts_ahead(scope, today))
    )
    chart = {
        "labels": [row.label for row in figures.streams],
        "series": [
            {
                "label": "Allocated",
                "data": [float(r.figures.allocated) for r in figures.streams],
                "colour": BLUE,
            },
            {
                "label": "Committed",
                "data": [float(r.figures.committed) for r in figures.streams],
                "colour": AMBER,
            },
            {"label": "Paid", "data": [float(r.figures.paid) for r in figures.streams], "colour": GREEN},
            {
                "label": "Remaining",
                "data": [float(r.figures.remaining) for r in figures.streams],
                "colour": GREY,
            },
        ],
    }
    context.update(
        {
            "money": figures,
            "charts": {"money": chart},
            "totals_links": {
                "allocated": f"{overview}#streams",
                "committed": _list_url("commitments", scope),
            },
            "contracts": contracts,
            "contract_links": {
                k: _list_url("contracts", scope, **({"which": k} if k != "all" else {}))
                for k in ("expiring", "notice", "all")
            },
            "contracts_scope_words": scope_words(scope, choices, per_year=False),
        }
    )
    return render(request, "reporting/dashboards/money.html", context)


@login_required
def performance(request):
    require_view_perm(request, "reporting.view_dashboard")
    today, scope, choices, context = _common(request, "performance")
    quarters, totals = cached(
        "dashboard-timeliness", (scope, today), lambda: sel.returns_timeliness(scope, today)
    )
    for q in quarters:
        q.cells = [
            (k, label, q.counts[k], _list_url("returns", scope, timeliness=k, quarter=q.quarter.number))
            for k, label in sel.TIMELINESS
        ]
    total_cells = [
        (k, label, totals[k], _list_url("returns", scope, timeliness=k)) for k, label in sel.TIMELINESS
    ]
    outcome_rows = cached("dashboard-outcomes", scope, lambda: sel.outcomes(scope))
    for row in outcome_rows:
        row.links = {
            "measured": _list_url("outcomes", scope, kind=row.kind),
            "met": _list_url("outcomes", scope, kind=row.kind, met="yes"),
            "below": _list_url("outcomes", scope, kind=row.kind, met="no"),
        }
    rag = [
        (value, label, n, _list_url("awards", scope, rag=value))
        for value, label, n in cached("dashboard-rag", scope, lambda: sel.awards_by_rag(scope))
    ]
    stages = cached("dashboard-stages", scope, lambda: sel.commissions_by_stage(scope))
    # The commissioning list filters by stage only: use it when no stream or area is chosen.
    stage_rows = [
        (
            value,
            label,
            n,
            (
                f"{reverse('commissioning:index')}?status={value}"
                if not (scope.stream or scope.area)
                else _list_url("commissions", scope, stage=value)
            ),
        )
        for value, label, n in stages
    ]
    timeliness_colours = {"on_time": GREEN, "late": AMBER, "overdue": RED, "not_yet_due": GREY}
    # "counts": the axis counts things, so its steps are whole numbers (static/js/charts.js: ticks.precision 0).
    charts = {
        "returns": {
            "stacked": True,
            "counts": True,
            "labels": [q.quarter.short_label for q in quarters],
            "series": [
                {"label": label, "data": [q.counts[k] for q in quarters], "colour": timeliness_colours[k]}
                for k, label in sel.TIMELINESS
            ],
        },
        "outcomes": {
            "stacked": True,
            "counts": True,
            "labels": [r.label for r in outcome_rows],
            "series": [
                {"label": "At or above target", "data": [r.met for r in outcome_rows], "colour": GREEN},
                {"label": "Below target", "data": [r.below for r in outcome_rows], "colour": RED},
            ],
        },
        "rag": {
            "type": "doughnut",
            "labels": [label for _v, label, _n, _u in rag],
            "series": [
                {"label": "Awards", "data": [n for _v, _l, n, _u in rag], "colour": [RED, AMBER, GREEN, GREY]}
            ],
        },
        "stages": {
            "counts": True,
            "labels": [label for _v, label, _n, _u in stage_rows],
            "series": [
                {"label": "Commissions", "data": [n for _v, _l, n, _u in stage_rows], "colour": PURPLE}
            ],
        },
    }
    context.update(
        {
            "quarters": quarters,
            "returns_totals": total_cells,
            "timeliness": sel.TIMELINESS,
            "outcomes": outcome_rows,
            "rag": rag,
            "stages": stage_rows,
            "charts": charts,
            "commissions_scope_words": scope_words(scope, choices, per_year=False),
            "outcomes_all_link": _list_url("outcomes", scope),
            "awards_all_link": _list_url("awards", scope),
            "returns_all_link": _list_url("returns", scope),
        }
    )
    return render(request, "reporting/dashboards/performance.html", context)


def _drilldown(request, kind):
    require_view_perm(request, "reporting.view_dashboard")
    drill = LISTS.get(kind)
    if drill is None:
        raise Http404("No such list")
    today = timezone.localdate()
    if drill.resolve is not None:
        scope, words, params = drill.resolve(request.GET, today)
    else:
        scope, choices = sel.resolve_scope(request.GET, today)
        params = {}
        for name, allowed in drill.params.items():
            value = request.GET.get(name, "").strip()
            if value in allowed:
                params[name] = value
        # A quarter chosen names its year in the heading ("Q2 2026/27"): the scope need not repeat it.
        words = scope_words(scope, choices, per_year=drill.per_year and "quarter" not in params)
    rows = drill.fetch(scope, today, params)
    return drill, today, scope, words, params, rows


@login_required
def drilldown(request, kind):
    drill, today, scope, words, params, rows = _drilldown(request, kind)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = scope.query(**params)
    if drill.back is not None:
        back_url = drill.back(scope)
    else:
        back = (
            "reporting:dashboard"
            if kind in ("commitments", "contracts")
            else "reporting:dashboard-performance"
        )
        back_url = f"{reverse(back)}?{scope.query()}"
    return render(
        request,
        "reporting/dashboards/list.html",
        {
            "drill": drill,
            "page": page,
            "today": today,
            "rows": [drill.cells(row, today) for row in page],
            "heading": drill.heading_for(scope, params),
            "scope_words": words,
            "totals": (
                drill.totals_for(scope, params, rows)
                if drill.totals_for
                else drill.totals(rows)
                if drill.totals
                else []
            ),
            "csv_url": reverse("reporting:dashboard-list-export", args=[kind, "csv"]) + f"?{query}",
            "xlsx_url": reverse("reporting:dashboard-list-export", args=[kind, "xlsx"]) + f"?{query}",
            "back_url": back_url,
        },
    )


@login_required
def drilldown_export(request, kind, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    drill, today, scope, _words, params, rows = _drilldown(request, kind)
    # Chunked iteration keeps memory flat on big exports (prefetches still apply per chunk).
    iterable = rows.iterator(chunk_size=500) if isinstance(rows, QuerySet) else rows
    data = (drill.export(row, today) for row in iterable)
    filename = f"dashboard-{kind}-{scope.year}"
    if fmt == "csv":
        return csv_response(filename, drill.export_header, data)
    return xlsx_response(filename, [(drill.title, drill.export_header, list(data))])


@login_required
def indicators(request):
    """The catalogue of shared outcome indicators, and the measures that add to none of them (read-only)."""
    require_view_perm(request, "reporting.view_dashboard")
    page = Paginator(outcome_selectors.unmapped_measures(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/dashboards/indicators.html",
        {
            "indicators": list(outcome_selectors.catalogue()),
            "templates_unmapped": list(outcome_selectors.unmapped_template_measures()[:100]),
            "page": page,
            "subnav": subnav(),
            "active": "indicators",
            "can_edit": request.user.is_staff,
        },
    )
