"""Every write in commissioning. Keyword-only, atomic, validated before saving; views stay thin.

Money moves only through funding's services: a contract creates its award with `create_award`,
an extension calls `extend_award`, a break notice or de-commissioning calls `end_award`.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commissioning import gates
from commissioning.models import (
    QUOTE_ROUTES,
    AwardDecision,
    Bid,
    BreakNotice,
    CoCommissioningPartner,
    Commission,
    CommissioningRules,
    Contract,
    Criterion,
    Declaration,
    DecommissioningPlan,
    DelegationLevel,
    Extension,
    ModeratedScore,
    OutcomeMeasure,
    PanelMember,
    Procurement,
    Quote,
    ReviewDecision,
    Route,
    Score,
    SingleTenderAgreement,
    Tender,
)
from commissioning.procurement import parse_pattern, required_route, route_allowed
from funding.models import AwardKind
from funding.services import awards as award_services
from opcc.models import Role
from opcc.services import plan as plan_services
from opcc.services.documents import store_document
from opcc.services.transitions import (
    apply_transition,
    record_transition,
    transition_defined,
    transition_named,
)

ZERO = Decimal("0")


def _require(user, perm, obj=None):
    if user is not None and not user.has_perm(perm, obj):
        raise PermissionDenied("You do not have permission to do this.")


def _gbp(amount):
    return f"£{amount:,.2f}"


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    import calendar

    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---- The commission --------------------------------------------------------------------------


def _next_reference() -> str:
    last = Commission.objects.filter(reference__startswith="CM-").aggregate(m=Max("reference"))["m"]
    return f"CM-{(int(last[3:]) + 1) if last else 1:04d}"


@transaction.atomic
def create_commission(
    *, title: str, summary: str, stream: str, officer, by, objectives=(), areas=()
) -> Commission:
    """A new commission says which Police and Crime Plan objectives it serves."""
    _require(by, "commissioning.add_commission")
    if errors := plan_services.objectives_error(objectives):
        raise ValidationError(errors)
    commission = Commission(
        reference=_next_reference(), title=title, summary=summary, stream=stream, officer=officer
    )
    commission.full_clean(exclude=["status"])
    commission.save()
    commission.areas.set(areas)
    commission.objectives.set(objectives)
    return commission


def _refuse(reason) -> None:
    """Raise a gate's reason (a sentence or a list of them) as the refusal the person sees."""
    if reason:
        raise ValidationError(reason)


def _lock_open(commission: Commission) -> Commission:
    locked = Commission.objects.select_for_update().get(pk=commission.pk)
    _refuse(gates.evidence_closed(locked))
    return locked


def evidence_errors(values: dict) -> dict:
    """Checks on a section's own answers, by field: the form shows them with its other errors, and
    update_commission refuses the same."""
    errors = {}
    if "pin_published_on" in values and (message := gates.pin_date_error(values["pin_published_on"])):
        errors["pin_published_on"] = message
    annual, total = values.get("estimated_annual_value"), values.get("estimated_total_value")
    if annual is not None and total is not None and total < annual:
        errors["estimated_total_value"] = "The total value cannot be less than the annual value"
    return errors


@transaction.atomic
def update_commission(*, commission: Commission, values: dict, by, areas=None) -> Commission:
    """Save a section of the Understand or Plan evidence. Areas are given with the coverage answer."""
    _require(by, "commissioning.change_commission")
    locked = _lock_open(commission)
    for name, value in values.items():
        setattr(locked, name, value)
    errors = evidence_errors(values)
    if "coverage" in values or areas is not None:
        chosen = list(areas) if areas is not None else list(locked.areas.all())
        errors.update(gates.coverage_errors(locked.coverage, locked.pilot_reason, chosen))
    if (
        locked.estimated_total_value is not None
        and locked.estimated_annual_value is not None
        and locked.estimated_total_value < locked.estimated_annual_value
    ):
        errors["estimated_total_value"] = "The total value cannot be less than the annual value"
    if errors:
        raise ValidationError(errors)
    locked.full_clean(exclude=["status"])
    locked.save()
    if areas is not None:
        locked.areas.set(areas)
    return locked


@transaction.atomic
def upload_needs_assessment(*, commission: Commission, uploaded, title: str, by):
    _require(by, "commissioning.change_commission")
    _lock_open(commission)
    return store_document(
        uploaded=uploaded,
        attached_to=commission,
        by=by,
        purpose="needs_assessment",
        title=title,
        field="file",
    )


@transaction.atomic
def add_measure(*, commission: Commission, by, **fields) -> OutcomeMeasure:
    _require(by, "commissioning.change_commission")
    _lock_open(commission)
    measure = OutcomeMeasure(commission=commission, **fields)
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def remove_measure(*, measure: OutcomeMeasure, by) -> None:
    _require(by, "commissioning.change_commission")
    _lock_open(measure.commission)
    measure.delete()


def partner_problems(*, commission: Commission, organisation) -> dict[str, str]:
    """What is wrong with adding this partner (the partners form asks this too)."""
    if organisation is not None and commission.partners.filter(organisation=organisation).exists():
        return {"organisation": f"{organisation} is already a partner"}
    return {}


@transaction.atomic
def add_partner(
    *, commission: Commission, organisation, contribution: Decimal, notes: str, by
) -> CoCommissioningPartner:
    _require(by, "commissioning.change_commission")
    _lock_open(commission)
    if problems := partner_problems(commission=commission, organisation=organisation):
        raise ValidationError(problems)
    partner = CoCommissioningPartner(
        commission=commission, organisation=organisation, contribution=contribution, notes=notes
    )
    partner.full_clean()
    partner.save()
    return partner


