"""A tender: its published terms, its quality criteria and the bids received (late, corrected or withdrawn)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning import gates
from commissioning.models import (
    Bid,
    Commission,
    CommissioningRules,
    Criterion,
    Procurement,
    Route,
    Score,
    Tender,
)
from commissioning.selectors import envelope_limit
from commissioning.services import notices as notice_services
from commissioning.services._common import _note, _procurement, _refuse, _tender
from opcc.money import gbp
from opcc.permissions import require_perm
from opcc.services.documents import store_document
from opcc.types import Actor


def envelope_hint(procurement: Procurement) -> str:
    rules = CommissioningRules.current()
    return (
        f"Published to bidders. Up to {gbp(envelope_limit(procurement, rules))} (the estimated total value of "
        f"{gbp(procurement.value)} plus {rules.envelope_margin_percent}%) unless you give a reason"
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
                f"The funding envelope of {gbp(envelope)} is more than {rules.envelope_margin_percent}% above the "
                f"estimated total value of {gbp(procurement.value)}: enter why, or lower the envelope to "
                f"{gbp(limit)} or less"
            )
    return errors


@transaction.atomic
def save_tender(*, commission: Commission, by: Actor, **fields) -> Tender:
    require_perm(by, "commissioning.change_commission")
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
    notice_services.tender_recorded(tender)
    return tender


@transaction.atomic
def set_criteria(*, commission: Commission, rows: list[tuple[str, int, str]], by: Actor) -> list[Criterion]:
    """Replace the quality criteria. Weights must add up to 100; nothing is saved otherwise."""
    require_perm(by, "commissioning.change_commission")
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
    *,
    commission: Commission,
    organisation,
    price: Decimal,
    received_on: date,
    summary: str,
    by: Actor,
    files=(),
) -> Bid:
    require_perm(by, "commissioning.change_commission")
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
    *,
    commission: Commission,
    bid: Bid,
    organisation,
    price: Decimal,
    received_on: date,
    summary: str,
    by: Actor,
) -> Bid:
    """Correct a bid as recorded (a mistyped price or date, the wrong bidder) before scoring starts."""
    require_perm(by, "commissioning.change_commission")
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
        "price": gbp(locked.price),
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
        "price": gbp(price),
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
def withdraw_bid(*, commission: Commission, bid: Bid, reason: str, by: Actor) -> Bid:
    """The bidder withdrew (or the bid was recorded in error): it stays on record, out of the evaluation."""
    require_perm(by, "commissioning.change_commission")
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
def decide_late_bid(*, commission: Commission, bid: Bid, decision: str, reason: str, by: Actor) -> Bid:
    """Record the panel's decision on a bid received after the closing date, with its reason. Accepted, it joins
    the evaluation; rejected, it stays out."""
    require_perm(by, "commissioning.change_commission")
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
