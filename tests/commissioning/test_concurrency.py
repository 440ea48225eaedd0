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