def transition(
    *, commission: Commission, name: str, by, note: str = "", expected_state: str | None = None
) -> Commission:
    """Run a cycle transition through apply_transition: its gate first, so the person sees what is missing."""
    if transition_defined(commission, name) is None:
        raise ValueError(name)
    if name == "withdraw" and not (note or "").strip():
        raise ValidationError({"note": "Enter why the commission is being withdrawn"})
    if name == "decommission" and not by.has_perm("funding.end_award"):
        raise PermissionDenied(
            "De-commissioning ends the contract's award: the head of commissioning does this."
        )
    with transaction.atomic():
        fresh = Commission.objects.get(pk=commission.pk)
        step = transition_named(fresh, name)
        if (expected_state is None or fresh.status == expected_state) and step is not None:
            if gaps := gates.transition_gaps(fresh, step):
                raise ValidationError(gaps)
        result = apply_transition(commission, name, by=by, note=note, expected_state=expected_state)
        if name == "decommission":
            contract = gates.current_contract(result)
            plan = contract.decommissioning_plan
            award_services.end_award(
                award=contract.award,
                transition="decommission",
                by=by,
                keep=plan.keep,
                note=f"De-commissioned: exit on {plan.exit_date:%-d %B %Y}. {note}".strip(),
            )
    return result


class SystemActor:
    """The daily task acting on a decision a person already made (e.g. a break notice reaching its exit date).
    Recorded on the timeline as the system; the note names who made the decision."""

    is_authenticated = False
    pk = None

    def has_perm(self, perm, obj=None):
        return True


# ---- Do: the route ---------------------------------------------------------------------------


def _in_do(commission: Commission) -> Commission:
    locked = Commission.objects.select_for_update().get(pk=commission.pk)
    _refuse(gates.do_closed(locked))
    return locked


@transaction.atomic
def choose_route(*, commission: Commission, route: str, reason: str, by) -> Procurement:
    _require(by, "commissioning.change_commission")
    locked = _in_do(commission)
    value = locked.estimated_total_value
    if value is None:
        raise ValidationError({"route": "Enter the estimated total value in Plan first"})
    needed = required_route(value, light_touch=locked.light_touch)
    if not route_allowed(route, needed):
        raise ValidationError(
            {
                "route": (
                    f"The estimated total value of {_gbp(value)} needs at least: {Route(needed).label.lower()}. "
                    f"A lighter route is only possible by a single tender agreement"
                )
            }
        )
    if route == Route.SINGLE_TENDER and not (reason or "").strip():
        raise ValidationError({"route_reason": "Enter why a single tender agreement is needed"})
    procurement = Procurement.objects.filter(commission=locked, cycle=locked.cycle).first()
    if procurement is not None:
        _refuse(gates.procurement_closed(locked))
    if procurement and procurement.route != route:
        started = (
            procurement.quotes.exists()
            or gates._one(procurement, "tender") is not None
            or gates._one(procurement, "sta") is not None
        )
        if started:
            raise ValidationError(
                {"route": "Work has already started on the current route: it cannot be changed now"}
            )
    procurement = procurement or Procurement(commission=locked, cycle=locked.cycle)
    procurement.route, procurement.required_route, procurement.value, procurement.route_reason = (
        route,
        needed,
        value,
        reason,
    )
    procurement.save()
    return procurement


def _procurement(commission, *kinds) -> Procurement:
    locked = _in_do(commission)
    _refuse(gates.route_closed(locked, *kinds) if kinds else gates.procurement_closed(locked))
    return gates.current_procurement(locked)


# ---- Quotes ----------------------------------------------------------------------------------


def quote_problems(*, received_on: date | None, today: date | None = None) -> dict[str, str]:
    """What is wrong with a quote's answers beyond each field's own checks (the quotes form asks this too)."""
    if received_on and received_on > (today or timezone.localdate()):
        return {"received_on": "The date received cannot be in the future"}
    return {}


@transaction.atomic
def add_quote(
    *, commission: Commission, organisation, amount: Decimal, received_on: date, notes: str, by
) -> Quote:
    _require(by, "commissioning.change_commission")
    procurement = _procurement(commission, *QUOTE_ROUTES)
    if problems := quote_problems(received_on=received_on):
        raise ValidationError(problems)
    quote = Quote(
        procurement=procurement,
        organisation=organisation,
        amount=amount,
        received_on=received_on,
        notes=notes,
    )
    quote.full_clean()
    quote.save()
    return quote


@transaction.atomic
def choose_quote(*, commission: Commission, quote: Quote, reason: str, by) -> Procurement:
    _require(by, "commissioning.change_commission")
    procurement = _procurement(commission, *QUOTE_ROUTES)
    if quote.procurement_id != procurement.pk:
        raise ValidationError({"quote": "Choose one of the quotes recorded"})
    if (closed := gates.choose_quote_closed(procurement.commission)) is not None:
        raise ValidationError({"quote": closed})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why this supplier was chosen"})
    procurement.chosen_quote, procurement.quote_choice_reason = quote, reason
    procurement.save(update_fields=["chosen_quote", "quote_choice_reason"])
    return procurement


# ---- Tender ----------------------------------------------------------------------------------


def envelope_limit(procurement: Procurement, rules: CommissioningRules | None = None) -> Decimal:
    """The largest funding envelope the estimated total value allows without a reason: the value plus the margin."""
    margin = (rules or CommissioningRules.current()).envelope_margin_percent
    return (procurement.value * (100 + margin) / 100).quantize(Decimal("0.01"))


