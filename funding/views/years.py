"""A financial year: its income, the police budget, the allocation to pots, approval and in-year variations; a pot's
page; the year's export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from funding import ledger, selectors
from funding.forms import (
    ApproveForm,
    DraftAllocationForm,
    IncomeLineForm,
    VariationForm,
)
from funding.models import FinancialYear, IncomeLine, Pot
from funding.services import allocation
from funding.views._common import _year
from opcc.calendar import this_financial_year
from opcc.exports import csv_response, xlsx_response
from opcc.money import pence
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.views.forms import run


@login_required
def index(request):
    require_view_perm(request, "funding.view_funding")
    start_year = this_financial_year()
    if not FinancialYear.objects.filter(start_year=start_year).exists():
        latest = FinancialYear.objects.order_by("-start_year").first()
        if latest is None:
            return render(request, "funding/no_years.html")
        start_year = latest.start_year
    return redirect("funding:overview", start_year=start_year)


@login_required
def overview(request, start_year):
    require_view_perm(request, "funding.view_funding")
    year = _year(start_year)
    summary = ledger.year_summary(year)
    chart = {
        "labels": [label for _s, label, *_ in summary.streams],
        "series": [
            {"label": "Allocated", "data": [float(f.allocated) for _s, _l, f, _p in summary.streams]},
            {"label": "Committed", "data": [float(f.committed) for _s, _l, f, _p in summary.streams]},
            {"label": "Paid", "data": [float(f.paid) for _s, _l, f, _p in summary.streams]},
        ],
    }
    return render(
        request,
        "funding/overview.html",
        {
            "year": year,
            "summary": summary,
            "years": selectors.years(),
            "chart": chart,
            "variations": page_of(
                request, year.variations.select_related("pot", "by"), per_page=20, param="variations-page"
            ),
            "can_prepare": request.user.has_perm("funding.prepare_allocation") and not year.is_approved,
            "can_make_draft": request.user.has_perm("funding.prepare_allocation") and year.is_indicative,
            "can_approve": request.user.has_perm("funding.approve_allocation")
            and year.status == FinancialYear.Status.DRAFT,
            "current": this_financial_year(),
            "plan": ledger.plan_years(after=max(this_financial_year(), year.start_year)),
            "short": ledger.over_committed(year) if not year.is_approved else [],
            "can_vary": request.user.has_perm("funding.vary_allocation") and year.is_approved,
            "can_add_year": request.user.has_perm("funding.prepare_allocation"),
            "next_year": FinancialYear.objects.order_by("-start_year")
            .values_list("start_year", flat=True)
            .first()
            + 1,
        },
    )


@login_required
def new_year(request):
    require_view_perm(request, "funding.prepare_allocation")
    latest = FinancialYear.objects.order_by("-start_year").first()
    next_start = latest.start_year + 1 if latest else this_financial_year()
    if request.method == "POST":
        year = allocation.prepare_next_year(by=request.user)
        messages.success(
            request,
            f"{year.label} has been prepared as a draft, with the same pots as {latest.label if latest else 'before'}.",
        )
        return redirect("funding:overview", start_year=year.start_year)
    return render(request, "funding/new_year.html", {"next_start": next_start, "latest": latest})


@login_required
def income_form(request, start_year, pk=None):
    require_view_perm(request, "funding.prepare_allocation")
    year = _year(start_year)
    line = get_object_or_404(IncomeLine, pk=pk, year=year) if pk else None
    initial = (
        {"source": line.source, "description": line.description, "amount": line.amount} if line else None
    )
    form = IncomeLineForm(request.POST or None, initial=initial)
    done, _ = run(
        request,
        form,
        lambda data: allocation.save_income_line(year=year, line=line, **data),
        success="The income has been saved.",
    )
    if done:
        return redirect("funding:overview", start_year=year.start_year)
    return render(request, "funding/income_form.html", {"form": form, "year": year, "line": line})


@login_required
def allocation_form(request, start_year):
    require_view_perm(request, "funding.prepare_allocation")
    year = _year(start_year)
    if year.is_approved:
        messages.info(request, "This allocation has been approved: changes are recorded as variations.")
        return redirect("funding:variation", start_year=year.start_year)
    pots = list(Pot.objects.filter(year=year).order_by("stream", "name"))
    form = DraftAllocationForm(request.POST or None, pots=pots, initial={"police_budget": year.police_budget})
    done, _ = run(
        request,
        form,
        lambda data: allocation.set_draft_allocation(
            year=year, police_budget=data["police_budget"], pot_amounts=form.pot_amounts(), by=request.user
        ),
        success=f"The draft allocation for {year.label} has been saved.",
    )
    if done:
        return redirect("funding:overview", start_year=year.start_year)
    return render(
        request,
        "funding/allocation_form.html",
        {"form": form, "year": year, "summary": ledger.year_summary(year)},
    )


@login_required
def approve(request, start_year):
    require_view_perm(request, "funding.approve_allocation")
    year = _year(start_year)
    summary = ledger.year_summary(year)
    form = ApproveForm(request.POST or None)
    done, _ = run(
        request,
        form,
        lambda data: allocation.approve(
            year=year, by=request.user, note=data["note"], expected_state=FinancialYear.Status.DRAFT
        ),
        success=f"The allocation for {year.label} is approved.",
    )
    if done:
        return redirect("funding:overview", start_year=year.start_year)
    return render(
        request,
        "funding/approve.html",
        {"form": form, "year": year, "summary": summary, "short": ledger.over_committed(year)},
    )


@login_required
def variation(request, start_year):
    require_view_perm(request, "funding.vary_allocation")
    year = _year(start_year)
    if not year.is_approved:
        return redirect("funding:allocation", start_year=year.start_year)
    pots = list(Pot.objects.filter(year=year).order_by("stream", "name"))
    form = VariationForm(request.POST or None, pots=pots, year=year)

    def vary(data):
        if data["target"] == "police_budget":
            return allocation.set_police_budget(
                year=year, amount=data["new_amount"], by=request.user, reason=data["reason"]
            )
        return allocation.set_pot_allocation(
            pot=form.pots[data["target"]],
            amount=data["new_amount"],
            by=request.user,
            reason=data["reason"],
            field="new_amount",
        )

    done, _ = run(request, form, vary, success="The variation has been recorded.")
    if done:
        return redirect("funding:overview", start_year=year.start_year)
    return render(
        request, "funding/variation.html", {"form": form, "year": year, "summary": ledger.year_summary(year)}
    )


@login_required
def pot_detail(request, start_year, key):
    require_view_perm(request, "funding.view_funding")
    pot = get_object_or_404(Pot.objects.select_related("year"), year__start_year=start_year, key=key)
    pot, commitments = selectors.pot_detail(pot)
    return render(
        request,
        "funding/pot_detail.html",
        {
            "pot": pot,
            "by_year": ledger.pot_across_years(pot),
            "year": pot.year,
            "commitments": page_of(request, commitments),
            "variations": page_of(
                request, pot.variations.select_related("by"), per_page=20, param="variations-page"
            ),
        },
    )


def _year_rows(summary):
    rows = [
        ("Income", line.get_source_display(), line.description, pence(line.amount), "", "", "")
        for line in summary.income_lines
    ]
    rows.append(("Police budget", "West Mercia Police budget", "", pence(summary.police_budget), "", "", ""))
    for _s, stream_label, _figures, pots in summary.streams:
        for pot in pots:
            rows.append(
                (
                    "Pot",
                    stream_label,
                    pot.name,
                    pence(pot.allocated),
                    pence(pot.committed),
                    pence(pot.paid),
                    pence(pot.allocated - pot.committed),
                )
            )
    return rows


@login_required
def year_export(request, start_year, fmt):
    require_view_perm(request, "funding.export")
    year = _year(start_year)
    summary = ledger.year_summary(year)
    header = [
        "Line",
        "Stream or source",
        "Pot or description",
        "Allocated or amount",
        "Committed",
        "Paid",
        "Remaining",
    ]
    rows = _year_rows(summary)
    name = f"funding-{year.start_year}-{year.start_year + 1}"
    if fmt == "csv":
        return csv_response(name, header, rows)
    return xlsx_response(name, [(f"Funding {year.short_label}".replace("/", "-"), header, rows)])
