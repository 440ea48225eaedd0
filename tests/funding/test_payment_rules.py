"""Payments fall within the award's dates (plus a stated grace period); a payment off the schedule says which
scheduled payment it reduces; a scheduled payment paid in full meanwhile is refused in the ledger's words."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from funding.models import Payment, PaymentScheduleKind
from funding.services import awards
from opcc.models import Role
from tests.conftest import sign_in
from tests.funding.factories import PotFactory, approved_year, award

D = Decimal


@pytest.fixture
def year(db):
    with freeze_time("2026-11-25 12:00:00"):
        yield approved_year(income="1000000", police="900000")


def pay_form(line, amount, day):
    return {
        "schedule_line": line.pk if line else "",
        "amount": amount,
        "paid_on_0": str(day.day),
        "paid_on_1": str(day.month),
        "paid_on_2": str(day.year),
    }


def summary(body):
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))).strip() if found else ""


@pytest.fixture
def summer_grant(world, year):
    """£6,000 in two instalments from 1 July 2026 to 31 March 2027."""
    pot = PotFactory(year=year, allocated=D("10000"))
    with freeze_time("2026-11-25 12:00:00"):
        return award(
            organisation=world.organisation,
            pot=pot,
            amount="6000",
            start=date(2026, 7, 1),
            end=date(2027, 3, 31),
            schedule=PaymentScheduleKind.INSTALMENTS,
            title="Summer grant",
        )


def test_the_service_refuses_a_payment_dated_before_the_award_started(summer_grant):
    with freeze_time("2026-11-25 12:00:00"), pytest.raises(ValidationError) as error:
        awards.record_payment(award=summer_grant, amount=D("100"), paid_on=date(2026, 6, 30), by=None)
    assert error.value.message_dict == {
        "paid_on": ["The date paid must be on or after the award's start date, 1 July 2026"]
    }
    assert not Payment.objects.exists()


def test_the_service_refuses_a_payment_dated_beyond_the_grace_period_after_the_award_ended(summer_grant):
    line = summer_grant.schedule.order_by("due_date").first()
    with freeze_time("2027-08-01 12:00:00"):
        with pytest.raises(ValidationError) as error:
            awards.record_payment(
                award=summer_grant, amount=D("100"), paid_on=date(2027, 6, 30), by=None, schedule_line=line
            )
        assert error.value.message_dict == {
            "paid_on": [
                "The date paid must be no later than 29 June 2027, 90 days after the award ended on 31 March 2027"
            ]
        }
        assert not Payment.objects.exists()
        # The last day of the grace period is fine.
        awards.record_payment(
            award=summer_grant, amount=D("100"), paid_on=date(2027, 6, 29), by=None, schedule_line=line
        )
    assert Payment.objects.get().paid_on == date(2027, 6, 29)


def test_the_grace_period_is_a_setting_and_the_error_states_it(summer_grant, settings):
    settings.PAYMENT_GRACE_DAYS = 30
    with freeze_time("2027-08-01 12:00:00"), pytest.raises(ValidationError) as error:
        awards.record_payment(award=summer_grant, amount=D("100"), paid_on=date(2027, 5, 1), by=None)
    assert error.value.message_dict == {
        "paid_on": [
            "The date paid must be no later than 30 April 2027, 30 days after the award ended on 31 March 2027"
        ]
    }


def test_the_payment_form_states_the_dates_allowed_and_shows_a_date_outside_them_as_an_error(
    client, world, summer_grant
):
    first = summer_grant.schedule.order_by("due_date").first()
    with freeze_time("2026-11-25 12:00:00"):
        sign_in(client, world.users[Role.FINANCE_OFFICER])
        url = f"/funding/awards/{summer_grant.pk}/payments/new/"
        form = client.get(url).content.decode()
        assert (
            "Between 1 July 2026 (the award's start) and 29 June 2027 (90 days after it ends on 31 March "
            "2027), and not in the future"
        ) in form
        body = client.post(url, pay_form(first, "3000", date(2026, 6, 1))).content.decode()
        assert "The date paid must be on or after the award&#x27;s start date, 1 July 2026" in summary(body)
        assert 'href="#id_paid_on_0"' in body or 'href="#id_paid_on"' in body
        assert not Payment.objects.exists()


def test_a_payment_off_the_schedule_says_which_scheduled_payment_it_reduces(client, world, summer_grant):
    with freeze_time("2026-11-25 12:00:00"):
        sign_in(client, world.users[Role.FINANCE_OFFICER])
        url = f"/funding/awards/{summer_grant.pk}/payments/new/"
        response = client.post(url, pay_form(None, "1000", date(2026, 11, 25)), follow=True)
        body = response.content.decode()
        # Both instalments (1 July and, half way, 14 November) are due; it counts against the oldest first.
        assert (
            "A payment of £1,000.00 to Marches Support has been recorded, off the schedule: it reduces "
            "2026 to 2027 first instalment (due 1 July 2026) by £1,000.00"
        ) in body
        # On the award page too, in the payments made.
        payments = re.search(r"Payments made</h2>.*?</table>", body, re.S).group(0)
        assert "off the schedule: reduces 2026 to 2027 first instalment" in re.sub(r"\s+", " ", payments)
        # Across two lines: the rest of the first (£2,000) and £500 of the second.
        body = client.post(url, pay_form(None, "2500", date(2026, 11, 25)), follow=True).content.decode()
        assert (
            "reduces 2026 to 2027 first instalment (due 1 July 2026) by £2,000.00 and 2026 to 2027 second "
            "instalment (due 14 November 2026) by £500.00"
        ) in body


def test_a_scheduled_payment_paid_in_full_meanwhile_is_refused_in_the_ledgers_words(client, world, year):
    pot = PotFactory(year=year, allocated=D("10000"))
    with freeze_time("2026-11-25 12:00:00"):
        a = award(organisation=world.organisation, pot=pot, amount="4000", title="Advance grant")
        line = a.schedule.get()
        sign_in(client, world.users[Role.FINANCE_OFFICER])
        url = f"/funding/awards/{a.pk}/payments/new/"
        assert f'value="{line.pk}"' in client.get(url).content.decode()
        # Another finance officer pays it in full while this form is open.
        awards.record_payment(
            award=a, amount=D("4000"), paid_on=date(2026, 11, 25), by=None, schedule_line=line
        )
        body = client.post(url, pay_form(line, "4000", date(2026, 11, 25))).content.decode()
        found = summary(body)
        assert "Select a valid choice" not in body and "is not one of the available choices" not in body
        assert (
            "2026 to 2027 in advance has been paid in full: nothing is left to pay on it. Choose another "
            "scheduled payment or record the payment as not on the schedule"
        ) in found
        assert Payment.objects.count() == 1


def test_the_service_refuses_a_scheduled_payment_already_paid_in_full(world, year):
    pot = PotFactory(year=year, allocated=D("10000"))
    with freeze_time("2026-11-25 12:00:00"):
        a = award(organisation=world.organisation, pot=pot, amount="4000")
        line = a.schedule.get()
        awards.record_payment(
            award=a, amount=D("4000"), paid_on=date(2026, 11, 25), by=None, schedule_line=line
        )
        with pytest.raises(ValidationError) as error:
            awards.record_payment(
                award=a, amount=D("1"), paid_on=date(2026, 11, 25), by=None, schedule_line=line
            )
    assert error.value.message_dict == {
        "schedule_line": [
            "2026 to 2027 in advance has been paid in full: nothing is left to pay on it. Choose another scheduled "
            "payment or record the payment as not on the schedule"
        ]
    }