def envelope_hint(procurement: Procurement) -> str:
    rules = CommissioningRules.current()
    return (
        f"Published to bidders. Up to {_gbp(envelope_limit(procurement, rules))} (the estimated total value of "
        f"{_gbp(procurement.value)} plus {rules.envelope_margin_percent}%) unless you give a reason"
    )


TENDER_FIELDS = (
    "funding_envelope",
    "envelope_reason",
    "quality_weight",
    "price_weight",
    "portal_reference",
    "published_on",
    "clarification_deadline",
    "closes_on",
    "market_engagement_on",
    "market_engagement_notes",
)


def tender_errors(*, procurement: Procurement, tender: Tender | None = None, **values) -> dict:
    """Everything wrong with a tender's answers, by field, all at once. A value left out (or that its form field
    already refused) skips the checks that need it, so the form lists these beside its own errors and save_tender
    refuses exactly the same."""
    errors = {}
    candidate = Tender(procurement=procurement, **{k: v for k, v in values.items() if k in TENDER_FIELDS})
    try:
        candidate.clean()
    except ValidationError as exc:
        errors.update({field: messages[0] for field, messages in exc.message_dict.items()})
    if (
        tender is not None
        and tender.pk
        and Score.objects.filter(bid__tender=tender).exists()
        and (values.get("quality_weight"), values.get("price_weight"))
        != (tender.quality_weight, tender.price_weight)
    ):
        errors["quality_weight"] = "Bids have been scored: the published quality/price split cannot change"
    if (
        procurement.route == Route.REGULATED
        and "market_engagement_on" in values
        and not values["market_engagement_on"]
    ):
        errors["market_engagement_on"] = (
            "Enter the date of the market engagement event: the value reaches the regulated threshold, so one is expected"
        )
    envelope = values.get("funding_envelope")
    if envelope is not None and not (values.get("envelope_reason") or "").strip():
        rules = CommissioningRules.current()
        limit = envelope_limit(procurement, rules)
        if envelope > limit:
            errors["envelope_reason"] = (
                f"The funding envelope of {_gbp(envelope)} is more than {rules.envelope_margin_percent}% above the "
                f"estimated total value of {_gbp(procurement.value)}: enter why, or lower the envelope to "
                f"{_gbp(limit)} or less"
            )
    return errors


@transaction.atomic
def save_tender(*, commission: Commission, by, **fields) -> Tender:
    _require(by, "commissioning.change_commission")
    procurement = _procurement(commission, Route.TENDER, Route.REGULATED)
    tender = gates._one(procurement, "tender") or Tender(
        procurement=procurement, score_scale_max=CommissioningRules.current().score_scale_max
    )
    fields.setdefault("envelope_reason", "")
    fields.setdefault("market_engagement_on", None)
    _refuse(tender_errors(procurement=procurement, tender=tender, **fields))
    for name, value in fields.items():
        setattr(tender, name, value)
    tender.envelope_reason = (tender.envelope_reason or "").strip()
    tender.full_clean()
    tender.save()
    return tender


def _tender(commission) -> Tender:
    procurement = _procurement(commission, Route.TENDER, Route.REGULATED)
    tender = gates._one(procurement, "tender")
    if tender is None:
        raise ValidationError("Record the tender first")
    return tender


@transaction.atomic
def set_criteria(*, commission: Commission, rows: list[tuple[str, int, str]], by) -> list[Criterion]:
    """Replace the quality criteria. Weights must add up to 100; nothing is saved otherwise."""
    _require(by, "commissioning.change_commission")
    tender = _tender(commission)
    _refuse(gates.criteria_closed(tender.procurement.commission, tender))
    if not rows:
        raise ValidationError({"criteria": "Enter at least one criterion"})
    total = sum(weight for _n, weight, _g in rows)
    if total != 100:
        raise ValidationError({"criteria": f"The weights add up to {total}%: they must add up to 100%"})
    tender.criteria.all().delete()
    created = []
    for name, weight, guidance in rows:
        criterion = Criterion(tender=tender, name=name, weight=weight, guidance=guidance)
        criterion.full_clean()
        criterion.save()
        created.append(criterion)
    return created


@transaction.atomic
def record_bid(
    *, commission: Commission, organisation, price: Decimal, received_on: date, summary: str, by, files=()
) -> Bid:
    _require(by, "commissioning.change_commission")
    tender = _tender(commission)
    _refuse(gates.bids_closed(tender.procurement.commission, tender))
    if tender.bids.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": f"A bid from {organisation} is already recorded"})
    if received_on < tender.published_on:
        raise ValidationError({"received_on": "A bid cannot be received before the tender was published"})
    # A bid received after the closing date is recorded as late: it stays out of the evaluation until the panel
    # accepts it (decide_late_bid).
    bid = Bid(
        tender=tender,
        organisation=organisation,
        price=price,
        received_on=received_on,
        summary=summary,
        recorded_by=by,
    )
    bid.full_clean()
    bid.save()
    for uploaded in files:
        store_document(
            uploaded=uploaded,
            attached_to=bid,
            by=by,
            purpose="bid",
            title=f"Bid from {organisation}",
            field="file",
        )
    return bid


def _note(commission: Commission, transition: str, note: str, by) -> None:
    """A timeline entry on the commission for something done within its stage."""
    record_transition(
        commission,
        transition=transition,
        from_state=commission.status,
        to_state=commission.status,
        by=by,
        note=note,
    )


