"""Approving an award's public text (title and purpose) for publication: by someone other than its creator."""

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
    """Publish the award's title and purpose as they read now (an edit made later waits for its own approval)."""
    require_perm(by, "reporting.review_public_text")
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.created_by_id == by.pk:
        raise PermissionDenied(OWN_TEXT)
    if not award.title.strip():
        raise ValidationError("The award has no title to publish: add one first")
    description, _ = PublicDescription.objects.select_for_update().get_or_create(
        award=award, defaults={"title": award.title, "text": award.purpose}
    )
    description.title, description.text = award.title, award.purpose
    description.approved_by, description.approved_at = by, timezone.now()
    description.full_clean()
    description.save()
    return description


def approve_all_as_they_are() -> int:
    """The demo's awards, like the records the review began with, are public as written."""
    missing = Award.objects.exclude(title="").filter(public_description__isnull=True)
    rows = [
        PublicDescription(award_id=pk, title=title, text=purpose)
        for pk, title, purpose in missing.values_list("pk", "title", "purpose")
    ]
    return len(PublicDescription.objects.bulk_create(rows, batch_size=1000))
