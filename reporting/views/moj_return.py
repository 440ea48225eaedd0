"""The Ministry of Justice return (`/dashboard/moj-return/`): every figure of a year and period linked to the
returns, payments or income behind it, the returns still missing, and the same figures as a spreadsheet (which
`manage.py moj_return` also writes). For the office, as the other dashboards."""

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from funding.models import IncomeSource
from opcc.aggregates import cached
from opcc.exports import csv_response, xlsx_response
from opcc.money import gbp, pence
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from reporting.models import MojReturnField
from reporting.selectors import moj_return as sel
from reporting.views.dashboards import subnav
from reporting.views.dashboards_lists import Cell, DrillDown


def _period(request):
    today = timezone.localdate()
    choices = sel.years()
    return today, choices, sel.resolve_period(request.GET, today, choices)


def _field_url(field_id: int, p: sel.Period) -> str:
    return f"{reverse('reporting:moj-return-field', args=[field_id])}?{p.query()}"


@login_required
def moj_return(request):
    require_view_perm(request, "reporting.view_dashboard")
    today, choices, p = _period(request)
    # Cached until the data changes (opcc.aggregates), as the other dashboards' figures.
    ret = cached("moj-return", (p, today), lambda: sel.build(p))
    sections = [
        (section, [(f, _field_url(f.field_id, p)) for f in section.figures]) for section in ret.sections
    ]
    return render(
        request,
        "reporting/dashboards/moj_return.html",
        {
            "ret": ret,
            "period": p,
            "sections": sections,
            "missing": [(r, r.is_overdue(today)) for r in ret.missing],
            "years": choices,
            "periods": sel.PERIOD_CHOICES,
            "form_action": request.path,
            "missing_url": f"{reverse('reporting:moj-return-missing')}?{p.query()}",
            "xlsx_url": f"{reverse('reporting:moj-return-export')}?{p.query()}",
            "unconfirmed": any(not f.confirmed for _s, f in ret.figures()),
            "subnav": subnav(f"year={p.year}"),
            "active": "moj",
        },
    )


@login_required
def moj_return_export(request):
    require_view_perm(request, "reporting.view_dashboard")
    today, _choices, p = _period(request)
    ret = sel.build(p)
    return xlsx_response(f"moj-return-{p.slug}", sel.xlsx_sheets(ret, sel.missing_returns(p), today))


# ---- The lists behind the figures ------------------------------------------------------------------


def _number(value) -> str:
    return sel.count_text(value) if value is not None else ""


def _indicator_list(p: sel.Period, f: MojReturnField):
    rows = sel.indicator_rows(p, f)
    rate = f.indicator.is_rate
    header = ["Award", "Organisation", "Quarter", *(["Of them", "In all"] if rate else ["Reported"])]

    def cells(a, today):
        figures = (
            [Cell(_number(a.numerator)), Cell(_number(a.denominator))]
            if rate
            else [Cell(_number(a.value_sum))]
        )
        return [
            Cell(f"{a.award.reference} {a.award.title}", reverse("reporting:award", args=[a.award_id])),
            Cell(a.award.organisation.name),
            Cell(
                f"Q{a.quarter} {p.year_label}",
                reverse("reporting:return", args=[a.return_id]) if a.return_id else "",
            ),
            *figures,
        ]

    def totals(qs):
        t = sel.indicator_row_totals(qs)
        if not rate:
            return [("Total", sel.count_text(t["value"]))]
        percent = sel.rate(t["numerator"], t["denominator"])
        return [
            ("Of them", sel.count_text(t["numerator"])),
            ("In all", sel.count_text(t["denominator"])),
            ("Rate", f"{percent}%" if percent is not None else "none"),
        ]

    drill = DrillDown(
        slug="moj-indicator",
        title=f.label,
        header=header,
        numeric=frozenset({3, 4}),
        note=(
            f"Each accepted return's part of ‘{f.label}’"
            + (f" ({f.indicator.name})" if f.indicator.name != f.label else "")
            + ", from the services "
            + (
                f"the {IncomeSource(f.section.income_source).label} pays for"
                if f.section.income_source
                else "any Ministry of Justice grant line pays for"
            )
            + ". Only accepted returns count"
            + (
                ": the rate is the total of those who said so over the total asked, never an average."
                if rate
                else "."
            )
        ),
        fetch=None,
        cells=cells,
        totals=totals,
        export_header=[
            "Award reference",
            "Title",
            "Organisation",
            "Quarter",
            *(["Numerator", "Denominator"] if rate else ["Reported"]),
        ],
        export=lambda a, today: [
            a.award.reference,
            a.award.title,
            a.award.organisation.name,
            f"Q{a.quarter} {p.year_label}",
            *([a.numerator, a.denominator] if rate else [a.value_sum]),
        ],
    )
    return drill, rows


