"""What the money achieves: money committed and paid beside people supported and outcomes achieved, by Police and
Crime Plan priority, stream, area, provider or service, with the trend by quarter and how complete the data is.

The API (the outcomes dashboard and the Police and Crime Panel report use it; extend it, do not rename):

- `AchievementFilters(start_year, quarter=None, priority_id=None, stream="", area="", provider_id=None,
  award_id=None)`: a financial year by the year it starts, optionally one quarter of it, a priority of the current
  plan (`NO_PRIORITY` for awards linked to none of its priorities), a stream, an area's slug (`WEST_MERCIA` for
  awards serving no single area), an organisation or one award. `filters.query()` writes it as a query string and
  `resolve_filters(params, today)` reads one back, ignoring values that are not offered.
- `achievements_by(dimension, filters) -> list[AchievementRow]`, dimension one of `DIMENSIONS`
  ("priority", "stream", "area", "provider", "service"). A row has `key`, `label`, `awards`, `committed`, `paid`,
  `outcomes` (`IndicatorTotal`s in catalogue order: a count's `value`, a rate's `numerator` over `denominator`),
  `people_supported`, `cost_per_person`, `returns_accepted` and `returns_expected`, and `filters` narrowed to it
  (for its drill-down links).
- `achievement_total(filters) -> AchievementRow`: the same figures over every award in scope, each counted once.
- `quarterly_trend(filters, today=None, quarters=12) -> list[TrendPoint]`: per quarter up to the chosen year's last
  that has ended, people supported and every indicator, and how many of the quarter's returns were accepted.
- `completeness(filters) -> list[Completeness]`: per quarter of the year (or the one chosen), returns accepted
  out of those due ("12 of 15 returns accepted for Q2 2026/27").
- `award_returns(filters, indicator_key="", which="accepted")`: the returns behind a figure, for drill-down lists,
  and `indicator_total(filters, indicator_key)`: what the accepted ones add up to.
- `achievements(dimension, filters)`: the rows and the total from one reading (what the dashboard uses);
  `describe(filters, choices)`: the filters in words; `awards_matching` / `awards_in_scope`: the awards themselves.

Each function takes an optional `choices=filter_choices()` to save reading what the filters offer again.

How it counts:

- Outcomes come from `OutcomeAggregate`, which holds accepted returns only, so only accepted returns count. A rate is
  its total numerator over its total denominator, never an average of percentages. "People supported" is the
  catalogue's `people-supported` indicator summed over the quarters: someone supported in two quarters is counted
  in each, as every quarterly return counts them.
- Money is the year's, by the ledger's rules: committed is an award's profile lines in that year's pots (nothing
  for a cancelled award), paid is the payments drawn on them. Money is committed and paid by the year, so a quarter
  narrows the outcomes and the returns, not the money.
- Cost per person supported is money **paid** in the year divided by people supported in the year: what was spent
  for what was delivered. It is given only for a whole year (None when a quarter is chosen, or nobody was counted).
- An award is in the year when it holds money in one of the year's pots, has accepted outcomes for the year or a
  return due for it. Returns "expected" are those due (not "not yet due"), as `reporting.selectors.outcomes` says.
- Priority: an award counts in full under each priority of the current plan that one of its objectives serves, so
  priority rows can add up to more than the total; `achievement_total` counts every award once. Awards linked to
  none of the current plan's priorities form their own row (`NO_PRIORITY`).
- Area: the areas an award serves are `reporting.selectors.areas`' rule, the crime trends page's too: its pot's area
  (LPCAF), else its community safety partnership's area, else (a grant) the area its application was for, else the
  areas of the commission its contract was let for (a pilot's areas). An award serving several areas counts in full
  under each (as for priorities; the crime trends page splits its money instead, so its areas add up), the area
  filter matches every award serving the area, and `achievement_total` counts it once. An award serving no area, or
  every area, serves West Mercia as a whole and forms its own row (`WEST_MERCIA`), never dropped.

Every figure is computed by the database with aggregates grouped by award, in a fixed number of queries whatever
the number of returns, then added up per row here.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from funding.models import STREAM_ORDER, ZERO, Award, AwardYear, FinancialYear, Payment, Stream
from opcc.calendar import Quarter, financial_year_of
from opcc.models import LocalPolicingArea, Priority
from opcc.money import pence
from reporting.models import OutcomeAggregate, OutcomeIndicator, QuarterlyReturn, ReturnStatus
from reporting.selectors import areas as area_rule
from reporting.selectors.outcomes import Completeness, IndicatorTotal

PEOPLE_SUPPORTED = "people-supported"
NO_PRIORITY = 0  # awards linked to no priority of the current plan
WEST_MERCIA = "west-mercia"  # awards serving no single local policing area
DIMENSIONS = {
    "priority": "Plan priority",
    "stream": "Stream",
    "area": "Local policing area",
    "provider": "Provider",
    "service": "Service",
}
NO_PRIORITY_LABEL = "Not linked to a priority of the Plan"
WEST_MERCIA_LABEL = "West Mercia wide"
TREND_QUARTERS = 12


# ---- Filters -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AchievementFilters:
    start_year: int
    quarter: int | None = None  # 1 to 4
    priority_id: int | None = None  # a priority of the current plan, or NO_PRIORITY
    stream: str = ""
    area: str = ""  # a local policing area's slug, or WEST_MERCIA
    provider_id: int | None = None  # an organisation
    award_id: int | None = None  # one service

    def params(self, **extra) -> dict:
        values = {
            "year": self.start_year,
            "quarter": self.quarter,
            "priority": "none" if self.priority_id == NO_PRIORITY else self.priority_id,
            "stream": self.stream,
            "area": self.area,
            "provider": self.provider_id,
            "award": self.award_id,
            **extra,
        }
        return {k: v for k, v in values.items() if v not in ("", None)}

    def query(self, **extra) -> str:
        return urlencode(self.params(**extra))

    @property
    def quarters(self) -> list[Quarter]:
        numbers = [self.quarter] if self.quarter else [1, 2, 3, 4]
        return [Quarter(self.start_year, n) for n in numbers]

    @property
    def whole_year(self) -> bool:
        return self.quarter is None

    @property
    def year(self) -> int:
        return self.start_year


@dataclass
class FilterChoices:
    years: list = field(default_factory=list)  # [(start_year, label)]
    quarters: list = field(default_factory=list)  # [(number, label)]
    priorities: list = field(default_factory=list)  # [(id, title)] of the current plan
    streams: list = field(default_factory=list)  # [(value, label)]
    areas: list = field(default_factory=list)  # [(slug, name)], West Mercia wide last
    area_ids: dict = field(default_factory=dict)  # slug -> id
    plan_title: str = ""


def filter_choices() -> FilterChoices:
    """What the filters offer: three small queries (cache them with the data version)."""
    plan_priorities = list(
        Priority.objects.filter(plan__is_current=True).select_related("plan").order_by("position", "pk")
    )
    areas = list(LocalPolicingArea.objects.order_by("name").values_list("pk", "slug", "name"))
    return FilterChoices(
        years=[
            (y, f"{y} to {y + 1}")
            for y in FinancialYear.objects.order_by("-start_year").values_list("start_year", flat=True)
        ],
        quarters=[(n, f"Q{n}") for n in (1, 2, 3, 4)],
        priorities=[(p.pk, p.title) for p in plan_priorities],
        streams=[(s.value, s.label) for s in STREAM_ORDER],
        areas=[(slug, name) for _pk, slug, name in areas] + [(WEST_MERCIA, WEST_MERCIA_LABEL)],
        area_ids={slug: pk for pk, slug, _name in areas},
        plan_title=plan_priorities[0].plan.title if plan_priorities else "",
    )


def _whole_number(raw) -> int | None:
    raw = str(raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def resolve_filters(
    params, today: date, choices: FilterChoices | None = None
) -> tuple[AchievementFilters, list[str]]:
    """The filters a query string asks for, and the names of those it asked for but which are not offered (an
    unknown priority, area or quarter is ignored, and the page says so). The year defaults to the current one."""
    choices = choices if choices is not None else filter_choices()
    ignored = []

    def pick(name, allowed, convert=str):
        raw = str(params.get(name, "")).strip()
        if not raw:
            return None
        value = convert(raw)
        if value in allowed:
            return value
        ignored.append(name)
        return None

    years = {y for y, _ in choices.years}
    year = pick("year", years, _whole_number)
    raw_priority = str(params.get("priority", "")).strip()
    priority = (
        NO_PRIORITY
        if raw_priority == "none"
        else pick("priority", {pk for pk, _ in choices.priorities}, _whole_number)
    )
    provider, award = _whole_number(params.get("provider")), _whole_number(params.get("award"))
    for name, value in (("provider", provider), ("award", award)):
        if str(params.get(name, "")).strip() and value is None:
            ignored.append(name)
    return AchievementFilters(
        start_year=year if year is not None else financial_year_of(today),
        quarter=pick("quarter", {1, 2, 3, 4}, _whole_number),
        priority_id=priority,
        stream=pick("stream", set(Stream.values)) or "",
        area=pick("area", {slug for slug, _ in choices.areas}) or "",
        provider_id=provider,
        award_id=award,
    ), ignored


def describe(
    filters: AchievementFilters, choices: FilterChoices, *, provider: str = "", award: str = ""
) -> str:
    """The filters in words, e.g. "2026 to 2027, Q2, Putting victims and survivors first, Herefordshire"."""
    parts = [f"{filters.start_year} to {filters.start_year + 1}"]
    if filters.quarter:
        parts.append(f"Q{filters.quarter}")
    if filters.priority_id is not None:
        parts.append(dict(choices.priorities).get(filters.priority_id, NO_PRIORITY_LABEL))
    if filters.stream:
        parts.append(dict(choices.streams)[filters.stream])
    if filters.area:
        parts.append(dict(choices.areas)[filters.area])
    parts += [name for name in (provider, award) if name]
    return ", ".join(parts)


# ---- Which awards --------------------------------------------------------------------------------


def _current_priority_links():
    return Award.objectives.through.objects.filter(objective__priority__plan__is_current=True)


def _of_matching_awards(qs: QuerySet, filters: AchievementFilters, area_ids: dict | None) -> QuerySet:
    """Rows of a table with an award, of the awards matching the filters (all of them when nothing narrows)."""
    return qs.filter(award__in=awards_matching(filters, area_ids).values("pk")) if narrowed(filters) else qs


def narrowed(filters: AchievementFilters) -> bool:
    """Whether the filters narrow the awards at all (beyond the year and quarter)."""
    return bool(
        filters.stream
        or filters.area
        or filters.priority_id is not None
        or filters.provider_id is not None
        or filters.award_id is not None
    )


def awards_matching(filters: AchievementFilters, area_ids: dict | None = None) -> QuerySet:
    """Awards matching the filters' priority, stream, area, provider and award, in any year."""
    qs = Award.objects.all()
    if filters.stream:
        qs = qs.filter(pot__stream=filters.stream)
    if filters.area:
        # The area takes joins and subqueries to work out: only when it is asked about.
        area_ids = (
            area_ids if area_ids is not None else dict(LocalPolicingArea.objects.values_list("slug", "pk"))
        )
        qs = area_rule.serving(
            qs, None if filters.area == WEST_MERCIA else area_ids.get(filters.area, -1), len(area_ids)
        )
    if filters.priority_id == NO_PRIORITY:
        qs = qs.filter(~Exists(_current_priority_links().filter(award_id=OuterRef("pk"))))
    elif filters.priority_id is not None:
        qs = qs.filter(
            Exists(
                _current_priority_links().filter(
                    award_id=OuterRef("pk"), objective__priority_id=filters.priority_id
                )
            )
        )
    if filters.provider_id is not None:
        qs = qs.filter(organisation_id=filters.provider_id)
    if filters.award_id is not None:
        qs = qs.filter(pk=filters.award_id)
    return qs