def _tender_bid(commission: Commission, bid: Bid) -> tuple[Tender, Bid]:
    tender = _tender(commission)
    locked = (
        Bid.objects.select_for_update()
        .select_related("organisation")
        .filter(pk=bid.pk, tender=tender)
        .first()
    )
    if locked is None:
        raise ValidationError("That bid is not part of this tender")
    locked.tender = tender
    return tender, locked


@transaction.atomic
def correct_bid(
    *, commission: Commission, bid: Bid, organisation, price: Decimal, received_on: date, summary: str, by
) -> Bid:
    """Correct a bid as recorded (a mistyped price or date, the wrong bidder) before scoring starts."""
    _require(by, "commissioning.change_commission")
    tender, locked = _tender_bid(commission, bid)
    _refuse(gates.bid_change_closed(tender.procurement.commission, tender, locked))
    errors = {}
    if organisation != locked.organisation and tender.bids.filter(organisation=organisation).exists():
        errors["organisation"] = f"A bid from {organisation} is already recorded"
    if received_on < tender.published_on:
        errors["received_on"] = "A bid cannot be received before the tender was published"
    _refuse(errors)
    old = {
        "bidder": str(locked.organisation),
        "price": _gbp(locked.price),
        "received on": f"{locked.received_on:%-d %B %Y}",
        "summary": locked.summary,
    }
    was_late = locked.is_late
    if organisation != locked.organisation:
        # Declarations were about the other bidder: each panel member declares again.
        locked.declarations.all().delete()
    locked.organisation, locked.price, locked.received_on, locked.summary = (
        organisation,
        price,
        received_on,
        summary,
    )
    if was_late != locked.is_late:
        locked.late_decision, locked.late_reason, locked.late_decided_by, locked.late_decided_at = (
            "",
            "",
            None,
            None,
        )
    locked.full_clean()
    locked.save()
    new = {
        "bidder": str(organisation),
        "price": _gbp(price),
        "received on": f"{received_on:%-d %B %Y}",
        "summary": summary,
    }
    changes = "; ".join(
        f"{name} {old[name]} to {new[name]}" if name != "summary" else "summary changed"
        for name in old
        if old[name] != new[name]
    )
    _note(
        commission, "bid_corrected", f"Bid from {old['bidder']} corrected: {changes or 'nothing changed'}", by
    )
    return locked


@transaction.atomic
def withdraw_bid(*, commission: Commission, bid: Bid, reason: str, by) -> Bid:
    """The bidder withdrew (or the bid was recorded in error): it stays on record, out of the evaluation."""
    _require(by, "commissioning.change_commission")
    tender, locked = _tender_bid(commission, bid)
    _refuse(gates.bid_change_closed(tender.procurement.commission, tender, locked))
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the bid is being withdrawn"})
    locked.withdrawn_at, locked.withdrawn_reason, locked.withdrawn_by = timezone.now(), reason.strip(), by
    locked.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by"])
    _note(
        commission,
        "bid_withdrawn",
        f"Bid from {locked.organisation} withdrawn: {locked.withdrawn_reason}",
        by,
    )
    return locked


@transaction.atomic
def decide_late_bid(*, commission: Commission, bid: Bid, decision: str, reason: str, by) -> Bid:
    """Record the panel's decision on a bid received after the closing date, with its reason. Accepted, it joins
    the evaluation; rejected, it stays out."""
    _require(by, "commissioning.change_commission")
    tender, locked = _tender_bid(commission, bid)
    _refuse(gates.late_decision_closed(tender.procurement.commission, tender, locked))
    errors = {}
    if decision not in Bid.LateDecision.values:
        errors["decision"] = "Select whether the panel accepts or rejects the late bid"
    if not (reason or "").strip():
        errors["reason"] = "Enter the reason for the panel’s decision"
    _refuse(errors)
    locked.late_decision, locked.late_reason = decision, reason.strip()
    locked.late_decided_by, locked.late_decided_at = by, timezone.now()
    locked.full_clean()
    locked.save(update_fields=["late_decision", "late_reason", "late_decided_by", "late_decided_at"])
    word = Bid.LateDecision(decision).label.lower()
    _note(
        commission,
        f"late_bid_{word}",
        f"Late bid from {locked.organisation} {word} by the panel: {locked.late_reason}",
        by,
    )
    return locked


@transaction.atomic
def add_panel_member(*, commission: Commission, user, by) -> PanelMember:
    _require(by, "commissioning.change_commission")
    tender = _tender(commission)
    if user.role not in (Role.EVALUATOR, Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING):
        raise ValidationError(
            {"user": "Only evaluators and commissioning staff can sit on an evaluation panel"}
        )
    if tender.panel.filter(user=user).exists():
        raise ValidationError({"user": f"{user} is already on the panel"})
    return PanelMember.objects.create(tender=tender, user=user)


@transaction.atomic
def remove_panel_member(*, commission: Commission, member: PanelMember, by) -> None:
    """Take someone off the panel before they have scored (their declarations go with them)."""
    _require(by, "commissioning.change_commission")
    tender = _tender(commission)
    locked = (
        PanelMember.objects.select_for_update()
        .select_related("user")
        .filter(pk=member.pk, tender=tender)
        .first()
    )
    if locked is None:
        raise ValidationError("That person is not on this panel")
    _refuse(gates.panel_removal_closed(tender.procurement.commission, locked))
    name = locked.user.full_name
    locked.delete()
    _note(commission, "panel_member_removed", f"{name} removed from the evaluation panel", by)


