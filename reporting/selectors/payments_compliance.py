"""How promptly the office pays under its Procurement Act contracts, and its payments over £30,000.

- Payments compliance notice (Procurement Act 2023 s.68-69, Procurement Regulations 2024 reg. 38): per reporting
  period (1 April to 30 September, 1 October to 31 March; the first began when s.69 came into force), for sums paid
  under public contracts: the average days to pay and the shares paid in days 1-30, 31-60 and 61 or more, day 1
  being the day after the invoice arrived. Grants are outside it.
- Contract payments information (s.70): each payment over £30,000 under a public contract, per quarter, from
  1 April 2026.

"Public contract" is the Act's: a contract procured under the Act (its procurement began on or after 24 February
2025) at or above the threshold for its kind. The office records the second as the procurement's required route:
`Route.REGULATED` is what the value asks for at or above the threshold (the light-touch one for light-touch
services). Below-threshold contracts and grants are out of scope (gov.uk guidance on payments compliance notices).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, F, Func, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from commissioning.models import CommissioningRules, Notice, NoticeKind, Route
from funding.models import AwardKind, Payment, PaymentScheduleLine
from opcc.calendar import Quarter, quarter_of
from opcc.money import ZERO, pence

# The Procurement Act 2023 came into force on 24 February 2025: procurements begun before stay under the old rules.
ACT_COMMENCED = date(2025, 2, 24)
# Section 69 (payments compliance notices) in force from 1 January 2026 (Commencement No. 4 Regulations 2025).
COMPLIANCE_FROM = date(2026, 1, 1)
# Section 70 (contract payments information) from 1 April 2026; payments over this are published.
PAYMENTS_INFORMATION_FROM = date(2026, 4, 1)
PAYMENTS_INFORMATION_OVER = Decimal("30000")
# Publish within 30 days of the end of the period (s.69(1)) or quarter (s.70).
DAYS_TO_PUBLISH = 30
# The implied payment term (s.68(2)): 30 days from the invoice.
PAYMENT_TERM_DAYS = 30


def public_contract_awards(prefix: str = "award__") -> Q:
    """Awards that are public contracts under the Act: contracts whose procurement began on or after the Act came
    into force (and signed since: a contract recorded from the register before this system has a procurement row
    made the day it was recorded) at or above the threshold. Never grants."""
    return Q(
        **{
            f"{prefix}kind": AwardKind.CONTRACT,
            f"{prefix}contract__procurement__chosen_at__date__gte": ACT_COMMENCED,
            f"{prefix}contract__signed_on__gte": ACT_COMMENCED,
            f"{prefix}contract__procurement__required_route": Route.REGULATED,
        }
    )


def act_contract_payments() -> QuerySet[Payment]:
    """Payments under the office's public contracts under the Act."""
    return Payment.objects.filter(public_contract_awards())


@dataclass(frozen=True, order=True)
class ReportingPeriod:
    """Six months from 1 April or 1 October; the first (from 1 January 2026) is shorter, as s.69(3) makes it."""

    start: date

    @property
    def end(self) -> date:
        month = 4 if self.start.month < 4 else 10 if self.start.month < 10 else 4
        year = self.start.year + (1 if self.start.month >= 10 else 0)
        return date(year, month, 1) - timedelta(days=1)

    @property
    def due_by(self) -> date:
        return self.end + timedelta(days=DAYS_TO_PUBLISH)

    @property
    def key(self) -> str:
        return f"payments:{self.start.isoformat()}"

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def period_of(day: date) -> ReportingPeriod | None:
    """The reporting period a day falls in; None before s.69 came into force."""
    if day < COMPLIANCE_FROM:
        return None
    if 4 <= day.month <= 9:
        start = date(day.year, 4, 1)
    else:
        start = date(day.year if day.month >= 10 else day.year - 1, 10, 1)
    return ReportingPeriod(max(start, COMPLIANCE_FROM))


