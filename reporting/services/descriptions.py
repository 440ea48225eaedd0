"""Approving an award's purpose for publication: by someone other than the person who created the award."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from funding.models import Award
from opcc.permissions import require_perm
from opcc.types import Actor
from reporting.models import PublicDescription

OWN_TEXT = "You created this award: someone else must approve its description for publication"


@transaction.atomic
def approve_description(*, award: Award, by: Actor) -> PublicDescription:
    """Publish the award's purpose as it reads now (an edit made later waits for its own approval)."""
    require_perm(by, "reporting.review_public_text")
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.created_by_id == by.pk:
        raise PermissionDenied(OWN_TEXT)
    if not award.purpose.strip():
        raise ValidationError("The award has no purpose to publish: add one first")
    description, _ = PublicDescription.objects.select_for_update().get_or_create(
        award=award, defaults={"text": award.purpose}
    )
    description.text, description.approved_by, description.approved_at = award.purpose, by, timezone.now()
    description.full_clean()
    description.save()
    return description


def approve_all_as_they_are() -> int:
    """The demo's awards, like the records the review began with, are public as written."""
    missing = Award.objects.exclude(purpose="").filter(public_description__isnull=True)
    rows = [
        PublicDescription(award_id=pk, text=purpose) for pk, purpose in missing.values_list("pk", "purpose")
    ]
    return len(PublicDescription.objects.bulk_create(rows, batch_size=1000))
