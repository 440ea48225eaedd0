from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from funding import ledger, selectors
from funding.forms import (
    ApproveForm,
    AwardForm,
    DraftAllocationForm,
    EndAwardForm,
    IncomeLineForm,
    PaymentForm,
    StatusNoteForm,
    VariationForm,
)
from funding.models import Award, AwardKind, FinancialYear, IncomeLine, Pot, Stream
from funding.services import allocation, awards
from opcc.calendar import this_financial_year
from opcc.exports import csv_response, xlsx_response
from opcc.money import ZERO, gbp, pence
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.services.transitions import available_transitions, transition_defined
from opcc.views.forms import run


def _year(start_year: int) -> FinancialYear:
    return get_object_or_404(FinancialYear, start_year=start_year)


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
            "can_approve": request.user.has_perm("funding.approve_allocation") and not year.is_approved,
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
    return render(request, "funding/approve.html", {"form": form, "year": year, "summary": summary})


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


def _visible_award(request, pk):
    award = get_object_or_404(Award.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("funding.view_award", award):
        if request.user.is_provider:
            raise Http404("No such award")
        raise PermissionDenied
    return award


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


@login_required
def payments_due(request):
    require_view_perm(request, "funding.view_payments_due")
    today = timezone.localdate()
    page = Paginator(ledger.payments_due(today), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/payments_due.html",
        {
            "page": page,
            "totals": selectors.payments_due_totals(today),
            "today": today,
            "can_pay": request.user.has_perm("funding.record_payment"),
        },
    )


@login_required
def payment_create(request, pk):
    require_view_perm(request, "funding.record_payment")
    award = _visible_award(request, pk)
    award, _timeline = selectors.award_detail(award.pk, timezone.localdate())
    lines = [line for line in award.schedule.all() if line.paid < line.amount]
    initial = {"paid_on": None}
    # From the payments-due list: that scheduled payment, for what can be paid on it now (as the list shows it).
    chosen = next((line for line in lines if str(line.pk) == request.GET.get("line")), None)
    if chosen is not None:
        initial.update(schedule_line=str(chosen.pk), amount=pence(chosen.payable) or None)
    form = PaymentForm(request.POST or None, lines=lines, award=award, initial=initial)

    def pay(data):
        # Any line of the award: one paid in full meanwhile is refused by the ledger, in its words.
        line_id = data["schedule_line"]
        line = (
            next((line for line in award.schedule.all() if str(line.pk) == line_id), None)
            if line_id
            else None
        )
        return awards.record_payment(
            award=award,
            amount=data["amount"],
            paid_on=data["paid_on"],
            by=request.user,
            reference=data["reference"],
            schedule_line=line,
        )

    def recorded(payment) -> str:
        text = f"A payment of {gbp(payment.amount)} to {award.organisation.name} has been recorded"
        if payment.schedule_line_id is None:
            text += (
                f", off the schedule: it reduces {payment.reduces}"
                if payment.reduces
                else ", off the schedule: it reduces no scheduled payment"
            )
        return f"{text}."

    done, _ = run(request, form, pay, success=recorded)
    if done:
        return redirect("funding:award", pk=award.pk)
    return render(request, "funding/payment_form.html", {"form": form, "award": award})
