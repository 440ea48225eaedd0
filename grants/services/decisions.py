"""Decisions: the office's within delegated authority, and LPCAF bids' by the area's two deciders."""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from grants.models import (
    Application,
    AreaDecision,
    Assessment,
)
from grants.services.messages import send_message
from opcc.models import Role
from opcc.money import gbp
from opcc.services.transitions import StaleState, apply_transition, record_transition
from opcc.types import Actor


def decision_problems(application: Application, *, decision: str, note: str) -> dict[str, list[str]]:
    """Every reason a decision cannot be recorded as given, by field (the decision form asks this too)."""
    problems: dict[str, list[str]] = {}
    if not (note or "").strip():
        problems["note"] = ["Enter the reasons for the decision: the applicant is told them"]
    if decision != "approve":
        return problems
    assessment = Assessment.objects.filter(application=application).first()
    general = []
    if assessment is None or assessment.eligible is not True:
        general.append("Record that the application is eligible in the assessment before approving it")
    if assessment is None or not assessment.recommendation:
        general.append("Record the assessment's recommendation before deciding")
    amount = _decided_amount(application, assessment)
    if application.amount_requested is not None and amount > application.amount_requested:
        # An assessment saved before the rule existed, or changed behind the form's back.
        general.append(
            f"The assessment recommends {gbp(amount)}, more than the "
            f"{gbp(application.amount_requested)} requested: correct the assessment first"
        )
    if general:
        problems[NON_FIELD_ERRORS] = general
    return problems


def _decided_amount(application: Application, assessment: Assessment | None) -> Decimal:
    return (
        assessment.recommended_amount
        if assessment and assessment.recommended_amount
        else application.amount_requested
    )


def decide(
    *, application: Application, by: Actor, decision: str, note: str, expected_state: str | None = None
) -> Application:
    """Approve or decline within the decider's delegated authority."""
    if decision not in ("approve", "decline"):
        raise ValueError(decision)
    if problems := decision_problems(application, decision=decision, note=note):
        raise ValidationError(problems)
    amount = _decided_amount(application, Assessment.objects.filter(application=application).first())

    def record(locked):
        locked.decided_by = by
        locked.decided_at = timezone.now()
        if decision == "approve":
            locked.decided_amount = amount

    with transaction.atomic():
        application = apply_transition(
            application, decision, by=by, note=note, expected_state=expected_state, before_save=record
        )
        word = "approved" if decision == "approve" else "declined"
        send_message(application=application, by=by, subject=f"Your application has been {word}", body=note)
    return application


def record_area_decision(*, application: Application, by: Actor, decision: str, note: str) -> Application:
    """LPCAF: the area's ambassador and commander each decide; both approve to approve, one decline declines."""
    if not by.has_perm("grants.decide_area", application):
        raise PermissionDenied("You can only decide bids for your own area.")
    if decision not in AreaDecision.Decision.values:
        raise ValidationError({"decision": "Choose whether to approve or decline the bid"})
    if decision == AreaDecision.Decision.DECLINE and not (note or "").strip():
        raise ValidationError({"note": "Enter the reason for declining: the applicant is told it"})
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in (Application.Status.SUBMITTED, Application.Status.IN_ASSESSMENT):
            raise StaleState(
                f"This bid has already been decided: it is {locked.get_status_display().lower()}."
            )
        if locked.area_decisions.filter(role=by.role).exists():
            raise ValidationError("Your decision on this bid has already been recorded.")
        AreaDecision.objects.create(application=locked, role=by.role, by=by, decision=decision, note=note)
        label = Role(by.role).label
        if decision == AreaDecision.Decision.DECLINE:
            return decide_area_outcome(locked, by, "decline", f"Declined by the {label.lower()}: {note}")
        roles = set(
            locked.area_decisions.filter(decision=AreaDecision.Decision.APPROVE).values_list(
                "role", flat=True
            )
        )
        if roles >= {Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER}:
            return decide_area_outcome(
                locked,
                by,
                "approve",
                f"Approved by the community ambassador and the local policing area commander. {note}".strip(),
            )
        record_transition(
            locked,
            transition="area_decision",
            from_state=locked.status,
            to_state=locked.status,
            by=by,
            note=f"Approved by the {label.lower()}; waiting for the other decision. {note}".strip(),
        )
        return locked


def decide_area_outcome(locked, by: Actor, decision, note):
    def record(app):
        app.decided_by = by
        app.decided_at = timezone.now()
        if decision == "approve":
            app.decided_amount = app.amount_requested

    application = apply_transition(locked, decision, by=by, note=note, before_save=record)
    send_message(application=application, by=by, subject=f"Your bid has been {decision}d", body=note)
    return application
