"""Changes to the Police and Crime Plan: only the head of commissioning, each change kept by simple-history."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from opcc.models import Objective, PoliceAndCrimePlan, Priority
from opcc.permissions import require_perm

CHANGE = "opcc.change_policeandcrimeplan"
TAG = "opcc.tag_objectives"
LIST_UNTAGGED = "opcc.list_untagged"


def _title_errors(title: str, noun: str) -> dict:
    return {} if (title or "").strip() else {"title": f"Enter the {noun}"}


def records_using(objective: Objective) -> int:
    """How many commissions, rounds and awards are linked to the objective (every app's link, without naming it)."""
    total = 0
    for relation in Objective._meta.related_objects:
        if relation.many_to_many:
            total += getattr(objective, relation.get_accessor_name()).count()
    return total


def _refuse_if_used(objectives, noun: str) -> None:
    used = sum(records_using(o) for o in objectives)
    if used:
        records = "record uses" if used == 1 else "records use"
        raise ValidationError(
            f"You cannot remove this {noun}: {used} {records} it. "
            f"Tag {'it' if used == 1 else 'them'} with other objectives first"
        )


def period_errors(period_start: date | None, period_end: date | None) -> dict:
    """The plan's period, checked by the form beside its own errors and by update_plan alike."""
    if period_start is not None and period_end is not None and period_end <= period_start:
        return {"period_end": "The end of the period must be after its start"}
    return {}


@transaction.atomic
def update_plan(
    *, plan: PoliceAndCrimePlan | None, title: str, period_start: date | None, period_end: date | None, by
) -> PoliceAndCrimePlan:
    """The plan's title and period; with no plan yet, this sets up the current one."""
    require_perm(by, CHANGE)
    plan = (
        PoliceAndCrimePlan.objects.select_for_update().get(pk=plan.pk)
        if plan
        else PoliceAndCrimePlan(is_current=True)
    )
    errors = {**_title_errors(title, "plan's title"), **period_errors(period_start, period_end)}
    if period_start is None:
        errors["period_start"] = "Enter the start of the plan's period"
    if period_end is None:
        errors["period_end"] = "Enter the end of the plan's period"
    if errors:
        raise ValidationError(errors)
    plan.title, plan.period_start, plan.period_end = title.strip(), period_start, period_end
    plan.full_clean()
    plan.save()
    return plan


def _next_position(qs) -> int:
    last = qs.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


@transaction.atomic
def save_priority(
    *, plan: PoliceAndCrimePlan, title: str, description: str, by, priority: Priority | None = None
) -> Priority:
    require_perm(by, CHANGE)
    if errors := _title_errors(title, "priority"):
        raise ValidationError(errors)
    if priority is None:
        priority = Priority(plan=plan, position=_next_position(plan.priorities.all()))
    priority.title, priority.description = title.strip(), (description or "").strip()
    priority.full_clean()
    priority.save()
    return priority


@transaction.atomic
def save_objective(*, priority: Priority, title: str, by, objective: Objective | None = None) -> Objective:
    require_perm(by, CHANGE)
    if errors := _title_errors(title, "objective"):
        raise ValidationError(errors)
    if objective is None:
        objective = Objective(priority=priority, position=_next_position(priority.objectives.all()))
    objective.title = title.strip()
    objective.full_clean()
    objective.save()
    return objective


def _move(item, siblings, direction: str) -> None:
    """Swap the item with its neighbour above or below; positions are renumbered so they stay distinct."""
    ordered = list(siblings.select_for_update().order_by("position", "id"))
    index = next(i for i, s in enumerate(ordered) if s.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, sibling in enumerate(ordered):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


@transaction.atomic
def move_priority(*, priority: Priority, direction: str, by) -> None:
    require_perm(by, CHANGE)
    _move(priority, priority.plan.priorities.all(), direction)


@transaction.atomic
def move_objective(*, objective: Objective, direction: str, by) -> None:
    require_perm(by, CHANGE)
    _move(objective, objective.priority.objectives.all(), direction)


@transaction.atomic
def remove_objective(*, objective: Objective, by) -> None:
    """Refused while any record is linked to it: those records would lose what they are for."""
    require_perm(by, CHANGE)
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    _refuse_if_used([objective], "objective")
    objective.delete()


@transaction.atomic
def remove_priority(*, priority: Priority, by) -> None:
    require_perm(by, CHANGE)
    priority = Priority.objects.select_for_update().get(pk=priority.pk)
    _refuse_if_used(list(priority.objectives.all()), "priority")
    priority.objectives.all().delete()
    priority.delete()


def objectives_error(objectives) -> dict:
    """A new commission or round must say which objectives it serves; records made before the plan stay valid."""
    return {} if objectives else {"objectives": "Select at least one Police and Crime Plan objective"}


@transaction.atomic
def tag_with_objectives(*, record, objectives, by) -> None:
    """Link an untagged commission, round or award to the plan."""
    require_perm(by, TAG)
    if errors := objectives_error(objectives):
        raise ValidationError(errors)
    record.objectives.set(objectives)
