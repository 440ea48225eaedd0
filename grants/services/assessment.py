"""The office's assessment: starting it, asking for more information, declarations of interest and scores."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from grants import gates
from grants.models import (
    Application,
    Assessment,
    ConflictDeclaration,
    Score,
)
from grants.services.messages import send_message
from opcc.money import gbp
from opcc.permissions import require_perm
from opcc.services.transitions import apply_transition
from opcc.types import Actor


def start_assessment(*, application: Application, by: Actor, note: str = "") -> Application:
    with transaction.atomic():
        application = apply_transition(
            application, "start_assessment", by=by, note=note, expected_state=Application.Status.SUBMITTED
        )
        Assessment.objects.get_or_create(application=application)
    return application


def request_information(
    *, application: Application, by: Actor, note: str, expected_state: str | None = None
) -> Application:
    if not (note or "").strip():
        raise ValidationError({"note": "Enter what information you need from the applicant"})
    with transaction.atomic():
        application = apply_transition(
            application, "request_information", by=by, note=note, expected_state=expected_state
        )
        send_message(application=application, by=by, subject="We need more information", body=note)
    return application


def declare_conflict(
    *, application: Application, by: Actor, conflict: bool, details: str
) -> ConflictDeclaration:
    require_perm(by, "grants.assess_application", application)
    if conflict and not (details or "").strip():
        raise ValidationError({"details": "Describe the interest you are declaring"})
    declaration, _ = ConflictDeclaration.objects.update_or_create(
        application=application, assessor=by, defaults={"conflict": conflict, "details": details}
    )
    return declaration


# The scale the scoring form offers and the database holds (grants.models.Score).
SCORES = range(0, 6)


@transaction.atomic
def save_scores(*, application: Application, by: Actor, scores: dict[int, tuple[int, str]]) -> None:
    require_perm(by, "grants.assess_application", application)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not gates.assessment_open(locked):
        raise ValidationError("Scores can only be given while the application is in assessment.")
    if not gates.declared_no_conflict(locked, by):
        raise ValidationError(
            "Declare your interests before you score. An assessor with a conflict of interest cannot score."
        )
    for criterion in locked.round.criteria.all():
        if criterion.pk not in scores:
            raise ValidationError({f"score_{criterion.pk}": f"Give a score for {criterion.name}"})
        value, comment = scores[criterion.pk]
        if value not in SCORES:
            raise ValidationError({f"score_{criterion.pk}": f"Give a score from 0 to 5 for {criterion.name}"})
        score = Score.objects.filter(application=locked, criterion=criterion, assessor=by).first() or Score(
            application=locked, criterion=criterion, assessor=by
        )
        score.score, score.comment = value, comment
        score.full_clean()
        score.save()


def recommended_amount_problem(
    application: Application, *, recommendation: str, amount: Decimal | None
) -> str:
    """What is wrong with the amount an assessor recommends, or "". A decision is never on more than was asked for."""
    requested = application.amount_requested
    choice = Assessment.Recommendation
    if recommendation == choice.APPROVE_REDUCED and amount is None:
        return "Enter the reduced amount you recommend"
    if amount is None:
        return ""
    if amount <= 0:
        return "The recommended amount must be more than £0"
    if recommendation == choice.DECLINE:
        return "Leave the recommended amount empty if you recommend declining"
    if requested is not None:
        if recommendation == choice.APPROVE_REDUCED and amount >= requested:
            return f"A reduced amount must be less than the {gbp(requested)} requested"
        if amount > requested:
            return f"The recommended amount must be no more than the {gbp(requested)} requested"
        if recommendation == choice.APPROVE and amount < requested:
            return (
                f"To recommend less than the {gbp(requested)} requested, choose "
                f"“{choice.APPROVE_REDUCED.label}”"
            )
    if amount > application.round.max_award:
        return (
            f"The recommended amount must be no more than the round's maximum award of "
            f"{gbp(application.round.max_award)}"
        )
    return ""


def save_assessment(*, application: Application, by: Actor, values: dict) -> Assessment:
    require_perm(by, "grants.assess_application", application)
    if not gates.assessment_open(application):
        raise ValidationError("The assessment can only be changed while the application is in assessment.")
    if all(value in (None, "") for value in values.values()):
        raise ValidationError("Enter at least one answer before you save the assessment")
    if problem := recommended_amount_problem(
        application,
        recommendation=values.get("recommendation") or "",
        amount=values.get("recommended_amount"),
    ):
        raise ValidationError({"recommended_amount": problem})
    assessment, _ = Assessment.objects.get_or_create(application=application)
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.assessed_by = by
    assessment.full_clean()
    assessment.save()
    return assessment
