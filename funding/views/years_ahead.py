"""The medium-term financial plan: the years ahead with their indicative figures, adding a year to the plan, and
making a year's indicative figures its draft budget."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from funding import ledger
from funding.forms import MakeDraftForm, PlanYearForm
from funding.models import FinancialYear, IncomeLine, Pot
from funding.services import allocation
from funding.views._common import _year
from opcc.calendar import this_financial_year
from opcc.permissions import require_view_perm
from opcc.views.forms import run


@login_required
def years_ahead(request):
    require_view_perm(request, "funding.view_funding")
    current = this_financial_year()
    return render(
        request,
        "funding/years_ahead.html",
        {
            "current": current,
            "plan": ledger.plan_years(after=current),
            "next_start": allocation.next_plan_year(),
            "can_prepare": request.user.has_perm("funding.prepare_allocation"),
        },
    )


@login_required
def add_year(request):
    require_view_perm(request, "funding.prepare_allocation")
    start_year = allocation.next_plan_year()
    latest = FinancialYear.objects.filter(start_year=start_year - 1).first()
    pots = Pot.objects.filter(year=latest).order_by("stream", "name") if latest else Pot.objects.none()
    income = {}
    for line in IncomeLine.objects.filter(year=latest) if latest else ():
        income[line.source] = income.get(line.source, 0) + line.amount
    form = PlanYearForm(
        request.POST or None,
        pots=pots,
        income=income,
        police_budget=latest.police_budget if latest else None,
    )
    done, year = run(
        request,
        form,
        lambda data: allocation.add_plan_year(
            by=request.user,
            start_year=start_year,
            income=form.income(),
            police_budget=data["police_budget"],
            pot_amounts=form.pot_amounts(),
        ),
        success=lambda year: f"{year.label} has been added to the plan with indicative figures.",
    )
    if done:
        return redirect("funding:years-ahead")
    return render(
        request,
        "funding/years_ahead_add.html",
        {"form": form, "start_year": start_year, "latest": latest},
    )


@login_required
def make_draft(request, start_year):
    require_view_perm(request, "funding.prepare_allocation")
    year = _year(start_year)
    form = MakeDraftForm(request.POST or None)
    done, _ = run(
        request,
        form,
        lambda data: allocation.make_draft(
            year=year, by=request.user, note=data["note"], expected_state=FinancialYear.Status.INDICATIVE
        ),
        success=f"{year.label} is now a draft budget for the Police and Crime Commissioner to approve.",
    )
    if done:
        return redirect("funding:overview", start_year=year.start_year)
    return render(
        request,
        "funding/make_draft.html",
        {
            "form": form,
            "year": year,
            "summary": ledger.year_summary(year),
            "short": ledger.over_committed(year),
        },
    )
