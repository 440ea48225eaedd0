"""Approving officers' text for publication (reporting.PublicText): by someone other than whoever wrote it.

The reviewer may edit the wording before approving (take a name out, mend a typo); the public then reads the
reviewer's wording, and the review page stops listing the record until the officer's text changes again.
"""

import hashlib
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from opcc.permissions import require_perm
from opcc.types import Actor
from reporting.models import PublicText
from reporting.selectors.public_texts import SOURCES, Source, awaiting

OWN_TEXT = "You wrote this text or lead this work: someone else must approve it for publication"
MOVED_ON = "“{label}” has changed since you opened this page: read it again before approving it"


def fingerprint(text: str) -> str:
    """What the review form carries of the text the reviewer read, to notice an edit made meanwhile."""
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


@transaction.atomic
def approve_texts(
    *, source: Source, pk: int, texts: Mapping[str, str], seen: Mapping[str, str], by: Actor
) -> list[PublicText]:
    """Publish every field of one record: `texts` as the reviewer leaves them (the live text, or their edit of it),
    `seen` the fingerprints of the live text they read."""
    require_perm(by, "reporting.review_public_text")
    source.model._default_manager.select_for_update().filter(pk=pk).first()
    record = source.records().filter(pk=pk).first()
    if record is None:
        raise ValidationError("This is no longer published: there is nothing to approve")
    if by.pk in source.authors(record):
        raise PermissionDenied(OWN_TEXT)
    problems: dict[str, str] = {}
    live = {f.name: getattr(record, f"live_{f.name}") or "" for f in source.fields}
    for f in source.fields:
        if fingerprint(live[f.name]) != seen.get(f.name):
            raise ValidationError(MOVED_ON.format(label=f.label))
        if live[f.name].strip() and not _plain(texts.get(f.name) or ""):
            problems[f.name] = f"{f.label}: enter the text to publish"
    if problems:
        raise ValidationError(problems)
    content_type, now = source.content_type(), timezone.now()
    saved = []
    for f in source.fields:
        if not live[f.name].strip():
            # Nothing written (an optional field emptied): nothing of it is published any longer.
            PublicText.objects.filter(content_type=content_type, object_id=pk, field=f.name).delete()
            continue
        snapshot, _ = PublicText.objects.select_for_update().get_or_create(
            content_type=content_type,
            object_id=pk,
            field=f.name,
            defaults={"text": "-"},
        )
        snapshot.reviewed = live[f.name]
        snapshot.text = _plain(texts[f.name])
        snapshot.approved_by, snapshot.approved_at = by, now
        snapshot.full_clean()
        snapshot.save()
        saved.append(snapshot)
    return saved


def approve_all_as_they_are(*sources: Source) -> int:
    """The demo's texts, like those already public when the review began, are published as written."""
    count = 0
    for source in sources or tuple(SOURCES.values()):
        content_type = source.content_type()
        for record in awaiting(source):
            for f in source.fields:
                live = getattr(record, f"live_{f.name}") or ""
                if live.strip():
                    PublicText.objects.update_or_create(
                        content_type=content_type,
                        object_id=record.pk,
                        field=f.name,
                        defaults={"reviewed": live, "text": live},
                    )
                    count += 1
    return count