def _member(tender: Tender, user) -> PanelMember:
    member = tender.panel.filter(user=user).first()
    if member is None:
        raise PermissionDenied("You are not on this evaluation panel.")
    return member


def declaration_problems(*, bids, answers: dict, details: dict) -> dict[str, str]:
    """Every missing answer and undescribed conflict at once (the declarations form asks this too)."""
    errors = {}
    for bid in bids:
        answer = answers.get(bid.pk)
        if answer is None:
            errors[f"bid_{bid.pk}"] = f"Say whether you have a conflict of interest with {bid.organisation}"
        elif answer and not (details.get(bid.pk) or "").strip():
            errors[f"details_{bid.pk}"] = f"Describe your conflict of interest with {bid.organisation}"
    return errors


@transaction.atomic
def declare(*, tender: Tender, user, answers: dict, details: dict) -> list[Declaration]:
    """A panel member declares, for every bid not yet declared on, whether they have a conflict of interest."""
    member = _member(tender, user)
    done = set(member.declarations.values_list("bid_id", flat=True))
    todo = [b for b in tender.bids.in_evaluation().select_related("organisation") if b.pk not in done]
    if errors := declaration_problems(bids=todo, answers=answers, details=details):
        raise ValidationError(errors)
    return [
        Declaration.objects.create(
            member=member,
            bid=bid,
            conflict=answers[bid.pk],
            details=(details.get(bid.pk) or "").strip() if answers[bid.pk] else "",
        )
        for bid in todo
    ]


@transaction.atomic
def score_bid(*, bid: Bid, user, scores: dict) -> list[Score]:
    """scores: {criterion_id: (score, comment)}. Only after declaring no conflict with this bidder."""
    tender = bid.tender
    member = _member(tender, user)
    if not bid.in_evaluation:
        raise ValidationError(gates.NOT_EVALUATED)
    declaration = member.declarations.filter(bid=bid).first()
    if declaration is None:
        raise ValidationError(
            "Declare any conflicts of interest before you score: the bids stay hidden until you do"
        )
    if declaration.conflict:
        raise PermissionDenied(
            "You declared a conflict of interest with this bidder, so you cannot see or score their bid."
        )
    _refuse(gates.scoring_closed(bid))
    criteria = list(tender.criteria.all())
    errors = {}
    for criterion in criteria:
        score, comment = scores.get(criterion.pk, (None, ""))
        if score is None:
            errors[f"score_{criterion.pk}"] = f"Enter a score for {criterion.name}"
        elif not 0 <= score <= tender.score_scale_max:
            errors[f"score_{criterion.pk}"] = (
                f"The score for {criterion.name} must be between 0 and {tender.score_scale_max}"
            )
        if not (comment or "").strip():
            errors[f"comment_{criterion.pk}"] = f"Enter the reasons for your score for {criterion.name}"
    if errors:
        raise ValidationError(errors)
    saved = []
    for criterion in criteria:
        score, comment = scores[criterion.pk]
        row, _ = Score.objects.update_or_create(
            member=member, bid=bid, criterion=criterion, defaults={"score": score, "comment": comment.strip()}
        )
        saved.append(row)
    return saved


@transaction.atomic
def moderate_bid(*, commission: Commission, bid: Bid, scores: dict, by) -> list[ModeratedScore]:
    """scores: {criterion_id: (score, rationale)}, once every eligible panel member has scored the bid."""
    _require(by, "commissioning.change_commission")
    tender = _tender(commission)
    if bid.tender_id != tender.pk:
        raise ValidationError("That bid is not part of this tender")
    status = gates.tender_status(tender)
    _refuse(gates.moderation_closed(commission, tender, bid, status))
    errors = {}
    for criterion in status["criteria"]:
        score, rationale = scores.get(criterion.pk, (None, ""))
        if score is None:
            errors[f"score_{criterion.pk}"] = f"Enter the moderated score for {criterion.name}"
        elif not 0 <= score <= tender.score_scale_max:
            errors[f"score_{criterion.pk}"] = (
                f"The score for {criterion.name} must be between 0 and {tender.score_scale_max}"
            )
        if not (rationale or "").strip():
            errors[f"rationale_{criterion.pk}"] = (
                f"Enter the rationale for the moderated score for {criterion.name}"
            )
    if errors:
        raise ValidationError(errors)
    return [
        ModeratedScore.objects.update_or_create(
            bid=bid,
            criterion=c,
            defaults={"score": scores[c.pk][0], "rationale": scores[c.pk][1].strip(), "by": by},
        )[0]
        for c in status["criteria"]
    ]


# ---- Single tender agreement -----------------------------------------------------------------


@transaction.atomic
def save_single_tender(
    *, commission: Commission, organisation, ground: str, justification: str, value: Decimal, by
) -> SingleTenderAgreement:
    _require(by, "commissioning.change_commission")
    procurement = _procurement(commission, Route.SINGLE_TENDER)
    _refuse(gates.single_tender_closed(procurement.commission))
    sta = gates._one(procurement, "sta") or SingleTenderAgreement(procurement=procurement)
    sta.organisation, sta.ground, sta.justification, sta.value = organisation, ground, justification, value
    sta.needs_pcc = value > CommissioningRules.current().sta_pcc_threshold
    sta.full_clean()
    sta.save()
    return sta


