"""The ledger: every money figure and every money rule, in one place.

Reads return annotated QuerySets or plain dicts computed by the database (a fixed number of queries
whatever the volume). Checks run inside the caller's transaction after it has locked the rows that
the rule is about, so two people acting at once cannot both squeeze past a limit.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from funding.models import (
    ZERO,
    Award,
    AwardYear,
    FinancialYear,
    IncomeLine,
    Payment,
    PaymentScheduleLine,
    Pot,
)

MONEY_OUT = DecimalField(max_digits=14, decimal_places=2)
# Every award but a cancelled one holds money (a terminated one holds what it was paid).
COMMITTING = ~Q(award__status=Award.Status.CANCELLED)


def gbp(amount: Decimal) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


PENNY = Decimal("0.01")


def pence(amount: Decimal | None) -> Decimal | None:
    """A money figure in pounds and pence exactly, as every export shows it: sums and subqueries can come back
    from the database as 18500 or 46542.4600000000."""
    return None if amount is None else Decimal(amount).quantize(PENNY)


class LedgerError(ValidationError):
    """A change that would break a money rule; the message is for the person who tried it."""


def _sum(qs, field="amount") -> Decimal:
    return qs.aggregate(total=Coalesce(Sum(field), Value(ZERO), output_field=MONEY_OUT))["total"]


# ---- Reads -----------------------------------------------------------------------------------

def income_total(year: FinancialYear) -> Decimal:
    return _sum(IncomeLine.objects.filter(year=year))


def allocated_total(year: FinancialYear, exclude_pot: Pot | None = None) -> Decimal:
    qs = Pot.objects.filter(year=year)
    if exclude_pot is not None:
        qs = qs.exclude(pk=exclude_pot.pk)
    return _sum(qs, "allocated")


def committed_in_pot(pot: Pot) -> Decimal:
    return _sum(AwardYear.objects.filter(COMMITTING, pot=pot))


def paid_on_award_year(award_year: AwardYear) -> Decimal:
    return _sum(Payment.objects.filter(award_year=award_year))


def paid_on_award(award: Award) -> Decimal:
    return _sum(Payment.objects.filter(award=award))


def _committed_subquery():
    return Coalesce(
        Subquery(
            AwardYear.objects.filter(COMMITTING, pot=OuterRef("pk"))
            .values("pot").annotate(total=Sum("amount")).values("total")[:1],
            output_field=MONEY_OUT,
        ),
        Value(ZERO), output_field=MONEY_OUT,
    )


def _paid_subquery():
    return Coalesce(
        Subquery(
            Payment.objects.filter(award_year__pot=OuterRef("pk"))
            .values("award_year__pot").annotate(total=Sum("amount")).values("total")[:1],
            output_field=MONEY_OUT,
        ),
        Value(ZERO), output_field=MONEY_OUT,
    )


def pots_with_figures(qs=None):
    """Pots annotated with committed and paid (remaining = allocated - committed)."""
    qs = qs if qs is not None else Pot.objects.all()
    return qs.select_related("year", "area", "csp").annotate(
        committed=_committed_subquery(), paid=_paid_subquery()
    )


@dataclass
class Figures:
    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.committed

    @property
    def unpaid(self) -> Decimal:
        return self.committed - self.paid

    def add(self, pot) -> None:
        self.allocated += pot.allocated
        self.committed += pot.committed
        self.paid += pot.paid


@dataclass
class YearSummary:
    year: FinancialYear
    income: Decimal
    income_lines: list
    pots: list
    streams: list  # [(stream value, label, Figures, [pots])]
    totals: Figures
    later_commitments: list  # [(FinancialYear label, stream label, amount)]

    @property
    def police_budget(self) -> Decimal:
        return self.year.police_budget

    @property
    def available(self) -> Decimal:
        """What the PCC can allocate to the four streams once the police budget is set."""
        return self.income - self.year.police_budget

    @property
    def unallocated(self) -> Decimal:
        return self.available - self.totals.allocated


def year_summary(year: FinancialYear) -> YearSummary:
    """Everything the year's funding overview shows, in four queries."""
    from funding.models import STREAM_ORDER, Stream

    income_lines = list(IncomeLine.objects.filter(year=year).order_by("source", "id"))
    pots = list(pots_with_figures(Pot.objects.filter(year=year)).order_by("stream", "name"))
    by_stream = {s: (Figures(), []) for s in STREAM_ORDER}
    totals = Figures()
    for pot in pots:
        figures, members = by_stream[pot.stream]
        figures.add(pot)
        members.append(pot)
        totals.add(pot)
    later = (
        # Money later years already owe to awards that have started by the end of this year.
        AwardYear.objects.filter(COMMITTING, pot__year__start_year__gt=year.start_year,
                                 award__start_date__lte=year.end_date)
        .values("pot__year__start_year", "pot__stream")
        .annotate(total=Sum("amount"))
        .order_by("pot__year__start_year", "pot__stream")
    )
    later_commitments = [
        (f"{row['pot__year__start_year']} to {row['pot__year__start_year'] + 1}",
         Stream(row["pot__stream"]).label, row["total"])
        for row in later
    ]
    return YearSummary(
        year=year,
        income=sum((line.amount for line in income_lines), ZERO),
        income_lines=income_lines,
        pots=pots,
        streams=[(s.value, s.label, *by_stream[s]) for s in STREAM_ORDER],
        totals=totals,
        later_commitments=later_commitments,
    )


