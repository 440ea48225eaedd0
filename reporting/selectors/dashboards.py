"""Reads for the Commissioner's dashboards: every figure and the list behind it, in one place each.

Each figure is computed by the database (aggregates and annotations) in a fixed number of queries
whatever the volume. Money comes from `funding.ledger`; due dates and quarters from the return
calendar (each return's `due_date` was set by `reporting.calendar.due_date`); contract dates from
commissioning's own `Contract.notice_date`. The drill-down lists use the same conditions as the figures, so a
figure and the length (or sum) of its list cannot disagree.

Scope: a financial year, and optionally a stream, a pot (by its key, shared across years) and a local
policing area. A pot belongs to an area when it is that area's pot (LPCAF) or its community safety
partnership's (CSP grants); West Mercia-wide pots belong to no area. Returns, outcomes and RAG follow
the awards that hold money in the pots in scope that year.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from commissioning.models import Commission, Contract
from funding import ledger
from funding.models import (
    STREAM_ORDER,
    Award,
    AwardKind,
    AwardYear,
    FinancialYear,
    Payment,
    Pot,
    Stream,
)
from opcc.aggregates import cached
from opcc.calendar import Quarter, add_months, financial_year_of
from opcc.models import LocalPolicingArea
from opcc.money import ZERO
from reporting.models import RAG, MeasureKind, QuarterlyReturn, ReturnAnswer, ReturnStatus

MONEY = DecimalField(max_digits=14, decimal_places=2)
LOOKAHEAD_MONTHS = 6


# ---- Scope: the filters ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    year: int
    stream: str = ""
    pot: str = ""
    area: str = ""

    def params(self, **extra) -> dict:
        values = {"year": self.year, "stream": self.stream, "pot": self.pot, "area": self.area, **extra}
        return {k: v for k, v in values.items() if v not in ("", None)}

    def query(self, **extra) -> str:
        return urlencode(self.params(**extra))

    @property
    def is_filtered(self) -> bool:
        return bool(self.stream or self.pot or self.area)


@dataclass
class Choices:
    years: list = field(default_factory=list)  # [(start_year, label)]
    streams: list = field(default_factory=list)  # [(value, label)]
    pots: list = field(default_factory=list)  # [(key, name)] of the chosen year
    areas: list = field(default_factory=list)  # [(slug, name)]


def _choices(raw_year: str, today: date) -> tuple[int, Choices]:
    years = [(y.start_year, y.label) for y in FinancialYear.objects.order_by("-start_year")]
    year = (
        int(raw_year)
        if raw_year.isdigit() and int(raw_year) in {y for y, _ in years}
        else financial_year_of(today)
    )
    return year, Choices(
        years=years,
        streams=[(s.value, s.label) for s in STREAM_ORDER],
        pots=list(
            Pot.objects.filter(year__start_year=year).order_by("stream", "name").values_list("key", "name")
        ),
        areas=list(LocalPolicingArea.objects.order_by("name").values_list("slug", "name")),
    )


def resolve_scope(params, today: date, *, cache: bool = False) -> tuple[Scope, Choices]:
    """The scope asked for and what the filter form offers (three small queries, or none from the cache of
    aggregates). A value the form does not offer is ignored; the year defaults to the current financial year."""
    raw_year = str(params.get("year", "")).strip()
    if cache:
        year, choices = cached("dashboard-choices", (raw_year, today), lambda: _choices(raw_year, today))
    else:
        year, choices = _choices(raw_year, today)
    stream, pot, area = (str(params.get(k, "")).strip() for k in ("stream", "pot", "area"))
    return Scope(
        year=year,
        stream=stream if stream in Stream.values else "",
        pot=pot if pot in {k for k, _ in choices.pots} else "",
        area=area if area in {s for s, _ in choices.areas} else "",
    ), choices


def pots_in_scope(scope: Scope):
    qs = Pot.objects.filter(year__start_year=scope.year)
    if scope.stream:
        qs = qs.filter(stream=scope.stream)
    if scope.pot:
        qs = qs.filter(key=scope.pot)
    if scope.area:
        qs = qs.filter(Q(area__slug=scope.area) | Q(csp__area__slug=scope.area))
    return qs


def _holds_money_in_scope(scope: Scope, award_ref: str = "pk"):
    """The award holds money (a profile line) in a pot in scope."""
    return Exists(AwardYear.objects.filter(award=OuterRef(award_ref), pot__in=pots_in_scope(scope)))


# ---- Money -----------------------------------------------------------------------------------


@dataclass
class StreamMoney:
    value: str
    label: str
    figures: ledger.Figures
    pots: list


@dataclass
class Money:
    streams: list  # [StreamMoney] in the office's stream order, only streams with pots in scope
    totals: ledger.Figures


def money(scope: Scope) -> Money:
    """Allocated, committed, paid and remaining per stream and pot: one ledger query."""
    pots = list(ledger.pots_with_figures(pots_in_scope(scope)).order_by("stream", "name"))
    by_stream = {s: StreamMoney(s.value, s.label, ledger.Figures(), []) for s in STREAM_ORDER}
    totals = ledger.Figures()
    for pot in pots:
        row = by_stream[Stream(pot.stream)]
        row.figures.add(pot)
        row.pots.append(pot)
        totals.add(pot)
    return Money(streams=[row for row in by_stream.values() if row.pots], totals=totals)


def commitments(scope: Scope):
    """The commitments behind the money figures: each award's profile line in a pot in scope, with what
    it commits (nothing once cancelled, as in the ledger) and what has been paid against it."""
    paid = Subquery(
        Payment.objects.filter(award_year=OuterRef("pk"))
        .values("award_year")
        .annotate(t=Sum("amount"))
        .values("t")[:1],
        output_field=MONEY,
    )
    return (
        AwardYear.objects.filter(pot__in=pots_in_scope(scope))
        .select_related("award__organisation", "pot__year")
        .annotate(paid=Coalesce(paid, Value(ZERO), output_field=MONEY))
        .order_by("pot__stream", "pot__name", "award__reference")
    )


def commitment_committed(line) -> Decimal:
    return ZERO if line.award.status == Award.Status.CANCELLED else line.amount


# ---- Returns on time, late, overdue ------------------------------------------------------------

TIMELINESS = [
    ("on_time", "On time"),
    ("late", "Late"),
    ("overdue", "Overdue"),
    ("not_yet_due", "Not yet due"),
]


def timeliness_q(kind: str, today: date) -> Q:
    """On time: submitted by its due date; late: submitted after it (the latest submission counts);
    overdue: not submitted and past its due date (as QuarterlyReturn.objects.overdue); not yet due: the rest."""
    sent = ~Q(status__in=QuarterlyReturn.NOT_SENT) & Q(submitted_at__isnull=False)
    not_sent = Q(status__in=QuarterlyReturn.NOT_SENT)
    return {
        "on_time": sent & Q(submitted_at__date__lte=F("due_date")),
        "late": sent & Q(submitted_at__date__gt=F("due_date")),
        "overdue": not_sent & Q(due_date__lt=today),
        "not_yet_due": not_sent & Q(due_date__gte=today),
    }[kind]


def returns_in_scope(scope: Scope):
    return QuarterlyReturn.objects.filter(
        _holds_money_in_scope(scope, "award"), quarter_start_year=scope.year
    )


@dataclass
class QuarterReturns:
    quarter: Quarter
    counts: dict  # timeliness kind -> number

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def returns_timeliness(scope: Scope, today: date) -> tuple[list, dict]:
    """Per quarter of the year, and in all, how many returns were on time, late, overdue, not yet due."""
    rows = (
        returns_in_scope(scope)
        .values("quarter")
        .order_by("quarter")
        .annotate(**{kind: Count("pk", filter=timeliness_q(kind, today)) for kind, _ in TIMELINESS})
    )
    by_quarter = {row["quarter"]: row for row in rows}
    quarters = []
    for number in (1, 2, 3, 4):
        row = by_quarter.get(number, {})
        quarters.append(
            QuarterReturns(Quarter(scope.year, number), {k: row.get(k, 0) for k, _ in TIMELINESS})
        )
    totals = {k: sum(q.counts[k] for q in quarters) for k, _ in TIMELINESS}
    return quarters, totals


def returns_list(scope: Scope, today: date, *, timeliness: str = "", quarter: int | None = None):
    qs = returns_in_scope(scope)
    if timeliness:
        qs = qs.filter(timeliness_q(timeliness, today))
    if quarter:
        qs = qs.filter(quarter=quarter)
    return qs.select_related("award__organisation", "award__pot").order_by(
        "quarter", "due_date", "award__reference", "pk"
    )


# ---- Outcomes against targets ------------------------------------------------------------------

MEASURE_KINDS = [(k, label) for k, label in MeasureKind.choices if k != MeasureKind.NARRATIVE]


def answers_against_targets(scope: Scope):
    """Every answer with a number to measures with a target, in accepted returns of the year in scope."""
    accepted = returns_in_scope(scope).filter(status=ReturnStatus.ACCEPTED)
    return ReturnAnswer.objects.filter(
        quarterly_return__in=accepted, value__isnull=False, measure__quarterly_target__gt=0
    ).exclude(measure__kind=MeasureKind.NARRATIVE)


MET = Q(value__gte=F("measure__quarterly_target"))


@dataclass
class OutcomeRow:
    kind: str
    label: str
    measured: int
    met: int

    @property
    def below(self) -> int:
        return self.measured - self.met

    @property
    def percent_met(self) -> Decimal | None:
        return (Decimal(self.met) * 100 / self.measured).quantize(Decimal("0.1")) if self.measured else None


def outcomes(scope: Scope) -> list[OutcomeRow]:
    rows = {
        r["measure__kind"]: r
        for r in answers_against_targets(scope)
        .values("measure__kind")
        .order_by()
        .annotate(measured=Count("pk"), met=Count("pk", filter=MET))
    }
    return [
        OutcomeRow(k, label, rows.get(k, {}).get("measured", 0), rows.get(k, {}).get("met", 0))
        for k, label in MEASURE_KINDS
    ]


def outcomes_list(scope: Scope, *, kind: str = "", met: str = ""):
    qs = answers_against_targets(scope)
    if kind:
        qs = qs.filter(measure__kind=kind)
    if met == "yes":
        qs = qs.filter(MET)
    elif met == "no":
        qs = qs.exclude(MET)
    return qs.select_related("measure", "quarterly_return__award__organisation").order_by(
        "quarterly_return__quarter", "quarterly_return__award__reference", "measure__position", "pk"
    )


# ---- Awards by RAG -------------------------------------------------------------------------------

RAG_BUCKETS = [
    (RAG.RED.value, "Red"),
    (RAG.AMBER.value, "Amber"),
    (RAG.GREEN.value, "Green"),
    ("none", "No rated return yet"),
]


def awards_in_scope(scope: Scope):
    """Awards holding money in scope that year (every award but a cancelled one, as the ledger counts),
    each with its RAG at its latest accepted, rated return of the year."""
    latest = (
        QuarterlyReturn.objects.filter(
            award=OuterRef("pk"), quarter_start_year=scope.year, status=ReturnStatus.ACCEPTED
        )
        .exclude(rag="")
        .order_by("-quarter")
        .values("rag")[:1]
    )
    return (
        Award.objects.filter(_holds_money_in_scope(scope))
        .exclude(status=Award.Status.CANCELLED)
        .annotate(latest_rag=Coalesce(Subquery(latest), Value("none")))
    )


def awards_by_rag(scope: Scope) -> list[tuple[str, str, int]]:
    counts = dict(
        awards_in_scope(scope)
        .values("latest_rag")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("latest_rag", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in RAG_BUCKETS]


def awards_list(scope: Scope, *, rag: str = ""):
    qs = awards_in_scope(scope)
    if rag:
        qs = qs.filter(latest_rag=rag)
    return qs.select_related("organisation", "pot").order_by("reference")


# ---- Contracts expiring or reaching their notice date ----------------------------------------------


@dataclass
class ContractDates:
    award: Award
    contract: Contract | None  # None: a contract recorded in funding only, with no commissioning record
    end: date
    notice: date | None  # None: no notice period on record
    expiring: bool
    notice_due: bool
    notice_passed: bool = False  # the last date to give notice is already behind us


def contracts_ahead(scope: Scope, today: date, *, which: str = "") -> list[ContractDates]:
    """Live contracts ending, or reaching the last date to give notice, from today to six months on.
    As of today whatever the year chosen; the stream, pot and area filters apply (area: the commission's
    areas or the award's pot's). The notice date is commissioning's own `Contract.notice_date`.

    Every live contract counts, not only those commissioned through this service: an award of the
    contract kind with no commissioning record (one agreed before the service) is listed when it ends
    within six months, with no notice date. Two queries."""
    horizon = add_months(today, LOOKAHEAD_MONTHS)
    # The longest notice period is 24 months: nothing ending later can reach its notice date by the horizon.
    qs = Contract.objects.filter(
        award__status=Award.Status.ACTIVE,
        award__end_date__gte=today,
        award__end_date__lte=add_months(horizon, 24),
    )
    bare = Award.objects.filter(
        kind=AwardKind.CONTRACT,
        status=Award.Status.ACTIVE,
        contract__isnull=True,
        end_date__gte=today,
        end_date__lte=horizon,
    )
    if scope.stream:
        qs = qs.filter(award__pot__stream=scope.stream)
        bare = bare.filter(pot__stream=scope.stream)
    if scope.pot:
        qs = qs.filter(award__pot__key=scope.pot)
        bare = bare.filter(pot__key=scope.pot)
    if scope.area:
        in_area = Commission.objects.filter(pk=OuterRef("procurement__commission"), areas__slug=scope.area)
        qs = qs.filter(
            Exists(in_area) | Q(award__pot__area__slug=scope.area) | Q(award__pot__csp__area__slug=scope.area)
        )
        bare = bare.filter(Q(pot__area__slug=scope.area) | Q(pot__csp__area__slug=scope.area))
    rows = []
    for contract in qs.select_related("award__pot", "organisation", "procurement__commission"):
        end, notice = contract.award.end_date, contract.notice_date
        rows.append(
            ContractDates(
                contract.award,
                contract,
                end,
                notice,
                today <= end <= horizon,
                today <= notice <= horizon,
                notice < today,
            )
        )
    if which != "notice":
        rows += [
            ContractDates(award, None, award.end_date, None, True, False)
            for award in bare.select_related("pot", "organisation")
        ]
    rows.sort(key=lambda r: (r.end, r.award.reference))
    return [
        row
        for row in rows
        if (row.expiring or row.notice_due)
        and (not which or (which == "expiring" and row.expiring) or (which == "notice" and row.notice_due))
    ]


def contract_counts(rows: list[ContractDates]) -> dict:
    return {
        "expiring": sum(r.expiring for r in rows),
        "notice": sum(r.notice_due for r in rows),
        "all": len(rows),
    }


# ---- Commissions by stage ------------------------------------------------------------------------


def commissions_in_scope(scope: Scope):
    """Commissions as they stand today (a commission spans years): the stream and area filters apply."""
    qs = Commission.objects.all()
    if scope.stream:
        qs = qs.filter(stream=scope.stream)
    if scope.area:
        qs = qs.filter(
            Exists(
                Commission.areas.through.objects.filter(
                    commission=OuterRef("pk"), localpolicingarea__slug=scope.area
                )
            )
        )
    return qs


def commissions_by_stage(scope: Scope) -> list[tuple[str, str, int]]:
    counts = dict(
        commissions_in_scope(scope)
        .values("status")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in Commission.Status.choices]


def commissions_list(scope: Scope, *, stage: str = ""):
    qs = commissions_in_scope(scope)
    if stage:
        qs = qs.filter(status=stage)
    return qs.select_related("officer").prefetch_related("areas").order_by("-created_at", "-id")