@transaction.atomic
def sign_single_tender(*, commission: Commission, by) -> SingleTenderAgreement:
    _require(by, "commissioning.sign_single_tender")
    procurement = _procurement(commission, Route.SINGLE_TENDER)
    sta = SingleTenderAgreement.objects.select_for_update().filter(procurement=procurement).first()
    if sta is None:
        raise ValidationError("There is no single tender agreement to sign off")
    now = timezone.now()
    if by.role == Role.HEAD_OF_COMMISSIONING:
        if sta.head_signed_at:
            raise ValidationError("The head of commissioning has already signed off this agreement")
        sta.head_signed_by, sta.head_signed_at = by, now
    elif by.role == Role.PCC:
        if not sta.needs_pcc:
            raise ValidationError("This agreement does not need the PCC's sign-off")
        if not sta.head_signed_at:
            raise ValidationError("The head of commissioning signs off first")
        if sta.pcc_signed_at:
            raise ValidationError("The PCC has already signed off this agreement")
        sta.pcc_signed_by, sta.pcc_signed_at = by, now
    sta.save()
    return sta


# ---- Award decision --------------------------------------------------------------------------


def delegation_level(value: Decimal, rules: CommissioningRules | None = None) -> str:
    rules = rules or CommissioningRules.current()
    if value <= rules.officer_limit:
        return DelegationLevel.OFFICER
    if value <= rules.head_limit:
        return DelegationLevel.HEAD
    return DelegationLevel.PCC


LEVEL_ROLES = {
    DelegationLevel.OFFICER: {Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING},
    DelegationLevel.HEAD: {Role.HEAD_OF_COMMISSIONING},
    DelegationLevel.PCC: {Role.PCC},
}


def eligible_providers(procurement: Procurement):
    """Who the award can go to under this route."""
    if procurement.is_quotes:
        return [procurement.chosen_quote.organisation] if procurement.chosen_quote_id else []
    if procurement.is_single_tender:
        sta = gates._one(procurement, "sta")
        return [sta.organisation] if sta else []
    tender = gates._one(procurement, "tender")
    return (
        [b.organisation for b in tender.bids.in_evaluation().select_related("organisation")] if tender else []
    )


def decision_problems(*, value: Decimal | None, decision_record: str, by) -> dict[str, str]:
    """What is wrong with an award decision's value and record for this decider (the decision form asks this too)."""
    if value is None:
        return {}
    level = delegation_level(value)
    if by.role not in LEVEL_ROLES[level]:
        return {
            "value": f"An award of {_gbp(value)} is decided by the {DelegationLevel(level).label.lower()}: "
            f"you cannot record it"
        }
    if level == DelegationLevel.PCC and not (decision_record or "").strip():
        return {"decision_record": "Enter the PCC decision record reference"}
    return {}


@transaction.atomic
def record_decision(
    *,
    commission: Commission,
    organisation,
    value: Decimal,
    rationale: str,
    by,
    decision_record: str = "",
    decided_on: date | None = None,
) -> AwardDecision:
    _require(by, "commissioning.decide_award")
    procurement = _procurement(commission)
    gaps = gates.decision_gaps(commission)
    if gaps:
        raise ValidationError(gaps)
    errors = decision_problems(value=value, decision_record=decision_record, by=by)
    if organisation not in eligible_providers(procurement):
        errors["organisation"] = "Choose a provider the procurement selected"
    if errors:
        raise ValidationError(errors)
    level = delegation_level(value)
    decision = AwardDecision(
        procurement=procurement,
        organisation=organisation,
        value=value,
        level=level,
        rationale=rationale,
        decision_record=decision_record,
        decided_by=by,
        decided_on=decided_on or timezone.localdate(),
    )
    decision.full_clean()
    decision.save()
    return decision


# ---- Contract --------------------------------------------------------------------------------


def whole_value(annual_value: Decimal, total_value: Decimal, extensions: list[int]) -> Decimal:
    """The initial term's value plus each extension year at the annual value: what the decision's value covers."""
    return total_value + annual_value * sum(extensions)


def longest_term(pot, start_date: date) -> tuple[int, int]:
    """(the most whole years from start_date the pots allow (at most 10), the first financial year with no pot)."""
    from funding.models import Pot
    from opcc.calendar import financial_year_of, year_end

    first = financial_year_of(start_date)
    have = set(
        Pot.objects.filter(key=pot.key, year__start_year__gte=first).values_list(
            "year__start_year", flat=True
        )
    )
    missing = first
    while missing in have:
        missing += 1
    years = 0
    while years < 10 and add_years(start_date, years + 1) - timedelta(days=1) <= year_end(missing - 1):
        years += 1
    return years, missing


def term_without_pot(pot, start_date: date, end_date: date) -> str | None:
    """Why the pots cannot carry a term from start_date to end_date, in words with what to do; None if they can."""
    from opcc.calendar import financial_year_of, year_end

    years, missing = longest_term(pot, start_date)
    if financial_year_of(end_date) < missing:
        return None
    last_day = year_end(missing - 1)
    if years:
        shorten = (
            f"shorten the initial term to {years} year{'s' if years != 1 else ''} so it ends by "
            f"{last_day:%-d %B %Y}, or "
        )
    elif missing > financial_year_of(start_date):
        shorten = f"start the contract earlier so a year's term ends by {last_day:%-d %B %Y}, or "
    else:
        shorten = ""
    return (
        f"There is no {pot.name} pot in {missing} to {missing + 1} yet, so a term from {start_date:%-d %B %Y} to "
        f"{end_date:%-d %B %Y} cannot be committed: {shorten}ask finance to prepare the {missing} to "
        f"{missing + 1} allocation first"
    )


