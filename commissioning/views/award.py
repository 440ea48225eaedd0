"""Between the award decision and the contract: the assessment summaries (drawn, sent), the contract award notice,
the standstill, the contract details notice and the contract's key performance indicators; and a supplier's own
summaries in its portal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from commissioning import award as award_rules
from commissioning import gates
from commissioning.forms.award import AwardNoticeForm, KPIForm
from commissioning.models import AssessmentSummary, Notice, NoticeKind
from commissioning.notice_content import prepare
from commissioning.services import award as award_services
from commissioning.summaries import summary_content
from commissioning.views.common import done, form_page, load_commission
from opcc.forms import errors_to_form
from opcc.paging import page_of
from opcc.permissions import require_view_perm


def _procurement_with_decision(commission):
    procurement = gates.current_procurement(commission)
    if procurement is None or gates._one(procurement, "decision") is None:
        raise Http404("No award decision yet")
    return procurement


@login_required
def award(request, pk):
    commission = load_commission(request, pk)
    procurement = _procurement_with_decision(commission)
    stage = award_rules.award_stage(procurement)
    contract = gates._one(procurement, "contract")
    details = (
        Notice.objects.filter(kind=NoticeKind.CONTRACT_DETAILS, contract=contract).first()
        if contract
        else None
    )
    return render(
        request,
        "commissioning/award.html",
        {
            "commission": commission,
            "procurement": procurement,
            "decision": procurement.decision,
            "stage": stage,
            "tag": stage.tag(),
            "award_notice": prepare(stage.notice) if stage.notice else None,
            "contract": contract,
            "details": details,
            "details_notice": prepare(details) if details else None,
            "can_change": request.user.has_perm("commissioning.change_commission", commission)
            and gates.do_closed(commission) is None,
            "can_change_contract": request.user.has_perm("commissioning.change_commission", commission),
        },
    )


@login_required
@require_POST
def summary_send(request, pk, summary_pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = _procurement_with_decision(commission)
    summary = get_object_or_404(AssessmentSummary, pk=summary_pk, procurement=procurement)
    people = summary.bid.organisation.memberships.filter(user__is_active=True).count()
    try:
        summary = award_services.send_summary(summary=summary, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"The assessment summary has been sent to {summary.organisation}: "
            + (
                f"{people} {'person is' if people == 1 else 'people are'} emailed a link."
                if people
                else "recorded as sent by you."
            ),
        )
    return redirect("commissioning:award", commission.pk)


@login_required
@require_POST
def summaries_draw(request, pk):
    """Draw what a decision recorded before summaries were drawn calls for (drawing again leaves sent ones alone)."""
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = _procurement_with_decision(commission)
    award_services.redraw(decision=procurement.decision, by=request.user)
    messages.success(request, "The assessment summaries have been drawn.")
    return redirect("commissioning:award", commission.pk)


@login_required
def award_notice(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = _procurement_with_decision(commission)
    stage = award_rules.award_stage(procurement)
    closed = gates.do_closed(commission)
    if not stage.needed:
        closed = "This procurement is below the threshold: it needs no contract award notice"
    elif stage.published_on:
        closed = f"The contract award notice was published on {stage.published_on:%-d %B %Y} as {stage.notice.platform_identifier}"
    elif stage.unsent:
        closed = "Send every assessment summary first: the notice comes after them"
    form = AwardNoticeForm(
        request.POST if request.method == "POST" and not closed else None, notice=stage.notice
    )
    if request.method == "POST" and not closed and form.is_valid():
        try:
            award_services.record_award_notice(
                commission=commission,
                identifier=form.cleaned_data["platform_identifier"],
                published_on=form.cleaned_data["published_on"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            stage = award_rules.award_stage(procurement)
            messages.success(
                request,
                f"The contract award notice is recorded as published. The standstill ends on "
                f"{stage.ends_on:%-d %B %Y}: the contract can be entered into from {stage.contract_from:%-d %B %Y}.",
            )
            return redirect("commissioning:award", commission.pk)
    return form_page(
        request,
        commission,
        form,
        title="Record the contract award notice's publication",
        button="Record the publication",
        back=done("award", commission).url,
        intro="Publish the notice on Find a Tender, then record the identifier it gave and the date. The standstill "
        "of eight working days begins on the day it was published.",
        closed=closed,
        closed_link=(done("award", commission).url, "Back to the award"),
    )


@login_required
def kpis(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    contract = gates.current_contract(commission)
    if contract is None:
        raise Http404("No contract yet")
    initial = {}
    for number, kpi in enumerate(contract.kpis.all(), start=1):
        initial.update({f"name_{number}": kpi.name, f"target_{number}": kpi.target})
    form = KPIForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            award_services.save_kpis(contract=contract, rows=form.rows(), by=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "The key performance indicators have been saved.")
            return redirect("commissioning:award", commission.pk)
    needed = award_rules.needs_kpis(contract.procurement)
    return form_page(
        request,
        commission,
        form,
        title="Key performance indicators",
        button="Save the indicators",
        back=done("award", commission).url,
        intro=(
            "The contract is worth more than £5 million: set at least three key performance indicators (section 52 "
            "of the Procurement Act 2023). The contract details notice sets them out."
            if needed
            else "Up to three indicators the contract's performance is measured by. The contract details notice sets "
            "them out; a contract of £5 million or less, or a light-touch contract, need not have any."
        ),
    )


# ---- A supplier's own summaries ----------------------------------------------------------------


@login_required
def my_summaries(request):
    require_view_perm(request, "commissioning.list_my_summaries")
    summaries = (
        AssessmentSummary.objects.filter(
            bid__organisation__memberships__user=request.user, sent_at__isnull=False
        )
        .select_related("bid__organisation", "procurement__commission", "procurement__decision")
        .order_by("-sent_at", "-pk")
        .distinct()
    )
    return render(request, "commissioning/my_summaries.html", {"summaries": page_of(request, summaries)})


@login_required
def my_summary(request, summary_pk):
    summary = get_object_or_404(
        AssessmentSummary.objects.select_related(
            "bid__organisation",
            "procurement__commission",
            "procurement__tender",
            "procurement__decision",
            "document",
        ),
        pk=summary_pk,
    )
    if not request.user.has_perm("commissioning.view_assessmentsummary", summary):
        # Not found, whether or not it exists: another supplier's summary is not for anyone to know of.
        raise Http404("No such summary")
    content = summary_content(summary.procurement, summary.bid, on=summary.generated_at.date())
    return render(request, "commissioning/my_summary.html", {"summary": summary, "s": content})
