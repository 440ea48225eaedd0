"""Outcome monitoring pages: thin views that load, check permission, call one service, and show errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from funding.models import Award, Stream
from opcc.forms import errors_to_form as _errors_to_form
from opcc.models import Role, User
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.services import documents
from opcc.services.documents import documents_for, store_document
from opcc.services.transitions import available_transitions
from opcc.views.forms import run
from reporting.forms.monitoring import (
    PastVisitForm,
    ReturnForm,
    ReviewForm,
    VisitRecordForm,
    VisitScheduleForm,
)
from reporting.models import QuarterlyReturn, ReturnStatus
from reporting.selectors import monitoring as selectors
from reporting.selectors import tiers as tier_selectors
from reporting.services import performance, returns, visits
from reporting.services.returns import ReturnContent


def _visible_return(request, pk) -> QuarterlyReturn:
    try:
        ret = selectors.return_detail(pk)
    except QuarterlyReturn.DoesNotExist:
        raise Http404("No such return") from None
    if not request.user.has_perm("reporting.view_quarterlyreturn", ret):
        if request.user.is_provider:
            # Another organisation's return: not even told it exists.
            raise Http404("No such return")
        raise PermissionDenied
    return ret


FILTER_KEYS = ("quarter", "status", "overdue", "stream")


@login_required
def officer_returns(request):
    require_view_perm(request, "reporting.list_returns")
    today = timezone.localdate()
    filters = {k: request.GET.get(k, "").strip() for k in FILTER_KEYS}
    qs = selectors.officer_returns(today=today, **filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/returns_list.html",
        {
            "page": page,
            "filters": filters,
            "today": today,
            "quarters": [(selectors.quarter_value(q), q.label) for q in selectors.quarters_with_returns()],
            "statuses": ReturnStatus.choices,
            "streams": Stream.choices,
        },
    )


@login_required
def provider_returns(request):
    require_view_perm(request, "reporting.list_own_returns")
    today = timezone.localdate()
    return render(
        request,
        "reporting/my_returns.html",
        {
            "to_do": page_of(
                request,
                selectors.provider_returns(request.user, with_provider=True),
                per_page=25,
                param="to-do-page",
            ),
            "sent": page_of(
                request, selectors.provider_returns(request.user, with_provider=False), per_page=25
            ),
            "awards": _expected(
                page_of(
                    request, tier_selectors.provider_awards(request.user), per_page=10, param="awards-page"
                )
            ),
            "today": today,
        },
    )


def _expected(page):
    page.object_list = [(award, tier_selectors.expected_of(award)) for award in page.object_list]
    return page


def _content(form) -> ReturnContent:
    data = form.cleaned_data
    return ReturnContent(
        activity=data.get("activity") or "",
        case_studies=data.get("case_studies") or "",
        service_user_feedback=data.get("service_user_feedback") or "",
        spend_to_date=data.get("spend_to_date"),
        answers=form.answers(),
    )


def _initial(ret, answers) -> dict:
    initial = {
        "activity": ret.activity,
        "case_studies": ret.case_studies,
        "service_user_feedback": ret.service_user_feedback,
        "spend_to_date": ret.spend_to_date,
    }
    for a in answers:
        key = f"m_{a.measure_id}"
        initial[key] = (
            a.text
            if a.value is None and a.text
            else (f"{a.value.normalize():f}" if a.value is not None else "")
        )
        for part in ("numerator", "denominator"):
            if getattr(a, part) is not None:
                initial[f"{key}_{part}"] = f"{getattr(a, part).normalize():f}"
    return initial


def _attach(request, ret, uploaded, *, field="attachment", purpose="return_attachment"):
    try:
        store_document(
            uploaded=uploaded,
            attached_to=ret,
            by=request.user,
            purpose=purpose,
            title=uploaded.name,
            allowed=(documents.PNG, documents.JPEG)
            if purpose == "return_photograph"
            else documents.ALL_KINDS,
        )
    except ValidationError as exc:
        raise ValidationError(
            {field: [f"{uploaded.name}: {m}" if field == "photographs" else m for m in exc.messages]}
        ) from exc


@login_required
def return_detail(request, pk):
    """The provider's form while the return is with them; otherwise what was reported."""
    ret = _visible_return(request, pk)
    today = timezone.localdate()
    measures, answers = selectors.measures_and_answers(ret)
    editable = request.user.has_perm("reporting.edit_return", ret)
    form = None
    if editable:
        form = ReturnForm(
            request.POST or None,
            request.FILES or None,
            measures=measures,
            initial=_initial(ret, answers),
            end_of_project=ret.is_end_of_project,
            quarters=performance.quarters_covered(ret),
        )
        if request.method == "POST" and form.is_valid():
            action = request.POST.get("action", "save")
            try:
                with transaction.atomic():
                    if action == "submit":
                        returns.submit(
                            quarterly_return=ret,
                            content=_content(form),
                            by=request.user,
                            declaration_name=form.cleaned_data["declaration"],
                            expected_state=request.POST.get("expected_state") or None,
                        )
                    else:
                        returns.save_draft(quarterly_return=ret, content=_content(form), by=request.user)
                    if form.cleaned_data.get("attachment"):
                        _attach(request, ret, form.cleaned_data["attachment"])
                    for photograph in form.cleaned_data.get("photographs") or []:
                        _attach(request, ret, photograph, field="photographs", purpose="return_photograph")
            except ValidationError as exc:
                _errors_to_form(form, exc)
            except (TransitionNotAllowed, PermissionDenied) as exc:
                form.add_error(None, str(exc) or "This return cannot be changed now.")
            else:
                if action == "submit":
                    what = "end-of-project report" if ret.is_end_of_project else f"return for {ret.label}"
                    messages.success(request, f"Your {what} has been submitted. Thank you.")
                    return redirect("reporting:my-returns")
                messages.success(request, "Your draft has been saved. You can come back and finish it later.")
                return redirect("reporting:return", pk=ret.pk)
    elif request.method == "POST":
        if request.user.is_provider:
            messages.error(
                request, f"This return is {ret.get_status_display().lower()}: it cannot be changed now."
            )
            return redirect("reporting:return", pk=ret.pk)
        raise PermissionDenied
    results = performance.measure_results(measures, answers, quarters=performance.quarters_covered(ret))
    fields = {m.pk: form[returns.answer_field(m)] for m in measures} if form else {}
    return render(
        request,
        "reporting/return_detail.html",
        {
            "ret": ret,
            "form": form,
            "results": results,
            "overall": performance.overall(results),
            "fields": fields,
            "today": today,
            "documents": documents_for(ret),
            "is_office": request.user.has_perm("reporting.list_returns"),
            # The review page offers accepting or asking for changes: the return's decorators say when.
            "can_review": any(
                t.name in ("accept", "request_changes") for t in available_transitions(ret, request.user)
            ),
            "timeline": selectors.return_timeline(ret),
        },
    )


