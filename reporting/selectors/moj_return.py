"""Reads for the Ministry of Justice return: every figure of a year and period, the lists behind them, and the
returns still missing. The page, its download and `manage.py moj_return` all read the return from `build`, so
they cannot disagree.

Which services count: the awards holding money (a profile line) in the year's pots that a Ministry of Justice
grant line pays for (funding's PotIncome); a section may narrow that to the pots one line pays for. Outcome
figures come from the summary of accepted returns (OutcomeAggregate), so only accepted returns count and no
page sums the returns. A rate is the total numerator over the total denominator.

Money: a grant line's income is the year's income lines of that kind. Its spend in the period is what was paid
in the period's dates from the pots it pays for (whichever year's pot, so a quarter paid in arrears after the
year ends counts when it is paid and the quarters of a year add up to the year), each pot's payments counted
against the line in proportion to its part of the pot: the line's amount over the pot's allocation (or over
the income recorded for the pot, if that is more), rounded to the penny pot by pot.

A fixed number of queries whatever the volume: sections and fields (2), the pots and their awards (2), the
aggregates (1), the income (1), the payments and the pots' income (2), completeness (1) and the missing
returns (1).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from funding.models import (
    MOJ_SOURCES,
    AwardYear,
    FinancialYear,
    IncomeLine,
    IncomeSource,
    Payment,
    PotIncome,
)
from opcc.calendar import Quarter, financial_year_of, quarter_of
from opcc.money import ZERO, gbp
from reporting.models import (
    MojReturnField,
    MojReturnSection,
    OutcomeAggregate,
    QuarterlyReturn,
    ReturnStatus,
)

PENNY = Decimal("0.01")
MISSING_SHOWN = 10

PERIODS = {"Q1": (1,), "Q2": (2,), "Q3": (3,), "Q4": (4,), "H1": (1, 2), "H2": (3, 4), "FY": (1, 2, 3, 4)}
PERIOD_CHOICES = [
    ("Q1", "Q1: April to June"),
    ("Q2", "Q2: July to September"),
    ("Q3", "Q3: October to December"),
    ("Q4", "Q4: January to March"),
    ("H1", "First half: April to September"),
    ("H2", "Second half: October to March"),
    ("FY", "The whole year"),
]
MOJ_LINES = [source.value for source in MOJ_SOURCES]


# ---- The period ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    year: int
    code: str  # one of PERIODS

    @property
    def quarters(self) -> list[Quarter]:
        return [Quarter(self.year, n) for n in PERIODS[self.code]]

    @property
    def numbers(self) -> tuple[int, ...]:
        return PERIODS[self.code]

    @property
    def start(self) -> date:
        return self.quarters[0].start

    @property
    def end(self) -> date:
        return self.quarters[-1].end

    @property
    def year_label(self) -> str:
        return f"{self.year}/{str(self.year + 1)[-2:]}"

    @property
    def label(self) -> str:
        """'Q2 2026/27', 'H1 2026/27' or '2026/27'."""
        return self.year_label if self.code == "FY" else f"{self.code} {self.year_label}"

    @property
    def words(self) -> str:
        """'Q2 2026/27 (1 July to 30 September 2026)'."""
        return f"{self.label} ({self.start:%-d %B %Y} to {self.end:%-d %B %Y})"

    @property
    def slug(self) -> str:
        return f"{self.year}-{str(self.year + 1)[-2:]}-{self.code}"

    def params(self, **extra) -> dict:
        return {"year": self.year, "period": self.code, **extra}

    def query(self, **extra) -> str:
        return urlencode(self.params(**extra))


def period(year: int, code: str) -> Period:
    """The period asked for by the command line: refuses a code that is not one of PERIODS."""
    code = code.strip().upper()
    if code not in PERIODS:
        raise ValueError(f"Choose the period as one of {', '.join(PERIODS)}, not {code or 'nothing'}")
    return Period(year, code)


def default_code(year: int, today: date) -> str:
    """The last quarter to have ended, in the current year (Q1 before any has); the whole year for a year past."""
    current = financial_year_of(today)
    if year < current:
        return "FY"
    if year > current:
        return "Q1"
    last = quarter_of(today).previous()
    return f"Q{last.number}" if last.start_year == year else "Q1"


def years() -> list[tuple[int, str]]:
    return [(y.start_year, y.label) for y in FinancialYear.objects.order_by("-start_year")]


def resolve_period(params, today: date, choices: list[tuple[int, str]]) -> Period:
    """The year and period the page's GET form asks for; a value the form does not offer is ignored (the current
    financial year, and its last quarter to have ended)."""
    raw_year = str(params.get("year", "")).strip()
    offered = {y for y, _ in choices}
    year = int(raw_year) if raw_year.isdigit() and int(raw_year) in offered else financial_year_of(today)
    code = str(params.get("period", "")).strip().upper()
    return Period(year, code if code in PERIODS else default_code(year, today))


# ---- Which services count --------------------------------------------------------------------------


@dataclass(frozen=True)
class Funded:
    """The year's pots each Ministry of Justice grant line pays for, and the awards holding money in them."""

    year: int
    pots: dict  # grant line -> frozenset of pot ids
    award_lines: dict  # award id -> frozenset of the grant lines paying for its pots that year

    def awards(self, line: str = "") -> set[int]:
        return {a for a, lines in self.award_lines.items() if not line or line in lines}


