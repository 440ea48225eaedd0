"""A tender's evaluation: the panel, each member's conflict declarations and scores, and moderation."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning import gates
from commissioning.models import Bid, Commission, Declaration, ModeratedScore, PanelMember, Score, Tender
from commissioning.services import conflicts
from commissioning.services._common import _note, _refuse, _tender
from opcc.models import Role
from opcc.permissions import require_perm
from opcc.services.notifications import queue_message
from opcc.types import Actor


@transaction.atomic
def add_panel_member(*, commission: Commission, user, by: Actor) -> PanelMember:
    require_perm(by, "commissioning.change_commission")
    tender = _tender(commission)
    if user.role not in (Role.EVALUATOR, Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING):
        raise ValidationError(
            {"user": "Only evaluators and commissioning staff can sit on an evaluation panel"}
        )
    if tender.panel.filter(user=user).exists():
        raise ValidationError({"user": f"{user} is already on the panel"})
    member = PanelMember.objects.create(tender=tender, user=user)
    conflicts.note_change(
        tender.procurement, f"{user.full_name} joined the panel on {timezone.localdate():%-d %B %Y}"
    )
    # The invitation is written to the outbox in the same transaction, and sent once it commits.
    queue_message(
        key=f"panel:{member.pk}",
        to_email=user.email,
        to_user=user,
        template_key="panel-invitation",
        about=commission,
        values={
            "evaluator": user.full_name,
            "title": commission.title,
            "portal_reference": tender.portal_reference,
            "link": settings.SITE_URL + reverse("commissioning:evaluate", args=[tender.pk]),
        },
    )
    return member


@transaction.atomic
def remove_panel_member(*, commission: Commission, member: PanelMember, by: Actor) -> None:
    """Take someone off the panel before they have scored (their declarations go with them)."""
    require_perm(by, "commissioning.change_commission")
    tender = _tender(commission)
    locked = (
        PanelMember.objects.select_for_update()
        .select_related("user")
        .filter(pk=member.pk, tender=tender)
        .first()
    )
    if locked is None:
        raise ValidationError("That person is not on this panel")
    _refuse(gates.panel_removal_closed(tender.procurement.commission, locked))
    name = locked.user.full_name
    locked.delete()
    _note(commission, "panel_member_removed", f"{name} removed from the evaluation panel", by)


def _member(tender: Tender, user) -> PanelMember:
    member = tender.panel.filter(user=user).first()
    if member is None:
        raise PermissionDenied("You are not on this evaluation panel.")
    return member


def declaration_problems(*, bids, answers: dict, details: dict) -> dict[str, str]:
    """Every missing answer and undescribed conflict at once (the declarations form asks this too)."""
    errors = {}
    for bid in bids:
        answer = answers.get(bid.pk)
        if answer is None:
            errors[f"bid_{bid.pk}"] = f"Say whether you have a conflict of interest with {bid.organisation}"
        elif answer and not (details.get(bid.pk) or "").strip():
            errors[f"details_{bid.pk}"] = f"Describe your conflict of interest with {bid.organisation}"
    return errors


@transaction.atomic
def declare(*, tender: Tender, user, answers: dict, details: dict) -> list[Declaration]:
    """A panel member declares, for every bid not yet declared on, whether they have a conflict of interest."""
    member = _member(tender, user)
    done = set(member.declarations.values_list("bid_id", flat=True))
    todo = [b for b in tender.bids.in_evaluation().select_related("organisation") if b.pk not in done]
    if errors := declaration_problems(bids=todo, answers=answers, details=details):
        raise ValidationError(errors)
    if conflicted := [b.organisation.name for b in todo if answers[b.pk]]:
        conflicts.note_change(
            tender.procurement,
            f"{user.full_name} declared a conflict with {', '.join(conflicted)} on {timezone.localdate():%-d %B %Y}",
        )
    return [
        Declaration.objects.create(
            member=member,
            bid=bid,
            conflict=answers[bid.pk],
            details=(details.get(bid.pk) or "").strip() if answers[bid.pk] else "",
        )
        for bid in todo
    ]


@transaction.atomic
def score_bid(*, bid: Bid, user, scores: dict) -> list[Score]:
    """scores: {criterion_id: (score, comment)}. Only after declaring no conflict with this bidder."""
    tender = bid.tender
    member = _member(tender, user)
    if not bid.in_evaluation:
        raise ValidationError(gates.NOT_EVALUATED)
    declaration = member.declarations.filter(bid=bid).first()
    if declaration is None:
        raise ValidationError(
            "Declare any conflicts of interest before you score: the bids stay hidden until you do"
        )
    if declaration.conflict:
        raise PermissionDenied(
            "You declared a conflict of interest with this bidder, so you cannot see or score their bid."
        )
    _refuse(gates.scoring_closed(bid))
    criteria = list(tender.criteria.all())
    errors = {}
    for criterion in criteria:
        score, comment = scores.get(criterion.pk, (None, ""))
        if score is None:
            errors[f"score_{criterion.pk}"] = f"Enter a score for {criterion.name}"
        elif not 0 <= score <= tender.score_scale_max:
            errors[f"score_{criterion.pk}"] = (
                f"The score for {criterion.name} must be between 0 and {tender.score_scale_max}"
            )
        if not (comment or "").strip():
            errors[f"comment_{criterion.pk}"] = f"Enter the reasons for your score for {criterion.name}"
    if errors:
        raise ValidationError(errors)
    saved = []
    for criterion in criteria:
        score, comment = scores[criterion.pk]
        row, _ = Score.objects.update_or_create(
            member=member, bid=bid, criterion=criterion, defaults={"score": score, "comment": comment.strip()}
        )
        saved.append(row)
    return saved


@transaction.atomic
def moderate_bid(*, commission: Commission, bid: Bid, scores: dict, by: Actor) -> list[ModeratedScore]:
    """scores: {criterion_id: (score, rationale)}, once every eligible panel member has scored the bid."""
    require_perm(by, "commissioning.change_commission")
    tender = _tender(commission)
    if bid.tender_id != tender.pk:
        raise ValidationError("That bid is not part of this tender")
    status = gates.tender_status(tender)
    _refuse(gates.moderation_closed(commission, tender, bid, status))
    errors = {}
    for criterion in status["criteria"]:
        score, rationale = scores.get(criterion.pk, (None, ""))
        if score is None:
            errors[f"score_{criterion.pk}"] = f"Enter the moderated score for {criterion.name}"
        elif not 0 <= score <= tender.score_scale_max:
            errors[f"score_{criterion.pk}"] = (
                f"The score for {criterion.name} must be between 0 and {tender.score_scale_max}"
            )
        if not (rationale or "").strip():
            errors[f"rationale_{criterion.pk}"] = (
                f"Enter the rationale for the moderated score for {criterion.name}"
            )
    if errors:
        raise ValidationError(errors)
    return [
        ModeratedScore.objects.update_or_create(
            bid=bid,
            criterion=c,
            defaults={"score": scores[c.pk][0], "rationale": scores[c.pk][1].strip(), "by": by},
        )[0]
        for c in status["criteria"]
    ]
