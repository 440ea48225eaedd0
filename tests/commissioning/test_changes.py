"""Contract modifications: the size of a change, when a contract change notice is needed (Procurement Act 2023
s.75), the award following through funding's services, and changes that hide their size refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commissioning import gates
from commissioning.models import Commission, ContractChange, Notice, NoticeKind
from commissioning.services import changes as change_services
from commissioning.services import notices as notice_services
from funding import ledger
from tests.commissioning import factories as f

D = Decimal
TODAY = date(2026, 12, 7)


@pytest.fixture
def contract(world, pots):
    c = f.direct_award_in_review(world, pots)
    return gates.current_contract(c)


def propose(world, contract, **kwargs):
    values = {
        "value_change": D("0"),
        "new_end_date": None,
        "scope_change": "",
        "reason": "More referrals than planned",
        "agreed_on": date(2026, 12, 1),
    }
    values.update(kwargs)
    return change_services.propose_change(contract=contract, by=f.officer_of(world), today=TODAY, **values)


def test_the_contract_is_a_public_contract_of_300000_over_1096_days(contract):
    assert change_services.estimated_value(contract) == D("300000")
    assert change_services.maximum_term_days(contract) == 1096
    assert change_services.is_public_contract(contract)


def test_a_change_of_exactly_10_percent_needs_no_notice_and_is_applied_at_once(world, contract):
    change = propose(world, contract, value_change=D("30000"))
    assert change.value_percent == D("10.0000")
    assert not change.notice_needed
    assert change.status == ContractChange.Status.APPLIED
    contract.award.refresh_from_db()
    assert contract.award.amount == D("330000")
    assert sum(y.amount for y in contract.award.profile.all()) == D("330000")
    assert not Notice.objects.filter(kind=NoticeKind.CONTRACT_CHANGE).exists()


def test_a_change_just_over_10_percent_waits_for_its_published_notice(world, contract):
    change = propose(world, contract, value_change=D("30000.01"))
    assert change.notice_needed and change.status == ContractChange.Status.WAITING
    assert "must be published before the change is made" in change.notice_reason
    contract.award.refresh_from_db()
    assert contract.award.amount == D("300000")  # nothing moves before the notice
    with pytest.raises(ValidationError) as exc:
        change_services.apply_change(change=change, by=f.officer_of(world), today=TODAY)
    assert "cannot be modified before the notice is published" in str(exc.value)
    notice = Notice.objects.get(kind=NoticeKind.CONTRACT_CHANGE, key=change.notice_key)
    notice_services.record_publication(
        notice=notice, identifier="054321-2026", published_on=date(2026, 12, 2), by=f.officer_of(world)
    )
    change_services.apply_change(change=change, by=f.officer_of(world), today=TODAY)
    contract.award.refresh_from_db()
    assert contract.award.amount == D("330000.01")
    change.refresh_from_db()
    assert change.status == ContractChange.Status.APPLIED


def test_a_decrease_counts_as_much_as_an_increase(world, contract):
    assert not propose(world, contract, value_change=D("-30000")).notice_needed
    contract.award.refresh_from_db()
    assert contract.award.amount == D("270000")
    assert sum(y.amount for y in contract.award.profile.all()) == D("270000")
    assert sum(line.amount for line in contract.award.schedule.all()) == D("270000")


@pytest.mark.parametrize("days, needed", [(109, False), (110, True)])
def test_a_term_change_at_the_edge_of_10_percent_of_the_maximum_term(world, contract, days, needed):
    new_end = contract.award.end_date + timedelta(days=days)
    change = propose(world, contract, new_end_date=new_end)
    assert change.notice_needed is needed
    contract.award.refresh_from_db()
    assert (contract.award.end_date == new_end) is not needed


def test_a_light_touch_contract_is_exempt(world, contract):
    Commission.objects.filter(pk=contract.procurement.commission_id).update(light_touch=True)
    contract = type(contract).objects.get(pk=contract.pk)
    change = propose(world, contract, value_change=D("90000"))
    assert not change.notice_needed
    assert "light-touch contracts are exempt" in change.notice_reason
    assert change.status == ContractChange.Status.APPLIED


def test_changes_split_to_stay_under_10_percent_are_measured_together(world, contract):
    first = propose(world, contract, value_change=D("20000"), agreed_on=date(2026, 11, 20))
    assert not first.notice_needed
    second = propose(world, contract, value_change=D("20000"))
    assert second.notice_needed
    assert second.cumulative_value_percent == D("13.3333")
    assert "earlier change" in second.notice_reason
    contract.award.refresh_from_db()
    assert contract.award.amount == D("320000")  # only the first was made


def test_a_change_without_a_reason_is_refused_and_nothing_is_saved(world, contract):
    with pytest.raises(ValidationError) as exc:
        propose(world, contract, value_change=D("1000"), reason="  ")
    assert exc.value.message_dict["reason"] == ["Enter the reason for the change"]
    assert not ContractChange.objects.exists()
    contract.award.refresh_from_db()
    assert contract.award.amount == D("300000")


def test_a_change_that_changes_nothing_is_refused(world, contract):
    with pytest.raises(ValidationError) as exc:
        propose(world, contract)
    assert "Enter the change" in exc.value.message_dict["value_change"][0]
    assert not ContractChange.objects.exists()


def test_no_new_change_while_one_waits_for_its_notice(world, contract):
    propose(world, contract, value_change=D("60000"))
    with pytest.raises(ValidationError) as exc:
        propose(world, contract, value_change=D("1000"))
    assert "waiting for its contract change notice" in str(exc.value)
    assert ContractChange.objects.count() == 1


def test_the_pot_never_goes_over(world, contract, pots):
    pots[2027].allocated = ledger.committed_in_pot(pots[2027]) + D("100")
    pots[2027].save()
    with pytest.raises(ValidationError) as exc:
        propose(world, contract, value_change=D("29000"))
    assert "left to commit" in str(exc.value)
    assert not ContractChange.objects.exists()
    contract.award.refresh_from_db()
    assert contract.award.amount == D("300000")


def test_a_value_cannot_come_down_to_nothing(world, contract):
    with pytest.raises(ValidationError) as exc:
        propose(world, contract, value_change=D("-300000"))
    assert "cannot come down to £0" in exc.value.message_dict["value_change"][0]
    assert not ContractChange.objects.exists()


def test_a_below_threshold_contract_needs_no_notice(world, pots):
    c, _ = f.decided_tender(world)
    contract = f.contract_for(world, c, pots[2026])
    change = change_services.propose_change(
        contract=contract,
        value_change=D("50000"),
        new_end_date=None,
        scope_change="",
        reason="More sessions",
        agreed_on=date(2026, 12, 1),
        by=f.officer_of(world),
        today=TODAY,
    )
    assert not change.notice_needed
    assert "below the threshold" in change.notice_reason


def test_the_end_of_a_public_contract_drafts_its_termination_notice_due_within_30_days(contract):
    assert change_services.draft_expiry_notices(today=date(2029, 12, 31)) == 0
    assert change_services.draft_expiry_notices(today=date(2030, 1, 1)) == 1
    notice = Notice.objects.get(kind=NoticeKind.CONTRACT_TERMINATION)
    assert notice.contract == contract
    assert (notice.triggered_on, notice.due_by) == (date(2029, 12, 31), date(2030, 1, 29))
    # The sweep again drafts nothing twice.
    assert change_services.draft_expiry_notices(today=date(2030, 1, 2)) == 0
