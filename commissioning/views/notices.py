"""Procurement Act notices: a commission's list, each notice's page (what it says, what is missing, what can be done
now, recording its publication), setting one aside, and its OCDS release."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from commissioning import gates, hooks, selectors
from commissioning.forms.notices import PublicationForm, SetAsideForm
from commissioning.models import Notice, NoticeKind
from commissioning.notice_content import BUILDERS, prepare
from commissioning.services import notices as notice_services
from commissioning.views.common import form_page, load_commission
from opcc.permissions import require_view_perm
from opcc.services.transitions import available_transitions, timeline_for
from opcc.views.forms import posted, run

PERM = "commissioning.view_notices"
# Transitions a page offers as buttons; publishing is the form, setting aside has its own page.
BUTTONS = ("mark_ready", "reopen")


def _load_notice(request, notice_pk) -> Notice:
    notice = get_object_or_404(
        Notice.objects.select_related("procurement__commission", "contract", "published_by"), pk=notice_pk
    )
    require_view_perm(request, PERM, notice)
    return notice


def _commission_of(notice: Notice):
    procurement = notice.procurement or (notice.contract.procurement if notice.contract else None)
    return procurement.commission if procurement else None


def _back(notice: Notice) -> str:
    commission = _commission_of(notice)
    return reverse("commissioning:notices", args=[commission.pk]) if commission else reverse("home")


@login_required
def notices(request, pk):
    commission = load_commission(request, pk, PERM)
    procurement = gates.current_procurement(commission)
    rows = list(selectors.notices_of(commission))
    today = timezone.localdate()
    can_change = request.user.has_perm("commissioning.change_commission")
    planned_closed = notice_services.planned_procurement_closed(procurement)
    has_planned = any(
        n.kind == NoticeKind.PLANNED_PROCUREMENT and n.procurement_id == getattr(procurement, "pk", None)
        for n in rows
    )
    return render(
        request,
        "commissioning/notices/list.html",
        {
            "commission": commission,
            "procurement": procurement,
            "notices": rows,
            "today": today,
            "old_regime": procurement is not None and not notice_services.under_the_act(procurement),
            "can_prepare_planned": can_change and planned_closed is None and not has_planned,
        },
    )


@login_required
def prepare_planned(request, pk):
    """The officer chooses to prepare the optional planned procurement notice."""
    commission = load_commission(request, pk, PERM)
    procurement = gates.current_procurement(commission)
    closed = notice_services.planned_procurement_closed(procurement)
    if request.method == "POST" and not closed:
        if not request.user.has_perm("commissioning.change_commission"):
            raise PermissionDenied
        try:
            notice = notice_services.prepare_planned_procurement(
                commission=commission, procurement=procurement, by=request.user
            )
        except ValidationError as exc:
            closed = " ".join(exc.messages)
        else:
            messages.success(request, "The planned procurement notice has been prepared.")
            return redirect("commissioning:notice", notice.pk)
    return render(
        request,
        "commissioning/notices/prepare_planned.html",
        {"commission": commission, "closed": closed},
    )


def _notice_context(request, notice: Notice, form) -> dict:
    prepared = prepare(notice) if notice.kind in BUILDERS else None
    allowed = {t.name: t for t in available_transitions(notice, request.user)}
    can_change = request.user.has_perm("commissioning.change_commission")
    today = timezone.localdate()
    return {
        "notice": notice,
        "commission": _commission_of(notice),
        "prepared": prepared,
        "checklist": [(item, prepared.links.get(item)) for item in prepared.missing] if prepared else [],
        "buttons": [(name, t.custom.get("label")) for name, t in allowed.items() if name in BUTTONS]
        if can_change
        else [],
        "can_set_aside": can_change and "set_aside" in allowed,
        "can_publish": can_change and "publish" in allowed,
        "form": form,
        "overdue": notice.is_open and notice.due_by is not None and notice.due_by < today,
        "timeline": timeline_for(notice),
        "back": _back(notice),
        "old_regime": notice.procurement is not None
        and not notice_services.under_the_act(notice.procurement),
    }


@login_required
def notice(request, notice_pk):
    notice = _load_notice(request, notice_pk)
    form = PublicationForm(posted(request), notice=notice)
    if request.method == "POST" and not request.user.has_perm("commissioning.change_commission"):
        raise PermissionDenied
    ok, _ = run(
        request,
        form,
        lambda d: notice_services.record_publication(
            notice=notice,
            identifier=d["platform_identifier"],
            published_on=d["published_on"],
            by=request.user,
            expected_state=request.POST.get("expected_state") or None,
        ),
        success=lambda n: (
            f"{n.form_code} {n.get_kind_display().lower()} recorded as published: {n.platform_identifier}."
        ),
    )
    if ok:
        return redirect("commissioning:notice", notice.pk)
    return render(request, "commissioning/notices/notice.html", _notice_context(request, notice, form))


@login_required
@require_POST
def notice_move(request, notice_pk, name):
    notice = _load_notice(request, notice_pk)
    actions = {"mark_ready": notice_services.mark_ready, "reopen": notice_services.reopen}
    if name not in actions:
        raise Http404
    try:
        moved = actions[name](
            notice=notice, by=request.user, expected_state=request.POST.get("expected_state") or None
        )
    except PermissionDenied:
        raise
    except (ValidationError, TransitionNotAllowed) as exc:
        form = PublicationForm(notice=notice)
        context = _notice_context(request, notice, form)
        context["refused"] = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return render(request, "commissioning/notices/notice.html", context, status=200)
    messages.success(request, f"The notice is now: {moved.get_status_display().lower()}.")
    return redirect("commissioning:notice", notice.pk)


@login_required
def set_aside(request, notice_pk):
    notice = _load_notice(request, notice_pk)
    require_view_perm(request, "commissioning.change_commission")
    allowed = {t.name for t in available_transitions(notice, request.user)}
    closed = (
        None
        if "set_aside" in allowed
        else "This notice cannot be recorded as not needed now: the Act requires it, or it is already published or set aside"
    )
    form = SetAsideForm(posted(request, closed))
    ok, _ = run(
        request,
        form,
        lambda d: notice_services.set_aside(notice=notice, reason=d["reason"], by=request.user),
        success="The notice is recorded as not needed.",
    )
    if ok:
        return redirect("commissioning:notice", notice.pk)
    return form_page(
        request,
        _commission_of(notice),
        form,
        title=f"Record that the {notice.form_code} {notice.get_kind_display().lower()} is not needed",
        button="Record that it is not needed",
        back=reverse("commissioning:notice", args=[notice.pk]),
        intro="Only an optional notice, or one whose reason the tender notice gives instead, can be set aside.",
        caption=str(_commission_of(notice) or "Procurement Act notices"),
        closed=closed,
    )


@login_required
def notice_ocds(request, notice_pk):
    """The notice as an OCDS 1.1.5 release package: as published, or as it stands while still a draft."""
    notice = _load_notice(request, notice_pk)
    document = hooks.notice_package(notice)
    if document is None:
        raise Http404
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json"
    )
    name = notice.platform_identifier or f"{notice.form_code}-draft-{notice.pk}"
    response["Content-Disposition"] = f'attachment; filename="notice-{name}.json"'
    return response
