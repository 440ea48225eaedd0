"""The ledger: every money figure and every money rule, in one place.

Reads return annotated QuerySets or plain dicts computed by the database (a fixed number of queries
whatever the volume). Checks run inside the caller's transaction after it has locked the rows that
the rule is about, so two people acting at once cannot both squeeze past a limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    RowRange,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, Least

from funding.models import (
    STREAM_ORDER,
    Award,
    AwardYear,
    FinancialYear,
    IncomeLine,
    IncomeSource,
    Payment,
    PaymentScheduleLine,
    Pot,
    PotIncome,
    RecoveryCredit,
    Stream,
)
from opcc.money import ZERO, gbp, pence

MONEY_OUT: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
# Every award but a cancelled one holds money (a terminated one holds what it was paid).
COMMITTING = ~Q(award__status=Award.Status.CANCELLED)


class LedgerError(ValidationError):
    """A change that would break a money rule; the message is for the person who tried it."""


def _sum(qs: QuerySet[Any], field: str = "amount") -> Decimal:
    total: Decimal = qs.aggregate(total=Coalesce(Sum(field), Value(ZERO), output_field=MONEY_OUT))["total"]
    return total


# ---- Reads -----------------------------------------------------------------------------------


def income_total(year: FinancialYear) -> Decimal:
    return _sum(IncomeLine.objects.filter(year=year))


def allocated_total(year: FinancialYear, exclude_pot: Pot | None = None) -> Decimal:
    qs = Pot.objects.filter(year=year)
    if exclude_pot is not None:
        qs = qs.exclude(pk=exclude_pot.pk)
    return _sum(qs, "allocated")


def committed_in_pot(pot: Pot) -> Decimal:
    # Money recovered from an award (an underspend received back) is the pot's to commit again.
    return _sum(AwardYear.objects.filter(COMMITTING, pot=pot)) - recovered_in_pot(pot)


def recovered_in_pot(pot: Pot) -> Decimal:
    return _sum(RecoveryCredit.objects.filter(award_year__pot=pot))


def recovered_subquery(outer: str = "pk", through: str = "award_year__pot") -> Coalesce:
    """What received recoveries credited back to a pot (or, with through="award_year", an award year): counted off
    what it has committed and paid, so its remaining grows by exactly what came back."""
    return Coalesce(
        Subquery(
            RecoveryCredit.objects.filter(**{through: OuterRef(outer)})
            .values(through)
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=MONEY_OUT,
        ),
        Value(ZERO),
        output_field=MONEY_OUT,
    )


def paid_on_award_year(award_year: AwardYear) -> Decimal:
    return _sum(Payment.objects.filter(award_year=award_year))


def paid_on_award(award: Award) -> Decimal:
    return _sum(Payment.objects.filter(award=award))


def _committed_subquery() -> Coalesce:
    return Coalesce(
        Subquery(
            AwardYear.objects.filter(COMMITTING, pot=OuterRef("pk"))
            .values("pot")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=MONEY_OUT,
        ),
        Value(ZERO),
        output_field=MONEY_OUT,
    )


def _paid_subquery() -> Coalesce:
    return Coalesce(
        Subquery(
            Payment.objects.filter(award_year__pot=OuterRef("pk"))
            .values("award_year__pot")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=MONEY_OUT,
        ),
        Value(ZERO),
        output_field=MONEY_OUT,
    )


def pots_with_figures(qs: QuerySet[Pot] | None = None) -> QuerySet[Pot]:
    """Pots annotated with committed and paid (remaining = allocated - committed)."""
    qs = qs if qs is not None else Pot.objects.all()
    recovered = recovered_subquery()
    return qs.select_related("year", "area", "csp").annotate(
        committed=ExpressionWrapper(_committed_subquery() - recovered, output_field=MONEY_OUT),
        paid=ExpressionWrapper(_paid_subquery() - recovered, output_field=MONEY_OUT),
    )


def award_years_with_figures(qs: QuerySet[AwardYear] | None = None) -> QuerySet[AwardYear]:
    """Award years annotated with what each commits (nothing for a cancelled award) and what has been paid on it:
    the pots' figures one award at a time, so they add up to `pots_with_figures`. One query."""
    qs = qs if qs is not None else AwardYear.objects.all()
    paid = Subquery(
        Payment.objects.filter(award_year=OuterRef("pk"))
        .values("award_year")
        .annotate(total=Sum("amount"))
        .values("total")[:1],
        output_field=MONEY_OUT,
    )
    recovered = recovered_subquery(through="award_year")
    return qs.annotate(
        committed=Case(
            When(award__status=Award.Status.CANCELLED, then=Value(ZERO)),
            default=F("amount") - recovered,
            output_field=MONEY_OUT,
        ),
        paid=ExpressionWrapper(
            Coalesce(paid, Value(ZERO), output_field=MONEY_OUT) - recovered, output_field=MONEY_OUT
        ),
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

    def add(self, pot: Any) -> None:  # a Pot from pots_with_figures
        self.allocated += pot.allocated
        self.committed += pot.committed
        self.paid += pot.paid


@dataclass
class YearSummary:
    year: FinancialYear
    income: Decimal
    income_lines: list[IncomeLine]
    pots: list[Pot]
    streams: list[tuple[str, str, Figures, list[Pot]]]
    totals: Figures
    later_commitments: list[tuple[str, str, Decimal]]  # (FinancialYear label, stream label, amount)

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

    income_lines = list(IncomeLine.objects.filter(year=year).order_by("source", "id"))
    pots = list(pots_with_figures(Pot.objects.filter(year=year)).order_by("stream", "name"))
    by_stream: dict[str, tuple[Figures, list[Pot]]] = {s: (Figures(), []) for s in STREAM_ORDER}
    totals = Figures()
    for pot in pots:
        figures, members = by_stream[pot.stream]
        figures.add(pot)
        members.append(pot)
        totals.add(pot)
    later = (
        # Money later years already owe to awards that have started by the end of this year.
        AwardYear.objects.filter(
            COMMITTING, pot__year__start_year__gt=year.start_year, award__start_date__lte=year.end_date
        )
        .values("pot__year__start_year", "pot__stream")
        .annotate(total=Sum("amount"))
        .order_by("pot__year__start_year", "pot__stream")
    )
    later_commitments = [
        (
            f"{row['pot__year__start_year']} to {row['pot__year__start_year'] + 1}",
            Stream(row["pot__stream"]).label,
            row["total"],
        )
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


@dataclass
class PlanYear:
    """One year of the medium-term financial plan: its pots with allocated, committed and remaining."""

    year: FinancialYear
    pots: list[Pot]
    totals: Figures

    @property
    def over_committed(self) -> list[Pot]:
        return [pot for pot in self.pots if pot.remaining < 0]


def plan_years(after: int) -> list[PlanYear]:
    """Every year after `after` (the current financial year) with its pots' figures: the years ahead, whether
    indicative, draft or approved, so finance sees what is already committed against them. Two queries."""
    years = list(FinancialYear.objects.filter(start_year__gt=after).order_by("start_year"))
    pots = pots_with_figures(Pot.objects.filter(year__start_year__gt=after)).order_by("stream", "name")
    by_year: dict[int, PlanYear] = {y.pk: PlanYear(year=y, pots=[], totals=Figures()) for y in years}
    for pot in pots:
        plan = by_year[pot.year_id]
        pot.year = plan.year  # the same object, so a page reads its status without a query
        plan.pots.append(pot)
        plan.totals.add(pot)
    stream_rank = {s: i for i, s in enumerate(STREAM_ORDER)}
    for plan in by_year.values():
        plan.pots.sort(key=lambda p: (stream_rank[Stream(p.stream)], p.name))
    return list(by_year.values())


def pot_across_years(pot: Pot) -> QuerySet[Pot]:
    """The same pot (its key) in every year, with its figures, earliest first: the pot's commitments by year."""
    return pots_with_figures(Pot.objects.filter(key=pot.key)).order_by("year__start_year")


@dataclass
class OverCommitted:
    pot: Pot
    commitments: list[AwardYear]  # each with the award and its organisation

    @property
    def shortfall(self) -> Decimal:
        committed: Decimal = self.pot.committed  # type: ignore[attr-defined]  # pots_with_figures's annotation
        return committed - self.pot.allocated


def over_committed(year: FinancialYear) -> list[OverCommitted]:
    """The year's pots allocated less than is already committed against them, with the awards committed in each
    (reference, organisation, amount in that pot and year): what blocks approval. Two queries."""
    pots = list(
        pots_with_figures(Pot.objects.filter(year=year))
        .filter(committed__gt=F("allocated"))  # type: ignore[misc]  # pots_with_figures's annotation
        .order_by("stream", "name")
    )
    if not pots:
        return []
    by_pot: dict[int, list[AwardYear]] = {pot.pk: [] for pot in pots}
    for award_year in (
        AwardYear.objects.filter(COMMITTING, pot__in=pots, amount__gt=0)
        .select_related("award__organisation")
        .order_by("award__reference")
    ):
        by_pot[award_year.pot_id].append(award_year)
    return [OverCommitted(pot=pot, commitments=by_pot[pot.pk]) for pot in pots]


# Awards whose schedule is still owed: an ended award's unpaid schedule went back to the pot, a pending or
# cancelled one cannot be paid at all.
PAYABLE_AWARD = Q(award__status__in=(Award.Status.ACTIVE, Award.Status.COMPLETED))
# A line in arrears waits for its quarter's outcome return to be accepted (PaymentScheduleLine.is_payable).
RETURN_CLEARED = Q(quarter__isnull=True) | Q(return_accepted_at__isnull=False)


def held_back(on: date) -> Q:
    """Scheduled payments whose money is held back on a day: not due by then, or in arrears and waiting for the
    quarter's outcome return (PaymentScheduleLine.is_payable). No other payment may spend it."""
    return Q(due_date__gt=on) | ~RETURN_CLEARED


class LineState(models.TextChoices):
    """Where a scheduled payment stands, as the award page and the payment form show it."""

    PAID = "paid", "Paid"
    NOTHING_LEFT = "nothing_left", "Nothing left to pay"
    NOT_DUE = "not_due", "Not yet due"
    WAITING = "waiting", "Waiting for outcome return"
    PART_PAID = "part_paid", "Part paid"
    PAYABLE = "payable", "Payable"


def _paid_on_line() -> Coalesce:
    return Coalesce(
        Subquery(
            Payment.objects.filter(schedule_line=OuterRef("pk"))
            .values("schedule_line")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=MONEY_OUT,
        ),
        Value(ZERO),
        output_field=MONEY_OUT,
    )


def _left_in_award_year() -> ExpressionWrapper[Any]:
    paid = Coalesce(
        Subquery(
            Payment.objects.filter(award_year=OuterRef("award_year"))
            .values("award_year")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=MONEY_OUT,
        ),
        Value(ZERO),
        output_field=MONEY_OUT,
    )
    return ExpressionWrapper(F("award_year__amount") - paid, output_field=MONEY_OUT)


def _covered(today: date) -> Greatest:
    """How much of a scheduled payment's outstanding amount (amount less paid against it) its award year still has.

    A payment not on the schedule draws on the year's profile too, so a year can have less left than its lines are
    owed. Such a payment may only spend money the schedule does not hold back (check_payment_not_held_back) and
    counts against the oldest payable lines first; so what the year has left goes first to the lines held back
    (not yet due, or waiting for a return), oldest first, then to the payable lines, newest first. The covered
    amounts of a year's lines never add up to more than it has left. The queryset must hold every line of each
    award year it holds (filter by award or award year, never by line): the window runs over them."""
    holding = held_back(today)
    outstanding = ExpressionWrapper(F("amount") - _paid_on_line(), output_field=MONEY_OUT)
    owed_so_far = Window(
        Sum(outstanding),
        partition_by=[F("award_year_id")],
        order_by=[
            Case(When(holding, then=Value(0)), default=Value(1)).asc(),
            Case(When(holding, then=F("due_date"))).asc(),
            F("due_date").desc(),
            F("id").desc(),
        ],
        frame=RowRange(start=None, end=0),
        output_field=MONEY_OUT,
    )
    # min(outstanding, left - owed before this line) without writing `outstanding` (a subquery) twice more.
    return Greatest(
        Value(ZERO),
        outstanding + Least(Value(ZERO), _left_in_award_year() - owed_so_far),
        output_field=MONEY_OUT,
    )


def schedule_with_figures(qs: QuerySet[PaymentScheduleLine], today: date) -> QuerySet[PaymentScheduleLine]:
    """Schedule lines (every line of each award year in `qs`) with `paid` against each and `covered` (see _covered);
    line_state and line_payable say what those mean on the day."""
    return qs.annotate(paid=_paid_on_line(), covered=_covered(today))


def covered_lines(award_year: AwardYear, on: date) -> dict[int, tuple[PaymentScheduleLine, Decimal]]:
    """{line id: (line, covered)} for every scheduled payment of an award year, as _covered judges them on a day."""
    lines = schedule_with_figures(PaymentScheduleLine.objects.filter(award_year=award_year), on)
    # `covered` is schedule_with_figures's annotation.
    return {line.pk: (line, line.covered) for line in lines}  # type: ignore[attr-defined]


def reductions(
    before: dict[int, tuple[PaymentScheduleLine, Decimal]],
    after: dict[int, tuple[PaymentScheduleLine, Decimal]],
) -> list[tuple[PaymentScheduleLine, Decimal]]:
    """[(line, amount)] by which a payment off the schedule reduced what each scheduled payment still has to be paid
    from (covered_lines before and after it), oldest first."""
    found = [
        (line, covered - after[pk][1])
        for pk, (line, covered) in before.items()
        if pk in after and covered > after[pk][1]
    ]
    return sorted(found, key=lambda pair: (pair[0].due_date, pair[0].pk))


def describe_reductions(found: list[tuple[PaymentScheduleLine, Decimal]]) -> str:
    """'2026 to 2027 first instalment (due 1 July 2026) by £1,000.00 and ...'"""
    parts = [f"{line.description} (due {line.due_date:%-d %B %Y}) by {gbp(amount)}" for line, amount in found]
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" and {parts[-1]}"


def line_state(line: Any, today: date) -> LineState:
    if line.paid >= line.amount:
        return LineState.PAID
    if line.covered <= 0:
        return LineState.NOTHING_LEFT
    if line.due_date > today:
        return LineState.NOT_DUE
    if not line.is_payable:
        return LineState.WAITING
    return LineState.PART_PAID if line.paid > 0 else LineState.PAYABLE


def line_payable(line: Any, today: date) -> Decimal:
    """What can be paid on the line today, as payments_due shows it."""
    if line.due_date > today or not line.is_payable:
        return ZERO
    covered: Decimal = line.covered
    return pence(max(covered, ZERO))


def _award_years_with_due_lines(today: date, condition: Q | None = None) -> QuerySet[PaymentScheduleLine]:
    """Every line of the award years (of active and completed awards) that have a line due by today, not yet paid
    in full, meeting `condition`: whole years, as _covered needs, but only the few that can matter."""
    due = (
        PaymentScheduleLine.objects.filter(condition or Q(), due_date__lte=today)
        .annotate(paid=_paid_on_line())
        .filter(amount__gt=F("paid"))
        .values("award_year")
    )
    return PaymentScheduleLine.objects.filter(PAYABLE_AWARD, award_year__in=due)


def payments_due(today: date) -> QuerySet[PaymentScheduleLine]:
    """Scheduled payments finance can make now, oldest first: due by today, on an active or completed award, not yet
    paid in full, (for a payment in arrears) with its quarter's outcome return accepted, and with money left in
    the award's year to pay them. Each has `paid` and `payable` (what can be paid on it now, never more than the
    award's year has left once what the schedule holds back is set aside)."""
    return (
        _award_years_with_due_lines(today, RETURN_CLEARED)
        .annotate(
            paid=_paid_on_line(),
            payable=Case(
                When(held_back(today), then=Value(ZERO)), default=_covered(today), output_field=MONEY_OUT
            ),
        )
        .filter(payable__gt=0)
        .select_related("award__organisation", "award_year__pot__year")
        .order_by("due_date", "award__reference", "id")
    )


@dataclass
class DueTotals:
    count: int = 0
    amount: Decimal = ZERO
    waiting_count: int = 0
    waiting_amount: Decimal = ZERO


def payments_due_totals(today: date) -> DueTotals:
    """How many payments are due and how much (as payments_due counts them), and how many more are due but wait
    for an outcome return (and how much their years still have for them): one query."""
    payable = Q(covered__gt=0) & ~held_back(today)
    waiting = Q(covered__gt=0, due_date__lte=today) & ~RETURN_CLEARED
    row = (
        _award_years_with_due_lines(today)
        .annotate(covered=_covered(today))
        .aggregate(
            count=Count("pk", filter=payable),
            amount=Coalesce(Sum("covered", filter=payable), Value(ZERO), output_field=MONEY_OUT),
            waiting_count=Count("pk", filter=waiting),
            waiting_amount=Coalesce(Sum("covered", filter=waiting), Value(ZERO), output_field=MONEY_OUT),
        )
    )
    return DueTotals(**row)


# ---- Rules (call with the relevant rows locked) ---------------------------------------------


def check_year_allocation(
    year: FinancialYear,
    *,
    income: Decimal,
    police_budget: Decimal,
    allocated: Decimal,
    field: str | None = None,
) -> None:
    if police_budget > income:
        raise LedgerError(
            {
                field
                or "police_budget": f"The police budget ({gbp(police_budget)}) cannot be more than the year's income ({gbp(income)})"
            }
        )
    available = income - police_budget
    if allocated > available:
        raise LedgerError(
            {
                field or "allocated": (
                    f"This would allocate {gbp(allocated)} to the funding streams, but only {gbp(available)} is left "
                    f"after the police budget: {gbp(allocated - available)} too much"
                )
            }
        )


def check_pot_not_below_commitments(pot: Pot, new_allocation: Decimal, field: str = "allocated") -> None:
    committed = committed_in_pot(pot)
    if new_allocation < committed:
        raise LedgerError(
            {
                field: f"{pot.name} already has {gbp(committed)} committed: its allocation cannot be less than that"
            }
        )


def check_commitment_fits(pot: Pot, extra: Decimal, field: str = "amount") -> None:
    committed = committed_in_pot(pot)
    remaining = pot.allocated - committed
    if extra > remaining:
        raise LedgerError(
            {
                field: (
                    f"{pot.name} in {pot.year.label} has {gbp(remaining)} left to commit; "
                    f"{gbp(extra)} is {gbp(extra - remaining)} more than that"
                )
            }
        )


def check_pot_income(pot: Pot, source: str, amount: Decimal, field: str = "amount") -> None:
    """Income can pay for no more of a pot than its allocation, and a kind of income for no more, across the year's
    pots, than the year receives of it. `amount` replaces what `source` already pays for of `pot`."""

    errors = {}
    label = IncomeSource(source).label
    others = _sum(PotIncome.objects.filter(pot=pot).exclude(source=source))
    if others + amount > pot.allocated:
        errors[field] = (
            f"{pot.name} in {pot.year.label} is allocated {gbp(pot.allocated)} and other income already "
            f"pays for {gbp(others)} of it: {label} can pay for at most {gbp(max(pot.allocated - others, ZERO))}"
        )
    received = _sum(IncomeLine.objects.filter(year=pot.year, source=source))
    elsewhere = _sum(PotIncome.objects.filter(pot__year=pot.year, source=source).exclude(pot=pot))
    if elsewhere + amount > received:
        errors.setdefault(
            field,
            (
                f"{pot.year.label} has {gbp(received)} of {label}"
                + (f", of which {gbp(elsewhere)} already pays for other pots" if elsewhere else "")
                + f": {gbp(amount)} is {gbp(elsewhere + amount - received)} more than is left"
            ),
        )
    if errors:
        raise LedgerError(errors)


def check_payment_fits(award_year: AwardYear, amount: Decimal, field: str = "amount") -> None:
    award = award_year.award
    paid_line = paid_on_award_year(award_year)
    if amount > award_year.amount - paid_line:
        raise LedgerError(
            {
                field: (
                    f"{award.reference} has {gbp(award_year.amount - paid_line)} left to pay in "
                    f"{award_year.pot.year.label}; {gbp(amount)} is more than that"
                )
            }
        )
    paid_total = paid_on_award(award)
    if amount > award.amount - paid_total:
        raise LedgerError(
            {
                field: f"{award.reference} has {gbp(award.amount - paid_total)} left to pay in all; {gbp(amount)} is more than that"
            }
        )


def held_back_in_award_year(
    award_year: AwardYear, on: date, *, except_line: PaymentScheduleLine | None = None
) -> Decimal:
    """What the award year's schedule still owes on lines nobody may pay yet on that day (see held_back), leaving
    out `except_line`, the scheduled payment being made."""
    lines = PaymentScheduleLine.objects.filter(held_back(on), award_year=award_year)
    if except_line is not None:
        lines = lines.exclude(pk=except_line.pk)
    lines = lines.annotate(
        outstanding=ExpressionWrapper(F("amount") - _paid_on_line(), output_field=MONEY_OUT)
    ).filter(outstanding__gt=0)
    return _sum(lines, "outstanding")


def check_payment_not_held_back(
    award_year: AwardYear,
    amount: Decimal,
    *,
    on: date,
    schedule_line: PaymentScheduleLine | None = None,
    field: str = "amount",
) -> None:
    """No payment may spend the money of another scheduled payment that is not due by the day it is paid or is waiting
    for its quarter's outcome return: otherwise a payment not on the schedule (or on a line whose money such a
    payment already took) pays a quarter in arrears before its return is accepted.

    What a payment not on the schedule is for: the year's money that no scheduled payment holds back, i.e. an award
    or year with no schedule, the part of a year's profile no line covers (such as what is kept for a notice period
    when an award ends), and what is due and payable now."""
    held = held_back_in_award_year(award_year, on, except_line=schedule_line)
    if held <= 0:
        return
    left = award_year.amount - paid_on_award_year(award_year)
    can_pay = max(left - held, ZERO)
    if amount <= can_pay:
        return
    award, year = award_year.award, award_year.pot.year.label
    why = (
        f"the {'other ' if can_pay else ''}{gbp(left - can_pay)} left to pay in {year} is held back for scheduled "
        f"payments that are not yet due or are waiting for their quarter's outcome return to be accepted"
    )
    if schedule_line is None and not can_pay:
        message = (
            f"Nothing can be paid to {award.reference} off the schedule now: {why}. Pay those by choosing them "
            f"from the schedule once they can be paid"
        )
    elif schedule_line is not None and not can_pay:
        message = f"Nothing can be paid on this scheduled payment now: {why}"
    elif schedule_line is not None:
        message = f"Only {gbp(can_pay)} can be paid on this scheduled payment: {why}; {gbp(amount)} is more than that"
    else:
        message = (
            f"{award.reference} can be paid at most {gbp(can_pay)} off the schedule: {why}. "
            f"Pay those by choosing them from the schedule once they can be paid; {gbp(amount)} is more than that"
        )
    raise LedgerError({field: message})