def awards_in_scope(filters: AchievementFilters, area_ids: dict | None = None) -> QuerySet:
    """Awards matching the filters that hold money in the year's pots, have accepted outcomes in the year or a
    return due for it."""
    year = filters.start_year
    return awards_matching(filters, area_ids).filter(
        Q(pk__in=AwardYear.objects.filter(pot__year__start_year=year).values("award_id"))
        | Q(pk__in=OutcomeAggregate.objects.filter(quarter_start_year=year).values("award_id"))
        | Q(
            pk__in=QuarterlyReturn.objects.filter(quarter_start_year=year)
            .exclude(status=ReturnStatus.NOT_YET_DUE)
            .values("award_id")
        )
    )


# ---- Figures per award ---------------------------------------------------------------------------


@dataclass
class _Sums:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    awards: set = field(default_factory=set)

    def add(self, award_id, value, numerator, denominator):
        if value is not None:
            self.value = (self.value or ZERO) + value
        if numerator is not None:
            self.numerator = (self.numerator or ZERO) + numerator
        if denominator is not None:
            self.denominator = (self.denominator or ZERO) + denominator
        self.awards.add(award_id)


def _totals(sums: dict, catalogue: list[OutcomeIndicator]) -> list[IndicatorTotal]:
    return [
        IndicatorTotal(
            key=i.key,
            name=i.name,
            unit=i.unit,
            aggregation=i.aggregation,
            value=s.value,
            numerator=s.numerator,
            denominator=s.denominator,
            awards=len(s.awards),
        )
        for i in catalogue
        if (s := sums.get(i.pk)) is not None
    ]


