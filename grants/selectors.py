"""Reads for grants: each returns a QuerySet with what its page needs, in a fixed number of queries."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Coalesce

from funding.models import ZERO
from grants.models import Application, AreaDecision, Round, SchemeKind
from opcc.models import Role

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
            "conflicts__assessor",
            "award__schedule",
        )
        .get(pk=pk)
    )


DECIDER_ROLES = (Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER)


def decision_band(role):
    """The values this role must decide: above the next lower delegation level, up to its own (data, not code).

    Returns (above, up_to), either None for no bound, or None when the role has no delegated authority.
    """
    from funding.models import DecisionKind, DelegationLevel

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
