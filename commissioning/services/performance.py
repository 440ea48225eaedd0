"""Contract performance (Procurement Act 2023 s.52 and s.71): a contract over £5 million (not light-touch) has at
least three key performance indicators, and the supplier's performance against them is assessed, and published
as a contract performance notice, at least once in every 12 months."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.models import Contract, NoticeKind, PerformanceAssessment, Rating
from commissioning.services.changes import estimated_value, under_the_act
from commissioning.services.notices import ensure_notice
from opcc.calendar import add_months
from opcc.permissions import require_perm
from opcc.types import Actor

KPI_VALUE = Decimal("5000000")
KPIS_NEEDED = 3


def kpis_required(contract: Contract) -> bool:
    """Whether the contract needs key performance indicators and yearly assessments: procured under the Act, an
    estimated value of more than £5 million (s.52(1)), and not a light-touch contract (s.52 does not apply to
    them)."""
    return (
        not contract.procurement.commission.light_touch
        and estimated_value(contract) > KPI_VALUE
        and under_the_act(contract)
    )


def latest_assessment(contract: Contract) -> PerformanceAssessment | None:
    return contract.assessments.order_by("-period_end", "-id").first()


def next_assessment_due(contract: Contract) -> date:
    """At least once in every 12 months: 12 months after the last assessment, or after the contract started."""
    latest = latest_assessment(contract)
    return add_months(latest.assessed_on if latest else contract.start_date, 12)


def last_kpis(contract: Contract) -> list[str]:
    """The indicators the next assessment starts from: the last assessment's, or before the first one those the
    contract details notice set out for the contract (s.52)."""
    latest = latest_assessment(contract)
    if latest:
        return [r["kpi"] for r in latest.ratings]
    return list(contract.kpis.values_list("name", flat=True))


def assessment_problems(
    *,
    contract: Contract,
    period_start: date | None,
    period_end: date | None,
    assessed_on: date | None,
    ratings: list[tuple[str, str]],
    today: date | None = None,
) -> dict[str, str]:
    today = today or timezone.localdate()
    errors = {}
    if not kpis_required(contract):
        errors["__all__"] = (
            "This contract has no key performance indicators to assess: only contracts over £5 million that are "
            "not light-touch need them"
        )
        return errors
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = "The period must end on or after the day it starts"
    if period_start and period_start < contract.start_date:
        errors["period_start"] = (
            f"The period cannot start before the contract did, on {contract.start_date:%-d %B %Y}"
        )
    if assessed_on is None:
        errors["assessed_on"] = "Enter the date of the assessment"
    elif assessed_on > today:
        errors["assessed_on"] = "The date of the assessment cannot be in the future"
    elif period_end and assessed_on < period_end:
        errors["assessed_on"] = "The assessment is made on or after the last day of the period it covers"
    if period_end and contract.assessments.filter(period_end=period_end).exists():
        errors["period_end"] = (
            f"An assessment of the period to {period_end:%-d %B %Y} has already been recorded"
        )
    errors.update(rating_problems(ratings))
    return errors


def rating_problems(ratings: list[tuple[str, str]]) -> dict[str, str]:
    """At least three indicators, each named once and rated."""
    errors = {}
    for i, (name, rating) in enumerate(ratings, start=1):
        if not (name or "").strip():
            errors[f"kpi_{i}"] = f"Enter key performance indicator {i}"
        if rating not in Rating.values:
            errors[f"rating_{i}"] = f"Choose the rating for key performance indicator {i}"
    filled = [n.strip().lower() for n, _ in ratings if (n or "").strip()]
    if len(ratings) < KPIS_NEEDED:
        errors["__all__"] = f"Rate at least {KPIS_NEEDED} key performance indicators"
    elif len(set(filled)) != len(filled):
        errors["__all__"] = "Each key performance indicator must be different"
    return errors


@transaction.atomic
def record_assessment(
    *,
    contract: Contract,
    period_start: date,
    period_end: date,
    assessed_on: date,
    ratings: list[tuple[str, str]],
    notes: str,
    by: Actor,
    today: date | None = None,
) -> PerformanceAssessment:
    """Record an assessment against the key performance indicators and draft its contract performance notice,
    due by the end of the 12 months the Act allows between assessments (never before the assessment itself)."""
    require_perm(by, "commissioning.change_commission")
    contract = (
        Contract.objects.select_for_update().select_related("procurement__commission").get(pk=contract.pk)
    )
    if problems := assessment_problems(
        contract=contract,
        period_start=period_start,
        period_end=period_end,
        assessed_on=assessed_on,
        ratings=ratings,
        today=today,
    ):
        raise ValidationError(problems)
    due = max(next_assessment_due(contract), assessed_on)
    assessment = PerformanceAssessment(
        contract=contract,
        period_start=period_start,
        period_end=period_end,
        assessed_on=assessed_on,
        ratings=[{"kpi": name.strip(), "rating": rating} for name, rating in ratings],
        notes=(notes or "").strip(),
        by=by,
    )
    assessment.full_clean()
    assessment.save()
    ensure_notice(
        kind=NoticeKind.CONTRACT_PERFORMANCE,
        key=assessment.notice_key,
        triggered_on=assessed_on,
        due_by=due,
        contract=contract,
    )
    return assessment
