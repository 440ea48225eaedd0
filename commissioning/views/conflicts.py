"""The conflicts assessment, the suppliers' exclusion checks and the debarment list upload."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from commissioning import conflicts as conflict_reads
from commissioning import exclusions, gates
from commissioning.forms.conflicts import (
    ConfirmAssessmentForm,
    DebarmentListForm,
    DeclarationForm,
    PruNoticeForm,
    SupplierCheckForm,
)
from commissioning.models import DebarmentList, SupplierCheck
from commissioning.services import conflicts as conflict_services
from commissioning.services import exclusions as exclusion_services
from commissioning.views.common import done, form_page, load_commission
from opcc.models import Role
from opcc.permissions import require_view_perm
from opcc.views.forms import posted, run

# How many versions of the debarment list the upload page shows (the latest first).
LIST_VERSIONS_SHOWN = 12


def _procurement(commission):
    procurement = gates.current_procurement(commission)
    if procurement is None:
        raise Http404
    return procurement


@login_required
def assessment(request, pk):
    commission = load_commission(request, pk)
    procurement = _procurement(commission)
    record = conflict_reads.assessment_of(procurement)
    user = request.user
    may_change = (
        user.has_perm("commissioning.change_commission") and gates.procurement_closed(commission) is None
    )
    people = conflict_reads.people(procurement, record)
    for person in people:
        person.can_declare = bool(person.decision_role) and (
            may_change
            or (
                user.role == Role.PCC
                and user.pk == person.user.pk
                and gates.procurement_closed(commission) is None
            )
        )
    colour, status = conflict_reads.status_words(record)
    return render(
        request,
        "commissioning/conflicts.html",
        {
            "commission": commission,
            "procurement": procurement,
            "assessment": record,
            "people": people,
            "status_colour": colour,
            "status": status,
            "revisions": list(record.revisions.select_related("confirmed_by")[:20]) if record else [],
            "can_confirm": may_change and (record is None or not record.is_prepared or record.needs_revision),
            "covered": conflict_reads.is_covered(procurement),
            "confirmation": conflict_reads.conflicts_assessment_confirmation(procurement),
        },
    )


@login_required
def declare(request, pk, user_pk):
    commission = load_commission(request, pk, "commissioning.declare_conflict")
    procurement = _procurement(commission)
    makers = {u.pk: (u, role) for u, role in conflict_reads.decision_makers(procurement)}
    if user_pk not in makers or (request.user.role == Role.PCC and user_pk != request.user.pk):
        raise Http404
    person, role = makers[user_pk]
    record = conflict_reads.assessment_of(procurement)
    existing = record.declarations.filter(user=person).first() if record else None
    initial = (
        {
            "interest": "yes" if existing.interest else "no",
            "details": existing.details,
            "mitigation": existing.mitigation,
            "mitigation_reasons": existing.mitigation_reasons,
        }
        if existing
        else {}
    )
    closed = gates.procurement_closed(commission)
    form = DeclarationForm(posted(request, closed), initial=initial)
    ok, _ = run(
        request,
        form,
        lambda d: conflict_services.declare(
            commission=commission,
            user=person,
            interest=d["interest"],
            details=d.get("details", ""),
            mitigation=d.get("mitigation", ""),
            mitigation_reasons=d.get("mitigation_reasons", ""),
            by=request.user,
        ),
        success=f"{person.full_name}’s declaration has been recorded.",
    )
    if ok:
        return done("conflicts", commission)
    back = reverse("commissioning:conflicts", args=[pk])
    return form_page(
        request,
        commission,
        form,
        title=f"Declaration: {person.full_name}",
        intro=f"{role.label}. A declared interest needs its mitigation: removal from the decision, or another "
        "mitigation with the reasons it is enough (Procurement Act 2023 s.82).",
        button="Save the declaration",
        back=back,
        closed=closed,
        closed_link=(back, "Back to the conflicts assessment"),
    )


@login_required
def confirm(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = _procurement(commission)
    record = conflict_reads.assessment_of(procurement)
    closed = gates.procurement_closed(commission)
    if closed is None and record is not None and record.is_prepared and not record.needs_revision:
        closed = "The assessment is up to date: nothing has changed since it was last confirmed"
    if closed is None and (problems := conflict_reads.confirm_problems(procurement, record)):
        closed = problems
    form = ConfirmAssessmentForm(posted(request, closed))
    ok, _ = run(
        request,
        form,
        lambda d: conflict_services.confirm(commission=commission, by=request.user),
        success=lambda a: f"The conflicts assessment has been confirmed (revision {a.revision}).",
    )
    if ok:
        return done("conflicts", commission)
    back = reverse("commissioning:conflicts", args=[pk])
    changes = record.changes if record and record.is_prepared else []
    intro = (
        "Confirm that you have reviewed everyone who takes part in or influences a decision in this procurement, "
        "their declarations and the mitigations (Procurement Act 2023 s.83)."
    )
    if changes:
        intro += " Since the last confirmation: " + "; ".join(changes) + "."
    return form_page(
        request,
        commission,
        form,
        title="Confirm the conflicts assessment"
        if record and record.is_prepared
        else "Prepare the conflicts assessment",
        intro=intro,
        button="Confirm the assessment",
        back=back,
        closed=closed,
        closed_link=(back, "Back to the conflicts assessment"),
    )


@login_required
def supplier_checks(request, pk):
    commission = load_commission(request, pk)
    procurement = _procurement(commission)
    latest = exclusions.latest_list()
    rows = exclusions.rows(procurement, latest)
    return render(
        request,
        "commissioning/supplier_checks.html",
        {
            "commission": commission,
            "procurement": procurement,
            "latest": latest,
            "rows": rows,
            "covered": conflict_reads.is_covered(procurement),
            "can_check": request.user.has_perm("commissioning.change_commission"),
            "can_import": request.user.has_perm("commissioning.import_debarment_list"),
            "today": timezone.localdate(),
        },
    )


@login_required
def supplier_check(request, pk, org_pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = _procurement(commission)
    organisation = next((o for o in exclusions.suppliers(procurement) if o.pk == org_pk), None)
    if organisation is None:
        raise Http404
    check = SupplierCheck.objects.filter(procurement=procurement, organisation=organisation).first()
    latest = exclusions.latest_list()
    entry = exclusions.Matcher(latest)(organisation, check.cdp_identifier if check else "")
    back = reverse("commissioning:supplier-checks", args=[pk])
    closed = gates.procurement_closed(commission) or (
        None
        if latest
        else "Import the debarment list first: each supplier is checked against the latest list"
    )
    extra = {"organisation": organisation, "check": check, "latest": latest, "entry": entry}
    if closed and check is not None and check.is_excluded and not check.pru_notified_on:
        # Settled, but the Procurement Review Unit can still be told (s.59 runs 30 days from the exclusion).
        return _pru_notice(request, commission, check, back, extra)
    form = SupplierCheckForm(
        posted(request, closed), initial=_check_initial(check), entry=entry, today=timezone.localdate()
    )
    ok, _ = run(
        request,
        form,
        lambda d: exclusion_services.record_check(
            commission=commission, organisation=organisation, by=request.user, **d
        ),
        success=f"The exclusion check of {organisation.name} has been saved.",
    )
    if ok:
        return done("supplier-checks", commission)
    return form_page(
        request,
        commission,
        form,
        title=f"Exclusion check: {organisation.name}",
        button="Save the check",
        back=back,
        before="commissioning/_supplier_check.html",
        closed=closed,
        closed_link=(back, "Back to the suppliers’ checks"),
        extra=extra,
    )


def _check_initial(check: SupplierCheck | None) -> dict:
    if check is None:
        return {}
    fields = [f.name for f in SupplierCheck._meta.fields]
    return {name: getattr(check, name) for name in fields if name in SupplierCheckForm.base_fields}


def _pru_notice(request, commission, check, back, extra):
    form = PruNoticeForm(request.POST if request.method == "POST" else None)
    ok, _ = run(
        request,
        form,
        lambda d: exclusion_services.record_pru_notice(
            check=check, notified_on=d["pru_notified_on"], by=request.user
        ),
        success="The date the Procurement Review Unit was told has been recorded.",
    )
    if ok:
        return redirect(back)
    return form_page(
        request,
        commission,
        form,
        title=f"Procurement Review Unit: {check.organisation.name}",
        button="Save the date",
        back=back,
        before="commissioning/_supplier_check.html",
        extra=extra,
    )


@login_required
def debarment_list(request):
    require_view_perm(request, "commissioning.import_debarment_list")
    form = DebarmentListForm(posted(request), request.FILES or None if request.method == "POST" else None)
    ok, version = run(
        request,
        form,
        lambda d: exclusion_services.import_list(
            uploaded=d["file"], list_date=d["list_date"], by=request.user
        ),
        success=lambda v: f"The debarment list of {v.list_date:%-d %B %Y} has been imported.",
    )
    if ok:
        return redirect("commissioning:debarment-list")
    versions = list(
        DebarmentList.objects.select_related("imported_by", "document").order_by("-list_date", "-pk")[
            :LIST_VERSIONS_SHOWN
        ]
    )
    latest = versions[0] if versions else None
    entries = list(latest.entries.all()[:200]) if latest else []
    return render(
        request,
        "commissioning/debarment_list.html",
        {"form": form, "versions": versions, "latest": latest, "entries": entries},
    )