def _catalogue() -> list[OutcomeIndicator]:
    return list(OutcomeIndicator.objects.order_by("position", "name"))


@dataclass
class _AwardFigures:
    pk: int
    reference: str
    title: str
    organisation_id: int
    organisation: str
    stream: str
    areas: tuple  # the areas it serves (none: West Mercia wide)
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    outcomes: list = field(default_factory=list)  # [(indicator_id, value, numerator, denominator)]
    accepted: int = 0
    expected: int = 0


def _award_figures(filters: AchievementFilters, area_ids: dict) -> dict[int, _AwardFigures]:
    """Every award in scope with the areas it serves, its year's money, its outcomes and its returns: six grouped
    queries. Each of the last four reads its table's rows of the year, so each row belongs to an award the first one
    found."""
    scope = awards_in_scope(filters, area_ids)
    pilots = area_rule.pilot_areas(scope)
    every = set(area_ids.values())
    awards = {
        row["pk"]: _AwardFigures(
            row["pk"],
            row["reference"],
            row["title"],
            row["organisation_id"],
            row["organisation__name"],
            row["pot__stream"],
            area_rule.areas_of(row["own"], pilots.get(row["pk"]), every),
        )
        for row in scope.values(
            "pk",
            "reference",
            "title",
            "organisation_id",
            "organisation__name",
            "pot__stream",
            own=area_rule.own_area(),
        )
    }
    year = filters.start_year
    lines = AwardYear.objects.filter(pot__year__start_year=year).exclude(award__status=Award.Status.CANCELLED)
    payments = Payment.objects.filter(award_year__pot__year__start_year=year)
    aggregates = OutcomeAggregate.objects.filter(quarter_start_year=year)
    returns = QuarterlyReturn.objects.filter(quarter_start_year=year).exclude(status=ReturnStatus.NOT_YET_DUE)
    lines, payments, aggregates, returns = (
        _of_matching_awards(qs, filters, area_ids) for qs in (lines, payments, aggregates, returns)
    )
    for row in lines.values("award_id").order_by().annotate(total=Sum("amount")):
        awards[row["award_id"]].committed = pence(row["total"] or ZERO)
    for row in payments.values("award_id").order_by().annotate(total=Sum("amount")):
        awards[row["award_id"]].paid = pence(row["total"] or ZERO)
    if filters.quarter:
        aggregates, returns = (
            aggregates.filter(quarter=filters.quarter),
            returns.filter(quarter=filters.quarter),
        )
    for row in (
        aggregates.values("award_id", "indicator_id")
        .order_by()
        .annotate(value=Sum("value_sum"), numerator=Sum("numerator"), denominator=Sum("denominator"))
    ):
        awards[row["award_id"]].outcomes.append(
            (row["indicator_id"], row["value"], row["numerator"], row["denominator"])
        )
    for row in (
        returns.values("award_id")
        .order_by()
        .annotate(expected=Count("pk"), accepted=Count("pk", filter=Q(status=ReturnStatus.ACCEPTED)))
    ):
        awards[row["award_id"]].accepted, awards[row["award_id"]].expected = row["accepted"], row["expected"]
    return awards