def _spend_list(p: sel.Period, f: MojReturnField):
    line = IncomeSource(f.income_source)
    rows = sel.spend_rows(p, f.income_source)
    # The few pots the grant line pays for: one query, whatever the number of payments.
    shares = sel.pot_shares(rows.order_by().values("award_year__pot"))

    def share_text(payment):
        numerator, denominator = shares.get(payment.award_year.pot_id, {}).get(f.income_source, (0, 0))
        return f"{numerator / denominator * 100:.1f}%" if denominator else "0.0%"

    def cells(r, today):
        pot = r.award_year.pot
        return [
            Cell(f"{r.award.reference} {r.award.title}", reverse("funding:award", args=[r.award_id])),
            Cell(r.award.organisation.name),
            Cell(
                f"{pot.name} {pot.year.short_label}",
                reverse("funding:pot", args=[pot.year.start_year, pot.key]),
            ),
            Cell(f"{r.paid_on:%-d %b %Y}"),
            Cell(gbp(r.amount)),
            Cell(share_text(r)),
        ]

    drill = DrillDown(
        slug="moj-spend",
        title=f.label,
        header=["Award", "Organisation", "Pot", "Paid on", "Paid", "Grant line's part of the pot"],
        numeric=frozenset({4, 5}),
        note=(
            f"Payments made in {p.words} from the pots the {line.label} pays for. Each pot's payments count "
            f"against the line in proportion to the line's part of the pot, rounded to the penny pot by pot."
        ),
        fetch=None,
        cells=cells,
        totals=lambda qs: [
            ("Paid from these pots", gbp(sel.amount_total(qs))),
            (f"Counted against the {line.label}", gbp(sel.spent(p)[f.income_source])),
        ],
        export_header=[
            "Award reference",
            "Title",
            "Organisation",
            "Pot",
            "Pot's year",
            "Paid on",
            "Paid",
            "Grant line's part of the pot (%)",
        ],
        export=lambda r, today: [
            r.award.reference,
            r.award.title,
            r.award.organisation.name,
            r.award_year.pot.name,
            r.award_year.pot.year.label,
            r.paid_on,
            pence(r.amount),
            share_text(r),
        ],
    )
    return drill, rows


def _grant_list(p: sel.Period, f: MojReturnField):
    rows = sel.grant_rows(p.year, f.income_source)
    overview = reverse("funding:overview", args=[p.year])
    drill = DrillDown(
        slug="moj-grant",
        title=f.label,
        header=["Income", "Description", "Amount"],
        numeric=frozenset({2}),
        note=f"The income lines of {p.year_label} the field adds up, as finance recorded them.",
        fetch=None,
        cells=lambda line, today: [
            Cell(line.get_source_display(), overview),
            Cell(line.description),
            Cell(gbp(line.amount)),
        ],
        totals=lambda qs: [("Total", gbp(sel.amount_total(qs)))],
        export_header=["Income", "Description", "Amount"],
        export=lambda line, today: [line.get_source_display(), line.description, pence(line.amount)],
    )
    return drill, rows


