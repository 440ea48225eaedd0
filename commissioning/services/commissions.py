"""The commission: starting it, its Understand and Plan evidence, its outcome measures, and moving it
through its cycle.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commissioning import gates
from commissioning.models import Commission, OutcomeMeasure
from commissioning.services import notices as notice_services
from commissioning.services._common import _lock_open
from commissioning.services.changes import draft_termination_notice
from funding.services import awards as award_services
from opcc.permissions import require_perm
from opcc.services import plan as plan_services
from opcc.services.documents import store_document
from opcc.services.transitions import apply_transition, transition_defined, transition_named
from opcc.types import Actor


def _next_reference() -> str:
    last = Commission.objects.filter(reference__startswith="CM-").aggregate(m=Max("reference"))["m"]
    return f"CM-{(int(last[3:]) + 1) if last else 1:04d}"


@transaction.atomic
def create_commission(
    *, title: str, summary: str, stream: str, officer, by: Actor, objectives=(), areas=()
) -> Commission:
    """A new commission says which Police and Crime Plan objectives it serves."""
    require_perm(by, "commissioning.add_commission")
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
def update_commission(*, commission: Commission, values: dict, by: Actor, areas=None) -> Commission:
    """Save a section of the Understand or Plan evidence. Areas are given with the coverage answer."""
    require_perm(by, "commissioning.change_commission")
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
def upload_needs_assessment(*, commission: Commission, uploaded, title: str, by: Actor):
    require_perm(by, "commissioning.change_commission")
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
def add_measure(*, commission: Commission, by: Actor, **fields) -> OutcomeMeasure:
    require_perm(by, "commissioning.change_commission")
    _lock_open(commission)
    measure = OutcomeMeasure(commission=commission, **fields)
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def remove_measure(*, measure: OutcomeMeasure, by: Actor) -> None:
    require_perm(by, "commissioning.change_commission")
    _lock_open(measure.commission)
    measure.delete()


def transition(
    *, commission: Commission, name: str, by: Actor, note: str = "", expected_state: str | None = None
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
        ending = (
            gates.current_procurement(fresh)
            if name == "withdraw" and fresh.status == Commission.Status.DO
            else None
        )
        result = apply_transition(commission, name, by=by, note=note, expected_state=expected_state)
        if ending is not None:
            notice_services.procurement_ended(ending, on=timezone.localdate(), by=by, reason=note)
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
            draft_termination_notice(contract=contract, ended_on=timezone.localdate())
    return result
