"""Publishing a copy of each contract over £10,000: uploaded redacted by an officer, reviewed by a second person."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from funding.models import Award, AwardKind
from opcc.permissions import require_perm
from opcc.services import documents
from opcc.services.transitions import apply_transition
from opcc.types import Actor
from reporting.models import ContractCopy
from reporting.selectors.transparency import CONTRACT_THRESHOLD, PUBLISHED

OWN_COPY = "You uploaded this copy: someone else must review it before it is published"


def copy_problems(award: Award) -> str | None:
    """Why this award takes no published copy, or None."""
    if award.kind != AwardKind.CONTRACT:
        return f"{award.reference} is a grant: only contracts are published as copies"
    if award.amount <= CONTRACT_THRESHOLD:
        return f"{award.reference} is not over £10,000: the Order publishes copies of larger contracts"
    if award.status not in PUBLISHED:
        return (
            f"{award.reference} is {award.get_status_display().lower()}: a copy is published once it is let"
        )
    return None


@transaction.atomic
def upload_copy(*, award: Award, uploaded, redactions: str, by: Actor) -> ContractCopy:
    """The officer's redacted PDF, checked by its content (a PDF only), waiting for a second person's review."""
    require_perm(by, "reporting.upload_contract_copy")
    award = Award.objects.select_for_update().get(pk=award.pk)
    errors = {}
    if (problem := copy_problems(award)) is not None:
        errors["__all__"] = problem
    if not (redactions or "").strip():
        errors["redactions"] = "Enter what was redacted and why, or that nothing was"
    if uploaded is None:
        errors["file"] = "Select the redacted copy of the signed contract"
    if errors:
        raise ValidationError(errors)
    copy = ContractCopy(award=award, redactions=redactions.strip(), uploaded_by=by)
    copy.document = documents.store_document(
        uploaded=uploaded,
        attached_to=award,
        by=by,
        purpose="contract-copy",
        title=f"Copy of contract {award.reference}",
        allowed=(documents.PDF,),
        field="file",
    )
    copy.full_clean(exclude=["status"])  # the protected state field: only transitions set it
    copy.save()
    # The document is reached through the copy (reporting.view_contractcopy), never through the award's pages.
    copy.document.attached_to = copy
    copy.document.save(update_fields=["content_type", "object_id"])
    return copy


def _not_own(copy: ContractCopy, by: Actor) -> None:
    if copy.uploaded_by_id == by.pk:
        raise PermissionDenied(OWN_COPY)


def approve_copy(*, copy: ContractCopy, by: Actor) -> ContractCopy:
    require_perm(by, "reporting.review_contract_copy")
    _not_own(copy, by)

    def record(locked: ContractCopy):
        for older in ContractCopy.objects.select_for_update().filter(
            award_id=locked.award_id, status=ContractCopy.Status.APPROVED
        ):
            older.replace()
            older.save(update_fields=["status"])
        locked.reviewed_by, locked.reviewed_at = by, timezone.now()

    return apply_transition(
        copy,
        "approve",
        by=by,
        expected_state=ContractCopy.Status.AWAITING_REVIEW,
        check_permission=False,
        before_save=record,
    )


def reject_copy(*, copy: ContractCopy, reason: str, by: Actor) -> ContractCopy:
    require_perm(by, "reporting.review_contract_copy")
    _not_own(copy, by)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the copy is sent back"})

    def record(locked: ContractCopy):
        locked.reviewed_by, locked.reviewed_at, locked.rejection_reason = by, timezone.now(), reason.strip()

    return apply_transition(
        copy,
        "reject",
        by=by,
        note=reason.strip(),
        expected_state=ContractCopy.Status.AWAITING_REVIEW,
        check_permission=False,
        before_save=record,
    )
