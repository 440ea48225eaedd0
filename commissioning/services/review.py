"""Review: the decision on a running contract and, to de-commission, the plan agreed with the provider."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning import gates
from commissioning.models import Commission, Contract, DecommissioningPlan, ReviewDecision
from commissioning.services._common import _refuse
from opcc.money import ZERO
from opcc.permissions import require_perm
from opcc.types import Actor


def _review_contract(commission) -> Contract:
    locked = Commission.objects.select_for_update().get(pk=commission.pk)
    _refuse(gates.review_closed(locked))
    return gates.current_contract(locked)


@transaction.atomic
def record_review(*, commission: Commission, decision: str, reasons: str, by: Actor) -> ReviewDecision:
    require_perm(by, "commissioning.change_commission")
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
    by: Actor,
) -> DecommissioningPlan:
    require_perm(by, "commissioning.change_commission")
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