def contract_errors(
    *,
    decision: AwardDecision,
    pot=None,
    annual_value: Decimal | None = None,
    total_value: Decimal | None = None,
    start_date: date | None = None,
    initial_term_years: int | None = None,
    extension_pattern: str | None = None,
    signed_on: date | None = None,
    value_difference_reason: str = "",
    **_other,
) -> dict:
    """Everything wrong with a contract's answers, by field, all at once. A value left out (or that its form field
    already refused) skips the checks that need it, so the form lists these beside its own errors and
    create_contract refuses exactly the same."""
    errors = {}
    pattern = None
    if extension_pattern:
        try:
            pattern = parse_pattern(extension_pattern)
        except ValidationError as exc:
            errors.update({field: messages[0] for field, messages in exc.message_dict.items()})
    if pattern is not None and initial_term_years is not None and pattern[0] != initial_term_years:
        errors["extension_pattern"] = (
            f"The pattern starts with {pattern[0]} years but the initial term is {initial_term_years}"
        )
    if pot is not None and start_date is not None and initial_term_years is not None:
        end_date = add_years(start_date, initial_term_years) - timedelta(days=1)
        if (missing := term_without_pot(pot, start_date, end_date)) is not None:
            errors["initial_term_years"] = missing
    if total_value is not None and annual_value is not None and total_value < annual_value:
        errors["total_value"] = "The total value cannot be less than the annual value"
    if total_value is not None and total_value > decision.value:
        errors["total_value"] = f"The total value is more than the {_gbp(decision.value)} awarded"
    elif (
        total_value is not None
        and annual_value is not None
        and pattern is not None
        and "extension_pattern" not in errors
        and not (value_difference_reason or "").strip()
    ):
        extensions = pattern[1]
        whole = whole_value(annual_value, total_value, extensions)
        if whole != decision.value:
            errors["value_difference_reason"] = (
                f"The contract's whole value, {_gbp(whole)} ({_gbp(total_value)} for the initial term"
                + (
                    f" and {_gbp(whole - total_value)} for {sum(extensions)} extension year"
                    f"{'s' if sum(extensions) != 1 else ''} at the annual value"
                    if extensions
                    else ""
                )
                + f"), is {'less' if whole < decision.value else 'more'} than the {_gbp(decision.value)} awarded: "
                "enter why it differs, or change the values to match the decision"
            )
    if signed_on is not None and signed_on > timezone.localdate():
        errors["signed_on"] = "The date signed cannot be in the future"
    elif signed_on is not None and start_date is not None and signed_on > start_date:
        errors["signed_on"] = "The contract must be signed on or before its start date"
    return errors


@transaction.atomic
def create_contract(
    *,
    commission: Commission,
    pot,
    annual_value: Decimal,
    total_value: Decimal,
    start_date: date,
    initial_term_years: int,
    extension_pattern: str,
    break_notice_months: int,
    break_clause: str,
    signed_on: date,
    schedule_kind: str,
    by,
    value_difference_reason: str = "",
) -> Contract:
    """The signed contract and its funding.Award, in one transaction: both or neither.

    The contract carries out the award decision: its whole value (the initial term, plus each extension at the
    annual value) is the value decided, or the difference is explained (a price agreed lower, a shorter term).
    The initial term cannot commit more than was decided.
    """
    _require(by, "commissioning.change_commission")
    locked = _in_do(commission)
    _refuse(gates.contract_gaps(locked))
    procurement = gates.current_procurement(locked)
    decision = procurement.decision
    _refuse(
        contract_errors(
            decision=decision,
            pot=pot,
            annual_value=annual_value,
            total_value=total_value,
            start_date=start_date,
            initial_term_years=initial_term_years,
            extension_pattern=extension_pattern,
            signed_on=signed_on,
            value_difference_reason=value_difference_reason,
        )
    )
    end_date = add_years(start_date, initial_term_years) - timedelta(days=1)
    award = award_services.create_award(
        organisation=decision.organisation,
        pot=pot,
        kind=AwardKind.CONTRACT,
        title=locked.title,
        purpose=locked.summary,
        start_date=start_date,
        end_date=end_date,
        amount=total_value,
        schedule_kind=schedule_kind,
        by=by,
        awarded_on=signed_on,
        objectives=list(locked.objectives.all()),
    )
    contract = Contract(
        procurement=procurement,
        award=award,
        organisation=decision.organisation,
        annual_value=annual_value,
        total_value=total_value,
        start_date=start_date,
        initial_term_years=initial_term_years,
        extension_pattern=extension_pattern.replace(" ", ""),
        break_notice_months=break_notice_months,
        break_clause=break_clause,
        signed_on=signed_on,
        value_difference_reason=(value_difference_reason or "").strip(),
    )
    contract.full_clean()
    contract.save()
    # Activated once the contract exists, so monitoring finds its outcome measures (commissioning/outcomes.py).
    contract.award = award_services.activate_award(
        award=award, by=by, note=f"Contract signed on {signed_on:%-d %B %Y}", check_permission=False
    )
    return contract


@transaction.atomic
def exercise_extension(
    *, contract: Contract, additional: Decimal, agreed_on: date, note: str, by
) -> Extension:
    _require(by, "commissioning.change_commission")
    contract = Contract.objects.select_for_update().select_related("award").get(pk=contract.pk)
    _refuse(gates.extension_closed(contract))
    years = contract.next_extension_years
    old_end = contract.award.end_date
    new_end = add_years(old_end + timedelta(days=1), years) - timedelta(days=1)
    award_services.extend_award(
        award=contract.award,
        new_end_date=new_end,
        additional=additional,
        by=by,
        note=note or f"Extension {contract.extensions_used + 1} of {contract.extension_pattern}",
    )
    extension = Extension.objects.create(
        contract=contract,
        years=years,
        old_end_date=old_end,
        new_end_date=new_end,
        additional=additional,
        agreed_on=agreed_on,
        by=by,
    )
    contract.extensions_used += 1
    contract.save(update_fields=["extensions_used"])
    return extension


