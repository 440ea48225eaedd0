"""Reads of the outcome catalogue and its aggregates, for the outcomes dashboard and the indicators page.

Totals come from the aggregate table (written as returns are accepted), never from the returns: one query
whatever the number of returns. A rate is the total numerator over the total denominator, with both shown.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from opcc.calendar import Quarter
from reporting.models import (
    Measure,
    OutcomeAggregate,
    OutcomeIndicator,
    QuarterlyReturn,
    ReturnStatus,
    TemplateMeasure,
)
from reporting.services.outcomes import unmapped


@dataclass(frozen=True)
class IndicatorTotal:
    """One indicator across the awards and quarters asked for: a count's total, or a rate with its base."""

    key: str
    name: str
    unit: str
    aggregation: str
    value: Decimal | None  # a count's total
    numerator: Decimal | None  # a rate's total numerator
    denominator: Decimal | None  # ... over its total denominator
    awards: int  # how many awards reported it

    @property
    def rate(self) -> Decimal | None:
        """The percentage: total numerator over total denominator (never an average of percentages)."""
        if self.numerator is None or not self.denominator:
            return None
        return (self.numerator / self.denominator * 100).quantize(Decimal("0.1"))


def catalogue() -> QuerySet:
    return OutcomeIndicator.objects.order_by("position", "name")


def _aggregates(
    *, start_year: int | None, quarter: int | None, stream: str, awards: QuerySet | None
) -> QuerySet:
    qs = OutcomeAggregate.objects.all()
    if start_year is not None:
        qs = qs.filter(quarter_start_year=start_year)
    if quarter is not None:
        qs = qs.filter(quarter=quarter)
    if stream:
        qs = qs.filter(award__pot__stream=stream)
    if awards is not None:
        qs = qs.filter(award__in=awards)
    return qs


def outcome_totals(
    *,
    start_year: int | None = None,
    quarter: int | None = None,
    stream: str = "",
    awards: QuerySet | None = None,
) -> list[IndicatorTotal]:
    """Every indicator's total over the accepted returns in scope (a financial year by its starting year, a
    quarter, a stream, the awards of a queryset), in the catalogue's order. One query."""
    rows = (
        _aggregates(start_year=start_year, quarter=quarter, stream=stream, awards=awards)
        .values(
            "indicator__key",
            "indicator__name",
            "indicator__unit",
            "indicator__aggregation",
            "indicator__position",
        )
        .annotate(
            value=Sum("value_sum"),
            numerator=Sum("numerator"),
            denominator=Sum("denominator"),
            awards=Count("award", distinct=True),
        )
        .order_by("indicator__position", "indicator__name")
    )
    return [
        IndicatorTotal(
            key=r["indicator__key"],
            name=r["indicator__name"],
            unit=r["indicator__unit"],
            aggregation=r["indicator__aggregation"],
            value=r["value"],
            numerator=r["numerator"],
            denominator=r["denominator"],
            awards=r["awards"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Completeness:
    quarter: Quarter
    accepted: int
    expected: int

    @property
    def words(self) -> str:
        return f"{self.accepted} of {self.expected} returns accepted for {self.quarter.short_label}"


def completeness(
    start_year: int, quarter: int, *, stream: str = "", awards: QuerySet | None = None
) -> Completeness:
    """How complete a quarter's outcome figures are: accepted returns out of those due (one query). A return
    not yet due is not expected yet."""
    qs = QuarterlyReturn.objects.filter(quarter_start_year=start_year, quarter=quarter).exclude(
        status=ReturnStatus.NOT_YET_DUE
    )
    if stream:
        qs = qs.filter(award__pot__stream=stream)
    if awards is not None:
        qs = qs.filter(award__in=awards)
    counts = qs.aggregate(expected=Count("pk"), accepted=Count("pk", filter=Q(status=ReturnStatus.ACCEPTED)))
    return Completeness(Quarter(start_year, quarter), counts["accepted"], counts["expected"])


def unmapped_measures() -> QuerySet:
    """Awards' measures with a number that add to no indicator and are not local-only, award by award."""
    return (
        unmapped(Measure.objects.all())
        .select_related("framework__award__organisation")
        .order_by("framework__award__reference", "position", "pk")
    )


def unmapped_template_measures() -> QuerySet:
    return (
        unmapped(TemplateMeasure.objects.all())
        .select_related("template")
        .order_by("template__name", "position")
    )
