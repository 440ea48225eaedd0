"""Contracts: the award is created in the same transaction; extensions, break notices, reminders, outcome measures."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commissioning import outcomes, tasks
from commissioning.models import BreakNotice, Contract
from commissioning.services import contracts as contract_services
from funding import ledger
from funding.models import Award
from opcc.models import OutboxMessage, Role
from tests.commissioning import factories as f

D = Decimal


def test_the_contract_creates_its_active_award_profiled_across_years(world, pots):
    c, org = f.decided_tender(world)
    contract = f.contract_for(world, c, pots[2026])
    award = contract.award
    assert (award.kind, award.status, award.organisation, award.amount) == (
        "contract",
        "active",
        org,
        D("90000"),
    )
    assert (award.start_date, award.end_date) == (date(2026, 10, 1), date(2029, 9, 30))
    assert sorted(award.profile.values_list("pot__year__start_year", flat=True)) == [2026, 2027, 2028, 2029]
    assert award.contract == contract


def test_no_contract_without_its_award_and_no_award_without_its_contract(world, pots):
    c, _ = f.decided_tender(world)
    pots[2027].allocated = D("100")
    pots[2027].save()
    with pytest.raises(ValidationError) as exc:
        f.contract_for(world, c, pots[2026])
    assert "left to commit" in str(exc.value)
    assert not Contract.objects.exists() and not Award.objects.exists()


@pytest.mark.parametrize("pattern, years", [("1+1+1", 1), ("2+3", 2)])
def test_a_contract_with_too_many_extensions_is_refused(world, pots, pattern, years):
    c, _ = f.decided_tender(world)
    with pytest.raises(ValidationError) as exc:
        f.contract_for(world, c, pots[2026], extension_pattern=pattern, initial_term_years=years)
    assert "may not exceed the initial term" in exc.value.message_dict["extension_pattern"][0]
    assert not Award.objects.exists()


def test_the_contract_cannot_exceed_the_decision(world, pots):
    c, _ = f.decided_tender(world)
    with pytest.raises(ValidationError) as exc:
        f.contract_for(world, c, pots[2026], total_value=D("95000"))
    assert "more than the £90,000.00 awarded" in exc.value.message_dict["total_value"][0]


def test_exercising_an_extension_extends_the_award(world, pots):
    c, _ = f.decided_tender(world)
    contract = f.contract_for(
        world,
        c,
        pots[2026],
        start_date=date(2026, 4, 1),
        signed_on=date(2026, 3, 20),
        initial_term_years=2,
        extension_pattern="2+1+1",
        total_value=D("60000"),
    )
    ext = contract_services.exercise_extension(
        contract=contract, additional=D("30000"), agreed_on=date(2026, 11, 1), note="", by=f.officer_of(world)
    )
    contract.refresh_from_db()
    assert (ext.old_end_date, ext.new_end_date) == (date(2028, 3, 31), date(2029, 3, 31))
    assert contract.award.end_date == date(2029, 3, 31) and contract.award.amount == D("90000")
    assert contract.next_extension_years == 1
    contract_services.exercise_extension(
        contract=contract, additional=D("30000"), agreed_on=date(2026, 11, 1), note="", by=f.officer_of(world)
    )
    with pytest.raises(ValidationError):
        contract_services.exercise_extension(
            contract=contract,
            additional=D("30000"),
            agreed_on=date(2026, 11, 1),
            note="",
            by=f.officer_of(world),
        )


def test_a_break_notice_ends_the_award_at_the_exit_date(world, pots):
    head = world.users[Role.HEAD_OF_COMMISSIONING]
    c, _ = f.decided_tender(world)
    contract = f.contract_for(world, c, pots[2026])
    notice = contract_services.serve_break_notice(
        contract=contract,
        served_by=BreakNotice.Party.PROVIDER,
        served_on=date(2026, 11, 2),
        reason="Provider closing the service",
        keep=D("7500"),
        by=head,
        today=date(2026, 11, 25),
    )
    assert notice.exit_date == date(2027, 2, 2)
    contract.award.refresh_from_db()
    assert contract.award.status == "active"  # notice is running
    assert tasks.apply_due_break_notices(today=date(2027, 2, 1)) == 0
    assert tasks.apply_due_break_notices(today=date(2027, 2, 2)) == 1
    assert tasks.apply_due_break_notices(today=date(2027, 2, 3)) == 0  # once only
    contract.award.refresh_from_db()
    assert contract.award.status == "terminated"
    assert sum(ay.amount for ay in contract.award.profile.all()) == D("7500")


def test_break_notices_need_the_right_to_end_an_award(world, pots):
    from django.core.exceptions import PermissionDenied

    c, _ = f.decided_tender(world)
    contract = f.contract_for(world, c, pots[2026])
    with pytest.raises(PermissionDenied):
        contract_services.serve_break_notice(
            contract=contract,
            served_by="office",
            served_on=date(2026, 11, 2),
            reason="x",
            keep=D("0"),
            by=f.officer_of(world),
        )


def test_reminders_before_expiry_and_notice_date_are_queued_once(world, pots):
    c, _ = f.decided_tender(world)
    contract = f.contract_for(
        world,
        c,
        pots[2026],
        start_date=date(2026, 4, 1),
        signed_on=date(2026, 3, 1),
        initial_term_years=1,
        extension_pattern="1+1",
        total_value=D("30000"),
    )
    # Ends 31 March 2027; notice 3 months → last date 31 December 2026; reminders 6 and 2 months before.
    assert tasks.send_contract_reminders(today=date(2026, 9, 29)) == 0
    assert tasks.send_contract_reminders(today=date(2026, 9, 30)) == 1
    assert tasks.send_contract_reminders(today=date(2026, 10, 30)) == 0
    assert tasks.send_contract_reminders(today=date(2026, 10, 31)) == 1
    assert tasks.send_contract_reminders(today=date(2026, 11, 1)) == 0
    subjects = sorted(OutboxMessage.objects.values_list("subject", flat=True))
    assert any("ends on 31 March 2027" in s for s in subjects)
    assert any("last date to give notice is 31 December 2026" in s for s in subjects)
    contract_services.exercise_extension(
        contract=contract, additional=D("30000"), agreed_on=date(2026, 11, 1), note="", by=f.officer_of(world)
    )
    assert tasks.send_contract_reminders(today=date(2027, 11, 1)) == 2  # the new end date is chased afresh


def test_outcome_measures_reach_monitoring(world, pots):
    c, _ = f.decided_tender(world)
    contract = f.contract_for(world, c, pots[2026])
    measures = outcomes.measures_for_award(contract.award)
    assert measures == [
        {
            "name": "Referrals received",
            "kind": "count",
            "quarterly_target": D("40.00"),
            "unit": "referrals",
            "star_name": "",
            "help": "",
        }
    ]
    other = Award.objects.exclude(pk=contract.award.pk).first()
    assert other is None or outcomes.measures_for_award(other) is None


def test_measures_are_found_when_the_award_is_activated(world, pots):
    from funding.signals import award_activated

    seen = []

    def listener(sender, award, **kwargs):
        seen.append(outcomes.measures_for_award(award))

    award_activated.connect(listener)
    try:
        c, _ = f.decided_tender(world)
        f.contract_for(world, c, pots[2026])
    finally:
        award_activated.disconnect(listener)
    assert seen and seen[0][0]["name"] == "Referrals received"


def test_money_stays_within_the_pot(world, pots):
    c, _ = f.decided_tender(world)
    f.contract_for(world, c, pots[2026])
    assert ledger.committed_in_pot(pots[2026]) > 0
