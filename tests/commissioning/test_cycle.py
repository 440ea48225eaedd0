"""Every gate blocks its transition until met; every transition lands on the timeline."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning import gates
from commissioning.models import Commission, ReviewDecision
from commissioning.services import commissions as commission_services
from commissioning.services import review as review_services
from opcc.models import Role
from opcc.services.transitions import timeline_for
from tests.commissioning import factories as f

D = Decimal


def _blocked(commission, name, by, expect):
    with pytest.raises(ValidationError) as exc:
        commission_services.transition(commission=commission, name=name, by=by, note="A reason")
    assert any(expect in m for m in exc.value.messages), exc.value.messages
    assert Commission.objects.get(pk=commission.pk).status == commission.status


@pytest.mark.parametrize("missing", list(f.UNDERSTAND) + ["needs_assessment"])
def test_understand_gate_blocks_until_every_item_is_recorded(world, missing):
    officer = f.officer_of(world)
    c = f.new_commission(world)
    values = {k: v for k, v in f.UNDERSTAND.items() if k != missing}
    c = commission_services.update_commission(commission=c, values=values, by=officer)
    if missing != "needs_assessment":
        from django.core.files.uploadedfile import SimpleUploadedFile

        commission_services.upload_needs_assessment(
            commission=c, uploaded=SimpleUploadedFile("a.pdf", f.PDF), title="NA", by=officer
        )
    gaps = gates.understand_gaps(c)
    assert len(gaps) == 1
    _blocked(c, "start_planning", officer, gaps[0])
    # The page shows the same thing.
    assert [t.missing for t in gates.understand_tasks(c) if not t.done] == gaps


def test_understand_to_plan_when_complete_lands_on_the_timeline(world):
    officer = f.officer_of(world)
    c = f.fill_understand(f.new_commission(world), officer)
    assert gates.understand_gaps(c) == []
    c = commission_services.transition(
        commission=c, name="start_planning", by=officer, note="Evidence agreed"
    )
    assert c.status == Commission.Status.PLAN
    entry = timeline_for(c).first()
    assert (entry.from_state, entry.to_state, entry.by, entry.note) == (
        "understand",
        "plan",
        officer,
        "Evidence agreed",
    )


@pytest.mark.parametrize(
    "override, expect",
    [
        ({"coverage": ""}, "West Mercia wide or a pilot"),
        ({"co_commissioning": ""}, "co-commissioning partners"),
        ({"co_design": ""}, "co-design"),
        ({"pin_reference": ""}, "Provider Information Notice"),
        ({"estimated_total_value": None}, "estimated annual and total value"),
    ],
)
def test_plan_gate_blocks_until_met(world, override, expect):
    officer = f.officer_of(world)
    c = f.fill_plan(f.in_plan(world), officer, **override)
    _blocked(c, "start_procurement", officer, expect)


def test_plan_gate_needs_an_outcome_measure_and_a_pilot_needs_its_reason(world):
    officer = f.officer_of(world)
    c = commission_services.update_commission(commission=f.in_plan(world), values=f.PLAN, by=officer)
    _blocked(c, "start_procurement", officer, "outcome measure")
    with pytest.raises(ValidationError) as exc:
        commission_services.update_commission(
            commission=c, values={"coverage": "pilot", "pilot_reason": ""}, by=officer
        )
    assert "pilot" in str(exc.value)


def test_do_gate_needs_route_procurement_decision_and_contract(world, pots):
    officer = f.officer_of(world)
    c = f.in_do(world)
    _blocked(c, "start_review", officer, "procurement route")
    c, _org = f.decided_tender(world)
    _blocked(c, "start_review", officer, "signed contract")
    f.contract_for(world, c, pots[2026])
    c = commission_services.transition(commission=c, name="start_review", by=officer)
    assert c.status == Commission.Status.REVIEW


def _in_review(world, pots):
    officer = f.officer_of(world)
    c, _ = f.decided_tender(world)
    f.contract_for(world, c, pots[2026])
    return commission_services.transition(commission=c, name="start_review", by=officer), officer


def test_review_gates_recommission_decommission_close(world, pots):
    c, officer = _in_review(world, pots)
    head = world.users[Role.HEAD_OF_COMMISSIONING]
    _blocked(c, "recommission", officer, "re-commission")
    _blocked(c, "decommission", head, "de-commission")
    _blocked(c, "close", officer, "can be closed once it has ended")
    review_services.record_review(
        commission=c,
        decision=ReviewDecision.Decision.DECOMMISSION,
        reasons="Not meeting outcomes",
        by=officer,
    )
    _blocked(c, "decommission", head, "de-commissioning plan")
    with pytest.raises(PermissionDenied):
        commission_services.transition(commission=c, name="decommission", by=officer)
    review_services.record_decommissioning_plan(
        commission=c,
        support_offered="Improvement plan offered",
        exit_date=date(2027, 3, 31),
        service_user_transition="Referred to the IDVA service",
        agreed_on=date(2026, 11, 20),
        keep=D("5000"),
        by=officer,
    )
    c = commission_services.transition(
        commission=c, name="decommission", by=head, note="Agreed with the provider"
    )
    assert c.status == Commission.Status.DECOMMISSIONED
    award = gates.current_contract(c).award
    award.refresh_from_db()
    assert award.status == "decommissioned"


def test_recommission_starts_a_new_cycle_with_a_new_procurement(world, pots):
    c, officer = _in_review(world, pots)
    review_services.record_review(
        commission=c, decision=ReviewDecision.Decision.RECOMMISSION, reasons="Re-tender", by=officer
    )
    c = commission_services.transition(commission=c, name="recommission", by=officer)
    assert (c.status, c.cycle) == (Commission.Status.UNDERSTAND, 2)
    assert gates.current_procurement(c) is None
    assert c.procurements.get(cycle=1).contract  # the earlier contract stays on record


def test_withdraw_needs_a_reason_and_no_live_contract(world, pots):
    officer = f.officer_of(world)
    c = f.new_commission(world)
    with pytest.raises(ValidationError):
        commission_services.transition(commission=c, name="withdraw", by=officer, note="")
    commission_services.transition(commission=c, name="withdraw", by=officer, note="No longer needed")
    c2, officer = _in_review(world, pots)
    _blocked(c2, "withdraw", officer, "contract is live")


def test_only_officers_transition(world):
    c = f.fill_understand(f.new_commission(world), f.officer_of(world))
    with pytest.raises(PermissionDenied):
        commission_services.transition(commission=c, name="start_planning", by=world.users[Role.PCC])


def test_a_stale_page_is_told_plainly(world):
    officer = f.officer_of(world)
    c = f.fill_understand(f.new_commission(world), officer)
    commission_services.transition(
        commission=c, name="start_planning", by=officer, expected_state="understand"
    )
    with pytest.raises(ValidationError) as exc:
        commission_services.transition(
            commission=c, name="start_planning", by=officer, expected_state="understand"
        )
    assert "Someone else changed this" in exc.value.messages[0]