# ---- Rows ----------------------------------------------------------------------------------------


@dataclass
class AchievementRow:
    """One priority, stream, area, provider or service (or the total): its money, people and outcomes."""

    dimension: str
    key: str
    label: str
    filters: AchievementFilters  # the page's filters narrowed to this row: its drill-down
    awards: int = 0
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    outcomes: list = field(default_factory=list)  # [IndicatorTotal] in catalogue order, only those reported
    returns_accepted: int = 0
    returns_expected: int = 0  # due (not "not yet due") in the year or quarter chosen
    provider: str = ""  # a service's provider

    def outcome(self, key: str) -> IndicatorTotal | None:
        return next((o for o in self.outcomes if o.key == key), None)

    @property
    def people_supported(self) -> Decimal:
        total = self.outcome(PEOPLE_SUPPORTED)
        return total.value if total is not None and total.value is not None else ZERO

    @property
    def cost_per_person(self) -> Decimal | None:
        """Money paid in the year over people supported in the year (None for a quarter, or nobody counted)."""
        if not self.filters.whole_year or not self.people_supported:
            return None
        return (self.paid / self.people_supported).quantize(Decimal("0.01"))


def _row(dimension, key, label, filters, members: list[_AwardFigures], catalogue) -> AchievementRow:
    sums: dict[int, _Sums] = {}
    for award in members:
        for indicator_id, value, numerator, denominator in award.outcomes:
            sums.setdefault(indicator_id, _Sums()).add(award.pk, value, numerator, denominator)
    return AchievementRow(
        dimension=dimension,
        key=str(key),
        label=label,
        filters=filters,
        awards=len(members),
        committed=sum((a.committed for a in members), ZERO),
        paid=sum((a.paid for a in members), ZERO),
        outcomes=_totals(sums, catalogue),
        returns_accepted=sum(a.accepted for a in members),
        returns_expected=sum(a.expected for a in members),
    )


