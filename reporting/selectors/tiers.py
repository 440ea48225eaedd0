"""Reads for proportionate monitoring: an award's tier, what is due for visits and annual reviews, and what each of
a provider's awards is asked for. Each a fixed number of queries however many awards there are."""

from datetime import date, timedelta

from django.db.models import DateField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Least

from funding.models import Award
from reporting import calendar
from reporting.models import AnnualReview, AwardMonitoring, GrantVisit, QuarterlyReturn
from reporting.services import tiers

# The lists of what is due show what falls due in this many days, as well as everything overdue.
DUE_WITHIN_DAYS = 30
_FAR = date(9999, 12, 31)


def award_tier(award: Award):
    """(tier, the award's record or None while it is not yet active)."""
    return tiers.current(award)


def next_planned_visit(award: Award, today: date) -> date | None:
    return (
        GrantVisit.objects.filter(award=award, visited_on__isnull=True, scheduled_for__gte=today)
        .order_by("scheduled_for")
        .values_list("scheduled_for", flat=True)
        .first()
    )


def annual_reviews(award: Award):
    return (
        AnnualReview.objects.filter(award=award).select_related("recorded_by").order_by("-reviewed_on", "-id")
    )


def _next_planned():
    return (
        GrantVisit.objects.filter(award_id=OuterRef("award_id"), visited_on__isnull=True)
        .order_by("scheduled_for")
        .values("scheduled_for")[:1]
    )


def visits_and_reviews_due(today: date, within_days: int = DUE_WITHIN_DAYS):
    """Active awards with a visit or an annual review overdue or due within the window, the soonest first, each with
    the next visit planned (if any)."""
    horizon = today + timedelta(days=within_days)
    return (
        AwardMonitoring.objects.filter(award__status=Award.Status.ACTIVE)
        .filter(Q(visit_due__lte=horizon) | Q(review_due__lte=horizon))
        .select_related("award__organisation", "tier")
        .annotate(
            soonest=Least(
                Coalesce("visit_due", Value(_FAR)),
                Coalesce("review_due", Value(_FAR)),
                output_field=DateField(),
            ),
            next_planned=Subquery(_next_planned(), output_field=DateField()),
        )
        .order_by("soonest", "award__reference", "pk")
    )


def _next_return_due():
    return (
        QuarterlyReturn.objects.filter(award_id=OuterRef("pk"), status__in=QuarterlyReturn.NOT_SENT)
        .order_by("due_date")
        .values("due_date")[:1]
    )


def provider_awards(user):
    """The provider's active awards with their tier and the next return or report due, newest first."""
    return (
        Award.objects.filter(
            status=Award.Status.ACTIVE, organisation__in=user.memberships.values("organisation")
        )
        .select_related("monitoring__tier", "organisation")
        .annotate(next_due=Subquery(_next_return_due(), output_field=DateField()))
        .order_by("-start_date", "reference")
    )


def expected_of(award: Award) -> dict:
    """What the office asks of an award, for the provider's page: its tier's phrases and when the next is due."""
    monitoring = getattr(award, "monitoring", None)  # None (not an error) for an award not yet given a tier
    tier = monitoring.tier if monitoring is not None else None
    if tier is None:
        return {"tier": "", "asks": ["An outcome return each quarter"], "next_due": award.next_due}
    next_due = award.next_due
    if next_due is None and tier.asks_end_of_project_report:
        next_due = calendar.end_of_project_due(award.end_date, tier.report_due_days)
    return {"tier": tier.name, "asks": tier.what_it_asks(), "next_due": next_due}