def funded(year: int) -> Funded:
    pots = defaultdict(set)
    for line, pot_id in PotIncome.objects.filter(
        pot__year__start_year=year, source__in=MOJ_LINES
    ).values_list("source", "pot_id"):
        pots[line].add(pot_id)
    award_lines = defaultdict(set)
    # A subquery, not the ids just read: an empty list would skip the query, and the count must not vary.
    in_pots = PotIncome.objects.filter(pot__year__start_year=year, source__in=MOJ_LINES).values("pot")
    for award_id, pot_id in AwardYear.objects.filter(pot__in=in_pots).values_list("award_id", "pot_id"):
        award_lines[award_id].update(line for line, ids in pots.items() if pot_id in ids)
    return Funded(
        year, {k: frozenset(v) for k, v in pots.items()}, {k: frozenset(v) for k, v in award_lines.items()}
    )


def _awards_subquery(year: int, line: str = ""):
    """The awards counted (for one grant line, or any), as a subquery: the drill-down lists use it."""
    pots = PotIncome.objects.filter(pot__year__start_year=year, source__in=[line] if line else MOJ_LINES)
    return AwardYear.objects.filter(pot__in=pots.values("pot")).values("award_id")


# ---- Money -------------------------------------------------------------------------------------------


def share_of_pot(amount: Decimal, allocated: Decimal, recorded: Decimal) -> tuple[Decimal, Decimal]:
    """A grant line's part of a pot as (numerator, denominator): its amount over the pot's allocation, or over
    all the income recorded for the pot if that is more (so a line never counts for more than the pot paid)."""
    return amount, max(allocated, recorded)


def _attributed(paid: Decimal, share: tuple[Decimal, Decimal]) -> Decimal:
    numerator, denominator = share
    if not denominator:
        return ZERO
    return (paid * numerator / denominator).quantize(PENNY, rounding=ROUND_HALF_UP)


def pot_shares(pot_ids) -> dict[int, dict[str, tuple[Decimal, Decimal]]]:
    """{pot id: {grant line: its share}} for the pots given (one query)."""
    rows = list(
        PotIncome.objects.filter(pot_id__in=pot_ids).values_list(
            "pot_id", "source", "amount", "pot__allocated"
        )
    )
    recorded = defaultdict(lambda: ZERO)
    for pot_id, _source, amount, _allocated in rows:
        recorded[pot_id] += amount
    shares = defaultdict(dict)
    for pot_id, source, amount, allocated in rows:
        if source in MOJ_LINES:
            shares[pot_id][source] = share_of_pot(amount, allocated, recorded[pot_id])
    return shares


