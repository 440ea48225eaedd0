"""Review: changing the contract (with the size of the change and the notice it needs shown before it is recorded),
the list of changes, and assessments of the supplier's performance for contracts over £5 million."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from commissioning import gates
from commissioning.forms.changes import AssessmentForm, ConfirmChangeForm, ContractChangeForm
from commissioning.models import ContractChange, Rating
from commissioning.services import changes as change_services
from commissioning.services import performance as performance_services
from commissioning.views.common import done, form_page, load_commission
from commissioning.views.contracts import _contract
from opcc.money import gbp
from opcc.paging import page_of
from opcc.views.forms import posted, run


def _changes_url(pk):
    return reverse("commissioning:contract-changes", args=[pk])


def change_closed(commission, contract) -> str | None:
    """Why the contract cannot be changed now: only in Review, while its award is active."""
    if (reason := gates.review_closed(commission)) is not None:
        return reason
    if contract.award.status != contract.award.Status.ACTIVE:
        return "The contract's award is not active: it cannot be changed"
    return None


@login_required
def contract_changes(request, pk):
    commission = load_commission(request, pk)
    contract = _contract(commission)
    changes = contract.changes.select_related("by", "applied_by")
    kpis = performance_services.kpis_required(contract)
    can_change = request.user.has_perm("commissioning.change_commission") and commission.is_open
    return render(
        request,
        "commissioning/contract_changes.html",
        {
            "commission": commission,
            "contract": contract,
            "page": page_of(request, changes, per_page=20),
            "can_change": can_change and change_closed(commission, contract) is None,
            "kpis_required": kpis,
            "assessments": contract.assessments.all()[:12] if kpis else [],
            "next_assessment_due": performance_services.next_assessment_due(contract) if kpis else None,
            "estimated_value": change_services.estimated_value(contract),
            "light_touch": commission.light_touch,
        },
    )


@login_required
def contract_change(request, pk):
    """Two steps: the answers, then a check of the computed size and whether a contract change notice is needed
    before anything is recorded (the answers ride along in hidden fields, and are checked again)."""
    commission = load_commission(request, pk, "commissioning.change_commission")
    contract = _contract(commission)
    closed = change_closed(commission, contract)
    form = ContractChangeForm(posted(request, closed), contract=contract)
    confirming = request.method == "POST" and "confirmed" in request.POST
    if confirming:
        ok, change = run(
            request,
            form,
            lambda d: change_services.propose_change(
                contract=contract, by=request.user, **form.service_arguments()
            ),
            success=lambda change: (
                "The change has been recorded. Publish the contract change notice, then apply the change."
                if change.status == ContractChange.Status.WAITING
                else "The change has been recorded and applied to the contract's award."
            ),
        )
        if ok:
            return done("contract-changes", commission)
    elif request.method == "POST" and not closed and "edit" not in request.POST and form.is_valid():
        args = form.service_arguments()
        size = change_services.measure_change(
            contract=contract,
            value_change=args["value_change"],
            new_end_date=args["new_end_date"],
            agreed_on=args["agreed_on"],
        )
        return render(
            request,
            "commissioning/contract_change_check.html",
            {
                "commission": commission,
                "contract": contract,
                "answers": args,
                "size": size,
                "value_after": contract.award.amount + args["value_change"],
                "posted": [
                    (k, v) for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "confirmed")
                ],
                "back": reverse("commissioning:contract-change", args=[pk]),
            },
        )
    return form_page(
        request,
        commission,
        form,
        title="Change the contract",
        button="Continue",
        back=_changes_url(pk),
        closed=closed,
        closed_link=(_changes_url(pk), "Go to the contract's changes"),
        intro=(
            f"The contract's award is {gbp(contract.award.amount)}, ending on {contract.award.end_date:%-d %B %Y}. "
            "You will see the size of the change, and whether a contract change notice must be published before "
            "it is made, before anything is recorded."
        ),
    )


@login_required
def change_apply(request, pk, change_pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    contract = _contract(commission)
    change = get_object_or_404(ContractChange, pk=change_pk, contract=contract)
    closed = change_closed(commission, contract) or change_services.apply_closed(change)
    notice = change_services.change_notice(change)
    closed_link = (_changes_url(pk), "Go to the contract's changes")
    if closed and notice is not None and notice.is_open:
        # Waiting for its notice: the way on is to publish it.
        closed_link = (reverse("commissioning:notice", args=[notice.pk]), "Go to the contract change notice")
    form = ConfirmChangeForm(posted(request, closed))
    ok, _ = run(
        request,
        form,
        lambda d: change_services.apply_change(change=change, by=request.user),
        success="The change has been applied to the contract's award.",
    )
    if ok:
        return done("contract-changes", commission)
    return form_page(
        request,
        commission,
        form,
        title="Apply the change",
        button="Apply the change",
        back=_changes_url(pk),
        before="commissioning/_contract_change.html",
        extra={"change": change, "notice": notice},
        closed=closed,
        closed_link=closed_link,
        intro="The contract change notice has been published: the change can now be made.",
    )


@login_required
def assess_performance(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    contract = _contract(commission)
    closed = gates.review_closed(commission)
    if closed is None and not performance_services.kpis_required(contract):
        closed = (
            "This contract needs no key performance indicators: only contracts over £5 million that are not "
            "light-touch do (Procurement Act 2023, s.52)"
        )
    initial = {f"kpi_{i}": name for i, name in enumerate(performance_services.last_kpis(contract), start=1)}
    form = AssessmentForm(posted(request, closed), contract=contract, initial=initial)
    ok, _ = run(
        request,
        form,
        lambda d: performance_services.record_assessment(
            contract=contract,
            period_start=d["period_start"],
            period_end=d["period_end"],
            assessed_on=d["assessed_on"],
            ratings=form.ratings(),
            notes=d.get("notes", ""),
            by=request.user,
        ),
        success="The assessment has been recorded and its contract performance notice drafted.",
    )
    if ok:
        return done("contract-changes", commission)
    return form_page(
        request,
        commission,
        form,
        title="Assess performance",
        button="Record the assessment",
        back=_changes_url(pk),
        closed=closed,
        closed_link=(_changes_url(pk), "Go to the contract's changes"),
        intro="Rate the supplier against each key performance indicator: "
        + ", ".join(label.lower() for _, label in Rating.choices)
        + ". The assessment is published as a contract performance notice.",
    )
