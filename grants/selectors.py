"""Reads for grants: the lists each return a QuerySet with what their page needs, in a fixed number of queries;
the rest read one thing (a pot's money left, a round's year, the offer letter as it reads now) and write nothing."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from funding import ledger
from funding.models import DecisionKind, DelegationLevel, FinancialYear, Pot
from grants import letters
from grants.models import (
    Application,
    AreaDecision,
    OfferLetterTemplate,
    Round,
    SchemeKind,
    Variation,
)
from opcc.calendar import financial_year_of
from opcc.models import Role
from opcc.money import ZERO

AREA_SCHEMES = (SchemeKind.LPCAF, SchemeKind.LPCAF_ROAD_SAFETY)


def applications():
    return Application.objects.select_related("round__scheme", "organisation", "area", "award")


def applications_for_provider(user):
    return applications().filter(organisation__memberships__user=user).order_by("-created_at", "-id")


def area_bids_for(user):
    return (
        applications()
        .filter(round__scheme__kind__in=AREA_SCHEMES, area__in=user.areas.all())
        .exclude(status=Application.Status.DRAFT)
        .annotate(my_decision=Exists(AreaDecision.objects.filter(application=OuterRef("pk"), role=user.role)))
        .order_by("-submitted_at", "-id")
    )


def bids_waiting_for(user):
    return area_bids_for(user).filter(
        status__in=[Application.Status.SUBMITTED, Application.Status.IN_ASSESSMENT], my_decision=False
    )


def rounds():
    return (
        Round.objects.select_related("scheme", "year", "pot")
        .annotate(
            application_count=Count("applications", filter=~Q(applications__status=Application.Status.DRAFT))
        )
        .order_by("-closes_at")
    )


def office_counts():
    counts = dict(Application.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "submitted": counts.get(Application.Status.SUBMITTED, 0),
        "in_assessment": counts.get(Application.Status.IN_ASSESSMENT, 0),
        "approved": counts.get(Application.Status.APPROVED, 0),
        "offered": counts.get(Application.Status.OFFERED, 0),
    }


def applications_to_assess():
    """What the office assesses, the longest waiting first: submitted (waiting to be picked up) and in assessment.
    LPCAF bids are left out: their areas decide them."""
    return (
        applications()
        .filter(status__in=[Application.Status.SUBMITTED, Application.Status.IN_ASSESSMENT])
        .exclude(round__scheme__kind__in=AREA_SCHEMES)
        .order_by("submitted_at", "id")
    )


def applications_in_status(status):
    """Every round's applications in one status, the longest waiting first (the office's work queues)."""
    return applications().filter(status=status).order_by("submitted_at", "id")


def application_detail(pk):
    return (
        applications()
        .select_related(
            "offer", "offer__letter", "assessment", "created_by", "decided_by", "round__year", "round__pot"
        )
        .prefetch_related(
            "projects",
            "messages__by",
            Prefetch("area_decisions", queryset=AreaDecision.objects.select_related("by")),
            "round__criteria",
            "scores",
            "declarations__assessor",
            "award__schedule",
        )
        .get(pk=pk)
    )


DECIDER_ROLES = (Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER)


def decision_band(role):
    """The values this role must decide: above the next lower delegation level, up to its own (data, not code).

    Returns (above, up_to), either None for no bound, or None when the role has no delegated authority.
    """

    levels = list(DelegationLevel.objects.filter(decides=DecisionKind.GRANT))
    mine = next((level for level in levels if level.role == role), None)
    if mine is None:
        return None
    lower = [
        level.up_to
        for level in levels
        if level.up_to is not None and (mine.up_to is None or level.up_to < mine.up_to)
    ]
    return (max(lower) if lower else None, mine.up_to)


def decisions_waiting_for(role):
    """Grants in assessment whose decision falls to this role: the lowest delegation level that covers the value
    (the recommended amount where there is one, else the amount requested, as `rules.decision_amount`).
    None when the role has no delegated authority."""
    band = decision_band(role)
    if band is None:
        return None
    above, up_to = band
    waiting = (
        applications()
        .select_related("assessment")
        .filter(status=Application.Status.IN_ASSESSMENT)
        .exclude(round__scheme__kind__in=AREA_SCHEMES)
        .annotate(
            decision_value=Coalesce(
                "assessment__recommended_amount", "decided_amount", "amount_requested", Value(ZERO)
            )
        )
    )
    if above is not None:
        waiting = waiting.filter(decision_value__gt=above)
    if up_to is not None:
        waiting = waiting.filter(decision_value__lte=up_to)
    return waiting.order_by("submitted_at", "id")


def pot_left(pot: Pot) -> Decimal:
    """What the pot has left to commit (funding.ledger's remaining)."""

    return pot.allocated - ledger.committed_in_pot(pot)


def round_year(pot: Pot | None, closes_on: date):
    """The financial year a round belongs to: its pot's, or (LPCAF, CSP grants) the year it closes in."""

    return pot.year if pot else FinancialYear.objects.filter(start_year=financial_year_of(closes_on)).first()


def draft_for(round_: Round, organisation) -> Application | None:
    """The draft this organisation has already started for the round, if any (there is at most one)."""
    return Application.objects.filter(
        round=round_, organisation=organisation, status=Application.Status.DRAFT
    ).first()


def weighted_score(application: Application) -> Decimal | None:
    """Out of 100: each criterion's score (0 to 5) as a share of its weight, averaged across assessors."""
    criteria = {c.pk: c.weight for c in application.round.criteria.all()}
    by_assessor: dict[int, Decimal] = {}
    for score in application.scores.all():
        weight = criteria.get(score.criterion_id, 0)
        by_assessor[score.assessor_id] = (
            by_assessor.get(score.assessor_id, Decimal("0")) + Decimal(score.score) * weight / 5
        )
    if not by_assessor:
        return None
    return (sum(by_assessor.values()) / len(by_assessor)).quantize(Decimal("0.1"))


def pot_for(application: Application) -> Pot:
    round_ = application.round
    if round_.pot_id:
        return round_.pot
    kind = round_.scheme.kind
    if kind == SchemeKind.LPCAF and application.area_id:
        key = f"lpcaf-{application.area.slug}"
    elif kind == SchemeKind.LPCAF_ROAD_SAFETY:
        key = "lpcaf-road-safety"
    elif kind == SchemeKind.CSP and hasattr(application.organisation, "csp"):
        key = f"csp-{application.organisation.csp.slug}"
    else:
        raise ValidationError("This round has no pot to pay grants from: set the round's pot first")
    pot = Pot.objects.filter(year=round_.year, key=key).select_related("year").first()
    if pot is None:
        raise ValidationError(f"There is no {key} pot in {round_.year.label}: finance must set one up first")
    return pot


def signatory_for(user) -> tuple[str, str]:
    """The name and role a letter is signed with, by default: the person making the offer."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "", ""
    return user.full_name, user.job_title or user.role_label


def current_template() -> OfferLetterTemplate:
    """The office's letter, or the standard one (unsaved: reading it writes nothing) until someone edits it."""
    template = OfferLetterTemplate.objects.order_by("pk").first()
    if template is None:
        template = OfferLetterTemplate(letterhead=letters.DEFAULT_LETTERHEAD, body=letters.DEFAULT_BODY)
    return template


def offer_letter_pdf(application: Application) -> bytes:
    """The letter as it reads now (before acceptance); after acceptance, use the stored copy."""
    template = current_template()
    return letters.render_letter_pdf(
        letterhead=template.letterhead, body=template.body, values=letters.letter_values(application)
    )


def default_accept_by(round_: Round, start_date: date | None = None) -> date:
    """The round's days to accept, but never reaching the grant's start (the day before it, if that is later than
    today)."""
    today = timezone.localdate()
    deadline = today + timedelta(days=round_.acceptance_days)
    if start_date is not None and start_date > today:
        deadline = min(deadline, start_date - timedelta(days=1))
    return deadline


def variations_waiting_for(role):
    """Variations waiting for a decision that falls to this role: the lowest delegation level covering the award's
    new total (as the deciders' email says). Empty when the role has no delegated authority."""
    band = decision_band(role)
    if band is None:
        return Variation.objects.none()
    above, up_to = band
    waiting = (
        Variation.objects.filter(status__in=Variation.UNDECIDED)
        .select_related("award__organisation")
        .annotate(decision_total=Coalesce("new_amount", "old_amount"))
    )
    if above is not None:
        waiting = waiting.filter(decision_total__gt=above)
    if up_to is not None:
        waiting = waiting.filter(decision_total__lte=up_to)
    return waiting.order_by("requested_at", "id")