def payments_in(p: Period, line: str = "") -> QuerySet:
    """Payments dated in the period from the pots (of any year) a grant line pays for, or any line."""
    pots = PotIncome.objects.filter(source__in=[line] if line else MOJ_LINES).values("pot")
    return Payment.objects.filter(paid_on__gte=p.start, paid_on__lte=p.end, award_year__pot__in=pots)


def spent(p: Period) -> dict[str, Decimal]:
    """Each grant line's spend in the period (two queries)."""
    paid = dict(
        payments_in(p)
        .values("award_year__pot")
        .order_by()
        .annotate(total=Sum("amount"))
        .values_list("award_year__pot", "total")
    )
    totals = {line: ZERO for line in MOJ_LINES}
    for pot_id, shares in pot_shares(payments_in(p).order_by().values("award_year__pot")).items():
        for line, share in shares.items():
            totals[line] += _attributed(paid[pot_id], share)
    return totals


def grants(year: int) -> dict[str, Decimal]:
    rows = dict(
        IncomeLine.objects.filter(year__start_year=year, source__in=MOJ_LINES)
        .values("source")
        .order_by()
        .annotate(total=Sum("amount"))
        .values_list("source", "total")
    )
    return {line: rows.get(line, ZERO) for line in MOJ_LINES}


# ---- The return --------------------------------------------------------------------------------------


