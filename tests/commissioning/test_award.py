"""Between the award decision and the contract: the contract award notice, assessment summaries, the standstill
(commissioning/award.py, commissioning/services/award.py) and the contract's refusal while they are not done."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from commissioning import award as rules
from commissioning import gates
from commissioning.models import AssessmentSummary, Notice, NoticeKind
from commissioning.services import award as award_services
from opcc.calendar import is_working_day
from opcc.models import OutboxMessage, Role
from tests.commissioning import act_factories as act
from tests.commissioning import factories as f

D = Decimal


@pytest.mark.parametrize(
    "published, ends",
    [
        # Friday 18 December 2026: Christmas Day (Friday), Boxing Day observed (Monday 28) and the weekends.
        (date(2026, 12, 18), date(2026, 12, 31)),
        # Easter 2027: Good Friday 26 March and Easter Monday 29 March.
        (date(2027, 3, 25), date(2027, 4, 7)),
        # St Andrew's Day, Monday 30 November 2026, is a bank holiday in Scotland: a part of the UK (s.123).
        (date(2026, 11, 20), date(2026, 12, 2)),
        # St Patrick's Day, Wednesday 17 March 2027, is one in Northern Ireland.
        (date(2027, 3, 12), date(2027, 3, 24)),
        # An ordinary fortnight: Monday to the Wednesday of the next week.
        (date(2026, 11, 16), date(2026, 11, 25)),
    ],
)
def test_the_standstill_is_eight_working_days_beginning_with_publication(published, ends):
    assert rules.standstill_ends(published) == ends
    assert is_working_day(ends)


def test_bank_holidays_in_any_part_of_the_uk_are_not_working_days():
    assert not is_working_day(date(2026, 11, 30))  # St Andrew's Day (Scotland)
    assert not is_working_day(date(2027, 3, 17))  # St Patrick's Day (Northern Ireland)
    assert not is_working_day(date(2027, 7, 12))  # Battle of the Boyne (Northern Ireland)
    assert not is_working_day(date(2027, 3, 29))  # Easter Monday (not Scotland, but England and Wales)


def test_the_decision_drafts_the_award_notice_and_a_summary_per_assessed_tender(world, regulated):
    c, bids, winner = regulated
    procurement = c.procurements.get()
    notice = Notice.objects.get(kind=NoticeKind.CONTRACT_AWARD, procurement=procurement)
    assert notice.status == Notice.Status.DRAFT
    assert notice.triggered_on == date(2026, 11, 2)
    summaries = AssessmentSummary.objects.filter(procurement=procurement)
    assert {s.bid_id for s in summaries} == {b.pk for b in bids}
    for s in summaries:
        assert s.document is not None and len(s.sha256) == 64
        assert s.document.sha256 == s.sha256
        assert not s.is_sent


def test_a_withdrawn_bid_gets_no_summary(world, pots):
    from commissioning.services import tenders as tender_services

    officer = f.officer_of(world)
    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    tender_services.withdraw_bid(commission=c, bid=bid_a, reason="Withdrew", by=officer)
    procurement = c.procurements.get()
    procurement.value = D("300000")  # as if above threshold: only the bids in the evaluation are assessed
    procurement.save()
    f.evaluation_services.declare(tender=tender, user=person, answers={bid_b.pk: False}, details={})
    f.evaluation_services.score_bid(bid=bid_b, user=person, scores=f.scores_for(tender, (3, 3)))
    f.evaluation_services.moderate_bid(
        commission=c, bid=bid_b, scores=f.scores_for(tender, (3, 3), "Agreed"), by=officer
    )
    f.decision_services.record_decision(
        commission=c,
        organisation=bid_b.organisation,
        value=D("300000"),
        rationale="Only bid",
        by=world.users[Role.HEAD_OF_COMMISSIONING],
    )
    assert list(AssessmentSummary.objects.values_list("bid_id", flat=True)) == [bid_b.pk]


def test_a_below_threshold_tender_has_no_award_notice_summaries_or_standstill(world, pots):
    c, _org = f.decided_tender(world)  # £90,000: a competitive tender below the threshold
    procurement = c.procurements.get()
    assert not rules.needs_award_notice(procurement)
    assert not Notice.objects.filter(kind=NoticeKind.CONTRACT_AWARD).exists()
    assert not AssessmentSummary.objects.exists()
    assert gates.contract_gaps(c) == []
    assert not [t for t in gates.do_tasks(c) if t.name in ("Standstill", "Contract award notice published")]
    contract = f.contract_for(world, c, pots[2026], signed_on=date(2026, 9, 20))
    # A notifiable below-threshold contract (£30,000 or more): a contract details notice, 30 days.
    details = Notice.objects.get(kind=NoticeKind.CONTRACT_DETAILS, contract=contract)
    assert details.due_by == date(2026, 10, 19)


def test_the_contract_waits_for_the_summaries_and_the_published_notice(world, regulated):
    c, _bids, _winner = regulated
    assert gates.contract_gaps(c) == [
        "Send the assessment summaries before the contract award notice (3 not sent)",
        "Publish the contract award notice and record its identifier",
    ]
    tasks = {t.name: t for t in gates.do_tasks(c)}
    assert not tasks["Contract"].can_start
    assert not tasks["Contract award notice published"].can_start


def test_the_notice_cannot_be_recorded_before_every_summary_is_sent(world, regulated):
    c, _bids, _winner = regulated
    officer = f.officer_of(world)
    first = AssessmentSummary.objects.filter(procurement__commission=c).first()
    award_services.send_summary(summary=first, by=officer)
    with pytest.raises(ValidationError) as refused:
        award_services.record_award_notice(
            commission=c, identifier="012345-2026", published_on=date(2026, 11, 16), by=officer
        )
    assert "Send every assessment summary before publishing" in str(refused.value)
    assert Notice.objects.get(kind=NoticeKind.CONTRACT_AWARD).status == Notice.Status.DRAFT


def test_sending_a_summary_emails_its_supplier_once_and_records_who_sent_it(world, regulated):
    c, bids, _winner = regulated
    officer = f.officer_of(world)
    summary = AssessmentSummary.objects.get(bid=bids[0])
    award_services.send_summary(summary=summary, by=officer)
    summary.refresh_from_db()
    assert summary.sent_by == officer and summary.sent_at is not None
    messages = OutboxMessage.objects.filter(template_key="assessment-summary")
    assert [m.to_email for m in messages] == [world.users[Role.PROVIDER].email]
    assert f"/commissioning/assessment-summaries/{summary.pk}/" in messages[0].body
    with pytest.raises(ValidationError, match="was sent on"):
        award_services.send_summary(summary=summary, by=officer)


def test_a_contract_a_working_day_early_is_refused_with_the_date_the_standstill_ends(world, regulated, pots):
    c, _bids, _winner = regulated
    act.publish_award_notice(world, c)
    with pytest.raises(ValidationError) as refused:
        act.award_contract(world, c, pots[2026], signed_on=date(2026, 11, 25))
    assert refused.value.message_dict["signed_on"] == [
        "The standstill ends on 25 November 2026: the contract cannot be entered into before 26 November 2026"
    ]
    assert not hasattr(c.procurements.get(), "contract") or c.procurements.get().contract is None


def test_a_contract_on_the_first_day_after_the_standstill_is_accepted_and_drafts_its_details_notice(
    world, regulated, pots
):
    c, _bids, _winner = regulated
    act.publish_award_notice(world, c)
    contract = act.award_contract(world, c, pots[2026])
    details = Notice.objects.get(kind=NoticeKind.CONTRACT_DETAILS, contract=contract)
    assert (details.triggered_on, details.due_by) == (date(2026, 11, 26), date(2026, 12, 25))


def test_while_the_standstill_runs_the_task_list_says_until_when(world, regulated):
    c, _bids, _winner = regulated
    act.publish_award_notice(world, c, published_on=date(2026, 12, 4))
    with freeze_time("2026-12-07 12:00:00"):
        tasks = {t.name: t for t in gates.do_tasks(c)}
        assert tasks["Assessment summaries sent"].done
        assert tasks["Contract award notice published"].done
        assert tasks["Standstill"].tag == ("In standstill until 15 December 2026", "govuk-tag--yellow")
        assert not tasks["Contract"].can_start
        assert gates.contract_gaps(c) == [
            "The standstill ends on 15 December 2026: the contract can be entered into from 16 December 2026"
        ]
    with freeze_time("2026-12-16 09:00:00"):
        tasks = {t.name: t for t in gates.do_tasks(c)}
        assert tasks["Standstill"].tag == ("Standstill ended", "govuk-tag--green")
        assert tasks["Contract"].can_start
        assert gates.contract_gaps(c) == []


def test_the_notice_cannot_be_dated_before_the_decision(world, regulated):
    c, _bids, _winner = regulated
    with pytest.raises(ValidationError) as refused:
        act.publish_award_notice(world, c, published_on=date(2026, 10, 30))
    assert "before the award decision of 2 November 2026" in str(refused.value)


@pytest.mark.parametrize(
    ("published_on", "accepted"), [(date(2026, 11, 10), True), (date(2026, 11, 9), False)]
)
def test_the_notice_is_not_dated_before_the_day_the_last_summary_was_sent(
    world, regulated, published_on, accepted
):
    """s.50(3): the summaries are provided before the notice is published, so the notice may carry the day the
    last was sent (it is published later that day) but not the day before."""
    c, bids, _winner = regulated
    act.send_summaries(world, c, on=date(2026, 11, 4))
    AssessmentSummary.objects.filter(bid=bids[2]).update(sent_at=datetime(2026, 11, 10, 17, 45, tzinfo=UTC))
    officer = f.officer_of(world)
    if accepted:
        notice = award_services.record_award_notice(
            commission=c, identifier="012345-2026", published_on=published_on, by=officer
        )
        assert (notice.status, notice.published_on) == (Notice.Status.PUBLISHED, date(2026, 11, 10))
        return
    with pytest.raises(ValidationError) as refused:
        award_services.record_award_notice(
            commission=c, identifier="012345-2026", published_on=published_on, by=officer
        )
    assert refused.value.message_dict["published_on"] == [
        "The notice cannot be published before the last assessment summary was sent, on 10 November 2026: "
        "the summaries come first"
    ]
    assert Notice.objects.get(kind=NoticeKind.CONTRACT_AWARD).status == Notice.Status.DRAFT


def test_a_light_touch_contract_above_its_threshold_keeps_the_notice_and_standstill(world, pots):
    c, _bids, _winner = f.decided_regulated_tender(world, light_touch=True, value=D("700000"))
    procurement = c.procurements.get()
    stage = rules.award_stage(procurement)
    assert stage.needed and stage.voluntary
    assert Notice.objects.filter(kind=NoticeKind.CONTRACT_AWARD, procurement=procurement).exists()
    assert len(stage.summaries) == 3
    act.publish_award_notice(world, c)
    with pytest.raises(ValidationError) as refused:
        act.award_contract(
            world,
            c,
            pots[2026],
            signed_on=date(2026, 11, 20),
            total_value=D("700000"),
            annual_value=D("233333.33"),
            value_difference_reason="Rounded",
        )
    assert "The standstill ends on 25 November 2026" in refused.value.message_dict["signed_on"][0]


def test_a_light_touch_contract_below_its_higher_threshold_needs_no_award_notice(world, pots):
    """£300,000 of victim support is above the ordinary threshold but below the light-touch one (£663,540)."""
    from commissioning.models import Route
    from commissioning.services import procurement as procurement_services

    c = f.in_do(world, estimated_total_value=D("300000"), light_touch=True)
    procurement = procurement_services.choose_route(
        commission=c, route=Route.TENDER, reason="", by=f.officer_of(world)
    )
    assert not rules.needs_award_notice(procurement)
    assert rules.needs_details_notice(procurement)


def test_the_details_notice_of_a_light_touch_contract_is_due_in_120_days(world, pots):
    c, _bids, _winner = f.decided_regulated_tender(world, light_touch=True, value=D("700000"))
    assert rules.details_due_by(c.procurements.get(), date(2026, 11, 26)) == date(2027, 3, 25)


def test_kpis_need_a_name_and_target_each_and_replace_the_last_set(world, regulated, pots):
    c, _bids, _winner = regulated
    act.publish_award_notice(world, c)
    contract = act.award_contract(world, c, pots[2026])
    officer = f.officer_of(world)
    with pytest.raises(ValidationError) as refused:
        award_services.save_kpis(
            contract=contract, rows=[("Referrals", ""), ("", "90%"), ("Referrals", "100")], by=officer
        )
    assert set(refused.value.message_dict) == {"target_1", "name_2", "name_3"}
    assert not contract.kpis.exists()
    award_services.save_kpis(
        contract=contract, rows=[("Referrals", "400 a year"), ("", ""), ("", "")], by=officer
    )
    award_services.save_kpis(
        contract=contract, rows=[("Support plans", "90%"), ("", ""), ("", "")], by=officer
    )
    assert [(k.name, k.target) for k in contract.kpis.all()] == [("Support plans", "90%")]
