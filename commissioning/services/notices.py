"""Procurement Act notices: drafted once per event, published by the officer on the central digital platform,
recorded here with the identifier the platform returned.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.models import Contract, Notice, NoticeKind, Procurement
from opcc.permissions import require_perm
from opcc.types import Actor

# Find a Tender gives each notice an identifier like 012345-2026 (six digits, the year).
IDENTIFIER_RE = re.compile(r"^\d{6}-\d{4}$")


def ensure_notice(
    *,
    kind: str,
    key: str,
    triggered_on: date,
    due_by: date | None = None,
    procurement: Procurement | None = None,
    contract: Contract | None = None,
) -> Notice:
    """The notice an event calls for, drafted the first time and found thereafter (the same key never makes two).
    A later call does not move a due date already set: the event happened once."""
    notice, _ = Notice.objects.get_or_create(
        kind=kind,
        key=key,
        defaults={
            "triggered_on": triggered_on,
            "due_by": due_by,
            "procurement": procurement or (contract.procurement if contract else None),
            "contract": contract,
        },
    )
    return notice


def publication_problems(*, identifier: str, published_on: date | None, today: date | None = None) -> dict:
    """Every problem with a recorded publication at once (the form asks this too)."""
    today = today or timezone.localdate()
    errors = {}
    identifier = (identifier or "").strip()
    if not identifier:
        errors["platform_identifier"] = (
            "Enter the notice identifier Find a Tender gave the notice, like 012345-2026"
        )
    elif not IDENTIFIER_RE.match(identifier):
        errors["platform_identifier"] = (
            "Enter the notice identifier as Find a Tender shows it: six digits, a hyphen and the year, like 012345-2026"
        )
    if published_on is None:
        errors["published_on"] = "Enter the date the notice was published"
    elif published_on > today:
        errors["published_on"] = "The date published cannot be in the future"
    return errors


@transaction.atomic
def record_publication(
    *, notice: Notice, identifier: str, published_on: date, by: Actor, release=None
) -> Notice:
    """Record that the officer published the notice on the platform. `release` is the OCDS release as published."""
    require_perm(by, "commissioning.change_commission")
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status == Notice.Status.PUBLISHED:
        raise ValidationError(
            {"platform_identifier": f"This notice was already published as {notice.platform_identifier}"}
        )
    if problems := publication_problems(identifier=identifier, published_on=published_on):
        raise ValidationError(problems)
    notice.publish()
    notice.platform_identifier = identifier.strip()
    notice.published_on = published_on
    notice.published_by = by
    notice.published_release = release
    notice.save()
    return notice


def published(procurement: Procurement, kind: str) -> Notice | None:
    """The procurement's published notice of a kind (the latest), or None."""
    return (
        Notice.objects.filter(procurement=procurement, kind=kind, status=Notice.Status.PUBLISHED)
        .order_by("-published_on", "-pk")
        .first()
    )


__all__ = ["NoticeKind", "ensure_notice", "publication_problems", "published", "record_publication"]
