"""Reads for the monitoring pages, each with a fixed number of queries however many returns there are."""

from datetime import date

from django.db.models import Prefetch

from funding.models import Award
from opcc.calendar import Quarter
from opcc.services.transitions import timeline_for
from reporting.models import (
    ChaseEvent,
    GrantVisit,
    Measure,
    OutcomeFramework,
    QuarterlyReturn,
    ReturnAnswer,
    ReturnStatus,
)


def _base():
    return QuarterlyReturn.objects.select_related("award__organisation", "award__pot")


def parse_quarter(value: str) -> Quarter | None:
    try:
        year, number = value.split("-q")
        quarter = Quarter(int(year), int(number))
    except (ValueError, AttributeError):
        return None
    return quarter if 1 <= quarter.number <= 4 and 2000 <= quarter.start_year <= 2100 else None


def quarter_value(quarter: Quarter) -> str:
    return f"{quarter.start_year}-q{quarter.number}"


def filter_returns(
    qs, *, today: date, quarter: str = "", status: str = "", overdue: str = "", stream: str = ""
):
    q = parse_quarter(quarter) if quarter else None
    if q is not None:
        qs = qs.filter(quarter_start_year=q.start_year, quarter=q.number)
    if status in ReturnStatus.values:
        qs = qs.filter(status=status)
    elif not overdue:
        qs = qs.exclude(status=ReturnStatus.NOT_YET_DUE)
    if overdue == "yes":
        qs = qs.overdue(today)
    elif overdue == "no":
        qs = qs.not_overdue(today)
    if stream:
        qs = qs.filter(award__pot__stream=stream)
    return qs


def officer_returns(**filters):
    """Newest due date first (this quarter's returns on page one), or, for overdue returns, the longest
    overdue first. Both orders follow the due-date index, so the page costs the same at any volume."""
    if filters.get("overdue") == "yes":
        return filter_returns(_base(), **filters).order_by("due_date", "award__reference", "pk")
    return filter_returns(_base(), **filters).order_by("-due_date", "award__reference", "pk")


def quarters_with_returns() -> list[Quarter]:
    """Every quarter from the first with a return to the last, newest first: two reads of the quarter index
    rather than a pass over every return (awards run on, so no quarter in between is without one)."""
    ends = QuarterlyReturn.objects.order_by().values_list("quarter_start_year", "quarter")
    first, last = (
        ends.order_by("quarter_start_year", "quarter").first(),
        ends.order_by("-quarter_start_year", "-quarter").first(),
    )
    if first is None:
        return []
    quarters, quarter = [], Quarter(*first)
    while (quarter.start_year, quarter.number) <= last:
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters[::-1]


def provider_returns(user, *, with_provider: bool | None = None):
    """The returns of every organisation the person belongs to that have started, newest first; only those
    still with the provider to complete (`with_provider=True`), or only those sent to the office (False)."""
    qs = _base().filter(award__organisation__in=user.memberships.values("organisation"))
    if with_provider:
        qs = qs.filter(status__in=QuarterlyReturn.WITH_PROVIDER)
    elif with_provider is False:
        qs = qs.exclude(status__in=QuarterlyReturn.WITH_PROVIDER)
    return qs.exclude(status=ReturnStatus.NOT_YET_DUE).order_by(
        "-quarter_start_year", "-quarter", "award__reference", "pk"
    )


def return_detail(pk: int):
    return QuarterlyReturn.objects.select_related(
        "award__organisation", "award__pot__year", "submitted_by", "reviewed_by", "last_saved_by"
    ).get(pk=pk)


def measures_and_answers(quarterly_return):
    measures = list(Measure.objects.filter(framework__award_id=quarterly_return.award_id))
    answers = list(ReturnAnswer.objects.filter(quarterly_return=quarterly_return))
    return measures, answers


def chase_history(quarterly_return):
    return ChaseEvent.objects.filter(quarterly_return=quarterly_return).order_by("-sent_on", "-id")


def award_monitoring(award_id: int):
    award = Award.objects.select_related("organisation", "pot__year").get(pk=award_id)
    framework = (
        OutcomeFramework.objects.filter(award=award)
        .select_related("template")
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("position", "id")))
        .first()
    )
    returns = list(QuarterlyReturn.objects.filter(award=award).order_by("-quarter_start_year", "-quarter"))
    visits = GrantVisit.objects.filter(award=award).select_related("officer", "recorded_by")
    chases = (
        ChaseEvent.objects.filter(quarterly_return__award=award)
        .select_related("quarterly_return")
        .order_by("-sent_on", "-id")
    )
    return award, framework, returns, visits, chases


def return_timeline(quarterly_return):
    return timeline_for(quarterly_return)
