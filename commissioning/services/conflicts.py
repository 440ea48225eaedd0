"""The conflicts assessment: decision-makers' declarations, the officer's confirmation (each one a revision), and
the changes that call for a revision (someone joins the panel, someone declares a conflict)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning import conflicts as reads
from commissioning import gates
from commissioning.models import (
    Commission,
    ConflictDeclaration,
    ConflictsAssessment,
    ConflictsRevision,
    Procurement,
)
from commissioning.services._common import _refuse
from opcc.models import Role
from opcc.permissions import require_perm
from opcc.types import Actor


def _assessment(procurement: Procurement) -> ConflictsAssessment:
    assessment, _ = ConflictsAssessment.objects.get_or_create(procurement=procurement)
    return ConflictsAssessment.objects.select_for_update().get(pk=assessment.pk)


def _current(commission: Commission) -> Procurement:
    procurement = gates.current_procurement(commission)
    if procurement is None:
        raise ValidationError("Choose the procurement route first")
    return procurement


def note_change(procurement: Procurement, change: str) -> None:
    """Something the assessment must take into account happened: once prepared, it needs revising until the
    officer confirms it again. Called inside the service that made the change."""
    assessment = ConflictsAssessment.objects.select_for_update().filter(procurement=procurement).first()
    if assessment is None or not assessment.is_prepared:
        return
    assessment.changes = [*assessment.changes, change]
    assessment.save(update_fields=["changes"])


def declaration_problems(*, interest: bool | None, details: str, mitigation: str, reasons: str) -> dict:
    errors = {}
    if interest is None:
        errors["interest"] = "Select yes if they have an interest in the procurement or a supplier"
    elif interest:
        if not (details or "").strip():
            errors["details"] = "Enter the interest they declared"
        if mitigation not in ConflictDeclaration.Mitigation.values:
            errors["mitigation"] = "Select how the conflict is mitigated"
        if not (reasons or "").strip():
            errors["mitigation_reasons"] = "Enter how the conflict is mitigated, and why that is enough"
    return errors


@transaction.atomic
def declare(
    *,
    commission: Commission,
    user,
    interest: bool | None,
    details: str = "",
    mitigation: str = "",
    mitigation_reasons: str = "",
    by: Actor,
) -> ConflictDeclaration:
    """Record a decision-maker's declaration. Officers record anyone's; the PCC records their own."""
    if by.role == Role.PCC:
        if by.pk != user.pk:
            raise PermissionDenied("You can record only your own declaration")
    else:
        require_perm(by, "commissioning.change_commission")
    _refuse(gates.procurement_closed(commission))
    procurement = _current(commission)
    roles = dict((u.pk, role) for u, role in reads.decision_makers(procurement))
    if user.pk not in roles:
        raise ValidationError("Only the lead officer, the head of commissioning and the PCC declare here")
    if errors := declaration_problems(
        interest=interest, details=details, mitigation=mitigation, reasons=mitigation_reasons
    ):
        raise ValidationError(errors)
    assessment = _assessment(procurement)
    previous = assessment.declarations.filter(user=user).first()
    declaration = previous or ConflictDeclaration(assessment=assessment, user=user)
    declaration.role = roles[user.pk]
    declaration.interest = bool(interest)
    declaration.details = details.strip() if interest else ""
    declaration.mitigation = mitigation if interest else ""
    declaration.mitigation_reasons = mitigation_reasons.strip() if interest else ""
    declaration.recorded_by = by
    declaration.full_clean()
    declaration.save()
    if interest and not (previous and previous.interest and previous.details == declaration.details):
        note_change(procurement, f"{user.full_name} declared an interest on {timezone.localdate():%-d %B %Y}")
    return declaration


@transaction.atomic
def confirm(*, commission: Commission, by: Actor) -> ConflictsAssessment:
    """Prepare the assessment (revision 1) or confirm it again after a change (the next revision)."""
    require_perm(by, "commissioning.change_commission")
    _refuse(gates.procurement_closed(commission))
    procurement = _current(commission)
    assessment = _assessment(procurement)
    if assessment.is_prepared and not assessment.changes:
        raise ValidationError("The assessment is up to date: nothing has changed since it was last confirmed")
    _refuse(reads.confirm_problems(procurement, assessment))
    now = timezone.now()
    assessment.revision += 1
    if assessment.revision == 1:
        assessment.prepared_by, assessment.prepared_at = by, now
    ConflictsRevision.objects.create(
        assessment=assessment,
        number=assessment.revision,
        confirmed_by=by,
        confirmed_at=now,
        changes=assessment.changes,
    )
    assessment.confirmed_by, assessment.confirmed_at, assessment.changes = by, now, []
    assessment.full_clean()
    assessment.save()
    return assessment
