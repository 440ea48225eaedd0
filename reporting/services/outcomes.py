"""Outcomes that add up: which catalogue indicator a measure adds to (checked here, for the admin and every
other writer), and the summary per award, quarter and indicator kept up to date as returns are accepted.

Only accepted returns count. A return, once accepted, cannot be reopened; what can change afterwards is a
measure's mapping, so changing one rewrites the aggregates of that award's accepted returns.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from reporting.models import (
    Aggregation,
    MeasureKind,
    OutcomeAggregate,
    OutcomeIndicator,
    QuarterlyReturn,
    ReturnAnswer,
    ReturnStatus,
)

BATCH = 2000


def mapping_problems(measure, indicator: OutcomeIndicator | None = None) -> dict[str, str]:
    """What is wrong with a measure's place in the catalogue, by field: empty when it may be saved.
    `indicator` is the measure's own unless given (the admin passes the one chosen on its form)."""
    indicator = indicator if indicator is not None else (measure.indicator if measure.indicator_id else None)
    if indicator is None:
        return {}
    if measure.local_only:
        return {
            "local_only": "A measure is either added up under an indicator or local-only: "
            "clear the indicator or untick local-only"
        }
    what = f"‘{indicator.name}’"
    if indicator.aggregation == Aggregation.SUM:
        if measure.kind != MeasureKind.COUNT:
            return {
                "indicator": f"{what} adds up counts: {measure.name} is a "
                f"{measure.get_kind_display().lower()}, so select an indicator that matches it"
            }
        if (measure.unit or "").strip().lower() != indicator.unit.strip().lower():
            return {
                "indicator": f"{what} counts {indicator.unit}: {measure.name} counts "
                f"{measure.unit or 'nothing named'}, so select an indicator with the same unit"
            }
        return {}
    if not measure.is_rate:
        kind = (
            "a percentage typed as one number"
            if measure.kind == MeasureKind.PERCENTAGE
            else f"a {measure.get_kind_display().lower()}"
        )
        return {
            "indicator": f"{what} is a rate, added up from the numbers behind it: {measure.name} is {kind}. "
            f"Give it both questions (how many in all, how many of them) or select another indicator"
        }
    return {}


def check_mapping(measure, indicator: OutcomeIndicator | None = None) -> None:
    problems = mapping_problems(measure, indicator)
    if problems:
        raise ValidationError(problems)


def unmapped(queryset):
    """Measures with a number that add to no indicator and are not marked local-only: what an officer must map."""
    return queryset.filter(indicator__isnull=True, local_only=False).exclude(kind=MeasureKind.NARRATIVE)


def _rows(answers, kinds: dict[int, str]) -> list[dict]:
    """The aggregate rows for these answers (of accepted returns, mapped measures): one query, grouped by award,
    quarter and indicator. A count sums its values; a rate sums numerators and denominators answered together."""
    both = Q(numerator__isnull=False, denominator__isnull=False)
    grouped = (
        answers.filter(measure__indicator__isnull=False)
        .values(
            "quarterly_return__award_id",
            "quarterly_return__quarter_start_year",
            "quarterly_return__quarter",
            "measure__indicator_id",
        )
        .annotate(
            total=Sum("value"),
            answered=Count("value"),
            numerator_sum=Sum("numerator", filter=both),
            denominator_sum=Sum("denominator", filter=both),
            answered_rates=Count("pk", filter=both),
        )
        .order_by()
    )
    rows = []
    for g in grouped:
        indicator_id = g["measure__indicator_id"]
        kind = kinds.get(indicator_id)
        row = {
            "award_id": g["quarterly_return__award_id"],
            "quarter_start_year": g["quarterly_return__quarter_start_year"],
            "quarter": g["quarterly_return__quarter"],
            "indicator_id": indicator_id,
        }
        if kind == Aggregation.SUM and g["answered"]:
            rows.append({**row, "value_sum": g["total"], "n_measures": g["answered"]})
        elif kind in (Aggregation.RATE, Aggregation.STAR_PROGRESS) and g["answered_rates"]:
            rows.append(
                {
                    **row,
                    "numerator": g["numerator_sum"],
                    "denominator": g["denominator_sum"],
                    "n_measures": g["answered_rates"],
                }
            )
    return rows