def period_starting(day: date) -> ReportingPeriod | None:
    """The period that starts on `day` (from a URL), or None if no period starts then."""
    period = period_of(day)
    return period if period is not None and period.start == day else None


@dataclass
class PeriodFigures:
    """Regulation 38(2)(c) for one period. Payments without an invoice date (recorded before it was asked) are
    counted but left out of the day figures: `undated` says how many."""

    period: ReportingPeriod
    payments: int
    dated: int
    undated: int
    total: Decimal
    average_days: Decimal | None
    within_30: int
    from_31_to_60: int
    from_61: int

    def _share(self, count: int) -> Decimal | None:
        return None if not self.dated else (Decimal(count) * 100 / self.dated).quantize(Decimal("0.1"))

    @property
    def within_30_percent(self) -> Decimal | None:
        return self._share(self.within_30)

    @property
    def from_31_to_60_percent(self) -> Decimal | None:
        return self._share(self.from_31_to_60)

    @property
    def from_61_percent(self) -> Decimal | None:
        return self._share(self.from_61)

    @property
    def within_term_percent(self) -> Decimal | None:
        """Paid within the s.68 term: 30 days from the invoice (the same payments as days 1 to 30)."""
        return self.within_30_percent


class DaysToPay(Func):
    """Whole days from the invoice's arrival to the payment: the day after the invoice is day 1 (reg. 38(2)(c)).
    date - date in PostgreSQL is a whole number of days; SQLite (the local default) counts them by Julian day."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def _days():
    return DaysToPay(F("paid_on"), F("invoice_received_on"))


def _figures() -> dict:
    return {
        "payments": Count("pk"),
        "dated": Count("pk", filter=Q(days__isnull=False)),
        "total": Sum("amount"),
        "average_days": Avg("days"),
        "within_30": Count("pk", filter=Q(days__lte=30)),
        "from_31_to_60": Count("pk", filter=Q(days__gte=31, days__lte=60)),
        "from_61": Count("pk", filter=Q(days__gte=61)),
    }


def _make(period: ReportingPeriod, row: dict) -> PeriodFigures:
    average = row["average_days"]
    return PeriodFigures(
        period=period,
        payments=row["payments"],
        dated=row["dated"],
        undated=row["payments"] - row["dated"],
        total=pence(row["total"]) or ZERO,
        average_days=None if average is None else Decimal(average).quantize(Decimal("0.1")),
        within_30=row["within_30"],
        from_31_to_60=row["from_31_to_60"],
        from_61=row["from_61"],
    )


def figures_by_period() -> list[PeriodFigures]:
    """Every period that had payments under Act contracts, newest first: one query, grouped in the database."""
    month = ExtractMonth("paid_on")
    rows = (
        act_contract_payments()
        .filter(paid_on__gte=COMPLIANCE_FROM)
        .annotate(
            days=_days(),
            # The period's first month and year: April to September from April; October to March from October.
            start_month=Func(
                month,
                template="CASE WHEN %(expressions)s BETWEEN 4 AND 9 THEN 4 ELSE 10 END",
                output_field=IntegerField(),
            ),
            start_year=ExtractYear("paid_on")
            - Func(
                month, template="CASE WHEN %(expressions)s < 4 THEN 1 ELSE 0 END", output_field=IntegerField()
            ),
        )
        .values("start_year", "start_month")
        .annotate(**_figures())
        .order_by("-start_year", "-start_month")
    )
    result = []
    for row in rows:
        period = period_of(max(date(row["start_year"], row["start_month"], 1), COMPLIANCE_FROM))
        if period is not None:
            result.append(_make(period, row))
    return result


def period_payments(period: ReportingPeriod) -> QuerySet[Payment]:
    """The payments behind a period's figures, with what a row shows."""
    return (
        act_contract_payments()
        .filter(paid_on__range=(period.start, period.end))
        .annotate(days=_days())
        .select_related("award__organisation", "award__contract")
        .order_by("paid_on", "pk")
    )


def period_figures(period: ReportingPeriod) -> PeriodFigures:
    row = period_payments(period).order_by().aggregate(**_figures())
    return _make(period, row)


