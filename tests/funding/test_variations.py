"""Varying an award: more money committed only where the pot has room, less money only from what is unpaid."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from funding import ledger
from funding.models import PaymentScheduleKind
from funding.services import awards, variations
from tests.factories import OrganisationFactory
from tests.funding.factories import PotFactory, approved_year
from tests.funding.factories import award as an_award

D = Decimal
TODAY = date(2026, 6, 1)


@pytest.fixture
def pot(db):
    return PotFactory(year=approved_year(2026), allocated=D("20000"))


@pytest.fixture
def award(pot):
    return an_award(
        organisation=OrganisationFactory(),
        pot=pot,
        amount="12000",
        schedule=PaymentScheduleKind.QUARTERLY_ARREARS,
    )


def test_an_increase_is_committed_and_scheduled_from_today(award, pot):
    variations.vary_award(
        award=award, amount_change=D("3000"), new_end_date=None, by=None, note="More", today=TODAY
    )
    award.refresh_from_db()
    assert award.amount == D("15000")
    assert ledger.committed_in_pot(pot) == D("15000")
    assert sum(line.amount for line in award.schedule.all()) == D("15000")
    assert min(line.due_date for line in award.schedule.filter(amount__lt=D("3000"))) >= TODAY


def test_an_increase_beyond_the_pot_is_refused_and_nothing_moves(award, pot):
    with pytest.raises(ValidationError) as exc:
        variations.vary_award(
            award=award, amount_change=D("8000.01"), new_end_date=None, by=None, note="More", today=TODAY
        )
    assert "left to commit" in exc.value.message_dict["value_change"][0]
    award.refresh_from_db()
    assert award.amount == D("12000") and ledger.committed_in_pot(pot) == D("12000")


def test_a_decrease_comes_off_what_is_unpaid_and_never_below_what_is_paid(award, pot):
    line = award.schedule.order_by("due_date").first()
    awards.release_arrears_payment(
        award=award, start_year=line.quarter_start_year, quarter=line.quarter, accepted_at=timezone.now()
    )
    awards.record_payment(
        award=award, amount=line.amount, paid_on=date(2026, 7, 30), by=None, schedule_line=line
    )
    with pytest.raises(ValidationError):
        variations.vary_award(
            award=award, amount_change=D("-9000.01"), new_end_date=None, by=None, note="Less", today=TODAY
        )
    variations.vary_award(
        award=award, amount_change=D("-9000"), new_end_date=None, by=None, note="Less", today=TODAY
    )
    award.refresh_from_db()
    assert award.amount == D("3000") == ledger.committed_in_pot(pot)
    assert sum(line.amount for line in award.schedule.all()) == D("3000")
    assert line.payments.exists()
