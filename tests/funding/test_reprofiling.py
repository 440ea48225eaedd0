"""Reprofiling: finance moves an award's money between its years, within the pots' limits; its schedule follows."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from funding import ledger
from funding.models import AwardYear, FinancialYear, PaymentScheduleKind, PaymentScheduleLine, Pot
from funding.services import awards as award_services
from funding.services.awards import ProfileLine
from funding.services.reprofiling import reprofile_award
from opcc.models import Role, TransitionLog
from tests.conftest import sign_in
from tests.funding.factories import IncomeLineFactory, PotFactory, YearFactory, approved_year, award

D = Decimal


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time("2026-11-25 12:00:00"):
        yield


@pytest.fixture
def two_years(db):
    """An approved 2026/27 and an indicative 2027/28, each with a victim services pot."""
    this = approved_year(2026, income="1000000", police="900000")
    PotFactory(year=this, key="vs", name="Victim services", allocated=D("100000"))
    later = YearFactory(start_year=2027, status=FinancialYear.Status.INDICATIVE, police_budget=D("900000"))
    IncomeLineFactory(year=later, amount=D("1000000"))
    PotFactory(year=later, key="vs", name="Victim services", allocated=D("50000"))
    return this, later


def two_year_award(world, **kwargs):
    return award(
        organisation=world.organisation,
        pot=Pot.objects.get(year__start_year=2026, key="vs"),
        amount="60000",
        start=date(2026, 4, 1),
        end=date(2028, 3, 31),
        profile=[ProfileLine(2026, D("30000")), ProfileLine(2027, D("30000"))],
        schedule=kwargs.pop("schedule", PaymentScheduleKind.INSTALMENTS),
        **kwargs,
    )


def amounts(a):
    return {
        ay.pot.year.start_year: ay.amount
        for ay in AwardYear.objects.filter(award=a).select_related("pot__year")
    }


def test_finance_carries_money_forward_and_the_schedule_follows(client, world, two_years):
    a = two_year_award(world)
    first = PaymentScheduleLine.objects.filter(award=a).order_by("due_date").first()
    award_services.record_payment(
        award=a, amount=D("15000"), paid_on=date(2026, 5, 1), by=None, schedule_line=first
    )
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    assert "Move money between years" in client.get(f"/funding/awards/{a.pk}/").content.decode()

    response = client.post(
        f"/funding/awards/{a.pk}/reprofile/",
        {
            "year_2026": "20000",
            "year_2027": "40000",
            "reason": "Delivery started late; underspend carried forward",
        },
    )

    assert response.status_code == 302
    assert amounts(a) == {2026: D("20000"), 2027: D("40000")}
    scheduled = {
        y: sum(
            line.amount
            for line in PaymentScheduleLine.objects.filter(award=a, award_year__pot__year__start_year=y)
        )
        for y in (2026, 2027)
    }
    assert scheduled == {2026: D("20000"), 2027: D("40000")}
    # The paid instalment stays; the rest of 2026/27 is scheduled from today.
    assert PaymentScheduleLine.objects.filter(award=a, payments__isnull=False).count() == 1
    assert ledger.committed_in_pot(Pot.objects.get(year__start_year=2027)) == D("40000")
    entry = TransitionLog.objects.get(transition="reprofile")
    assert "2027 to 2028 from £30,000.00 to £40,000.00" in entry.note and "carried forward" in entry.note
    assert "Money moved between years" in client.get(f"/funding/awards/{a.pk}/").content.decode()


def test_a_reprofile_that_would_over_commit_a_later_year_is_refused(world, two_years):
    a = two_year_award(world)
    award(organisation=world.other_organisation, pot=Pot.objects.get(year__start_year=2027), amount="15000")
    with pytest.raises(ValidationError) as error:
        reprofile_award(
            award=a,
            profile=[ProfileLine(2026, D("24000")), ProfileLine(2027, D("36000"))],
            by=world.users[Role.FINANCE_OFFICER],
            reason="Delayed",
        )
    assert "Victim services in 2027 to 2028 has £5,000.00 left to commit" in str(error.value)
    assert amounts(a) == {2026: D("30000"), 2027: D("30000")}
    assert not TransitionLog.objects.filter(transition="reprofile").exists()


def test_a_reprofile_that_does_not_add_up_to_the_award_is_refused(client, world, two_years):
    a = two_year_award(world)
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    body = client.post(
        f"/funding/awards/{a.pk}/reprofile/",
        {"year_2026": "20000", "year_2027": "30000", "reason": "Delayed"},
    ).content.decode()
    assert "govuk-error-summary" in body
    assert "add up to £50,000.00, not the award&#x27;s £60,000.00: £10,000.00 too little" in body
    assert amounts(a) == {2026: D("30000"), 2027: D("30000")}


def test_money_paid_in_a_year_cannot_be_moved_out_of_it(world, two_years):
    a = two_year_award(world)
    award_services.record_payment(award=a, amount=D("15000"), paid_on=date(2026, 5, 1), by=None)
    with pytest.raises(ValidationError) as error:
        reprofile_award(
            award=a,
            profile=[ProfileLine(2026, D("10000")), ProfileLine(2027, D("50000"))],
            by=world.users[Role.FINANCE_OFFICER],
            reason="Delayed",
        )
    assert "£15,000.00 has already been paid in 2026 to 2027" in str(error.value)
    assert amounts(a) == {2026: D("30000"), 2027: D("30000")}


def test_a_reprofile_needs_a_reason_and_finance(world, two_years):
    a = two_year_award(world)
    with pytest.raises(ValidationError) as error:
        reprofile_award(
            award=a,
            profile=[ProfileLine(2026, D("20000")), ProfileLine(2027, D("40000"))],
            by=world.users[Role.FINANCE_OFFICER],
            reason=" ",
        )
    assert "Enter the reason" in str(error.value)
    with pytest.raises(PermissionDenied):
        reprofile_award(
            award=a,
            profile=[ProfileLine(2026, D("20000")), ProfileLine(2027, D("40000"))],
            by=world.users[Role.COMMISSIONING_OFFICER],
            reason="Delayed",
        )
    assert amounts(a) == {2026: D("30000"), 2027: D("30000")}


def test_quarterly_arrears_are_scheduled_again_for_the_years_that_change(world, two_years):
    a = two_year_award(world, schedule=PaymentScheduleKind.QUARTERLY_ARREARS)
    reprofile_award(
        award=a,
        profile=[ProfileLine(2026, D("10000")), ProfileLine(2027, D("50000"))],
        by=world.users[Role.FINANCE_OFFICER],
        reason="Delayed",
    )
    lines = PaymentScheduleLine.objects.filter(award=a)
    assert sum(line.amount for line in lines) == D("60000")
    assert lines.filter(award_year__pot__year__start_year=2027).count() == 4