# Awards whose schedule is still owed: an ended award's unpaid schedule went back to the pot, a pending or
# cancelled one cannot be paid at all.
PAYABLE_AWARD = Q(award__status__in=(Award.Status.ACTIVE, Award.Status.COMPLETED))
# A line in arrears waits for its quarter's outcome return to be accepted (PaymentScheduleLine.is_payable).
RETURN_CLEARED = Q(quarter__isnull=True) | Q(return_accepted_at__isnull=False)


def _schedule_with_outstanding(today):
    paid = Coalesce(
        Subquery(
            Payment.objects.filter(schedule_line=OuterRef("pk"))
            .values("schedule_line").annotate(total=Sum("amount")).values("total")[:1],
            output_field=MONEY_OUT,
        ),
        Value(ZERO), output_field=MONEY_OUT,
    )
    return (PaymentScheduleLine.objects.filter(PAYABLE_AWARD, due_date__lte=today)
            .annotate(paid=paid).annotate(outstanding=F("amount") - F("paid")).filter(outstanding__gt=0))


def payments_due(today):
    """Scheduled payments finance can make now, oldest first: due by today, not yet paid in full, and
    (for a payment in arrears) with its quarter's outcome return accepted. Each has `paid` and `outstanding`."""
    return (_schedule_with_outstanding(today).filter(RETURN_CLEARED)
            .select_related("award__organisation", "award_year__pot__year")
            .order_by("due_date", "award__reference", "id"))


@dataclass
class DueTotals:
    count: int = 0
    amount: Decimal = ZERO
    waiting_count: int = 0
    waiting_amount: Decimal = ZERO


def payments_due_totals(today) -> DueTotals:
    """How many payments are due and how much, and how many more are due but wait for an outcome return: one query."""
    row = _schedule_with_outstanding(today).aggregate(
        count=Count("pk", filter=RETURN_CLEARED),
        amount=Coalesce(Sum("outstanding", filter=RETURN_CLEARED), Value(ZERO), output_field=MONEY_OUT),
        waiting_count=Count("pk", filter=~RETURN_CLEARED),
        waiting_amount=Coalesce(Sum("outstanding", filter=~RETURN_CLEARED), Value(ZERO), output_field=MONEY_OUT),
    )
    return DueTotals(**row)


# ---- Rules (call with the relevant rows locked) ---------------------------------------------

def check_year_allocation(year: FinancialYear, *, income: Decimal, police_budget: Decimal, allocated: Decimal,
                          field: str | None = None) -> None:
    if police_budget > income:
        raise LedgerError(
            {field or "police_budget": f"The police budget ({gbp(police_budget)}) cannot be more than the year's income ({gbp(income)})"}
        )
    available = income - police_budget
    if allocated > available:
        raise LedgerError(
            {field or "allocated": (
                f"This would allocate {gbp(allocated)} to the funding streams, but only {gbp(available)} is left "
                f"after the police budget: {gbp(allocated - available)} too much"
            )}
        )


def check_pot_not_below_commitments(pot: Pot, new_allocation: Decimal, field: str = "allocated") -> None:
    committed = committed_in_pot(pot)
    if new_allocation < committed:
        raise LedgerError(
            {field: f"{pot.name} already has {gbp(committed)} committed: its allocation cannot be less than that"}
        )


def check_commitment_fits(pot: Pot, extra: Decimal, field: str = "amount") -> None:
    committed = committed_in_pot(pot)
    remaining = pot.allocated - committed
    if extra > remaining:
        raise LedgerError(
            {field: (
                f"{pot.name} in {pot.year.label} has {gbp(remaining)} left to commit; "
                f"{gbp(extra)} is {gbp(extra - remaining)} more than that"
            )}
        )


def check_payment_fits(award_year: AwardYear, amount: Decimal, field: str = "amount") -> None:
    award = award_year.award
    paid_line = paid_on_award_year(award_year)
    if amount > award_year.amount - paid_line:
        raise LedgerError(
            {field: (
                f"{award.reference} has {gbp(award_year.amount - paid_line)} left to pay in "
                f"{award_year.pot.year.label}; {gbp(amount)} is more than that"
            )}
        )
    paid_total = paid_on_award(award)
    if amount > award.amount - paid_total:
        raise LedgerError(
            {field: f"{award.reference} has {gbp(award.amount - paid_total)} left to pay in all; {gbp(amount)} is more than that"}
        )