@dataclass
class UnpaidShare:
    """Regulation 38(2)(d): of the sums that became payable under public contracts in the period (the scheduled
    payments falling due in it), the share not paid within the period."""

    became_payable: int
    not_paid: int

    @property
    def percent(self) -> Decimal | None:
        if not self.became_payable:
            return None
        return (Decimal(self.not_paid) * 100 / self.became_payable).quantize(Decimal("0.1"))


def unpaid_share(period: ReportingPeriod) -> UnpaidShare:
    """One query: each scheduled payment due in the period against what was paid on it by the period's end."""
    row = (
        PaymentScheduleLine.objects.filter(
            public_contract_awards(), due_date__range=(period.start, period.end)
        )
        .annotate(paid_by_end=Sum("payments__amount", filter=Q(payments__paid_on__lte=period.end)))
        .aggregate(
            became_payable=Count("pk"),
            not_paid=Count("pk", filter=Q(paid_by_end__isnull=True) | Q(paid_by_end__lt=F("amount"))),
        )
    )
    return UnpaidShare(became_payable=row["became_payable"], not_paid=row["not_paid"])


def periods_to_notify(today: date) -> list[ReportingPeriod]:
    """Ended periods that had payments under Act contracts: each needs its payments compliance notice."""
    return [f.period for f in figures_by_period() if f.period.end < today]


# ---- Contract payments information (s.70) ------------------------------------------------------------------------


def large_payments() -> QuerySet[Payment]:
    """Payments over £30,000 under Act contracts, from 1 April 2026, with what the list shows."""
    return (
        act_contract_payments()
        .filter(amount__gt=PAYMENTS_INFORMATION_OVER, paid_on__gte=PAYMENTS_INFORMATION_FROM)
        .select_related("award__organisation")
        .order_by("paid_on", "pk")
    )


def large_payments_in(quarter: Quarter) -> QuerySet[Payment]:
    return large_payments().filter(paid_on__range=(quarter.start, quarter.end))


def quarters_with_large_payments() -> list[tuple[Quarter, int, Decimal]]:
    """(quarter, how many, total) for every quarter with such payments, newest first: one query by month."""
    by_quarter: dict[Quarter, tuple[int, Decimal]] = {}
    rows = (
        large_payments()
        .order_by()
        .annotate(year=ExtractYear("paid_on"), month=ExtractMonth("paid_on"))
        .values("year", "month")
        .annotate(n=Count("pk"), total=Sum("amount"))
    )
    for row in rows:
        quarter = quarter_of(date(row["year"], row["month"], 1))
        n, total = by_quarter.get(quarter, (0, ZERO))
        by_quarter[quarter] = (n + row["n"], total + row["total"])
    return [
        (q, n, pence(total))
        for q, (n, total) in sorted(by_quarter.items(), key=lambda i: i[0].start, reverse=True)
    ]


def quarter_due_by(quarter: Quarter) -> date:
    return quarter.end + timedelta(days=DAYS_TO_PUBLISH)


def quarter_from(start: date) -> Quarter | None:
    quarter = quarter_of(start)
    return quarter if quarter.start == start else None


def notices_to_publish(today: date) -> QuerySet:
    """The office's payments compliance notices not yet published that are overdue or due within the office's
    number of days for notice reminders: finance's to chase (no lead officer owns them)."""
    within = CommissioningRules.current().notice_reminder_days
    return Notice.objects.filter(
        kind=NoticeKind.PAYMENTS_COMPLIANCE,
        procurement__isnull=True,
        contract__isnull=True,
        status__in=[Notice.Status.DRAFT, Notice.Status.READY],
        due_by__isnull=False,
        due_by__lte=today + timedelta(days=within),
    ).order_by("due_by", "pk")


def period_start_of(notice: Notice) -> str:
    """The reporting period's first day, as its pages' addresses give it (the notice's key is "payments:<start>")."""
    return notice.key.removeprefix("payments:")