def break_notice_problems(
    *, contract: Contract, served_on: date | None, reason: str, today: date | None = None
) -> dict[str, str]:
    """Every problem with a break notice's answers at once (the break notice form asks this too)."""
    today = today or timezone.localdate()
    errors = {}
    if served_on is not None:
        if served_on > today:
            errors["served_on"] = "The date notice was served cannot be in the future"
        elif served_on < contract.start_date:
            errors["served_on"] = "Notice cannot be served before the contract started"
        elif add_months(served_on, contract.break_notice_months) > contract.award.end_date:
            errors["served_on"] = (
                f"The notice period of {contract.break_notice_months} months would end after the "
                f"contract does ({contract.award.end_date:%-d %B %Y}): let it expire instead"
            )
    if not (reason or "").strip():
        errors["reason"] = "Enter the reason for the break notice"
    return errors


@transaction.atomic
def serve_break_notice(
    *,
    contract: Contract,
    served_by: str,
    served_on: date,
    reason: str,
    keep: Decimal,
    by,
    today: date | None = None,
) -> BreakNotice:
    """Record a break notice. The award ends at the exit date: now if that has come, else by the daily task."""
    _require(by, "commissioning.change_commission")
    _require(by, "funding.end_award")
    today = today or timezone.localdate()
    contract = Contract.objects.select_for_update().select_related("award").get(pk=contract.pk)
    _refuse(gates.break_closed(contract))
    if problems := break_notice_problems(contract=contract, served_on=served_on, reason=reason, today=today):
        raise ValidationError(problems)
    exit_date = add_months(served_on, contract.break_notice_months)
    notice = BreakNotice.objects.create(
        contract=contract,
        served_by=served_by,
        served_on=served_on,
        exit_date=exit_date,
        reason=reason.strip(),
        keep=keep or ZERO,
        by=by,
    )
    if exit_date <= today:
        apply_break_notice(notice=notice, by=by)
    return notice


def apply_break_notice(*, notice: BreakNotice, by=None) -> None:
    by = by or SystemActor()
    with transaction.atomic():
        notice = BreakNotice.objects.select_for_update().select_related("contract__award").get(pk=notice.pk)
        if notice.applied_at:
            return
        award_services.end_award(
            award=notice.contract.award,
            transition="terminate",
            by=by,
            keep=notice.keep,
            note=f"Break clause: notice served by {notice.get_served_by_display().lower()} on "
            f"{notice.served_on:%-d %B %Y}, ending {notice.exit_date:%-d %B %Y} (recorded by {notice.by}). {notice.reason}",
        )
        notice.applied_at = timezone.now()
        notice.save(update_fields=["applied_at"])


# ---- Review ----------------------------------------------------------------------------------


def _review_contract(commission) -> Contract:
    locked = Commission.objects.select_for_update().get(pk=commission.pk)
    _refuse(gates.review_closed(locked))
    return gates.current_contract(locked)


@transaction.atomic
def record_review(*, commission: Commission, decision: str, reasons: str, by) -> ReviewDecision:
    _require(by, "commissioning.change_commission")
    contract = _review_contract(commission)
    if decision == ReviewDecision.Decision.EXTEND and contract.next_extension_years is None:
        raise ValidationError({"decision": f"Every extension in {contract.extension_pattern} has been used"})
    review = ReviewDecision(contract=contract, decision=decision, reasons=reasons, by=by)
    review.full_clean()
    review.save()
    return review


def decommissioning_plan_problems(
    *, contract: Contract, exit_date: date | None, agreed_on: date | None, today: date | None = None
) -> dict[str, str]:
    """Every problem with a de-commissioning plan's dates at once (the plan's form asks this too)."""
    errors = {}
    if exit_date and agreed_on and exit_date < agreed_on:
        errors["exit_date"] = "The exit date must be on or after the date the plan was agreed"
    if exit_date and exit_date > contract.award.end_date:
        errors["exit_date"] = (
            f"The exit date must be on or before the contract's end date, {contract.award.end_date:%-d %B %Y}"
        )
    if agreed_on and agreed_on > (today or timezone.localdate()):
        errors["agreed_on"] = "The date agreed cannot be in the future"
    return errors


@transaction.atomic
def record_decommissioning_plan(
    *,
    commission: Commission,
    support_offered: str,
    exit_date: date,
    service_user_transition: str,
    agreed_on: date,
    keep: Decimal,
    by,
) -> DecommissioningPlan:
    _require(by, "commissioning.change_commission")
    contract = _review_contract(commission)
    if errors := decommissioning_plan_problems(contract=contract, exit_date=exit_date, agreed_on=agreed_on):
        raise ValidationError(errors)
    plan = gates._one(contract, "decommissioning_plan") or DecommissioningPlan(contract=contract)
    plan.support_offered, plan.exit_date, plan.service_user_transition = (
        support_offered,
        exit_date,
        service_user_transition,
    )
    plan.agreed_on, plan.keep, plan.by = agreed_on, keep or ZERO, by
    plan.full_clean()
    plan.save()
    return plan