def _priority_links(awards: dict) -> dict[int, set]:
    """award id -> the current plan's priorities its objectives serve (one query)."""
    links = defaultdict(set)
    if awards:
        for award_id, priority_id in (
            _current_priority_links()
            .filter(award_id__in=list(awards))
            .values_list("award_id", "objective__priority_id")
            .distinct()
        ):
            links[award_id].add(priority_id)
    return links


_Group = tuple[str, str, dict, list]


def _groups(dimension, filters, awards: dict, choices: FilterChoices) -> list[_Group]:
    """(key, label, filters to narrow to it, member awards) per row, in the page's order."""
    grouping = _GROUPINGS.get(dimension)
    if grouping is None:
        raise ValueError(f"No such dimension: {dimension}")
    return grouping(filters, awards, choices)


def _priority_groups(filters, awards: dict, choices: FilterChoices) -> list[_Group]:
    members = defaultdict(list)
    links = _priority_links(awards)
    for award in awards.values():
        for priority_id in links.get(award.pk) or {NO_PRIORITY}:
            members[priority_id].append(award)
    keyed = [(pk, title) for pk, title in choices.priorities]
    if members.get(NO_PRIORITY) or filters.priority_id == NO_PRIORITY:
        keyed.append((NO_PRIORITY, NO_PRIORITY_LABEL))
    return [
        ("none" if pk == NO_PRIORITY else str(pk), title, {"priority_id": pk}, members[pk])
        for pk, title in keyed
        if filters.priority_id in (None, pk)
    ]


