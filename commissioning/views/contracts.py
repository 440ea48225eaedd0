"""The award decision, the contract and its award, extensions and break notices, and Review's decisions."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone

from commissioning import gates, selectors
from commissioning.forms.contracts import BreakNoticeForm, ContractForm, DecisionForm, ExtensionForm
from commissioning.forms.review import DecommissionPlanForm, ReviewForm
from commissioning.models import CommissioningRules
from commissioning.services import contracts as contract_services
from commissioning.services import decisions as decision_services
from commissioning.services import review as review_services
from commissioning.views.common import done, form_page, load_commission, stage_url, tasks_link
from commissioning.views.moderation import ranked_bids
from funding.models import Pot
from opcc.calendar import financial_year_of, month_start
from opcc.permissions import require_view_perm as require
from opcc.views.forms import posted, run


@login_required
def decision(request, pk):
    commission = load_commission(request, pk, "commissioning.decide_award")
    procurement = gates.current_procurement(commission)
    providers = selectors.eligible_providers(procurement) if procurement else []
    ranking = []
    if procurement and procurement.is_tender and gates._one(procurement, "tender"):
        ranking = ranked_bids(procurement.tender)
        if ranking and ranking[0].rank:
            providers = [r.bid.organisation for r in ranking if r.rank] or providers
    initial = {"value": commission.estimated_total_value}
    if providers:
        initial["organisation"] = str(providers[0].pk)
    recorded = gates._one(procurement, "decision") if procurement else None
    closed = gates.procurement_closed(commission)
    gaps = [] if closed else gates.decision_gaps(commission)
    form = DecisionForm(
        posted(request, closed or gaps), providers=providers, by=request.user, initial=initial
    )
    ok, _ = run(
        request,
        form,
        lambda d: decision_services.record_decision(
            commission=commission,
            organisation=form.providers[d["organisation"]],
            value=d["value"],
            rationale=d["rationale"],
            decision_record=d["decision_record"],
            by=request.user,
        ),
        success="The award decision has been recorded.",
    )
    if ok:
        return done("do", commission)

    return form_page(
        request,
        commission,
        form,
        title="Award decision",
        button="Record the decision",
        back=stage_url(pk),
        before="commissioning/_decision.html",
        closed=closed,
        closed_link=tasks_link(pk),
        extra={
            "gaps": gaps,
            "rules": CommissioningRules.current(),
            "ranked": [r for r in ranking if r.rank],  # none until the scores are moderated
            "decision": recorded,
            # Blocked by what is still to do in Do: the list says what, with no form that could only fail.
            **({"blocked": True, "blocked_link": tasks_link(pk)} if gaps else {}),
        },
    )


def _contract_defaults(commission, pots, decision) -> dict:
    """A term the pots can carry and values that carry out the decision, so the form can be saved as it stands.

    Starts on the first of next month; the initial term is 3 years, or as many as there are pots for, plus one
    extension year; the decision's value (which includes the extensions) is spread evenly over the whole term.
    The pot is pre-selected only when exactly one clearly fits the commission (selectors.default_pot).
    """
    today = timezone.localdate()
    start = month_start(today, 1)
    start_year = financial_year_of(start)
    pot = selectors.default_pot(commission, pots, start_year)
    # Without a default, a term every fitting pot can carry, whichever the officer chooses.
    basis = (
        [pot]
        if pot is not None
        else (
            selectors.fitting_pots(commission, pots, start_year)
            or list(pots.filter(year__start_year=start_year))
        )
    )
    years = max(1, min([3, *(selectors.longest_term(p, start)[0] for p in basis)]))
    defaults = {"start_date": start, "initial_term_years": years, "extension_pattern": f"{years}+1"}
    if pot is not None:
        defaults["pot"] = pot.pk
    if decision is not None:
        annual = (decision.value / (years + 1)).quantize(Decimal("0.01"))
        defaults.update(annual_value=annual, total_value=decision.value - annual)
    return defaults


@login_required
def contract_create(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = gates.current_procurement(commission)
    decision_ = gates._one(procurement, "decision") if procurement else None
    choices = selectors.contract_pots(commission)
    initial = {
        "break_clause": "Either party may end the contract by giving written notice of the notice period.",
        "break_notice_months": 3,
        "signed_on": timezone.localdate(),
    }
    initial.update(_contract_defaults(commission, choices, decision_))
    closed = gates.contract_closed(commission)
    form = ContractForm(posted(request, closed), pots=choices, initial=initial, decision=decision_)
    ok, contract = run(
        request,
        form,
        lambda d: contract_services.create_contract(commission=commission, by=request.user, **d),
        success="The contract has been recorded and its award committed.",
    )
    if ok:
        return done("do", commission)
    return form_page(
        request,
        commission,
        form,
        title="Record the signed contract",
        button="Record the contract",
        back=stage_url(pk),
        before="commissioning/_decision_summary.html",
        closed=closed,
        closed_link=tasks_link(pk),
        extra={"decision": decision_},
        intro="Recording the contract commits its money from the pot you choose, across the years of the initial term.",
    )


def _contract(commission):
    contract = gates.current_contract(commission)
    if contract is None:
        raise Http404("There is no contract")
    return contract


@login_required
def extend(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    contract = _contract(commission)
    closed = gates.extension_closed(contract)
    form = ExtensionForm(
        posted(request, closed),
        initial={"additional": contract.annual_value * (contract.next_extension_years or 1)},
    )
    ok, _ = run(
        request,
        form,
        lambda d: contract_services.exercise_extension(contract=contract, by=request.user, **d),
        success="The extension has been exercised and its money committed.",
    )
    if ok:
        return done("review", commission)
    nxt = contract.next_extension_years
    intro = (
        f"The next extension of {contract.extension_pattern} is {nxt} year{'s' if nxt != 1 else ''}, to follow "
        f"{contract.award.end_date:%-d %B %Y}."
        if nxt
        else f"Every extension in {contract.extension_pattern} has been used."
    )
    return form_page(
        request,
        commission,
        form,
        title="Exercise an extension",
        button="Exercise the extension",
        back=stage_url(pk, "review"),
        intro=intro,
        closed=closed,
        closed_link=tasks_link(pk, "review"),
    )


@login_required
def break_notice(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    require(request, "funding.end_award")
    contract = _contract(commission)
    closed = gates.break_closed(contract)
    form = BreakNoticeForm(posted(request, closed), contract=contract)
    ok, _ = run(
        request,
        form,
        lambda d: contract_services.serve_break_notice(
            contract=contract,
            served_by=d["served_by"],
            served_on=d["served_on"],
            reason=d["reason"],
            keep=d.get("keep"),
            by=request.user,
        ),
        success="The break notice has been recorded.",
    )
    if ok:
        return done("review", commission)
    return form_page(
        request,
        commission,
        form,
        title="Serve a break notice",
        button="Record the break notice",
        warning=True,
        back=stage_url(pk, "review"),
        closed=closed,
        closed_link=tasks_link(pk, "review"),
        intro=f"Either party may end the contract with {contract.break_notice_months} months' notice. The award "
        "ends at the exit date: what is not paid (beyond what you say is still to be paid) returns to the pot.",
    )


@login_required
def review_decision(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    closed = gates.review_closed(commission)
    form = ReviewForm(posted(request, closed))
    ok, _ = run(
        request,
        form,
        lambda d: review_services.record_review(commission=commission, by=request.user, **d),
        success="The review decision has been recorded.",
    )
    if ok:
        return done("review", commission)
    return form_page(
        request,
        commission,
        form,
        title="Review decision",
        button="Record the decision",
        back=stage_url(pk, "review"),
        closed=closed,
        closed_link=tasks_link(pk, "review"),
    )


@login_required
def decommission_plan(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    contract = _contract(commission)
    existing = gates._one(contract, "decommissioning_plan")
    names = list(DecommissionPlanForm.base_fields)
    closed = gates.review_closed(commission)
    form = DecommissionPlanForm(
        posted(request, closed),
        contract=contract,
        initial={n: getattr(existing, n) for n in names} if existing else None,
    )
    ok, _ = run(
        request,
        form,
        lambda d: review_services.record_decommissioning_plan(commission=commission, by=request.user, **d),
        success="The de-commissioning plan has been recorded.",
    )
    if ok:
        return done("review", commission)
    return form_page(
        request,
        commission,
        form,
        title="De-commissioning plan",
        button="Save the plan",
        back=stage_url(pk, "review"),
        intro="The plan agreed with the provider: support offered, the exit date and how service users move on.",
        closed=closed,
        closed_link=tasks_link(pk, "review"),
    )


__all__ = ["Pot"]
