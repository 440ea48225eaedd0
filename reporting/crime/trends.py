"""Reading crime trends: from the monthly summary only, with a fixed number of queries whatever the volume."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max, Min, Q, Sum
from django.urls import reverse

from funding.ledger import pots_with_figures
from funding.models import Pot
from reporting.models import CrimeMonthlyCount

ZERO = Decimal("0")


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def latest_month() -> date | None:
    return CrimeMonthlyCount.objects.aggregate(latest=Max("month"))["latest"]


def data_range() -> tuple[date | None, date | None]:
    """The first and last month with any crime data."""
    found = CrimeMonthlyCount.objects.aggregate(first=Min("month"), last=Max("month"))
    return found["first"], found["last"]


def month_list(last: date, count: int, first: date | None = None) -> list[date]:
    """The `count` months up to `last`, never before the first month there is data for (no data is not zero)."""
    return [m for m in (add_months(last, -i) for i in range(count - 1, -1, -1)) if first is None or m >= first]


@dataclass
class TypeRow:
    crime_type: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class AreaTrend:
    area: object
    rows: list[TypeRow]
    totals: list[int]
    spend: "AreaSpend | None" = None

    @property
    def total(self) -> int:
        return sum(self.totals)

    def chart(self, months: list[date], limit: int = 5) -> dict:
        """A line chart of the area's commonest crime types (the table has them all)."""
        top = sorted(self.rows, key=lambda r: -r.total)[:limit]
        return {"type": "line", "labels": [f"{m:%b %Y}" for m in months],
                "series": [{"label": r.crime_type, "data": r.counts} for r in top]}


@dataclass
class AreaSpend:
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    pots: list = field(default_factory=list)


def area_trends(*, areas: list, months: list[date], crime_type: str = "") -> list[AreaTrend]:
    """Counts by area, crime type and month in one query; areas without any crime still appear (with no rows)."""
    index = {m: i for i, m in enumerate(months)}
    counts: dict = defaultdict(lambda: defaultdict(lambda: [0] * len(months)))
    if months and areas:
        qs = CrimeMonthlyCount.objects.filter(month__gte=months[0], month__lte=months[-1],
                                              area_id__in=[a.pk for a in areas])
        if crime_type:
            qs = qs.filter(crime_type=crime_type)
        for area_id, kind, month, n in qs.values_list("area_id", "crime_type", "month", "count"):
            counts[area_id][kind][index[month]] += n
    trends = []
    for area in areas:
        rows = [TypeRow(kind, values) for kind, values in sorted(counts[area.pk].items())]
        totals = [sum(r.counts[i] for r in rows) for i in range(len(months))]
        trends.append(AreaTrend(area, rows, totals))
    return trends


def spend_by_area(start_year: int) -> tuple[dict, AreaSpend]:
    """Committed and paid in a financial year for each area's pots (CSP and LPCAF), and the West Mercia-wide pots
    together (not split by area). One query."""
    by_area: dict[int, AreaSpend] = defaultdict(AreaSpend)
    wide = AreaSpend()
    for pot in pots_with_figures(Pot.objects.filter(year__start_year=start_year)).order_by("stream", "name"):
        target = by_area[pot.area_id] if pot.area_id else wide
        target.committed += pot.committed or ZERO
        target.paid += pot.paid or ZERO
        target.pots.append(pot)
    return dict(by_area), wide


def _span(start: date, end: date) -> str:
    return f"{start:%b %Y} to {end:%b %Y}" if start != end else f"{end:%b %Y}"


PERIOD_WORDS = {1: "month", 2: "two months", 3: "three months", 4: "four months", 5: "five months", 6: "six months"}


def understand_panel(commission) -> dict:
    """The commission's areas (or West Mercia wide): the last six months' crimes by type against the six before.

    Only months the office holds data for count: with three months imported, the panel says "the three months
    held" and names those months, and it compares with the same number of months before only when all of them
    are held (no data is not zero)."""
    areas = list(commission.areas.all())
    first, latest = data_range()
    panel = {"template": "reporting/crime/_understand_panel.html", "areas": areas, "rows": [], "latest": latest,
             "url": reverse("reporting:crime-trends")}
    if len(areas) == 1:
        panel["url"] += f"?area={areas[0].slug}"
    if latest is None:
        return panel
    recent = month_list(latest, 6, first)
    recent_start, previous_start = recent[0], add_months(recent[0], -len(recent))
    has_previous_months = previous_start >= first
    qs = CrimeMonthlyCount.objects.filter(month__gte=previous_start, month__lte=latest)
    if areas:
        qs = qs.filter(area_id__in=[a.pk for a in areas])
    rows = (qs.values("crime_type")
            .annotate(recent=Sum("count", filter=Q(month__gte=recent_start)),
                      previous=Sum("count", filter=Q(month__lt=recent_start)))
            .order_by("crime_type"))
    for row in rows:
        recent_count, previous = row["recent"] or 0, (row["previous"] or 0) if has_previous_months else 0
        change = None if not previous else abs(round((recent_count - previous) * 100 / previous))
        panel["rows"].append({"crime_type": row["crime_type"], "recent": recent_count, "previous": previous,
                              "difference": recent_count - previous, "change": change})
    panel["rows"].sort(key=lambda r: -r["recent"])
    panel["recent_total"] = sum(r["recent"] for r in panel["rows"])
    panel["previous_total"] = sum(r["previous"] for r in panel["rows"])
    panel["months"] = len(recent)
    panel["period"] = PERIOD_WORDS[len(recent)]
    panel["first"] = first
    panel["recent_label"] = f"{recent_start:%B %Y} to {latest:%B %Y}" if len(recent) > 1 else f"{latest:%B %Y}"
    panel["previous_label"] = (f"{previous_start:%B %Y} to {add_months(recent_start, -1):%B %Y}" if len(recent) > 1
                               else f"{previous_start:%B %Y}")
    panel["recent_short"] = _span(recent_start, latest)
    panel["previous_short"] = _span(previous_start, add_months(recent_start, -1))
    panel["has_previous"] = has_previous_months and bool(panel["previous_total"])
    return panel