def _stream_groups(filters, awards: dict, choices: FilterChoices) -> list[_Group]:
    members = defaultdict(list)
    for award in awards.values():
        members[award.stream].append(award)
    return [
        (value, label, {"stream": value}, members[value])
        for value, label in choices.streams
        if filters.stream in ("", value)
    ]


def _area_groups(filters, awards: dict, choices: FilterChoices) -> list[_Group]:
    members = defaultdict(list)
    slugs = {pk: slug for slug, pk in choices.area_ids.items()}
    for award in awards.values():  # in full under each area it serves
        for area_id in award.areas or (None,):
            members[slugs.get(area_id, WEST_MERCIA)].append(award)
    return [
        (slug, name, {"area": slug}, members[slug])
        for slug, name in choices.areas
        if filters.area in ("", slug)
    ]


def _provider_groups(filters, awards: dict, choices: FilterChoices) -> list[_Group]:
    members = defaultdict(list)
    names = {}
    for award in awards.values():
        members[award.organisation_id].append(award)
        names[award.organisation_id] = award.organisation
    return [(str(pk), names[pk], {"provider_id": pk}, members[pk]) for pk in members]


def _service_groups(filters, awards: dict, choices: FilterChoices) -> list[_Group]:
    return [(str(a.pk), f"{a.reference} {a.title}", {"award_id": a.pk}, [a]) for a in awards.values()]


_GROUPINGS = {
    "priority": _priority_groups,
    "stream": _stream_groups,
    "area": _area_groups,
    "provider": _provider_groups,
    "service": _service_groups,
}


