"""Awards: the list and its export, recording one, its page, and the transitions that change it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from funding import ledger, selectors
from funding.forms import (
    AwardForm,
    EndAwardForm,
    StatusNoteForm,
)
from funding.models import Award, AwardKind, Stream
from funding.services import awards
from funding.views._common import _visible_award
from opcc.calendar import this_financial_year
from opcc.exports import csv_response, xlsx_response
from opcc.money import ZERO, pence
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.services.transitions import available_transitions, transition_defined
from opcc.views.forms import run


def _award_filters(request):
    return {
        "year": request.GET.get("year") or "",
        "stream": request.GET.get("stream") or "",
        "status": request.GET.get("status") or "",
        "kind": request.GET.get("kind") or "",
        "query": request.GET.get("q", "").strip(),
    }


def _filtered_awards(request):
    filters = _award_filters(request)
    year = int(filters["year"]) if filters["year"].isdigit() else None
    qs = selectors.filter_awards(
        selectors.awards_with_totals(),
        year=year,
        stream=filters["stream"],
        status=filters["status"],
        kind=filters["kind"],
        query=filters["query"],
    )
    return filters, qs.order_by("-start_date", "reference")


@login_required
def award_list(request):
    require_view_perm(request, "funding.list_awards")
    filters, qs = _filtered_awards(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/award_list.html",
        {
            "page": page,
            "filters": filters,
            "years": selectors.years(),
            "streams": Stream.choices,
            "statuses": Award.Status.choices,
            "kinds": AwardKind.choices,
            "can_add": request.user.has_perm("funding.add_award"),
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
def award_export(request, fmt):
    require_view_perm(request, "funding.export")
    _filters, qs = _filtered_awards(request)
    header = [
        "Reference",
        "Organisation",
        "Organisation identifier",
        "Kind",
        "Title",
        "Stream",
        "Pot",
        "Start",
        "End",
        "Amount",
        "Committed",
        "Paid",
        "Status",
        "Match funding",
        "Match funding source",
    ]
    rows = (
        [
            a.reference,
            a.organisation.name,
            a.organisation.org_id,
            a.get_kind_display(),
            a.title,
            a.pot.get_stream_display(),
            a.pot.name,
            a.start_date,
            a.end_date,
            pence(a.amount),
            pence(a.committed),
            pence(a.paid),
            a.get_status_display(),
            pence(a.match_funding_amount),
            a.match_funding_source,
        ]
        for a in qs.iterator(chunk_size=500)
    )
    if fmt == "csv":
        return csv_response("awards", header, rows)
    return xlsx_response("awards", [("Awards", header, list(rows))])


@login_required
def award_create(request):
    require_view_perm(request, "funding.add_award")
    pots = selectors.open_pots()
    first_year = this_financial_year()
    form = AwardForm(request.POST or None, pots=pots, first_year=first_year)

    def record(data):
        profile = form.profile()
        try:
            return awards.record_award(
                organisation=data["organisation"],
                pot=data["pot"],
                kind=data["kind"],
                title=data["title"],
                purpose=data["purpose"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                amount=data["amount"],
                schedule_kind=data["schedule_kind"],
                by=request.user,
                profile=[awards.ProfileLine(y, a) for y, a in sorted(profile.items())] or None,
                match_funding_amount=data["match_funding_amount"] or ZERO,
                match_funding_source=data["match_funding_source"],
                awarded_on=timezone.localdate(),
                activate=data["already_active"],
                objectives=data["objectives"],
            )
        except ValidationError as exc:
            # The profile's error belongs by its first year's box.
            if hasattr(exc, "error_dict") and "profile" in exc.error_dict:
                errors = exc.message_dict
                errors[f"profile_{form.profile_years[0]}"] = errors.pop("profile")
                raise ValidationError(errors) from exc
            raise

    done, award = run(
        request, form, record, success=lambda award: f"Award {award.reference} has been recorded."
    )
    if done:
        return redirect("funding:award", pk=award.pk)
    return render(request, "funding/award_form.html", {"form": form})


@login_required
def award_detail(request, pk):
    award = _visible_award(request, pk)
    award, timeline = selectors.award_detail(award.pk, timezone.localdate())
    user = request.user
    return render(
        request,
        "funding/award_detail.html",
        {
            "award": award,
            "timeline": timeline,
            "payments": page_of(request, selectors.award_payments(award), per_page=25, param="payments-page"),
            "schedule_nothing_left": any(
                line.state == ledger.LineState.NOTHING_LEFT for line in award.schedule.all()
            ),
            "can_pay": user.has_perm("funding.record_payment")
            and award.status not in (Award.Status.PENDING, Award.Status.CANCELLED),
            "transitions": available_transitions(award, user),
            "can_reprofile": user.has_perm("funding.reprofile_award") and award.is_live,
            "has_indicative": any(line.pot.year.is_indicative for line in award.profile.all()),
            "is_office": user.has_perm("funding.list_awards"),
            "hide_timeline_notes": not user.has_perm("funding.list_awards"),
        },
    )


@login_required
def award_transition(request, pk, action):
    award = _visible_award(request, pk)
    step = transition_defined(award, action)
    if step is None:
        raise Http404
    title, ends = step.custom["title"], step.custom["ends"]
    require_view_perm(request, step.permission)
    form = (
        EndAwardForm(request.POST or None, show_keep=action != "cancel")
        if ends
        else StatusNoteForm(request.POST or None)
    )
    expected = request.POST.get("expected_state") or None

    def change(data):
        if ends:
            return awards.end_award(
                award=award,
                transition=action,
                by=request.user,
                note=data["note"],
                keep=data.get("keep"),
                expected_state=expected,
            )
        return awards.change_status(
            award=award, transition=action, by=request.user, note=data["note"], expected_state=expected
        )

    done, _ = run(request, form, change, success=f"{award.reference}: {title.lower()} done.")
    if done:
        return redirect("funding:award", pk=award.pk)
    return render(
        request,
        "funding/award_transition.html",
        {
            "award": award,
            "form": form,
            "title": title,
            "action": action,
            "paid": ledger.paid_on_award(award),
            "ends": ends,
        },
    )