@login_required
def return_review(request, pk):
    ret = _visible_return(request, pk)
    require_view_perm(request, "reporting.review_return")
    measures, answers = selectors.measures_and_answers(ret)
    form = ReviewForm(request.POST or None)
    expected = request.POST.get("expected_state") or None

    def review(data):
        decide = returns.accept if data["decision"] == "accept" else returns.request_changes
        decide(quarterly_return=ret, by=request.user, comments=data["comments"], expected_state=expected)
        return data["decision"]

    done, _ = run(
        request,
        form,
        review,
        success=lambda decision: (
            f"{ret.award.reference} {ret.short_label}: "
            f"{'accepted' if decision == 'accept' else 'changes requested'}."
        ),
    )
    if done:
        return redirect("reporting:award", pk=ret.award_id)
    results = performance.measure_results(measures, answers, quarters=performance.quarters_covered(ret))
    return render(
        request,
        "reporting/return_review.html",
        {
            "ret": ret,
            "form": form,
            "results": results,
            "overall": performance.overall(results),
            "documents": documents_for(ret),
            "chases": selectors.chase_history(ret),
            "today": timezone.localdate(),
            "timeline": selectors.return_timeline(ret),
        },
    )


def _office_award(request, pk) -> Award:
    require_view_perm(request, "reporting.view_monitoring")
    return get_object_or_404(Award, pk=pk)


