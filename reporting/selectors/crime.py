"""Reading crime trends: from the monthly summary only, with a fixed number of queries whatever the volume."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db.models import Max, Min, Q, Sum
from django.urls import reverse

from funding.ledger import award_years_with_figures
from funding.models import Award, AwardYear
from opcc.calendar import month_start
from opcc.money import PENNY, ZERO, pence
from reporting.models import CrimeMonthlyCount, LocalAuthorityPopulation
from reporting.selectors.areas import areas_of, own_area, pilot_areas


def latest_month() -> date | None:
    return CrimeMonthlyCount.objects.aggregate(latest=Max("month"))["latest"]


def data_range() -> tuple[date | None, date | None]:
    """The first and last month with any crime data."""
    found = CrimeMonthlyCount.objects.aggregate(first=Min("month"), last=Max("month"))
    return found["first"], found["last"]


def month_list(last: date, count: int, first: date | None = None) -> list[date]:
    """The `count` months up to `last`, never before the first month there is data for (no data is not zero)."""
    return [
        m for m in (month_start(last, -i) for i in range(count - 1, -1, -1)) if first is None or m >= first
    ]


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

    @property
    def total(self) -> int:
        return sum(self.totals)

    @property
    def by_type(self) -> dict[str, int]:
        return {r.crime_type: r.total for r in self.rows}


def area_trends(*, areas: list, months: list[date], crime_type: str = "") -> list[AreaTrend]:
    """Counts by area, crime type and month in one query; areas without any crime still appear (with no rows)."""
    index = {m: i for i, m in enumerate(months)}
    counts: dict = defaultdict(lambda: defaultdict(lambda: [0] * len(months)))
    if months and areas:
        qs = CrimeMonthlyCount.objects.filter(
            month__gte=months[0], month__lte=months[-1], area_id__in=[a.pk for a in areas]
        )
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


# ---- Spend per area ---------------------------------------------------------------------------------------------


@dataclass
class AreaSpend:
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    awards: set = field(default_factory=set)  # ids of the awards with money here (whole or a share)
    shared: set = field(default_factory=set)  # of which shared with other areas

    def add(self, committed: Decimal, paid: Decimal, award_id: int, *, shared: bool = False) -> None:
        self.committed += committed
        self.paid += paid
        self.awards.add(award_id)
        if shared:
            self.shared.add(award_id)


@dataclass
class Spend:
    """A financial year's committed and paid money: per area, and West Mercia-wide (no area, or every area)."""

    by_area: dict[int, AreaSpend]
    wide: AreaSpend
    in_areas: AreaSpend  # the areas' figures added up: each award once, whether in one area or shared

    @property
    def total(self) -> AreaSpend:
        return AreaSpend(
            self.in_areas.committed + self.wide.committed,
            self.in_areas.paid + self.wide.paid,
            self.in_areas.awards | self.wide.awards,
        )

    def of(self, area) -> AreaSpend:
        return self.by_area.get(area.pk) or AreaSpend()


def split(amount: Decimal, parts: int) -> list[Decimal]:
    """An amount in equal shares to the penny, the odd pennies to the first shares: the shares add up to it."""
    share = (amount / parts).quantize(PENNY, rounding=ROUND_DOWN)
    odd = int((amount - share * parts) / PENNY)
    return [share + (PENNY if i < odd else ZERO) for i in range(parts)]


def spend_by_area(start_year: int, areas: list) -> Spend:
    """Committed and paid in a financial year for every award, whatever its stream, placed in the areas it serves.
    An award serving several (but not all) areas is split equally between them, so the areas' figures add up; one
    with no area, or serving every area, is West Mercia-wide. Which areas an award serves is
    `reporting.selectors.areas`' rule, the one the outcomes dashboard uses too. Two queries."""
    year_awards = AwardYear.objects.filter(pot__year__start_year=start_year)
    rows = award_years_with_figures(year_awards).values(
        "award_id", "committed", "paid", own=own_area("award__")
    )
    pilots = pilot_areas(Award.objects.filter(profile__in=year_awards))
    every = {a.pk for a in areas}
    by_area: dict[int, AreaSpend] = defaultdict(AreaSpend)
    wide, in_areas = AreaSpend(), AreaSpend()
    for row in rows:
        served = areas_of(row["own"], pilots.get(row["award_id"]), every)
        committed, paid = pence(row["committed"]) or ZERO, pence(row["paid"]) or ZERO
        if not served:
            wide.add(committed, paid, row["award_id"])
            continue
        in_areas.add(committed, paid, row["award_id"], shared=len(served) > 1)
        for area_id, part, part_paid in zip(
            served, split(committed, len(served)), split(paid, len(served)), strict=True
        ):
            by_area[area_id].add(part, part_paid, row["award_id"], shared=len(served) > 1)
    return Spend(dict(by_area), wide, in_areas)


