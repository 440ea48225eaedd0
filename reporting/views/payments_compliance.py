"""Payments reporting under the Procurement Act: the six-monthly payments compliance figures (with the payments
behind them and the finance director's approval) and the quarterly list of payments over £30,000."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from commissioning.models import Notice, NoticeKind
from opcc.exports import csv_response
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.views.forms import run
from reporting.forms.payments import ApprovalForm
from reporting.models import PaymentsComplianceApproval
from reporting.selectors import payments_compliance as compliance
from reporting.services import payments_compliance as services

ROW_HEADER = [
    "Paid on",
    "Invoice received",
    "Days to pay",
    "Award",
    "Supplier",
    "Amount",
    "Finance reference",
]


def _period(start: str) -> compliance.ReportingPeriod:
    try:
        period = compliance.period_starting(date.fromisoformat(start))
    except ValueError:
        period = None
    if period is None:
        raise Http404("No reporting period starts on that day")
    return period


@require_GET
@login_required
def overview(request):
    require_view_perm(request, "reporting.view_payments_compliance")
    return render(
        request,
        "reporting/payments/compliance.html",
        {"periods": compliance.figures_by_period(), "quarters": compliance.quarters_with_large_payments()},
    )


@require_GET
@login_required
def period_detail(request, start):
    require_view_perm(request, "reporting.view_payments_compliance")
    period = _period(start)
    return render(
        request,
        "reporting/payments/period.html",
        {
            "period": period,
            "figures": compliance.period_figures(period),
            "unpaid": compliance.unpaid_share(period),
            "page": page_of(request, compliance.period_payments(period)),
            "approval": PaymentsComplianceApproval.objects.filter(period_start=period.start).first(),
            "notice": Notice.objects.filter(kind=NoticeKind.PAYMENTS_COMPLIANCE, key=period.key).first(),
            "ended": period.end < timezone.localdate(),
            "can_approve": request.user.has_perm("reporting.approve_payments_compliance"),
        },
    )


@require_GET
@login_required
def period_csv(request, start):
    require_view_perm(request, "reporting.view_payments_compliance")
    period = _period(start)
    rows = (
        (
            p.paid_on,
            p.invoice_received_on,
            p.days,
            p.award.reference,
            p.award.organisation.name,
            p.amount,
            p.reference,
        )
        for p in compliance.period_payments(period).iterator(chunk_size=1000)
    )
    return csv_response(f"payments-compliance-{period.start.isoformat()}", ROW_HEADER, rows)


@login_required
def approve(request, start):
    require_view_perm(request, "reporting.approve_payments_compliance")
    period = _period(start)
    current = PaymentsComplianceApproval.objects.filter(period_start=period.start).first()
    initial = (
        {"approver_name": current.approver_name, "approver_job_title": current.approver_job_title}
        if current
        else {}
    )
    form = ApprovalForm(request.POST or None, initial=initial)
    done, _ = run(
        request,
        form,
        lambda data: services.record_approval(
            period=period, by=request.user, today=timezone.localdate(), **data
        ),
        success=f"The approval of the payments compliance notice for {period.label} has been recorded.",
    )
    if done:
        return redirect("reporting:payments-compliance-period", start=period.start.isoformat())
    return render(request, "reporting/payments/approve.html", {"form": form, "period": period})


def _quarter(start: str):
    try:
        quarter = compliance.quarter_from(date.fromisoformat(start))
    except ValueError:
        quarter = None
    if quarter is None:
        raise Http404("No quarter starts on that day")
    return quarter


LARGE_HEADER = ["Contract reference", "Supplier", "Amount", "Date paid", "Finance reference"]


@require_GET
@login_required
def large_payments(request, start):
    require_view_perm(request, "reporting.view_payments_compliance")
    quarter = _quarter(start)
    return render(
        request,
        "reporting/payments/large_payments.html",
        {
            "quarter": quarter,
            "due_by": compliance.quarter_due_by(quarter),
            "page": page_of(request, compliance.large_payments_in(quarter)),
            "threshold": compliance.PAYMENTS_INFORMATION_OVER,
        },
    )


@require_GET
@login_required
def large_payments_csv(request, start):
    require_view_perm(request, "reporting.view_payments_compliance")
    quarter = _quarter(start)
    rows = (
        (p.award.reference, p.award.organisation.name, p.amount, p.paid_on, p.reference)
        for p in compliance.large_payments_in(quarter).iterator(chunk_size=1000)
    )
    return csv_response(f"payments-over-30000-{quarter.start.isoformat()}", LARGE_HEADER, rows)