def _kinds() -> dict[int, str]:
    return dict(OutcomeIndicator.objects.values_list("pk", "aggregation"))


def _accepted_answers():
    return ReturnAnswer.objects.filter(quarterly_return__status=ReturnStatus.ACCEPTED)


_KEY = ("award_id", "quarter_start_year", "quarter", "indicator_id")
_FIGURES = ("value_sum", "numerator", "denominator", "n_measures")


def _sync(existing, rows: list[dict]) -> int:
    """Make the aggregate rows in `existing` exactly `rows`, writing only what differs: a rebuild over unchanged
    returns writes nothing (seed_demo run twice changes nothing). Returns how many rows there are."""
    held = {tuple(getattr(a, k) for k in _KEY): a for a in existing}
    create, update = [], []
    for row in rows:
        figures = {k: row.get(k) for k in _FIGURES}
        figures["n_measures"] = figures["n_measures"] or 0
        current = held.pop(tuple(row[k] for k in _KEY), None)
        if current is None:
            create.append(OutcomeAggregate(**{k: row[k] for k in _KEY}, **figures))
        elif any(getattr(current, k) != v for k, v in figures.items()):
            for k, v in figures.items():
                setattr(current, k, v)
            current.updated_at = timezone.now()
            update.append(current)
    if held:
        OutcomeAggregate.objects.filter(pk__in=[a.pk for a in held.values()]).delete()
    OutcomeAggregate.objects.bulk_create(create, batch_size=BATCH)
    if update:
        OutcomeAggregate.objects.bulk_update(update, [*_FIGURES, "updated_at"], batch_size=BATCH)
    return len(rows)


def record_return(quarterly_return: QuarterlyReturn) -> int:
    """Rewrite one return's aggregates from its answers: its rows if accepted, none otherwise. Called inside the
    transaction that accepts it, so the summary and the return never disagree."""
    with transaction.atomic():
        existing = OutcomeAggregate.objects.select_for_update().filter(
            award_id=quarterly_return.award_id,
            quarter_start_year=quarterly_return.quarter_start_year,
            quarter=quarterly_return.quarter,
        )
        rows = []
        if quarterly_return.status == ReturnStatus.ACCEPTED:
            rows = _rows(_accepted_answers().filter(quarterly_return_id=quarterly_return.pk), _kinds())
        _sync(existing, rows)
        return len(rows)


def rebuild_award(award_id: int) -> int:
    """Rewrite an award's aggregates from its accepted returns (after one of its measures is mapped anew)."""
    with transaction.atomic():
        return _sync(
            OutcomeAggregate.objects.select_for_update().filter(award_id=award_id),
            _rows(_accepted_answers().filter(quarterly_return__award_id=award_id), _kinds()),
        )


def rebuild_all() -> int:
    """Rewrite every aggregate from the accepted returns. Idempotent: the same returns give the same rows, and
    nothing is written when nothing has changed."""
    with transaction.atomic():
        return _sync(OutcomeAggregate.objects.select_for_update().all(), _rows(_accepted_answers(), _kinds()))


def map_measure(*, measure, indicator: OutcomeIndicator | None, local_only: bool) -> models.Model:
    """Set where a measure adds up (an award's or a template's), refusing an indicator of another unit or kind.
    An award's accepted returns are summarised again, so the totals follow the new mapping."""
    measure.indicator, measure.local_only = indicator, local_only
    check_mapping(measure)
    with transaction.atomic():
        measure.full_clean()
        measure.save()
        framework = getattr(measure, "framework", None)
        if framework is not None:
            rebuild_award(framework.award_id)
    return measure
