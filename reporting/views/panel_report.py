"""Police and Crime Panel reports: thin views over reporting.services.panel_report and its selectors.

While a report is being made its page reloads itself every few seconds through an HTTP Refresh header (as the
crime import's page does: axe fails a <meta> refresh), with links to check now or stop checking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from funding.models import FinancialYear
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.views.documents import as_download
from opcc.views.forms import run
from reporting.forms.panel_report import CaseStudyForm, PanelReportForm
from reporting.models import PanelCaseStudy, PanelReport
from reporting.selectors import panel_report as selectors
from reporting.services import panel_report as service
from reporting.views.dashboards import subnav

REFRESH_SECONDS = 3


def _report(request, pk, perm="reporting.view_panelreport") -> PanelReport:
    report = get_object_or_404(
        PanelReport.objects.select_related("document", "created_by", "requested_by"), pk=pk
    )
    require_view_perm(request, perm, report)
    return report


@login_required
def report_list(request):
    require_view_perm(request, "reporting.view_panelreport")
    return render(
        request,
        "reporting/panel_report/list.html",
        {
            "reports": page_of(request, selectors.reports(), per_page=20),
            "can_create": request.user.has_perm("reporting.add_panelreport"),
            "subnav": subnav(),
            "active": "panel",
        },
    )


@login_required
def report_create(request):
    require_view_perm(request, "reporting.add_panelreport")
    today = timezone.localdate()
    form = PanelReportForm(
        request.POST or None, years=FinancialYear.objects.order_by("-start_year"), today=today
    )
    done, report = run(
        request,
        form,
        lambda data: service.create_report(
            by=request.user,
            start_year=data["start_year"],
            title=data["title"],
            first_quarter=data["first_quarter"],
            last_quarter=data["last_quarter"],
            today=today,
        ),
        success="The report has been set up. Choose its case studies, then make it.",
    )
    if done:
        return redirect("reporting:panel-report", pk=report.pk)
    return render(request, "reporting/panel_report/create.html", {"form": form})


@login_required
def report_detail(request, pk):
    report = _report(request, pk)
    watching = report.is_running and request.GET.get("watch") != "off"
    response = render(
        request,
        "reporting/panel_report/detail.html",
        {
            "report": report,
            "content": report.content or None,
            "case_studies": selectors.case_studies(report),
            "watching": watching,
            "refresh_seconds": REFRESH_SECONDS,
            "can_change": request.user.has_perm("reporting.change_panelreport", report),
            "max_case_studies": service.MAX_CASE_STUDIES,
        },
    )
    if watching:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@login_required
@require_POST
def report_generate(request, pk):
    report = _report(request, pk, "reporting.change_panelreport")
    try:
        with transaction.atomic():
            service.request_generation(report=report, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reporting:panel-report", pk=report.pk)


@login_required
def report_download(request, pk):
    report = _report(request, pk)
    if report.document is None:
        raise Http404("The report has not been made yet")
    document = report.document
    return as_download(
        FileResponse(document.file.open("rb"), content_type=document.mime_type),
        filename=document.original_name,
    )


@login_required
def case_study_choose(request, pk):
    report = _report(request, pk, "reporting.change_panelreport")
    return render(
        request,
        "reporting/panel_report/choose.html",
        {
            "report": report,
            "candidates": page_of(request, selectors.case_study_candidates(report), per_page=10),
            "chosen": report.case_studies.count(),
            "max_case_studies": service.MAX_CASE_STUDIES,
        },
    )


@login_required
def case_study_add(request, pk, return_pk):
    report = _report(request, pk, "reporting.change_panelreport")
    # Only an accepted return of the period is offered: any other is not found, whatever its number.
    ret = get_object_or_404(
        selectors.accepted_returns(report).exclude(case_studies="").select_related("award__organisation"),
        pk=return_pk,
    )
    form = CaseStudyForm(request.POST or None, initial={"heading": "", "text": ret.case_studies})
    done, _ = run(
        request,
        form,
        lambda data: service.add_case_study(report=report, quarterly_return=ret, by=request.user, **data),
        success="The case study has been added. Make the report again to include it in the PDF."
        if report.document_id
        else "The case study has been added.",
    )
    if done:
        return redirect(f"{reverse('reporting:panel-report', args=[report.pk])}#case-studies")
    return render(
        request,
        "reporting/panel_report/case_study_form.html",
        {
            "report": report,
            "quarterly_return": ret,
            "form": form,
            "adding": True,
        },
    )


def _study(request, pk, study_pk) -> tuple[PanelReport, PanelCaseStudy]:
    report = _report(request, pk, "reporting.change_panelreport")
    study = get_object_or_404(
        PanelCaseStudy.objects.select_related("quarterly_return__award__organisation"),
        pk=study_pk,
        report=report,
    )
    return report, study


@login_required
def case_study_edit(request, pk, study_pk):
    report, study = _study(request, pk, study_pk)
    form = CaseStudyForm(request.POST or None, initial={"heading": study.heading, "text": study.text})
    done, _ = run(
        request,
        form,
        lambda data: service.change_case_study(study=study, by=request.user, **data),
        success="The case study has been changed.",
    )
    if done:
        return redirect(f"{reverse('reporting:panel-report', args=[report.pk])}#case-studies")
    return render(
        request,
        "reporting/panel_report/case_study_form.html",
        {
            "report": report,
            "quarterly_return": study.quarterly_return,
            "form": form,
            "study": study,
        },
    )


@login_required
@require_POST
def case_study_remove(request, pk, study_pk):
    report, study = _study(request, pk, study_pk)
    try:
        service.remove_case_study(study=study, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"“{study.heading}” has been removed from the report.")
    return redirect(f"{reverse('reporting:panel-report', args=[report.pk])}#case-studies")
