"""Recoveries recorded at the same moment: never more recovered than was paid, never credited twice."""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from funding import ledger
from funding.models import Pot, Recovery, RecoveryCredit
from funding.services import awards, recoveries
from opcc.models import Role
from tests.funding.test_concurrency import run_together
from tests.grants.closeout_factories import paid_grant

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"),
]


def ended_contract(world, paid="1000"):
    award = paid_grant(world, amount=paid, paid=paid, kind="contract")
    return awards.change_status(award=award, transition="complete", by=world.users[Role.FINANCE_OFFICER])


def test_twenty_recoveries_at_once_never_pass_what_was_paid(transactional_db):
    from tests.conftest import build_world

    world = build_world()
    award = ended_contract(world, paid="1000")
    finance = world.users[Role.FINANCE_OFFICER]

    outcomes = run_together(
        20,
        lambda i: (
            recoveries.record_recovery(
                award=award,
                amount=Decimal("150"),
                final_spend=Decimal("0"),
                invoice_reference=f"INV-{i}",
                by=finance,
            ).pk
        ),
    )

    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("error") == 0, outcomes
    assert kinds.count("ok") == 6  # 6 x £150 = £900 of the £1,000 paid; a seventh would pass it
    assert sum(r.amount for r in Recovery.objects.all()) == Decimal("900")


def test_two_people_recording_one_receipt_credit_the_pot_once(transactional_db):
    from tests.conftest import build_world

    world = build_world()
    award = ended_contract(world, paid="1000")
    finance = world.users[Role.FINANCE_OFFICER]
    recovery = recoveries.record_recovery(
        award=award,
        amount=Decimal("400.01"),
        final_spend=Decimal("599.99"),
        invoice_reference="INV-9",
        by=finance,
    )
    pot = Pot.objects.get(pk=award.pot_id)
    before = ledger.pots_with_figures(Pot.objects.filter(pk=pot.pk)).get().remaining

    outcomes = run_together(
        10,
        lambda i: (
            recoveries.receive_recovery(recovery=recovery, received_on=timezone.localdate(), by=finance).pk
        ),
    )

    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("ok") == 1, outcomes
    assert kinds.count("error") == 0 or all("TransitionNotAllowed" in m for k, m in outcomes if k == "error")
    assert RecoveryCredit.objects.count() == 1
    after = ledger.pots_with_figures(Pot.objects.filter(pk=pot.pk)).get().remaining
    assert after - before == Decimal("400.01")
