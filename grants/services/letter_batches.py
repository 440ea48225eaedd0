"""Offer letters for a whole round, rendered in the background."""

from django.db import transaction
from django.utils import timezone

from grants.models import (
    Application,
    LetterBatch,
    Round,
)
from grants.selectors import offer_letter_pdf
from grants.tasks import generate_round_letters
from opcc.permissions import require_perm
from opcc.services.documents import PDF, store_bytes
from opcc.types import Actor


def request_letter_batch(*, round_: Round, by: Actor) -> LetterBatch:
    require_perm(by, "grants.make_offer")

    total = round_.applications.filter(status=Application.Status.OFFERED).count()
    batch = LetterBatch.objects.create(round=round_, requested_by=by, total=total)
    transaction.on_commit(lambda: generate_round_letters.delay(batch.pk))
    return batch


def run_letter_batch(batch_id: int) -> LetterBatch:
    """Render each offered application's letter and store a copy, counting progress as it goes."""
    batch = LetterBatch.objects.get(pk=batch_id)
    if batch.status == LetterBatch.Status.DONE:
        return batch
    LetterBatch.objects.filter(pk=batch.pk).update(status=LetterBatch.Status.RUNNING)
    applications = (
        Application.objects.filter(round=batch.round, status=Application.Status.OFFERED)
        .select_related("offer", "award", "organisation", "round__scheme", "created_by")
        .prefetch_related("award__schedule")
    )
    done = 0
    try:
        for application in applications:
            data = offer_letter_pdf(application)
            store_bytes(
                data=data,
                kind=PDF,
                original_name=f"offer-letter-{application.award.reference}.pdf",
                attached_to=application,
                by=batch.requested_by,
                purpose="offer_letter_copy",
                title=f"Offer letter {application.award.reference} ({timezone.localdate():%-d %B %Y})",
            )
            done += 1
            LetterBatch.objects.filter(pk=batch.pk).update(done=done)
    except Exception as exc:  # noqa: BLE001 - recorded for the page; the officer can run it again
        LetterBatch.objects.filter(pk=batch.pk).update(
            status=LetterBatch.Status.FAILED, error=str(exc)[:2000]
        )
        raise
    LetterBatch.objects.filter(pk=batch.pk).update(
        status=LetterBatch.Status.DONE, done=done, total=max(done, batch.total), finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch
