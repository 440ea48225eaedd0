"""Procurement Act notices: drafted once per event, made ready when nothing is missing, published by the officer on
the central digital platform and recorded here with the identifier the platform returned.

The events at the start of a procurement call `tender_recorded`, `prepare_planned_procurement` and
`procurement_ended` here; the later parts of the cycle call `ensure_notice` for their own kinds.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning import hooks
from commissioning.models import Commission, Contract, Notice, NoticeKind, Procurement, Route, Tender
from commissioning.models.notices import MAY_BE_SET_ASIDE
from commissioning.notice_content import BUILDERS, prepare
from opcc.permissions import require_perm
from opcc.services.transitions import apply_transition
from opcc.types import Actor

# The Act's notices are for procurements started on or after 24 February 2025; earlier ones keep the old regime's
# notices to the end (Find a Tender, "Notice types and sequences").
ACT_COMMENCEMENT = date(2025, 2, 24)

# A below-threshold contract is notifiable from £30,000 (VAT included) for an authority that is not central
# government; advertising one is the office's choice, and then the notice goes on the platform.
NOTIFIABLE_BELOW_THRESHOLD = Decimal("30000")

# A planned procurement notice shortens the tendering period only when published between 40 days and a year before
# the tender notice (s.54; Find a Tender, "Notice types and sequences").
PLANNED_NOTICE_EARLIEST = 365
PLANNED_NOTICE_LATEST = 40

# Find a Tender names a notice "012345-2026" in its address and its OCDS releases, and "2026/S 000-012345" on the
# notice's page; either is accepted and kept in the short form.
IDENTIFIER_RE = re.compile(r"^\d{6}-\d{4}$")
PAGE_IDENTIFIER_RE = re.compile(r"^(\d{4})/S \d{3}-(\d{6})$")


def normalise_identifier(text: str) -> str:
    text = " ".join((text or "").split())
    if match := PAGE_IDENTIFIER_RE.match(text):
        return f"{match.group(2)}-{match.group(1)}"
    return text


def under_the_act(procurement: Procurement) -> bool:
    """Whether the procurement started (its route was chosen) on or after the Act's commencement."""
    return timezone.localdate(procurement.chosen_at) >= ACT_COMMENCEMENT


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


def _follow(notice: Notice, due_by: date | None) -> Notice:
    """An unpublished notice follows its event's date when the officer corrects it (a tender's publication date)."""
    if notice.is_open and notice.due_by != due_by:
        Notice.objects.filter(pk=notice.pk).update(due_by=due_by)
        notice.due_by = due_by
    return notice


def procurement_key(procurement: Procurement) -> str:
    return f"procurement:{procurement.pk}"


def tender_recorded(tender: Tender) -> list[Notice]:
    """Saving a tender drafts the notices it calls for: on the regulated route the tender notice (it is the
    publication, so it is due on the publication date) and, when market engagement was held, the preliminary market
    engagement notice before it; on the tender route at £30,000 or more, the below-threshold tender notice the office
    may choose to publish."""
    procurement = tender.procurement
    if not under_the_act(procurement):
        return []
    key = procurement_key(procurement)
    today = timezone.localdate()
    drafted = []
    if procurement.route == Route.REGULATED:
        drafted.append(
            _follow(
                ensure_notice(
                    kind=NoticeKind.TENDER,
                    key=key,
                    triggered_on=today,
                    due_by=tender.published_on,
                    procurement=procurement,
                ),
                tender.published_on,
            )
        )
        planned = Notice.objects.filter(kind=NoticeKind.PLANNED_PROCUREMENT, key=key).first()
        if planned is not None:
            _follow(planned, tender.published_on - timedelta(days=PLANNED_NOTICE_LATEST))
        if tender.market_engagement_on:
            drafted.append(
                _follow(
                    ensure_notice(
                        kind=NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT,
                        key=key,
                        triggered_on=tender.market_engagement_on,
                        due_by=tender.published_on,
                        procurement=procurement,
                    ),
                    tender.published_on,
                )
            )
    elif procurement.route == Route.TENDER and procurement.value >= NOTIFIABLE_BELOW_THRESHOLD:
        drafted.append(
            _follow(
                ensure_notice(
                    kind=NoticeKind.BELOW_THRESHOLD_TENDER,
                    key=key,
                    triggered_on=today,
                    due_by=tender.published_on,
                    procurement=procurement,
                ),
                tender.published_on,
            )
        )
    return drafted


def planned_procurement_closed(procurement: Procurement | None) -> str | None:
    """Why a planned procurement notice cannot be prepared for this procurement now (None when it can)."""
    if procurement is None or procurement.route != Route.REGULATED:
        return "A planned procurement notice is for a regulated procurement: choose that route first"
    if not under_the_act(procurement):
        return "This procurement started before 24 February 2025: it keeps the old regime's notices"
    if published(procurement, NoticeKind.TENDER) is not None:
        return "The tender notice is already published: a planned procurement notice can only come before it"
    return None


@transaction.atomic
def prepare_planned_procurement(*, commission: Commission, procurement: Procurement, by: Actor) -> Notice:
    """The officer chooses to prepare a planned procurement notice (optional). It is due 40 days before the tender is
    published, the latest it can be and still shorten the tendering period."""
    require_perm(by, "commissioning.change_commission")
    if reason := planned_procurement_closed(procurement):
        raise ValidationError(reason)
    tender = Tender.objects.filter(procurement=procurement).first()
    due = tender.published_on - timedelta(days=PLANNED_NOTICE_LATEST) if tender else None
    return _follow(
        ensure_notice(
            kind=NoticeKind.PLANNED_PROCUREMENT,
            key=procurement_key(procurement),
            triggered_on=timezone.localdate(),
            due_by=due,
            procurement=procurement,
        ),
        due,
    )


def procurement_ended(procurement: Procurement, *, on: date, by: Actor, reason: str) -> Notice | None:
    """The office abandoned the procurement (the commission was withdrawn in Do). Once a tender or transparency notice
    was published the market must be told by a procurement termination notice (s.55); every notice not yet
    published is set aside, since nothing it announced will happen."""
    termination = None
    if (
        under_the_act(procurement)
        and Notice.objects.filter(
            procurement=procurement,
            kind__in=[NoticeKind.TENDER, NoticeKind.BELOW_THRESHOLD_TENDER, NoticeKind.TRANSPARENCY],
            status=Notice.Status.PUBLISHED,
        ).exists()
    ):
        # The sources read give no number of days: it is due from the day of the decision.
        termination = ensure_notice(
            kind=NoticeKind.PROCUREMENT_TERMINATION,
            key=procurement_key(procurement),
            triggered_on=on,
            due_by=on,
            procurement=procurement,
        )
    still_open = Notice.objects.filter(
        procurement=procurement, status__in=[Notice.Status.DRAFT, Notice.Status.READY]
    )
    if termination is not None:
        still_open = still_open.exclude(pk=termination.pk)
    for notice in still_open:
        apply_transition(
            notice,
            "abandon",
            by=by,
            check_permission=False,
            note=f"The procurement ended before it was published: {reason}".strip(),
            before_save=lambda n: setattr(
                n, "not_needed_reason", "The procurement ended before it was published"
            ),
        )
    return termination


def publication_problems(
    *, identifier: str, published_on: date | None, today: date | None = None, notice: Notice | None = None
) -> dict:
    """Every problem with a recorded publication at once (the form asks this too)."""
    today = today or timezone.localdate()
    errors = {}
    identifier = normalise_identifier(identifier)
    if not identifier:
        errors["platform_identifier"] = (
            "Enter the notice identifier Find a Tender gave the notice, like 012345-2026"
        )
    elif not IDENTIFIER_RE.match(identifier):
        errors["platform_identifier"] = (
            "Enter the notice identifier as Find a Tender shows it: six digits, a hyphen and the year, like 012345-2026"
        )
    elif (
        Notice.objects.filter(platform_identifier=identifier)
        .exclude(pk=notice.pk if notice is not None else 0)
        .exists()
    ):
        errors["platform_identifier"] = (
            f"Notice {identifier} is already recorded for another notice: check the identifier"
        )
    if published_on is None:
        errors["published_on"] = "Enter the date the notice was published"
    elif published_on > today:
        errors["published_on"] = "The date published must be today or in the past"
    elif published_on < ACT_COMMENCEMENT:
        errors["published_on"] = "The date published must be on or after 24 February 2025, when the Act began"
    if notice is not None:
        # A kind's own rules (the contract award notice's, commissioning/award.py), whichever page records it.
        from commissioning import award  # noqa: PLC0415 - award.py reads the notices this module writes

        for field, message in award.publication_problems(notice, published_on).items():
            errors.setdefault(field, message)
        if incomplete := incomplete_problem(notice, already=award.items_reported(notice)):
            errors.setdefault(NON_FIELD_ERRORS, incomplete)
    return errors


def incomplete_problem(notice: Notice, *, already: frozenset[str] = frozenset()) -> str | None:
    """Why the notice cannot be recorded as published while its content is incomplete: what was published on the
    platform must be what the records hold, so every item of the notice's checklist comes first. Items a kind's own
    rules already report (beside a field) are left out, so the error summary says each thing once."""
    if notice.kind not in BUILDERS:
        return None
    items = [item for item in prepare(notice).missing if item not in already]
    if not items:
        return None
    return "Complete the notice before recording its publication: " + "; ".join(
        _lower_first(item) for item in items
    )


def _lower_first(item: str) -> str:
    """ "Record the tender" reads "record the tender" mid-sentence; "KPIs ..." keeps its capitals."""
    return item[:1].lower() + item[1:] if item[1:2].islower() else item


def record_publication(
    *,
    notice: Notice,
    identifier: str,
    published_on: date | None,
    by: Actor,
    expected_state: str | None = None,
) -> Notice:
    """Record that the officer published the notice on the platform. What it said is kept as an OCDS release."""
    require_perm(by, "commissioning.change_commission")
    if notice.status == Notice.Status.PUBLISHED:
        raise ValidationError(
            {"platform_identifier": f"This notice was already published as {notice.platform_identifier}"}
        )
    if problems := publication_problems(identifier=identifier, published_on=published_on, notice=notice):
        raise ValidationError(problems)

    def fill(locked: Notice) -> None:
        locked.platform_identifier = normalise_identifier(identifier)
        locked.published_on = published_on
        locked.published_by = by if getattr(by, "is_authenticated", False) else None
        locked.published_release = hooks.notice_release(locked)

    try:
        return apply_transition(
            notice,
            "publish",
            by=by,
            expected_state=expected_state,
            note=f"Published on Find a Tender as {normalise_identifier(identifier)}",
            before_save=fill,
        )
    except IntegrityError:
        # Someone recorded the same identifier for another notice at the same moment: the database refused it.
        raise ValidationError(
            {
                "platform_identifier": "That identifier is already recorded for another notice: check the identifier"
            }
        ) from None


def mark_ready(*, notice: Notice, by: Actor, expected_state: str | None = None) -> Notice:
    """Refused while anything the notice needs is missing: each item is listed, nothing changes."""
    require_perm(by, "commissioning.change_commission")
    if missing := prepare(notice).missing:
        raise ValidationError(missing)
    return apply_transition(notice, "mark_ready", by=by, expected_state=expected_state)


def reopen(*, notice: Notice, by: Actor, expected_state: str | None = None) -> Notice:
    require_perm(by, "commissioning.change_commission")
    return apply_transition(notice, "reopen", by=by, expected_state=expected_state)


def set_aside(*, notice: Notice, reason: str, by: Actor, expected_state: str | None = None) -> Notice:
    """Record that an optional or conditional notice will not be published, and why."""
    require_perm(by, "commissioning.change_commission")
    reason = (reason or "").strip()
    if notice.kind not in MAY_BE_SET_ASIDE:
        raise ValidationError(
            {"reason": f"The Act requires the {notice.get_kind_display().lower()}: it cannot be set aside"}
        )
    if not reason:
        raise ValidationError({"reason": "Enter why this notice is not needed"})
    return apply_transition(
        notice,
        "set_aside",
        by=by,
        note=reason,
        expected_state=expected_state,
        before_save=lambda n: setattr(n, "not_needed_reason", reason),
    )


def published(procurement: Procurement, kind: str) -> Notice | None:
    """The procurement's published notice of a kind (the latest), or None."""
    return (
        Notice.objects.filter(procurement=procurement, kind=kind, status=Notice.Status.PUBLISHED)
        .order_by("-published_on", "-pk")
        .first()
    )


__all__ = [
    "ACT_COMMENCEMENT",
    "NoticeKind",
    "ensure_notice",
    "mark_ready",
    "normalise_identifier",
    "prepare_planned_procurement",
    "procurement_ended",
    "publication_problems",
    "published",
    "record_publication",
    "reopen",
    "set_aside",
    "tender_recorded",
    "under_the_act",
]
