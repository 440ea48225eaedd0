"""Final reports: the provider fills in and sends its own, officers review, the office reads them."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from funding import ledger
from opcc.money import ZERO
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.services.transitions import timeline_for
from opcc.views.forms import run
from reporting.forms.closeout import SEND, FinalReportForm, FinalReportReviewForm
from reporting.models import FinalReport
from reporting.selectors import closeout as selectors
from reporting.services import closeout


def _visible_report(request, pk) -> FinalReport:
    try:
        report = selectors.final_report_detail(pk)
    except FinalReport.DoesNotExist:
        raise Http404("No such final report") from None
    if not request.user.has_perm("reporting.view_finalreport", report):
        if request.user.is_provider:
            # Another organisation's report: not even told it exists.
            raise Http404("No such final report")
        raise PermissionDenied
    return report


@login_required
def office_final_reports(request):
    require_view_perm(request, "reporting.list_final_reports")
    status = request.GET.get("status", "").strip()
    return render(
        request,
        "reporting/closeout/final_reports.html",
        {
            "page": page_of(request, selectors.office_final_reports(status=status), per_page=50),
            "status": status,
            "statuses": FinalReport.Status.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
def provider_final_reports(request):
    require_view_perm(request, "reporting.list_own_final_reports")
    return render(
        request,
        "reporting/closeout/my_final_reports.html",
        {
            "page": page_of(request, selectors.provider_final_reports(request.user), per_page=50),
            "today": timezone.localdate(),
        },
    )


def _context(report: FinalReport, **extra):
    paid = ledger.paid_on_award(report.award)
    spend = report.spend_total
    return {
        "report": report,
        "award": report.award,
        "paid": paid,
        "underspend": max(paid - spend, ZERO) if spend is not None else None,
        "timeline": timeline_for(report),
        "today": timezone.localdate(),
        **extra,
    }


@login_required
def final_report(request, pk):
    report = _visible_report(request, pk)
    if not request.user.has_perm("reporting.edit_final_report", report):
        return render(request, "reporting/closeout/final_report.html", _context(report))
    form = FinalReportForm(request.POST or None, report=report)
    sending = request.POST.get("action") == SEND

    def save(_data):
        act = closeout.submit_final_report if sending else closeout.save_final_report
        return act(report=report, content=form.content(), by=request.user)

    done, _ = run(
        request,
        form,
        save,
        success="Your final report has been sent to the office."
        if sending
        else "Your final report has been saved.",
    )
    if done:
        return redirect("reporting:final-report", pk=report.pk)
    return render(request, "reporting/closeout/final_report_form.html", _context(report, form=form))


@login_required
def final_report_review(request, pk):
    report = _visible_report(request, pk)
    require_view_perm(request, "reporting.review_final_report")
    form = FinalReportReviewForm(request.POST or None)

    def review(data):
        if data["decision"] == "accept":
            return closeout.accept_final_report(report=report, by=request.user)
        return closeout.return_final_report(report=report, by=request.user, reasons=data["reasons"])

    done, result = run(
        request,
        form,
        review,
        success=lambda r: (
            f"The final report for {r.award.reference} is "
            + ("accepted." if r.status == FinalReport.Status.ACCEPTED else "returned to the provider.")
        ),
    )
    if done:
        return redirect("reporting:final-report", pk=report.pk)
    return render(request, "reporting/closeout/final_report_review.html", _context(report, form=form))
