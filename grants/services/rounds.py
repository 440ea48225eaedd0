"""Opening and changing funding rounds: dates, pot, maximum award and weighted criteria."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from grants.models import (
    Criterion,
    CriterionKind,
    Round,
    SchemeKind,
)
from grants.selectors import pot_left
from opcc.money import gbp
from opcc.services import plan as plan_services
from opcc.types import Actor


def criteria_problem(criteria: list[dict]) -> str | None:
    """Weights add up to 100 and cover quality of outcomes and cost (value for money, not cheapest)."""
    total = sum(c["weight"] for c in criteria)
    if not criteria or total != 100:
        return f"The criteria's weights must add up to 100: they add up to {total}"
    kinds = {c["kind"] for c in criteria}
    if kinds != {CriterionKind.QUALITY, CriterionKind.COST}:
        return "Include at least one criterion for the quality of outcomes and one for cost"
    if any(not 1 <= c["weight"] <= 100 for c in criteria):
        return "Each criterion's weight must be between 1 and 100"
    return None


def round_errors(
    *,
    scheme=None,
    pot=None,
    opens_at=None,
    closes_at=None,
    max_award=None,
    criteria=None,
    decisions_by=None,
    acceptance_days=None,
    **_other,
) -> dict:
    """Everything wrong with a round's answers, by field, all at once. A value left out (or that its form field
    already refused) skips the checks that need it, so the form lists these beside its own errors and save_round
    refuses exactly the same."""
    errors = {}
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        errors["closes_at"] = "The closing time must be after the opening time"
    if (
        decisions_by is not None
        and closes_at is not None
        and decisions_by <= timezone.localtime(closes_at).date()
    ):
        errors["decisions_by"] = "The date decisions are expected by must be after the closing date"
    if scheme is not None and scheme.kind == SchemeKind.CGS and pot is None:
        errors["pot"] = "Choose the pot this round's grants come from"
    if pot is not None and max_award is not None and max_award > (left := pot_left(pot)):
        errors["max_award"] = (
            f"The maximum award must be no more than the {gbp(left)} the {pot.name} pot has "
            f"left to commit in {pot.year.label}"
        )
    if acceptance_days is not None and not 1 <= acceptance_days <= 120:
        errors["acceptance_days"] = "The days to accept an offer must be between 1 and 120"
    if criteria is not None and (problem := criteria_problem(criteria)):
        errors["criteria"] = problem
    return errors


@transaction.atomic
def save_round(
    *, round_: Round | None = None, criteria: list[dict], by: Actor, objectives=None, **fields
) -> Round:
    """A new round says which Police and Crime Plan objectives it serves; a round made before the plan was recorded
    stays valid without any, but a round that has them cannot be left with none."""
    errors = round_errors(criteria=criteria, **fields)
    if round_ is None or (objectives is not None and round_.objectives.exists()):
        errors.update(plan_services.objectives_error(objectives))
    if errors:
        raise ValidationError(errors)
    round_ = round_ or Round()
    for name, value in fields.items():
        setattr(round_, name, value)
    round_.full_clean()
    round_.save()
    if objectives:
        round_.objectives.set(objectives)
    round_.criteria.all().delete()
    Criterion.objects.bulk_create([Criterion(round=round_, position=i, **c) for i, c in enumerate(criteria)])
    return round_
