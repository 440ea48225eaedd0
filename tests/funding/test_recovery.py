"""Money owed back when an award ends: recorded with its invoice, received, and returned to its pot to the penny."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from funding import ledger
from funding.models import Pot, Recovery, RecoveryCredit, RecoveryStatus
from funding.services import awards, recoveries
from opcc.models import Role
from opcc.services.transitions import StaleState
from tests.conftest import sign_in
from tests.grants.closeout_factories import accepted, paid_grant

pytestmark = pytest.mark.django_db


def remaining(pot: Pot) -> Decimal:
    return ledger.pots_with_figures(Pot.objects.filter(pk=pot.pk)).get().remaining


def owed(world, award, amount="1234.56", spend=None, invoice="INV-0042"):
    paid = ledger.paid_on_award(award)
    return recoveries.record_recovery(
        award=award,
        amount=Decimal(amount),
        final_spend=Decimal(spend) if spend is not None else paid - Decimal(amount),
        invoice_reference=invoice,
        by=world.users[Role.FINANCE_OFFICER],
    )


def test_a_recovered_underspend_restores_the_pot_to_the_penny(world):
    award = paid_grant(world, amount="10000", paid="10000")
    accepted(world, award, spent="8765.44")
    pot = award.pot
    before = remaining(pot)
    summary_before = ledger.year_summary(pot.year).totals

    recovery = owed(world, award, "1234.56")
    assert remaining(pot) == before  # owed is not yet money in the pot
    received = recoveries.receive_recovery(
        recovery=recovery, received_on=timezone.localdate(), by=world.users[Role.FINANCE_OFFICER]
    )

    assert received.status == RecoveryStatus.RECEIVED
    assert remaining(pot) == before + Decimal("1234.56")
    assert ledger.committed_in_pot(pot) == Decimal("8765.44")
    summary = ledger.year_summary(pot.year).totals
    assert summary.remaining - summary_before.remaining == Decimal("1234.56")
    assert summary.paid == summary_before.paid - Decimal("1234.56")  # paid, net of what came back
    assert summary.unpaid == summary_before.unpaid
    assert RecoveryCredit.objects.get().amount == Decimal("1234.56")
    # Nothing more can be paid on it because of the credit: payments still count in full against the award.
    assert ledger.paid_on_award(award) == Decimal("10000")


def test_receiving_twice_credits_once(world):
    award = paid_grant(world)
    accepted(world, award, spent="9000")
    recovery = owed(world, award, "1000")
    finance = world.users[Role.FINANCE_OFFICER]
    recoveries.receive_recovery(recovery=recovery, received_on=timezone.localdate(), by=finance)
    with pytest.raises((StaleState, TransitionNotAllowed)):
        recoveries.receive_recovery(recovery=recovery, received_on=timezone.localdate(), by=finance)
    assert RecoveryCredit.objects.count() == 1


def test_a_recovery_larger_than_was_paid_is_refused_and_nothing_is_saved(world):
    award = paid_grant(world, amount="10000", paid="4000")
    awards.end_award(award=award, transition="terminate", by=world.users[Role.FINANCE_OFFICER], note="Closed")
    award.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        owed(world, award, "4000.01", spend="0")
    assert refused.value.message_dict["amount"] == [
        f"{award.reference} was paid £4,000.00: at most £4,000.00 can be recovered; £4,000.01 is more than that"
    ]
    owed(world, award, "2500", spend="1500")
    with pytest.raises(ValidationError) as refused:
        owed(world, award, "1500.01", spend="0")
    assert "£2,500.00 of it is already being recovered" in refused.value.message_dict["amount"][0]
    assert Recovery.objects.count() == 1


def test_an_award_still_running_owes_nothing_back(world):
    award = paid_grant(world, end=date(2027, 3, 31))
    with pytest.raises(ValidationError) as refused:
        owed(world, award, "100")
    assert "only once an award has ended" in refused.value.messages[0]


def test_a_received_date_in_the_future_is_refused(world):
    award = paid_grant(world)
    accepted(world, award, spent="9000")
    recovery = owed(world, award, "1000")
    with pytest.raises(ValidationError) as refused:
        recoveries.receive_recovery(
            recovery=recovery,
            received_on=timezone.localdate() + timedelta(days=1),
            by=world.users[Role.FINANCE_OFFICER],
        )
    assert refused.value.message_dict == {"received_on": [recoveries.RECEIVED_IN_FUTURE]}
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.OWED and not RecoveryCredit.objects.exists()


def test_only_finance_records_recoveries(world):
    award = paid_grant(world)
    accepted(world, award, spent="9000")
    with pytest.raises(Exception) as refused:
        recoveries.record_recovery(
            award=award,
            amount=Decimal("10"),
            final_spend=Decimal("9000"),
            invoice_reference="X",
            by=world.users[Role.COMMISSIONING_OFFICER],
        )
    assert "Only finance" in str(refused.value)


# ---- Pages --------------------------------------------------------------------------------------------------------


def test_every_problem_on_the_recovery_form_shows_at_once_and_nothing_is_saved(client, world):
    award = paid_grant(world, amount="10000", paid="10000")
    accepted(world, award, spent="9000")
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    url = reverse("funding:recovery-create", args=[award.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="9000.00"' in page.content.decode() and 'value="1000.00"' in page.content.decode()

    response = client.post(url, {"final_spend": "-5", "amount": "20000", "invoice_reference": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "The final spend cannot be negative" in body
    assert "at most £10,000.00 can be recovered; £20,000.00 is more than that" in body
    assert "Enter the reference of the invoice sent for the money owed back" in body
    assert not Recovery.objects.exists()


def test_finance_records_owed_and_received_and_the_award_shows_the_credit(client, world):
    award = paid_grant(world)
    accepted(world, award, spent="9000")
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    response = client.post(
        reverse("funding:recovery-create", args=[award.pk]),
        {"final_spend": "9000", "amount": "1000", "invoice_reference": "INV-77"},
    )
    assert response.status_code == 302
    recovery = Recovery.objects.get()

    listing = client.get(reverse("funding:recoveries")).content.decode()
    assert "INV-77" in listing and "£1,000.00" in listing
    overview = client.get(reverse("funding:overview", args=[2026])).content.decode()
    assert "Money awaiting recovery" in overview and reverse("funding:recoveries") in overview

    future = timezone.localdate() + timedelta(days=3)
    refused = client.post(
        reverse("funding:recovery-receive", args=[recovery.pk]),
        {"received_on_0": future.day, "received_on_1": future.month, "received_on_2": future.year},
    )
    assert recoveries.RECEIVED_IN_FUTURE in refused.content.decode()
    today = timezone.localdate()
    done = client.post(
        reverse("funding:recovery-receive", args=[recovery.pk]),
        {"received_on_0": today.day, "received_on_1": today.month, "received_on_2": today.year},
    )
    assert done.status_code == 302
    detail = client.get(reverse("funding:award", args=[award.pk])).content.decode()
    assert "Recovery:" in detail and "-£1,000.00" in detail and "INV-77" in detail
    assert "Record money owed back" in detail  # £9,000 of what was paid is not being recovered
    assert (
        "No money is awaiting recovery"
        in client.get(reverse("funding:overview", args=[2026])).content.decode()
    )


def test_the_recoveries_list_is_paginated(client, world):
    finance = world.users[Role.FINANCE_OFFICER]
    award = paid_grant(world, amount="10000", paid="10000", kind="contract")
    awards.change_status(award=award, transition="complete", by=finance)
    for i in range(55):
        recoveries.record_recovery(
            award=award,
            amount=Decimal("1"),
            final_spend=Decimal("9000"),
            invoice_reference=f"INV-{i}",
            by=finance,
        )
    sign_in(client, finance)
    first = client.get(reverse("funding:recoveries")).content.decode()
    assert first.count("Record as received<span") == 50
    assert "£55.00" in first
    second = client.get(reverse("funding:recoveries") + "?page=2").content.decode()
    assert second.count("Record as received<span") == 5
