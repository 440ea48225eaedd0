"""The award decision, made at the delegation level its value needs."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning import gates
from commissioning.exclusions import award_refusal
from commissioning.models import AwardDecision, Commission
from commissioning.selectors import delegation_level, eligible_providers
from commissioning.services import award as award_services
from commissioning.services._common import _procurement
from funding.models import DecisionKind, DelegationLevel
from opcc.models import Role
from opcc.money import gbp
from opcc.permissions import require_perm
from opcc.types import Actor


def decision_problems(*, value: Decimal | None, decision_record: str, by: Actor) -> dict[str, str]:
    """What is wrong with an award decision's value and record for this decider (the decision form asks this too)."""
    if value is None:
        return {}
    level = delegation_level(value)
    mine = DelegationLevel.for_role(DecisionKind.CONTRACT, by.role)
    if mine is None or not mine.covers(value):
        return {
            "value": f"An award of {gbp(value)} is decided by the {level.label.lower()}: you cannot record it"
        }
    # The PCC's decisions are published with a decision record.
    if by.role == Role.PCC and not (decision_record or "").strip():
        return {"decision_record": "Enter the PCC decision record reference"}
    return {}


@transaction.atomic
def record_decision(
    *,
    commission: Commission,
    organisation,
    value: Decimal,
    rationale: str,
    by: Actor,
    decision_record: str = "",
    decided_on: date | None = None,
) -> AwardDecision:
    require_perm(by, "commissioning.decide_award")
    procurement = _procurement(commission)
    gaps = gates.decision_gaps(commission)
    if gaps:
        raise ValidationError(gaps)
    errors = decision_problems(value=value, decision_record=decision_record, by=by)
    if organisation not in eligible_providers(procurement):
        errors["organisation"] = "Choose a provider the procurement selected"
    elif refusal := award_refusal(procurement, organisation):
        errors["organisation"] = " ".join(refusal)
    if errors:
        raise ValidationError(errors)
    decision = AwardDecision(
        procurement=procurement,
        organisation=organisation,
        value=value,
        level=delegation_level(value).role,
        rationale=rationale,
        decision_record=decision_record,
        decided_by=by,
        decided_on=decided_on or timezone.localdate(),
    )
    decision.full_clean()
    decision.save()
    award_services.draft_after_decision(decision, by=by)
    return decision