@login_required
def award_monitoring(request, pk):
    award = _office_award(request, pk)
    award, framework, award_returns, award_visits, chases = selectors.award_monitoring(award.pk)
    tier, record = tier_selectors.award_tier(award)
    today = timezone.localdate()
    return render(
        request,
        "reporting/award_monitoring.html",
        {
            "award": award,
            "framework": framework,
            "returns": award_returns,
            "visits": page_of(request, award_visits, per_page=10, param="visits-page"),
            "chases": page_of(request, chases, per_page=25, param="chases-page"),
            "reviews": page_of(
                request, tier_selectors.annual_reviews(award), per_page=10, param="reviews-page"
            ),
            "tier": tier,
            "monitoring": record,
            "next_planned": tier_selectors.next_planned_visit(award, today) if tier.needs_visits else None,
            "performance": performance.award_performance(award),
            "today": today,
            "can_manage_visits": request.user.has_perm("reporting.manage_visits"),
            "can_change_tier": request.user.has_perm("reporting.change_monitoring_tier", award)
            and award.status in ("pending", "active"),
            "can_record_review": request.user.has_perm("reporting.record_annual_review"),
        },
    )


def _officers():
    return User.objects.filter(
        role__in=[Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING], is_active=True
    )


@login_required
def visit_schedule(request, pk):
    award = _office_award(request, pk)
    require_view_perm(request, "reporting.manage_visits")
    form = VisitScheduleForm(request.POST or None, officers=_officers())
    done, _ = run(
        request,
        form,
        lambda data: visits.schedule_visit(award=award, by=request.user, **data),
        success=lambda _visit: (
            f"The visit on {form.cleaned_data['scheduled_for']:%-d %B %Y} has been scheduled."
        ),
    )
    if done:
        return redirect("reporting:award", pk=award.pk)
    return render(
        request,
        "reporting/visit_form.html",
        {
            "award": award,
            "form": form,
            "title": "Schedule a visit",
            "button": "Schedule the visit",
            "planning": True,
        },
    )


@login_required
def visit_record_past(request, pk):
    award = _office_award(request, pk)
    require_view_perm(request, "reporting.manage_visits")
    form = PastVisitForm(request.POST or None, officers=_officers())
    done, _ = run(
        request,
        form,
        lambda data: visits.record_past_visit(award=award, by=request.user, **data),
        success=lambda visit: f"The visit on {visit.visited_on:%-d %B %Y} has been recorded.",
    )
    if done:
        return redirect("reporting:award", pk=award.pk)
    return render(
        request,
        "reporting/visit_form.html",
        {
            "award": award,
            "form": form,
            "title": "Record a visit that has happened",
            "button": "Save the visit",
        },
    )


@login_required
def visit_record(request, pk, visit_pk):
    award = _office_award(request, pk)
    require_view_perm(request, "reporting.manage_visits")
    visit = get_object_or_404(award.visits, pk=visit_pk)
    initial = {
        "attendees": visit.attendees,
        "findings": visit.findings,
        "service_user_feedback": visit.service_user_feedback,
        "actions": visit.actions,
    }
    form = VisitRecordForm(request.POST or None, initial=initial)
    done, _ = run(
        request,
        form,
        lambda data: visits.record_visit(visit=visit, by=request.user, **data),
        success="The visit has been recorded.",
    )
    if done:
        return redirect("reporting:award", pk=award.pk)
    return render(
        request,
        "reporting/visit_form.html",
        {
            "award": award,
            "form": form,
            "visit": visit,
            "title": "Record the visit",
            "button": "Save the visit",
        },
    )
