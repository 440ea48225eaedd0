"""When the invoice arrived: asked for every contract payment (the Procurement Act's 30-day term counts from it),
optional for grants, never after the date paid."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from freezegun import freeze_time

from funding.models import Payment
from funding.services import awards
from opcc.models import Role
from opcc.testing import verified_client
from tests.funding.factories import PotFactory, approved_year, award

D = Decimal


@pytest.fixture
def pot(db):
    return PotFactory(year=approved_year(2026), allocated=D("100000"))


@pytest.fixture
def contract_award(world, pot):
    return award(
        organisation=world.organisation, pot=pot, amount="20000", kind="contract", title="A contract"
    )


@freeze_time("2026-11-25 12:00:00")
def test_a_contract_payment_needs_the_invoice_date_and_a_grant_may_leave_it_out(world, pot, contract_award):
    with pytest.raises(ValidationError) as refused:
        awards.record_payment(award=contract_award, amount=D("100"), paid_on=date(2026, 11, 2), by=None)
    assert refused.value.message_dict == {"invoice_received_on": ["Enter the date the invoice was received"]}
    grant = award(organisation=world.organisation, pot=pot, amount="1000")
    paid = awards.record_payment(award=grant, amount=D("100"), paid_on=date(2026, 11, 2), by=None)
    assert paid.invoice_received_on is None
    paid = awards.record_payment(
        award=contract_award,
        amount=D("100"),
        paid_on=date(2026, 11, 2),
        invoice_received_on=date(2026, 10, 3),
        by=None,
    )
    assert paid.days_to_pay == 30


@freeze_time("2026-11-25 12:00:00")
def test_an_invoice_received_after_it_was_paid_is_refused_and_nothing_saved(contract_award):
    with pytest.raises(ValidationError) as refused:
        awards.record_payment(
            award=contract_award,
            amount=D("0"),
            paid_on=date(2026, 11, 2),
            invoice_received_on=date(2026, 11, 3),
            by=None,
        )
    # Every problem at once.
    assert refused.value.message_dict == {
        "invoice_received_on": [
            "The date the invoice was received must be the same as or before the date paid"
        ],
        "amount": ["Enter an amount more than £0"],
    }
    assert not Payment.objects.exists()


def test_the_database_refuses_an_invoice_after_the_payment(contract_award):
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            award=contract_award,
            award_year=contract_award.profile.get(),
            amount=D("5"),
            paid_on=date(2026, 5, 1),
            invoice_received_on=date(2026, 5, 2),
        )


@freeze_time("2026-11-25 12:00:00")
def test_the_payment_form_asks_the_invoice_date_and_shows_its_error_with_the_others(world, contract_award):
    client = verified_client(world.users[Role.FINANCE_OFFICER])
    url = f"/funding/awards/{contract_award.pk}/payments/new/"
    page = client.get(url).content.decode()
    assert "Date the invoice was received" in page
    body = client.post(
        url,
        {
            "schedule_line": "",
            "amount": "",
            "paid_on_0": "2",
            "paid_on_1": "11",
            "paid_on_2": "2026",
            "invoice_received_on_0": "3",
            "invoice_received_on_1": "11",
            "invoice_received_on_2": "2026",
        },
    ).content.decode()
    assert "govuk-error-summary" in body
    assert "must be the same as or before the date paid" in body and "Enter" in body
    assert not Payment.objects.exists()
