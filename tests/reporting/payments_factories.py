"""Contracts under and outside the Procurement Act, and payments to them, built straight in the database: the
figures only read the ledger, so the procurement's own journey (tests/commissioning) is not repeated here."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from commissioning.models import Contract, Procurement, Route
from funding.models import FinancialYear, Payment
from tests.commissioning.factories import new_commission
from tests.factories import OrganisationFactory
from tests.funding.factories import PotFactory, approved_year
from tests.funding.factories import award as make_award

D = Decimal


def _year(start_year: int) -> FinancialYear:
    return FinancialYear.objects.filter(start_year=start_year).first() or approved_year(start_year)


def contract(
    world,
    *,
    title="Victim support hub",
    chosen_on=date(2025, 6, 1),
    route=Route.REGULATED,
    amount="900000",
    organisation=None,
):
    """An active contract award whose procurement began on `chosen_on`, on `route` (REGULATED: a public contract)."""
    year = _year(2025)
    pot = PotFactory(year=year, key=f"pot-{title.lower().replace(' ', '-')}", allocated=D("5000000"))
    organisation = organisation or OrganisationFactory(name=f"{title} Ltd")
    award = make_award(
        organisation=organisation,
        pot=pot,
        amount=amount,
        kind="contract",
        title=title,
        start=date(2025, 4, 1),
        end=date(2026, 3, 31),
    )
    procurement = Procurement.objects.create(
        commission=new_commission(world, title=title),
        cycle=1,
        route=route,
        required_route=route,
        value=D(amount),
    )
    Procurement.objects.filter(pk=procurement.pk).update(
        chosen_at=datetime.combine(chosen_on, datetime.min.time(), UTC)
    )
    Contract.objects.create(
        procurement=procurement,
        award=award,
        organisation=organisation,
        annual_value=D(amount),
        total_value=D(amount),
        start_date=date(2025, 4, 1),
        initial_term_years=1,
        extension_pattern="1",
        break_notice_months=3,
        signed_on=max(chosen_on, date(2025, 3, 20)),
    )
    return award


def pay(award, paid_on: date, days: int | None = 10, amount="100.00", reference="") -> Payment:
    """A payment `days` after its invoice arrived (None: no invoice date recorded)."""
    return Payment.objects.create(
        award=award,
        award_year=award.profile.first(),
        amount=D(amount),
        paid_on=paid_on,
        invoice_received_on=None if days is None else paid_on - timedelta(days=days),
        reference=reference,
    )
