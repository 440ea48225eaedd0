from datetime import date
from decimal import Decimal

import factory

from funding.models import FinancialYear, IncomeLine, IncomeSource, PaymentScheduleKind, Pot, Stream
from funding.services import awards


class YearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancialYear
        django_get_or_create = ("start_year",)

    start_year = 2026
    police_budget = Decimal("0")


class IncomeLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncomeLine

    year = factory.SubFactory(YearFactory)
    source = IncomeSource.HOME_OFFICE
    amount = Decimal("1000000")


class PotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pot

    year = factory.SubFactory(YearFactory)
    stream = Stream.CGS
    key = factory.Sequence(lambda n: f"pot-{n}")
    name = factory.Sequence(lambda n: f"Pot {n}")
    allocated = Decimal("10000")


def approved_year(start_year=2026, *, income="1000000", police="900000"):
    """A year with income, a police budget and no pots yet, approved."""
    year = YearFactory(start_year=start_year, police_budget=Decimal(police))
    IncomeLineFactory(year=year, amount=Decimal(income))
    FinancialYear.objects.filter(pk=year.pk).update(status=FinancialYear.Status.APPROVED)
    year.refresh_from_db()
    return year


def award(
    *,
    organisation,
    pot,
    amount="1000",
    by=None,
    start=None,
    end=None,
    schedule=PaymentScheduleKind.IN_ADVANCE,
    activate=True,
    **kwargs,
):
    start = start or date(pot.year.start_year, 4, 1)
    end = end or date(pot.year.start_year + 1, 3, 31)
    return awards.create_award(
        organisation=organisation,
        pot=pot,
        kind=kwargs.pop("kind", "grant"),
        title=kwargs.pop("title", "A project"),
        purpose="To test",
        start_date=start,
        end_date=end,
        amount=Decimal(amount),
        schedule_kind=schedule,
        by=by,
        activate=activate,
        **kwargs,
    )