# ---- Residents ------------------------------------------------------------------------------------------------


@dataclass
class Residents:
    year: int | None  # the mid-year estimates used, or None when none are imported
    by_area: dict[int, int]
    years: list[int]  # every year imported

    def of(self, area) -> int | None:
        return self.by_area.get(area.pk)


def residents(near: int) -> Residents:
    """Each area's residents from the latest mid-year estimates not after the year `near` (or, when every year
    imported is later, the earliest). One query."""
    totals: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (
        LocalAuthorityPopulation.objects.values("year", "area_id").annotate(n=Sum("population")).order_by()
    ):
        totals[row["year"]][row["area_id"]] = row["n"]
    years = sorted(totals)
    if not years:
        return Residents(None, {}, [])
    before = [y for y in years if y <= near]
    year = before[-1] if before else years[0]
    return Residents(year, totals[year], years)


def per_thousand(crimes: int, people: int | None) -> Decimal | None:
    """Crimes per 1,000 residents to one decimal place; None without a population (never a made-up rate)."""
    if not people:
        return None
    return (Decimal(crimes) * 1000 / Decimal(people)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---- The areas side by side -----------------------------------------------------------------------------------


@dataclass
class Column:
    label: str
    slug: str
    by_type: dict[str, int]
    crimes: int
    residents: int | None
    spend: AreaSpend

    @property
    def rate(self) -> Decimal | None:
        return per_thousand(self.crimes, self.residents)


@dataclass
class Comparison:
    months: list[date]
    crime_types: list[str]
    columns: list[Column]  # the areas shown, then (with more than one) all of them together
    monthly: list[tuple[date, list[int]]]  # each month's crimes in each column
    residents: Residents
    spend: Spend
    missing_residents: list[str]  # areas shown with no population for the year used

    def rows(self) -> list[tuple[str, list[int]]]:
        return [(kind, [c.by_type.get(kind, 0) for c in self.columns]) for kind in self.crime_types]

    @property
    def areas(self) -> list[Column]:
        return self.columns if len(self.columns) == 1 else self.columns[:-1]

    def charts(self) -> dict:
        """The table's figures as charts: rates (or crimes) per area, spend per area, crimes by month per area."""
        labels = [c.label for c in self.areas]
        rates = [c.rate for c in self.areas]
        crime_chart = (
            {
                "type": "bar",
                "labels": labels,
                "series": [{"label": "Crimes per 1,000 residents", "data": [float(r) for r in rates]}],
            }
            if all(r is not None for r in rates)
            else {
                "type": "bar",
                "labels": labels,
                "counts": True,
                "series": [{"label": "Crimes", "data": [c.crimes for c in self.areas]}],
            }
        )
        spend_chart = {
            "type": "bar",
            "labels": [*labels, "West Mercia-wide"],
            "series": [
                {
                    "label": "Committed",
                    "data": [float(c.spend.committed) for c in self.areas]
                    + [float(self.spend.wide.committed)],
                },
                {
                    "label": "Paid",
                    "data": [float(c.spend.paid) for c in self.areas] + [float(self.spend.wide.paid)],
                },
            ],
        }
        month_chart = {
            "type": "line",
            "counts": True,
            "labels": [f"{m:%b %Y}" for m, _ in self.monthly],
            "series": [
                {"label": c.label, "data": [counts[i] for _, counts in self.monthly]}
                for i, c in enumerate(self.areas)
            ],
        }
        return {"crime": crime_chart, "spend": spend_chart, "months": month_chart}


def comparison(
    *, areas: list, shown: list, months: list[date], crime_type: str, start_year: int
) -> Comparison:
    """Every figure of the trends page, for the areas shown side by side. Four queries whatever the volume."""
    trends = area_trends(areas=shown, months=months, crime_type=crime_type)
    spend = spend_by_area(start_year, areas)
    people = residents(months[-1].year if months else start_year)
    columns = [
        Column(t.area.name, t.area.slug, t.by_type, t.total, people.of(t.area), spend.of(t.area))
        for t in trends
    ]
    if len(columns) > 1:
        counted = all(c.residents for c in columns)
        by_type: dict[str, int] = defaultdict(int)
        for column in columns:
            for kind, n in column.by_type.items():
                by_type[kind] += n
        columns.append(
            Column(
                "All areas",
                "all",
                dict(by_type),
                sum(c.crimes for c in columns),
                sum(c.residents for c in columns) if counted else None,
                spend.in_areas,
            )
        )
    kinds = sorted({kind for t in trends for kind in t.by_type})
    monthly = [
        (m, [t.totals[i] for t in trends] + ([sum(t.totals[i] for t in trends)] if len(trends) > 1 else []))
        for i, m in enumerate(months)
    ]
    return Comparison(
        months,
        kinds,
        columns,
        monthly,
        people,
        spend,
        [t.area.name for t in trends if people.of(t.area) is None],
    )


def _span(start: date, end: date) -> str:
    return f"{start:%b %Y} to {end:%b %Y}" if start != end else f"{end:%b %Y}"


PERIOD_WORDS = {
    1: "month",
    2: "two months",
    3: "three months",
    4: "four months",
    5: "five months",
    6: "six months",
}


def understand_panel(commission) -> dict:
    """The commission's areas (or West Mercia wide): the last six months' crimes by type against the six before.

    Only months the office holds data for count: with three months imported, the panel says "the three months
    held" and names those months, and it compares with the same number of months before only when all of them
    are held (no data is not zero)."""
    areas = list(commission.areas.all())
    first, latest = data_range()
    panel = {
        "template": "reporting/crime/_understand_panel.html",
        "areas": areas,
        "rows": [],
        "latest": latest,
        "url": reverse("reporting:crime-trends"),
    }
    if len(areas) == 1:
        panel["url"] += f"?area={areas[0].slug}"
    if latest is None:
        return panel
    recent = month_list(latest, 6, first)
    recent_start, previous_start = recent[0], month_start(recent[0], -len(recent))
    has_previous_months = previous_start >= first
    qs = CrimeMonthlyCount.objects.filter(month__gte=previous_start, month__lte=latest)
    if areas:
        qs = qs.filter(area_id__in=[a.pk for a in areas])
    rows = (
        qs.values("crime_type")
        .annotate(
            recent=Sum("count", filter=Q(month__gte=recent_start)),
            previous=Sum("count", filter=Q(month__lt=recent_start)),
        )
        .order_by("crime_type")
    )
    for row in rows:
        recent_count, previous = row["recent"] or 0, (row["previous"] or 0) if has_previous_months else 0
        change = None if not previous else abs(round((recent_count - previous) * 100 / previous))
        panel["rows"].append(
            {
                "crime_type": row["crime_type"],
                "recent": recent_count,
                "previous": previous,
                "difference": recent_count - previous,
                "change": change,
            }
        )
    panel["rows"].sort(key=lambda r: -r["recent"])
    panel["recent_total"] = sum(r["recent"] for r in panel["rows"])
    panel["previous_total"] = sum(r["previous"] for r in panel["rows"])
    panel["months"] = len(recent)
    panel["period"] = PERIOD_WORDS[len(recent)]
    panel["first"] = first
    panel["recent_label"] = (
        f"{recent_start:%B %Y} to {latest:%B %Y}" if len(recent) > 1 else f"{latest:%B %Y}"
    )
    panel["previous_label"] = (
        f"{previous_start:%B %Y} to {month_start(recent_start, -1):%B %Y}"
        if len(recent) > 1
        else f"{previous_start:%B %Y}"
    )
    panel["recent_short"] = _span(recent_start, latest)
    panel["previous_short"] = _span(previous_start, month_start(recent_start, -1))
    panel["has_previous"] = has_previous_months and bool(panel["previous_total"])
    return panel