def rate(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """A percentage to one place: total numerator over total denominator."""
    if numerator is None or not denominator:
        return None
    return (numerator / denominator * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def count_text(value: Decimal | None) -> str:
    if value is None:
        return "0"
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value.normalize():,f}"


@dataclass(frozen=True)
class FieldFigure:
    field_id: int
    label: str
    figure: str  # MojReturnField.Figure
    kind: str  # "money", "count" or "rate"
    unit: str
    value: Decimal | None  # a count's total or an amount of money
    numerator: Decimal | None  # a rate's total numerator ...
    denominator: Decimal | None  # ... over its total denominator
    services: int | None  # how many services' returns it adds up (None for money)
    confirmed: bool
    note: str
    income_source: str = ""  # a money field's grant line

    @property
    def is_money(self) -> bool:
        return self.kind == "money"

    @property
    def is_rate(self) -> bool:
        return self.kind == "rate"

    @property
    def rate(self) -> Decimal | None:
        return rate(self.numerator, self.denominator)

    @property
    def text(self) -> str:
        """As the page shows it: '£1,652,000.00', '1,234 referrals', '30 of 40 service users (75.0%)'."""

        if self.is_money:
            return gbp(self.value or ZERO)
        if self.services == 0:
            return "None reported"
        if self.is_rate:
            rate = f" ({self.rate}%)" if self.rate is not None else ""
            return (
                f"{count_text(self.numerator)} of {count_text(self.denominator)} {self.unit}{rate}".replace(
                    "  ", " "
                )
            )
        return f"{count_text(self.value)} {self.unit}".strip()


@dataclass(frozen=True)
class SectionFigures:
    section_id: int
    key: str
    title: str
    description: str
    income_source: str
    figures: list

    @property
    def scope_phrase(self) -> str:
        if self.income_source:
            return f"services the {IncomeSource(self.income_source).label} pays for"
        return "services any Ministry of Justice grant line pays for"

    @property
    def scope_words(self) -> str:
        return self.scope_phrase[0].upper() + self.scope_phrase[1:]

    @property
    def counts_returns(self) -> bool:
        """Whether any field adds up returns (a section of money alone counts no services)."""
        return any(not f.is_money for f in self.figures)


@dataclass(frozen=True)
class Completeness:
    expected: int
    accepted: int

    @property
    def missing(self) -> int:
        return self.expected - self.accepted

    def words(self, p: Period) -> str:
        return f"{self.accepted} of {self.expected} returns accepted for {p.label}"


@dataclass(frozen=True)
class MojReturn:
    period: Period
    sections: list
    completeness: Completeness
    missing: list  # the first MISSING_SHOWN returns still missing
    grants: dict  # grant line -> the year's income
    lines_without_pots: list  # grant lines with income this year that pay for no pot

    def figures(self) -> list[tuple[SectionFigures, FieldFigure]]:
        return [(s, f) for s in self.sections for f in s.figures]


def sections() -> list[MojReturnSection]:
    fields = MojReturnField.objects.select_related("indicator").order_by("position", "pk")
    return list(
        MojReturnSection.objects.prefetch_related(Prefetch("fields", queryset=fields)).order_by(
            "position", "pk"
        )
    )


def returns_counted(p: Period) -> QuerySet:
    """The returns of the period's quarters from the services counted that are due (not yet due: not expected)."""
    return QuarterlyReturn.objects.filter(
        award_id__in=_awards_subquery(p.year), quarter_start_year=p.year, quarter__in=p.numbers
    ).exclude(status=ReturnStatus.NOT_YET_DUE)


def missing_returns(p: Period) -> QuerySet:
    """Returns due in the period and not yet accepted: not sent, sent back for changes, or waiting for review."""
    return (
        returns_counted(p)
        .exclude(status=ReturnStatus.ACCEPTED)
        .select_related("award__organisation", "award__pot")
        .order_by("due_date", "award__reference", "quarter", "pk")
    )


def completeness(p: Period) -> Completeness:
    counts = returns_counted(p).aggregate(
        expected=Count("pk"), accepted=Count("pk", filter=Q(status=ReturnStatus.ACCEPTED))
    )
    return Completeness(counts["expected"], counts["accepted"])


def _indicator_totals(p: Period) -> dict[int, dict[int, dict]]:
    """{indicator id: {award id: {value, numerator, denominator}}} over the period's accepted returns of every service
    counted (one query)."""
    rows = (
        OutcomeAggregate.objects.filter(
            quarter_start_year=p.year, quarter__in=p.numbers, award_id__in=_awards_subquery(p.year)
        )
        .values("indicator_id", "award_id")
        .order_by()
        .annotate(value=Sum("value_sum"), numerator=Sum("numerator"), denominator=Sum("denominator"))
    )
    found = defaultdict(dict)
    for row in rows:
        found[row["indicator_id"]][row["award_id"]] = row
    return found


def _indicator_figure(f: MojReturnField, by_award: dict, awards: set[int]) -> FieldFigure:
    rows = [row for award_id, row in by_award.items() if award_id in awards]
    indicator = f.indicator
    if indicator.is_rate:
        answered = [r for r in rows if r["denominator"] is not None]
        return FieldFigure(
            f.pk,
            f.label,
            f.figure,
            "rate",
            indicator.unit,
            None,
            sum((r["numerator"] for r in answered), ZERO) if answered else None,
            sum((r["denominator"] for r in answered), ZERO) if answered else None,
            len(answered),
            f.confirmed,
            f.source_note,
        )
    answered = [r for r in rows if r["value"] is not None]
    return FieldFigure(
        f.pk,
        f.label,
        f.figure,
        "count",
        indicator.unit,
        sum((r["value"] for r in answered), ZERO) if answered else None,
        None,
        None,
        len(answered),
        f.confirmed,
        f.source_note,
    )


def build(p: Period) -> MojReturn:
    """The whole return for a year and period (a fixed number of queries: see the module's note)."""
    found = funded(p.year)
    by_indicator = _indicator_totals(p)
    income, spend = grants(p.year), spent(p)
    built = []
    for section in sections():
        awards = found.awards(section.income_source)
        figures = []
        for f in section.fields.all():
            if f.figure == MojReturnField.Figure.INDICATOR:
                figures.append(_indicator_figure(f, by_indicator.get(f.indicator_id, {}), awards))
            else:
                amount = (
                    income[f.income_source]
                    if f.figure == MojReturnField.Figure.GRANT
                    else spend[f.income_source]
                )
                figures.append(
                    FieldFigure(
                        f.pk,
                        f.label,
                        f.figure,
                        "money",
                        "",
                        amount,
                        None,
                        None,
                        None,
                        f.confirmed,
                        f.source_note,
                        f.income_source,
                    )
                )
        built.append(
            SectionFigures(
                section.pk, section.key, section.title, section.description, section.income_source, figures
            )
        )
    return MojReturn(
        period=p,
        sections=built,
        completeness=completeness(p),
        missing=list(missing_returns(p)[:MISSING_SHOWN]),
        grants=income,
        lines_without_pots=[
            IncomeSource(line).label for line in MOJ_LINES if income[line] and line not in found.pots
        ],
    )


# ---- The lists behind the figures -------------------------------------------------------------------


def indicator_rows(p: Period, f: MojReturnField) -> QuerySet:
    """Each accepted return's part of an outcome figure: the summary rows of the section's services for the
    indicator and the period, with the return they come from."""
    the_return = QuarterlyReturn.objects.filter(
        award_id=OuterRef("award_id"),
        quarter_start_year=OuterRef("quarter_start_year"),
        quarter=OuterRef("quarter"),
    ).values("pk")[:1]
    return (
        OutcomeAggregate.objects.filter(
            indicator_id=f.indicator_id,
            quarter_start_year=p.year,
            quarter__in=p.numbers,
            award_id__in=_awards_subquery(p.year, f.section.income_source),
        )
        .select_related("award__organisation")
        .annotate(return_id=Subquery(the_return))
        .order_by("quarter", "award__reference", "pk")
    )


def indicator_row_totals(rows: QuerySet) -> dict:
    return rows.aggregate(value=Sum("value_sum"), numerator=Sum("numerator"), denominator=Sum("denominator"))


def amount_total(rows: QuerySet) -> Decimal:
    return rows.aggregate(total=Sum("amount"))["total"] or ZERO


def spend_rows(p: Period, line: str) -> QuerySet:
    return (
        payments_in(p, line)
        .select_related("award__organisation", "award_year__pot__year")
        .order_by("paid_on", "award__reference", "pk")
    )


def grant_rows(year: int, line: str) -> QuerySet:
    return IncomeLine.objects.filter(year__start_year=year, source=line).select_related("year").order_by("pk")


FIGURE_HEADER = [
    "Section",
    "Counted from",
    "Field",
    "What it reports",
    "Count or amount",
    "Numerator",
    "Denominator",
    "Rate (%)",
    "Unit",
    "Services reporting",
    "Confirmed against a published MoJ source",
    "Source, or what could not be confirmed",
]
MISSING_HEADER = ["Award reference", "Title", "Organisation", "Quarter", "Due", "Status", "Overdue"]


def xlsx_sheets(ret: MojReturn, missing: QuerySet | list, today: date) -> list:
    p = ret.period
    figures = [
        [
            s.title,
            f"Pots the {IncomeSource(f.income_source).label} pays for" if f.is_money else s.scope_words,
            f.label,
            MojReturnField.Figure(f.figure).label,
            f.value if not f.is_rate else None,
            f.numerator,
            f.denominator,
            f.rate,
            f.unit or ("£" if f.is_money else ""),
            f.services,
            f.confirmed,
            f.note,
        ]
        for s, f in ret.figures()
    ]
    c = ret.completeness
    about = [
        ["Period", p.words],
        ["Returns expected", c.expected],
        ["Returns accepted", c.accepted],
        ["Returns still missing", c.missing],
        [
            "Counted",
            "Accepted returns of the services a Ministry of Justice grant line pays for; a rate is the "
            "total numerator over the total denominator",
        ],
    ]
    missing_rows = [
        [
            r.award.reference,
            r.award.title,
            r.award.organisation.name,
            r.short_label,
            r.due_date,
            r.get_status_display(),
            r.is_overdue(today),
        ]
        for r in missing
    ]
    return [
        ("MoJ return", FIGURE_HEADER, figures),
        ("Completeness", ["About the return", ""], about),
        ("Returns still missing", MISSING_HEADER, missing_rows),
    ]
