"""Two officers move the same commission at once: one wins, the other is told plainly and nothing is half-done."""

import pytest
from django.db import connection

from commissioning.models import Commission
from commissioning.services import commissions as commission_services
from opcc.services.transitions import timeline_for
from tests.commissioning import factories as f
from tests.funding.test_concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"),
]


def test_two_officers_move_the_same_commission_at_once(transactional_db, world):
    officer = f.officer_of(world)
    c = f.fill_understand(f.new_commission(world), officer)

    outcomes = run_together(
        2,
        lambda i: (
            commission_services.transition(
                commission=c,
                name="start_planning",
                by=officer,
                note=f"Officer {i}",
                expected_state="understand",
            ).status
        ),
    )

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    assert (
        "Someone else changed this while you were looking at it: its status is now “Plan”"
        in [m for k, m in outcomes if k == "refused"][0]
    )
    assert Commission.objects.get(pk=c.pk).status == "plan"
    assert timeline_for(c).count() == 1


def test_ten_withdrawals_and_moves_at_once_leave_one_consistent_state(transactional_db, world):
    officer = f.officer_of(world)
    c = f.fill_understand(f.new_commission(world), officer)

    def act(i):
        name = "withdraw" if i % 2 else "start_planning"
        return commission_services.transition(
            commission=c, name=name, by=officer, note="Reason", expected_state="understand"
        ).status

    outcomes = run_together(10, act)
    assert [k for k, _ in outcomes].count("ok") == 1, outcomes
    assert [k for k, _ in outcomes].count("error") == 0, outcomes
    assert timeline_for(c).count() == 1


def test_two_officers_increasing_a_contract_at_once_never_take_a_pot_over(transactional_db, world, pots):
    from datetime import date
    from decimal import Decimal

    from commissioning import gates
    from commissioning.models import ContractChange
    from commissioning.services import changes as change_services
    from funding import ledger

    officer = f.officer_of(world)
    contract = gates.current_contract(f.direct_award_in_review(world, pots))
    # Room in 2027 to 2028 for about one increase of 9,000 spread over the contract's years (3,008 of it that year).
    pots[2027].allocated = ledger.committed_in_pot(pots[2027]) + Decimal("4000")
    pots[2027].save()

    outcomes = run_together(
        2,
        lambda i: (
            change_services.propose_change(
                contract=contract,
                value_change=Decimal("9000"),
                new_end_date=None,
                scope_change="",
                reason=f"Officer {i}",
                agreed_on=date(2026, 12, 1),
                by=officer,
                today=date(2026, 12, 7),
            ).status
        ),
    )
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    assert "left to commit" in [m for k, m in outcomes if k == "refused"][0]
    assert ledger.committed_in_pot(pots[2027]) <= pots[2027].allocated
    assert ContractChange.objects.count() == 1
    contract.award.refresh_from_db()
    assert contract.award.amount == Decimal("309000")