def _field_drill(request, pk):
    require_view_perm(request, "reporting.view_dashboard")
    f = get_object_or_404(MojReturnField.objects.select_related("section", "indicator"), pk=pk)
    today, _choices, p = _period(request)
    build = {
        MojReturnField.Figure.INDICATOR: _indicator_list,
        MojReturnField.Figure.SPENT: _spend_list,
        MojReturnField.Figure.GRANT: _grant_list,
    }[f.figure]
    drill, rows = build(p, f)
    return today, p, f, drill, rows


def _render_list(request, *, drill, rows, today, p, heading, export_name):
    page = page_of(request, rows)
    return render(
        request,
        "reporting/dashboards/list.html",
        {
            "drill": drill,
            "page": page,
            "today": today,
            "heading": heading,
            "scope_words": p.label,
            "rows": [drill.cells(row, today) for row in page],
            "totals": drill.totals(rows) if drill.totals else [],
            "csv_url": reverse(export_name[0], args=export_name[1:] + ["csv"]) + f"?{p.query()}",
            "xlsx_url": reverse(export_name[0], args=export_name[1:] + ["xlsx"]) + f"?{p.query()}",
            "back_url": f"{reverse('reporting:moj-return')}?{p.query()}",
            "back_text": "Back to the Ministry of Justice return",
        },
    )


def _export(drill, rows, today, fmt, filename):
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    iterable = rows.iterator(chunk_size=500) if isinstance(rows, QuerySet) else rows
    data = [drill.export(row, today) for row in iterable]
    if fmt == "csv":
        return csv_response(filename, drill.export_header, data)
    return xlsx_response(filename, [(drill.title, drill.export_header, data)])


@login_required
def moj_field(request, pk):
    today, p, f, drill, rows = _field_drill(request, pk)
    return _render_list(
        request,
        drill=drill,
        rows=rows,
        today=today,
        p=p,
        heading=f"{f.section.title}: {f.label}",
        export_name=["reporting:moj-return-field-export", f.pk],
    )


@login_required
def moj_field_export(request, pk, fmt):
    today, p, f, drill, rows = _field_drill(request, pk)
    return _export(drill, rows, today, fmt, f"moj-return-{p.slug}-field-{f.pk}")


def _missing_drill(request):
    require_view_perm(request, "reporting.view_dashboard")
    today, _choices, p = _period(request)
    drill = DrillDown(
        slug="moj-missing",
        title="Returns still missing",
        header=["Award", "Organisation", "Quarter", "Due", "Status"],
        note=(
            "Returns due in the period from the services a Ministry of Justice grant line pays for that have not "
            "been accepted yet: their figures are not in the return until they are."
        ),
        fetch=None,
        cells=lambda r, today: [
            Cell(f"{r.award.reference} {r.award.title}", reverse("reporting:award", args=[r.award_id])),
            Cell(r.award.organisation.name),
            Cell(r.short_label, reverse("reporting:return", args=[r.pk])),
            Cell(f"{r.due_date:%-d %b %Y}"),
            Cell(r.get_status_display(), tag="Overdue" if r.is_overdue(today) else "", tag_colour="red"),
        ],
        export_header=sel.MISSING_HEADER,
        export=lambda r, today: [
            r.award.reference,
            r.award.title,
            r.award.organisation.name,
            r.short_label,
            r.due_date,
            r.get_status_display(),
            r.is_overdue(today),
        ],
    )
    return today, p, drill, sel.missing_returns(p)


@login_required
def moj_missing(request):
    today, p, drill, rows = _missing_drill(request)
    return _render_list(
        request,
        drill=drill,
        rows=rows,
        today=today,
        p=p,
        heading="Returns still missing",
        export_name=["reporting:moj-return-missing-export"],
    )


@login_required
def moj_missing_export(request, fmt):
    today, p, drill, rows = _missing_drill(request)
    return _export(drill, rows, today, fmt, f"moj-return-{p.slug}-missing")