def achievements(
    dimension: str, filters: AchievementFilters, choices: FilterChoices | None = None
) -> tuple[list[AchievementRow], AchievementRow]:
    """`achievements_by` and `achievement_total` from one reading of the figures (what the dashboard shows)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"No such dimension: {dimension}")
    choices = choices if choices is not None else filter_choices()
    awards = _award_figures(filters, choices.area_ids)
    catalogue = _catalogue()
    rows = [
        _row(dimension, key, label, replace(filters, **narrow), members, catalogue)
        for key, label, narrow, members in _groups(dimension, filters, awards, choices)
    ]
    if dimension == "service":
        for row in rows:
            row.provider = awards[int(row.key)].organisation
    if dimension in ("provider", "service"):
        rows.sort(key=lambda r: (-r.committed, r.label.lower()))
    return rows, _row("total", "", "Total", filters, list(awards.values()), catalogue)


def achievements_by(
    dimension: str, filters: AchievementFilters, choices: FilterChoices | None = None
) -> list[AchievementRow]:
    """One row per priority, stream or area (each one the filters allow, even with nothing in it), or per provider
    or service with money, outcomes or returns in scope (largest commitment first). A fixed number of queries."""
    return achievements(dimension, filters, choices)[0]


def achievement_total(filters: AchievementFilters, choices: FilterChoices | None = None) -> AchievementRow:
    """Every award in scope counted once (an award serving two priorities is in both priorities' rows, once here)."""
    return achievements("stream", filters, choices)[1]


# ---- Completeness and the trend ---------------------------------------------------------------------


def completeness(filters: AchievementFilters, choices: FilterChoices | None = None) -> list[Completeness]:
    """Per quarter of the year (or the quarter chosen): returns accepted out of those due, for the awards matching
    the filters. A return not yet due is not expected yet. One query."""
    area_ids = choices.area_ids if choices is not None else None
    qs = _of_matching_awards(
        QuarterlyReturn.objects.filter(quarter_start_year=filters.start_year), filters, area_ids
    ).exclude(status=ReturnStatus.NOT_YET_DUE)
    if filters.quarter:
        qs = qs.filter(quarter=filters.quarter)
    counts = {
        r["quarter"]: r
        for r in qs.values("quarter")
        .order_by()
        .annotate(expected=Count("pk"), accepted=Count("pk", filter=Q(status=ReturnStatus.ACCEPTED)))
    }
    return [
        Completeness(
            q, counts.get(q.number, {}).get("accepted", 0), counts.get(q.number, {}).get("expected", 0)
        )
        for q in filters.quarters
    ]


@dataclass
class TrendPoint:
    quarter: Quarter
    outcomes: list  # [IndicatorTotal]
    accepted: int
    expected: int

    def outcome(self, key: str) -> IndicatorTotal | None:
        return next((o for o in self.outcomes if o.key == key), None)

    @property
    def people_supported(self) -> Decimal:
        total = self.outcome(PEOPLE_SUPPORTED)
        return total.value if total is not None and total.value is not None else ZERO


def trend_quarters(
    filters: AchievementFilters, today: date | None = None, quarters: int = TREND_QUARTERS
) -> list[Quarter]:
    """The quarters the trend shows: up to the chosen year's last quarter (the one chosen, if any), never one that
    has not ended yet (by `today`, the office's today unless given), `quarters` of them."""
    today = today or timezone.localdate()
    last = Quarter(filters.start_year, filters.quarter or 4)
    while last.end >= today:
        last = last.previous()
    window = [last]
    while len(window) < quarters:
        window.insert(0, window[0].previous())
    return window


def quarterly_trend(
    filters: AchievementFilters,
    today: date | None = None,
    quarters: int = TREND_QUARTERS,
    choices: FilterChoices | None = None,
) -> list[TrendPoint]:
    """People supported and every indicator per quarter over the trend's quarters, with each quarter's returns
    accepted out of those due, for the awards matching the filters (whatever year they hold money in). Three
    queries."""
    area_ids = choices.area_ids if choices is not None else None
    window = trend_quarters(filters, today, quarters)
    years = sorted({q.start_year for q in window})
    in_window = {(q.start_year, q.number) for q in window}
    aggregates = _of_matching_awards(
        OutcomeAggregate.objects.filter(quarter_start_year__in=years), filters, area_ids
    )
    returns = _of_matching_awards(
        QuarterlyReturn.objects.filter(quarter_start_year__in=years), filters, area_ids
    )
    sums: dict = defaultdict(dict)
    for row in (
        aggregates.values("quarter_start_year", "quarter", "indicator_id")
        .order_by()
        # One aggregate per award, quarter and indicator: counting rows counts the awards.
        .annotate(
            value=Sum("value_sum"),
            numerator=Sum("numerator"),
            denominator=Sum("denominator"),
            awards=Count("pk"),
        )
    ):
        key = (row["quarter_start_year"], row["quarter"])
        if key in in_window:
            sums[key][row["indicator_id"]] = row
    returns = {
        (r["quarter_start_year"], r["quarter"]): r
        for r in (
            returns.exclude(status=ReturnStatus.NOT_YET_DUE)
            .values("quarter_start_year", "quarter")
            .order_by()
            .annotate(expected=Count("pk"), accepted=Count("pk", filter=Q(status=ReturnStatus.ACCEPTED)))
        )
    }
    catalogue = _catalogue()
    points = []
    for q in window:
        held = sums.get((q.start_year, q.number), {})
        totals = [
            IndicatorTotal(
                key=i.key,
                name=i.name,
                unit=i.unit,
                aggregation=i.aggregation,
                value=r["value"],
                numerator=r["numerator"],
                denominator=r["denominator"],
                awards=r["awards"],
            )
            for i in catalogue
            if (r := held.get(i.pk)) is not None
        ]
        counts = returns.get((q.start_year, q.number), {})
        points.append(TrendPoint(q, totals, counts.get("accepted", 0), counts.get("expected", 0)))
    return points


def indicator_total(
    filters: AchievementFilters, indicator_key: str, choices: FilterChoices | None = None
) -> IndicatorTotal | None:
    """One indicator over the accepted returns of the year (or quarter) of the awards matching the filters: what
    the list of those returns adds up to. One query."""
    area_ids = choices.area_ids if choices is not None else None
    qs = _of_matching_awards(
        OutcomeAggregate.objects.filter(quarter_start_year=filters.start_year, indicator__key=indicator_key),
        filters,
        area_ids,
    )
    if filters.quarter:
        qs = qs.filter(quarter=filters.quarter)
    row = next(
        iter(
            qs.values("indicator__key", "indicator__name", "indicator__unit", "indicator__aggregation")
            .order_by()
            .annotate(
                value=Sum("value_sum"),
                numerator=Sum("numerator"),
                denominator=Sum("denominator"),
                awards=Count("award_id", distinct=True),
            )
        ),
        None,
    )
    if row is None:
        return None
    return IndicatorTotal(
        key=row["indicator__key"],
        name=row["indicator__name"],
        unit=row["indicator__unit"],
        aggregation=row["indicator__aggregation"],
        value=row["value"],
        numerator=row["numerator"],
        denominator=row["denominator"],
        awards=row["awards"],
    )


# ---- The returns behind a figure ----------------------------------------------------------------------

RETURN_LISTS = {
    "accepted": "Accepted returns",
    "due": "Returns due",
    "waiting": "Returns due and not yet accepted",
}


def award_returns(
    filters: AchievementFilters,
    *,
    indicator_key: str = "",
    which: str = "accepted",
    choices: FilterChoices | None = None,
) -> QuerySet:
    """The returns of the year (or quarter) of the awards matching the filters: accepted ones (with an indicator,
    those that reported it, each annotated with what it reported: `value`, `numerator`, `denominator`), all those
    due, or those due and not yet accepted. The completeness figures count the same returns."""
    area_ids = choices.area_ids if choices is not None else None
    qs = _of_matching_awards(
        QuarterlyReturn.objects.filter(quarter_start_year=filters.start_year), filters, area_ids
    )
    if filters.quarter:
        qs = qs.filter(quarter=filters.quarter)
    if which == "due":
        qs = qs.exclude(status=ReturnStatus.NOT_YET_DUE)
    elif which == "waiting":
        qs = qs.exclude(status__in=(ReturnStatus.NOT_YET_DUE, ReturnStatus.ACCEPTED))
    else:
        qs = qs.filter(status=ReturnStatus.ACCEPTED)
        if indicator_key:
            reported = OutcomeAggregate.objects.filter(
                award=OuterRef("award"),
                quarter_start_year=OuterRef("quarter_start_year"),
                quarter=OuterRef("quarter"),
                indicator__key=indicator_key,
            )
            qs = qs.filter(Exists(reported)).annotate(
                value=Subquery(reported.values("value_sum")[:1]),
                numerator=Subquery(reported.values("numerator")[:1]),
                denominator=Subquery(reported.values("denominator")[:1]),
            )
    return qs.select_related("award__organisation", "award__pot").order_by(
        "quarter", "award__reference", "pk"
    )
