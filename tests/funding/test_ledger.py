"""Each money rule at its edge: exactly what is left succeeds, a penny more fails with a clear message."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from funding import ledger
from funding.models import AllocationVariation, Award, FinancialYear, PaymentScheduleKind
from funding.services import allocation, awards
from opcc.models import Role
from tests.funding.factories import IncomeLineFactory, PotFactory, YearFactory, approved_year, award

D = Decimal


@pytest.fixture
def year(db):
    return approved_year(income="1000000", police="900000")  # £100,000 left for the streams


def test_allocations_may_use_exactly_what_is_left_after_the_police_budget(year, world):
    pot = PotFactory(year=year, allocated=D("0"))
    allocation.set_pot_allocation(pot=pot, amount=D("100000.00"), by=None, reason="Budget setting")
    other = PotFactory(year=year, allocated=D("0"))
    with pytest.raises(ValidationError) as error:
        allocation.set_pot_allocation(pot=other, amount=D("0.01"), by=None, reason="One penny more")
    assert "£0.01 too much" in str(error.value)
    other.refresh_from_db()
    assert other.allocated == 0


def test_the_police_budget_cannot_squeeze_the_streams_below_their_allocations(year):
    PotFactory(year=year, allocated=D("100000"))
    with pytest.raises(ValidationError) as error:
        allocation.set_police_budget(year=year, amount=D("900000.01"), by=None, reason="Pay award")
    assert "too much" in str(error.value)
    year.refresh_from_db()
    assert year.police_budget == D("900000")


def test_commitments_may_take_exactly_what_is_left_in_a_pot(year, world):
    pot = PotFactory(year=year, allocated=D("10000"))
    award(organisation=world.organisation, pot=pot, amount="9999.99")
    award(organisation=world.organisation, pot=pot, amount="0.01", title="The last penny")
    with pytest.raises(ValidationError) as error:
        award(organisation=world.organisation, pot=pot, amount="0.01", title="One penny more")
    assert "has £0.00 left to commit; £0.01 is £0.01 more than that" in str(error.value)
    assert Award.objects.count() == 2
    assert ledger.committed_in_pot(pot) == D("10000.00")


def test_payments_may_take_exactly_what_is_left_of_an_award(year, world):
    pot = PotFactory(year=year, allocated=D("10000"))
    a = award(organisation=world.organisation, pot=pot, amount="5000")
    awards.record_payment(award=a, amount=D("4999.99"), paid_on=date(2026, 5, 1), by=None)
    awards.record_payment(award=a, amount=D("0.01"), paid_on=date(2026, 5, 2), by=None)
    with pytest.raises(ValidationError) as error:
        awards.record_payment(award=a, amount=D("0.01"), paid_on=date(2026, 5, 3), by=None)
    assert "left to pay" in str(error.value)
    assert ledger.paid_on_award(a) == D("5000.00")


def test_a_pot_cannot_be_cut_below_what_is_committed_from_it(year, world):
    pot = PotFactory(year=year, allocated=D("10000"))
    award(organisation=world.organisation, pot=pot, amount="6000")
    allocation.set_pot_allocation(pot=pot, amount=D("6000"), by=None, reason="Saving")
    with pytest.raises(ValidationError) as error:
        allocation.set_pot_allocation(pot=pot, amount=D("5999.99"), by=None, reason="Too deep")
    assert "already has £6,000.00 committed" in str(error.value)


def test_after_approval_a_change_needs_a_reason_and_is_recorded_as_a_variation(year, world):
    pot = PotFactory(year=year, allocated=D("10000"))
    officer = world.users[Role.FINANCE_OFFICER]
    with pytest.raises(ValidationError) as error:
        allocation.set_pot_allocation(pot=pot, amount=D("12000"), by=officer, reason="")
    assert "Enter the reason" in str(error.value)
    allocation.set_pot_allocation(pot=pot, amount=D("12000"), by=officer, reason="In-year underspend moved")
    variation = AllocationVariation.objects.get()
    assert (variation.old_amount, variation.new_amount, variation.by) == (D("10000"), D("12000"), officer)


def test_a_draft_year_changes_without_variations(db):
    year = YearFactory(start_year=2027)
    IncomeLineFactory(year=year, amount=D("500000"))
    pot = PotFactory(year=year, allocated=D("0"))
    allocation.set_draft_allocation(
        year=year, police_budget=D("400000"), pot_amounts={pot.pk: D("100000")}, by=None
    )
    pot.refresh_from_db()
    assert pot.allocated == D("100000") and not AllocationVariation.objects.exists()


def test_approval_is_refused_if_the_allocation_no_longer_adds_up(db, world):
    year = YearFactory(start_year=2027, police_budget=D("400000"))
    line = IncomeLineFactory(year=year, amount=D("500000"))
    PotFactory(year=year, allocated=D("100000"))
    # Income is revised down after the pots were set: the police budget and pots no longer fit.
    type(line).objects.filter(pk=line.pk).update(amount=D("499999.99"))
    with pytest.raises(ValidationError) as error:
        allocation.approve(year=year, by=world.users[Role.PCC])
    assert "too much" in str(error.value)
    year.refresh_from_db()
    assert year.status == FinancialYear.Status.DRAFT


def test_the_pcc_approves_and_the_timeline_records_it(db, world):
    year = YearFactory(start_year=2027, police_budget=D("400000"))
    IncomeLineFactory(year=year, amount=D("500000"))
    allocation.approve(year=year, by=world.users[Role.PCC], note="Panel agreed")
    year.refresh_from_db()
    assert year.is_approved and year.approved_by == world.users[Role.PCC]
    from opcc.services.transitions import timeline_for

    entry = timeline_for(year).get()
    assert (entry.from_state, entry.to_state, entry.note) == ("draft", "approved", "Panel agreed")


def test_finance_cannot_approve(db, world):
    year = YearFactory(start_year=2027)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        allocation.approve(year=year, by=world.users[Role.FINANCE_OFFICER])


def test_a_multi_year_award_commits_from_each_year_of_its_pot(db, world):
    this = approved_year(2026)
    PotFactory(year=this, key="cgs", allocated=D("10000"))
    nxt = YearFactory(start_year=2027, police_budget=D("0"))
    IncomeLineFactory(year=nxt, amount=D("100000"))
    later_pot = PotFactory(year=nxt, key="cgs", allocated=D("3000"))
    pot = this.pots.get(key="cgs")
    a = award(
        organisation=world.organisation,
        pot=pot,
        amount="12000",
        start=date(2026, 7, 1),
        end=date(2027, 6, 30),
    )
    profile = {ay.pot.year.start_year: ay.amount for ay in a.profile.select_related("pot__year")}
    assert sum(profile.values()) == D("12000")
    assert profile[2027] == ledger.committed_in_pot(later_pot)
    summary = ledger.year_summary(this)
    assert summary.later_commitments and summary.later_commitments[0][2] == profile[2027]


def test_a_multi_year_award_needs_the_later_years_pot(db, world):
    this = approved_year(2026)
    pot = PotFactory(year=this, key="cgs", allocated=D("10000"))
    with pytest.raises(ValidationError) as error:
        award(
            organisation=world.organisation,
            pot=pot,
            amount="5000",
            start=date(2026, 7, 1),
            end=date(2027, 6, 30),
        )
    assert "add that year to the medium-term financial plan" in str(error.value)
    assert not Award.objects.exists()


def test_a_profile_that_does_not_add_up_is_refused(year, world):
    pot = PotFactory(year=year, allocated=D("10000"))
    with pytest.raises(ValidationError) as error:
        award(
            organisation=world.organisation,
            pot=pot,
            amount="5000",
            profile=[awards.ProfileLine(2026, D("4000"))],
        )
    assert "add up to £4,000.00, not the award's £5,000.00" in str(error.value)


def test_an_end_date_before_the_start_is_refused(year, world):
    pot = PotFactory(year=year, allocated=D("10000"))
    with pytest.raises(ValidationError) as error:
        award(organisation=world.organisation, pot=pot, start=date(2026, 9, 1), end=date(2026, 8, 31))
    assert "end date must be the same as or after the start date" in str(error.value)


def test_a_payment_in_arrears_waits_for_the_quarters_accepted_return(year, world):
    pot = PotFactory(year=year, allocated=D("40000"))
    a = award(
        organisation=world.organisation,
        pot=pot,
        amount="40000",
        schedule=PaymentScheduleKind.QUARTERLY_ARREARS,
    )
    q1 = a.schedule.get(quarter=1)
    assert q1.amount == D("10000") and not q1.is_payable
    with pytest.raises(ValidationError) as error:
        awards.record_payment(
            award=a, amount=D("10000"), paid_on=date(2026, 7, 30), by=None, schedule_line=q1
        )
    assert "not payable until that quarter's outcome return has been accepted" in str(error.value)
    assert (
        awards.release_arrears_payment(award=a, start_year=2026, quarter=1, accepted_at=timezone.now()) == 1
    )
    awards.record_payment(award=a, amount=D("10000"), paid_on=date(2026, 7, 30), by=None, schedule_line=q1)
    assert ledger.paid_on_award(a) == D("10000")


def test_terminating_an_award_returns_what_is_unpaid_to_the_pot(year, world):
    pot = PotFactory(year=year, allocated=D("10000"))
    a = award(organisation=world.organisation, pot=pot, amount="8000")
    awards.record_payment(award=a, amount=D("3000"), paid_on=date(2026, 6, 1), by=None)
    head = world.users[Role.HEAD_OF_COMMISSIONING]
    awards.end_award(award=a, transition="terminate", by=head, note="Break clause served", keep=D("500"))
    a.refresh_from_db()
    assert a.status == Award.Status.TERMINATED
    assert ledger.committed_in_pot(pot) == D("3500")
    pot_figures = ledger.pots_with_figures(type(pot).objects.filter(pk=pot.pk)).get()
    assert pot_figures.remaining == D("6500")


def test_a_cancelled_award_frees_all_its_money_and_cannot_be_paid(year, world):
    pot = PotFactory(year=year, allocated=D("10000"))
    a = award(organisation=world.organisation, pot=pot, amount="10000", activate=False)
    awards.end_award(award=a, transition="cancel", by=world.users[Role.FINANCE_OFFICER], note="Offer lapsed")
    assert ledger.committed_in_pot(pot) == 0
    with pytest.raises(ValidationError):
        awards.record_payment(award=a, amount=D("1"), paid_on=date(2026, 6, 1), by=None)


def test_even_profile_splits_by_days_and_sums_exactly():
    lines = awards.even_profile(date(2026, 7, 1), date(2027, 6, 30), D("10000"))
    assert [line.start_year for line in lines] == [2026, 2027]
    assert sum(line.amount for line in lines) == D("10000")
    assert lines[0].amount == D("7506.84")  # 274 of 365 days


def test_an_extension_adds_money_and_schedule_for_the_new_period_only(db, world):
    this = approved_year(2026)
    pot = PotFactory(year=this, key="vs", allocated=D("100000"))
    nxt = approved_year(2027)
    later = PotFactory(year=nxt, key="vs", allocated=D("50000"))
    a = award(
        organisation=world.organisation,
        pot=pot,
        amount="40000",
        schedule=PaymentScheduleKind.QUARTERLY_ARREARS,
    )
    assert a.schedule.count() == 4
    awards.extend_award(
        award=a, new_end_date=date(2028, 3, 31), additional=D("40000"), by=None, note="The +1 year"
    )
    a.refresh_from_db()
    assert (a.end_date, a.amount) == (date(2028, 3, 31), D("80000"))
    assert a.schedule.count() == 8 and a.schedule.filter(quarter_start_year=2027).count() == 4
    assert ledger.committed_in_pot(later) == D("40000")
    with pytest.raises(ValidationError) as error:
        awards.extend_award(
            award=a, new_end_date=date(2029, 3, 31), additional=D("10"), by=None, note="Again"
        )
    assert "no" in str(error.value).lower() and "pot" in str(error.value)
    from opcc.services.transitions import timeline_for

    assert (
        "Extended from 31 March 2027 to 31 March 2028"
        in timeline_for(a).filter(transition="extend").get().note
    )


def test_activation_tells_listeners(year, world):
    from funding.signals import award_activated

    seen = []

    def listener(sender, award, **kwargs):
        seen.append(award.pk)

    award_activated.connect(listener)
    try:
        pot = PotFactory(year=year, allocated=D("10000"))
        a = award(organisation=world.organisation, pot=pot, amount="100")
    finally:
        award_activated.disconnect(listener)
    assert seen == [a.pk]


# ---- What a payment not on the schedule may pay ------------------------------------------------


@freeze_time("2026-11-25 12:00:00")
def test_a_payment_off_the_schedule_may_pay_what_the_schedule_does_not_hold_back_and_not_a_penny_more(
    year, world
):
    pot = PotFactory(year=year, allocated=D("40000"))
    a = award(
        organisation=world.organisation,
        pot=pot,
        amount="40000",
        schedule=PaymentScheduleKind.QUARTERLY_ARREARS,
    )
    awards.release_arrears_payment(award=a, start_year=2026, quarter=1, accepted_at=timezone.now())
    # On 1 August Q1 is due and accepted; Q2 (due 30 October) and Q3 and Q4 are not yet due.
    awards.record_payment(award=a, amount=D("10000"), paid_on=date(2026, 8, 1), by=None)
    with pytest.raises(ValidationError) as error:
        awards.record_payment(award=a, amount=D("0.01"), paid_on=date(2026, 8, 1), by=None)
    assert error.value.message_dict["amount"] == [
        f"Nothing can be paid to {a.reference} off the schedule now: the £30,000.00 left to pay in 2026 to 2027 "
        "is held back for scheduled payments that are not yet due or are waiting for their quarter's outcome return "
        "to be accepted. Pay those by choosing them from the schedule once they can be paid"
    ]
    # Today Q2 is due but its return is not accepted: still held back, whatever the date paid.
    with pytest.raises(ValidationError):
        awards.record_payment(award=a, amount=D("0.01"), paid_on=date(2026, 11, 25), by=None)
    assert ledger.paid_on_award(a) == D("10000")


@freeze_time("2026-12-20 12:00:00")
def test_what_is_held_back_is_judged_on_the_date_paid(year, world):
    pot = PotFactory(year=year, allocated=D("5000"))
    # Two instalments of £2,500: 1 September and half way through the award (mid December).
    a = award(
        organisation=world.organisation,
        pot=pot,
        amount="5000",
        start=date(2026, 9, 1),
        schedule=PaymentScheduleKind.INSTALMENTS,
    )
    second = a.schedule.order_by("due_date").last().due_date
    with pytest.raises(ValidationError) as error:
        awards.record_payment(award=a, amount=D("5000"), paid_on=second - timedelta(days=1), by=None)
    assert "can be paid at most £2,500.00 off the schedule" in str(error.value)
    awards.record_payment(award=a, amount=D("5000"), paid_on=second, by=None)
    assert ledger.paid_on_award(a) == D("5000")


@freeze_time("2026-11-25 12:00:00")
def test_what_is_kept_for_a_notice_period_is_paid_off_the_schedule(year, world):
    pot = PotFactory(year=year, allocated=D("40000"))
    a = award(
        organisation=world.organisation,
        pot=pot,
        amount="40000",
        schedule=PaymentScheduleKind.QUARTERLY_ARREARS,
    )
    awards.release_arrears_payment(award=a, start_year=2026, quarter=1, accepted_at=timezone.now())
    awards.record_payment(
        award=a, amount=D("10000"), paid_on=date(2026, 8, 1), by=None, schedule_line=a.schedule.get(quarter=1)
    )
    awards.end_award(
        award=a,
        transition="terminate",
        by=world.users[Role.HEAD_OF_COMMISSIONING],
        note="Break clause",
        keep=D("5000"),
    )
    # The unpaid quarters went back to the pot; the £5,000 kept is on no scheduled payment.
    assert list(a.schedule.values_list("quarter", flat=True)) == [1]
    awards.record_payment(award=a, amount=D("5000"), paid_on=date(2026, 11, 25), by=None)
    with pytest.raises(ValidationError) as error:
        awards.record_payment(award=a, amount=D("0.01"), paid_on=date(2026, 11, 25), by=None)
    assert "has £0.00 left to pay in 2026 to 2027" in str(error.value)
    assert ledger.paid_on_award(a) == D("15000")


def test_an_award_recorded_directly_must_name_its_plan_objectives_and_commits_nothing_without(year, world):
    pot = PotFactory(year=year, allocated=D("10000"))
    details = dict(
        organisation=world.organisation,
        pot=pot,
        kind="grant",
        title="Youth club",
        purpose="Evenings",
        start_date=date(2026, 9, 1),
        end_date=date(2027, 3, 31),
        amount=D("2000"),
        schedule_kind=PaymentScheduleKind.IN_ADVANCE,
        by=world.users[Role.COMMISSIONING_OFFICER],
    )
    with pytest.raises(ValidationError) as error:
        awards.record_award(objectives=[], **details)
    assert error.value.message_dict == {"objectives": ["Select at least one Police and Crime Plan objective"]}
    assert not Award.objects.exists()
    made = awards.record_award(objectives=[world.objective], **details)
    assert list(made.objectives.all()) == [world.objective]
