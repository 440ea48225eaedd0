"""Reads for funding pages: each shaped for one page, with a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, Exists, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from funding import ledger
from funding.models import Award, AwardYear, FinancialYear, Payment, PaymentScheduleLine, Pot
from opcc.aggregates import cached
from opcc.calendar import this_financial_year
from opcc.models import Objective
from opcc.money import ZERO
from opcc.services.transitions import timeline_for

MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)


def payments_due_totals(today) -> ledger.DueTotals:
    """How many payments are due, and how much: on finance's home page and the payments-due page, cached until
    the data changes (opcc.aggregates) because it sums every schedule line that has fallen due."""

    return cached("payments-due-totals", today, lambda: ledger.payments_due_totals(today))


def years():
    return FinancialYear.objects.order_by("-start_year")


def awards_with_totals(qs=None):
    """Awards with their paid-to-date and committed (after any release) as annotations."""
    qs = qs if qs is not None else Award.objects.all()
    paid = Subquery(
        Payment.objects.filter(award=OuterRef("pk"))
        .values("award")
        .annotate(t=Sum("amount"))
        .values("t")[:1],
        output_field=MONEY,
    )
    committed = Subquery(
        AwardYear.objects.filter(award=OuterRef("pk"))
        .values("award")
        .annotate(t=Sum("amount"))
        .values("t")[:1],
        output_field=MONEY,
    )
    return qs.select_related("organisation", "pot__year", "pot__area").annotate(
        paid=Coalesce(paid, Value(ZERO), output_field=MONEY),
        committed=Coalesce(committed, Value(ZERO), output_field=MONEY),
    )


def filter_awards(qs, *, year=None, stream="", status="", kind="", query="", pot=None):
    # A year or pot through the award's profile is an EXISTS, not a join with DISTINCT: DISTINCT would compute every
    # matching award's totals before the page is cut, so a page of the list would cost more as the year fills.
    if year:
        qs = qs.filter(Exists(AwardYear.objects.filter(award=OuterRef("pk"), pot__year__start_year=year)))
    if stream:
        qs = qs.filter(pot__stream=stream)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if pot is not None:
        qs = qs.filter(Exists(AwardYear.objects.filter(award=OuterRef("pk"), pot=pot)))
    if query:
        qs = qs.filter(
            Q(title__icontains=query) | Q(reference__iexact=query) | Q(organisation__name__icontains=query)
        )
    return qs


def pot_detail(pot: Pot):
    pot = ledger.pots_with_figures(Pot.objects.filter(pk=pot.pk)).get()
    commitments = (
        AwardYear.objects.filter(pot=pot)
        .select_related("award__organisation")
        .annotate(
            paid=Coalesce(
                Subquery(
                    Payment.objects.filter(award_year=OuterRef("pk"))
                    .values("award_year")
                    .annotate(t=Sum("amount"))
                    .values("t")[:1],
                    output_field=MONEY,
                ),
                Value(ZERO),
                output_field=MONEY,
            )
        )
        .order_by("award__reference")
    )
    return pot, commitments


def award_detail(award_id: int, today=None):
    """The award with its profile and its schedule (with ledger.schedule_with_figures's figures as of today), and
    its timeline. Its payments, which grow with the years, are `award_payments`, a page at a time."""

    today = today or timezone.localdate()
    award = (
        awards_with_totals(Award.objects.filter(pk=award_id))
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "profile",
                queryset=AwardYear.objects.select_related("pot__year").annotate(
                    paid=Coalesce(
                        Subquery(
                            Payment.objects.filter(award_year=OuterRef("pk"))
                            .values("award_year")
                            .annotate(t=Sum("amount"))
                            .values("t")[:1],
                            output_field=MONEY,
                        ),
                        Value(ZERO),
                        output_field=MONEY,
                    )
                ),
            ),
            Prefetch(
                "schedule",
                queryset=ledger.schedule_with_figures(PaymentScheduleLine.objects.all(), today).order_by(
                    "due_date", "id"
                ),
            ),
            Prefetch("objectives", queryset=Objective.objects.select_related("priority")),
        )
        .get()
    )
    for line in award.schedule.all():
        line.state, line.payable = ledger.line_state(line, today), ledger.line_payable(line, today)
    return award, timeline_for(award)


def award_payments(award):
    """The payments made on an award, newest first."""
    return (
        Payment.objects.filter(award=award)
        .select_related("schedule_line", "award_year__pot__year")
        .order_by("-paid_on", "-id")
    )


def open_pots():
    """Pots money can be committed from: this year's and later years'."""

    return (
        Pot.objects.filter(year__start_year__gte=this_financial_year())
        .select_related("year")
        .order_by("year__start_year", "stream", "name")
    )
