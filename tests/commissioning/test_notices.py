"""Procurement Act notices at the start of a procurement: when each is drafted and due, publishing, setting aside,
marking ready, and the daily reminders."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.models import Notice, NoticeKind, Route
from commissioning.notice_content import prepare
from commissioning.services import commissions as commission_services
from commissioning.services import notices as notice_services
from commissioning.services import procurement as procurement_services
from commissioning.services import tenders as tender_services
from commissioning.tasks import send_notice_reminders
from opcc.models import OutboxMessage
from tests.commissioning import act_factories as act
from tests.commissioning import factories as f

D = Decimal


def _tender_values(**overrides):
    values = dict(
        funding_envelope=D("300000"),
        quality_weight=70,
        price_weight=30,
        portal_reference="BLC-0100",
        published_on=date(2026, 7, 1),
        clarification_deadline=None,
        closes_on=date(2026, 8, 1),
        market_engagement_on=date(2026, 5, 20),
        market_engagement_notes="Six providers attended",
    )
    values.update(overrides)
    return values


def _notice(procurement, kind):
    return Notice.objects.get(procurement=procurement, kind=kind)


def _publish(notice, by, identifier="012345-2026", on=date(2026, 7, 1)):
    return notice_services.record_publication(notice=notice, identifier=identifier, published_on=on, by=by)


def _complete(world, procurement, kind=NoticeKind.TENDER):
    """The notice with everything its checklist asks recorded (the engagement notice published before a tender
    notice), ready for its publication to be recorded."""
    return act.complete_for_publication(world, _notice(procurement, kind))


# ---- When each notice is drafted and due -------------------------------------------------------------------


def test_a_regulated_tender_drafts_its_tender_notice_due_on_the_day_it_is_published(world):
    _c, procurement = f.regulated_tender(world, published_on=date(2026, 7, 1))
    tender = _notice(procurement, NoticeKind.TENDER)
    engagement = _notice(procurement, NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT)
    assert (tender.form_code, tender.due_by, tender.status) == ("UK4", date(2026, 7, 1), "draft")
    # The market engagement notice must come before the tender notice: due by the same publication day.
    assert (engagement.form_code, engagement.due_by, engagement.triggered_on) == (
        "UK2",
        date(2026, 7, 1),
        date(2026, 5, 20),
    )


def test_saving_the_tender_again_drafts_no_second_notice_and_moves_an_unpublished_due_date(world):
    officer = f.officer_of(world)
    c, procurement = f.regulated_tender(world)
    tender_services.save_tender(
        commission=c, by=officer, **_tender_values(published_on=date(2026, 7, 8), closes_on=date(2026, 8, 8))
    )
    assert Notice.objects.filter(procurement=procurement, kind=NoticeKind.TENDER).count() == 1
    assert _notice(procurement, NoticeKind.TENDER).due_by == date(2026, 7, 8)


def test_ensure_notice_is_idempotent_by_kind_and_key(world):
    _c, procurement = f.regulated_tender(world)
    first = notice_services.ensure_notice(
        kind=NoticeKind.TENDER,
        key=f"procurement:{procurement.pk}",
        triggered_on=date(2027, 1, 1),
        due_by=date(2027, 1, 2),
    )
    assert first == _notice(procurement, NoticeKind.TENDER)
    assert first.due_by == date(2026, 7, 1)  # the event happened once: a later call does not move it


@pytest.mark.parametrize(("value", "drafted"), [(D("30000"), True), (D("29999.99"), False)])
def test_a_below_threshold_tender_notice_is_drafted_from_30000_pounds(world, value, drafted):
    officer = f.officer_of(world)
    c = f.in_do(world, estimated_annual_value=value, estimated_total_value=value)
    procurement_services.choose_route(commission=c, route=Route.TENDER, reason="", by=officer)
    tender_services.save_tender(
        commission=c, by=officer, **_tender_values(funding_envelope=value, market_engagement_on=None)
    )
    notices = Notice.objects.filter(procurement__commission=c)
    assert [(n.kind, n.form_code, n.due_by) for n in notices] == (
        [(NoticeKind.BELOW_THRESHOLD_TENDER, "UK4", date(2026, 7, 1))] if drafted else []
    )


@pytest.mark.parametrize(("started", "drafted"), [(date(2025, 2, 23), 0), (date(2025, 2, 24), 2)])
def test_only_procurements_started_under_the_act_get_its_notices(world, started, drafted):
    officer = f.officer_of(world)
    c = f.in_do(world, estimated_annual_value=D("100000"), estimated_total_value=D("300000"))
    procurement = procurement_services.choose_route(
        commission=c, route=Route.REGULATED, reason="", by=officer
    )
    moment = timezone.make_aware(datetime.combine(started, datetime.min.time()) + timedelta(hours=12))
    type(procurement).objects.filter(pk=procurement.pk).update(chosen_at=moment)
    tender_services.save_tender(commission=c, by=officer, **_tender_values())
    assert Notice.objects.filter(procurement=procurement).count() == drafted


def test_a_planned_procurement_notice_is_due_40_days_before_the_tender_and_prepared_once(world):
    officer = f.officer_of(world)
    c, procurement = f.regulated_tender(world, published_on=date(2026, 7, 1))
    notice = notice_services.prepare_planned_procurement(commission=c, procurement=procurement, by=officer)
    again = notice_services.prepare_planned_procurement(commission=c, procurement=procurement, by=officer)
    assert notice == again and (notice.form_code, notice.due_by) == ("UK3", date(2026, 5, 22))


def test_a_planned_procurement_notice_prepared_before_the_tender_follows_its_date(world):
    officer = f.officer_of(world)
    c = f.in_do(world, estimated_annual_value=D("100000"), estimated_total_value=D("300000"))
    procurement = procurement_services.choose_route(
        commission=c, route=Route.REGULATED, reason="", by=officer
    )
    notice = notice_services.prepare_planned_procurement(commission=c, procurement=procurement, by=officer)
    assert notice.due_by is None
    tender_services.save_tender(
        commission=c,
        by=officer,
        **_tender_values(published_on=date(2026, 9, 10), closes_on=date(2026, 10, 10)),
    )
    notice.refresh_from_db()
    assert notice.due_by == date(2026, 8, 1)


def test_a_planned_procurement_notice_is_refused_below_threshold_and_after_the_tender_notice(world):
    officer = f.officer_of(world)
    c, _tender, *_ = f.tender_ready_for_scoring(world)
    with pytest.raises(ValidationError, match="regulated procurement"):
        notice_services.prepare_planned_procurement(
            commission=c, procurement=c.procurements.get(), by=officer
        )
    c2, procurement = f.regulated_tender(world)
    _publish(_complete(world, procurement), officer)
    with pytest.raises(ValidationError, match="already published"):
        notice_services.prepare_planned_procurement(commission=c2, procurement=procurement, by=officer)


def test_withdrawing_after_the_tender_notice_calls_for_a_procurement_termination_notice(world):
    officer = f.officer_of(world)
    c, procurement = f.regulated_tender(world)
    planned = notice_services.prepare_planned_procurement(commission=c, procurement=procurement, by=officer)
    _publish(_complete(world, procurement), officer)
    commission_services.transition(commission=c, name="withdraw", by=officer, note="The MoJ grant was cut")
    termination = _notice(procurement, NoticeKind.PROCUREMENT_TERMINATION)
    today = timezone.localdate()
    assert (termination.form_code, termination.triggered_on, termination.due_by) == ("UK12", today, today)
    assert ("Reason", "The MoJ grant was cut") in prepare(termination).rows
    # The planned procurement notice never published is set aside: nothing it announced will happen.
    planned.refresh_from_db()
    assert planned.status == "not_needed" and "ended" in planned.not_needed_reason


def test_withdrawing_before_any_tender_notice_is_published_needs_no_termination_notice(world):
    officer = f.officer_of(world)
    c, procurement = f.regulated_tender(world)
    commission_services.transition(commission=c, name="withdraw", by=officer, note="Not needed")
    assert not Notice.objects.filter(kind=NoticeKind.PROCUREMENT_TERMINATION).exists()
    assert set(Notice.objects.filter(procurement=procurement).values_list("status", flat=True)) == {
        "not_needed"
    }


# ---- Recording publication ---------------------------------------------------------------------------------


def test_publishing_without_an_identifier_or_date_is_refused_with_every_error_and_nothing_saved(world):
    officer = f.officer_of(world)
    _c, procurement = f.regulated_tender(world)
    notice = _complete(world, procurement)
    with pytest.raises(ValidationError) as refused:
        notice_services.record_publication(notice=notice, identifier="  ", published_on=None, by=officer)
    assert refused.value.message_dict == {
        "platform_identifier": [
            "Enter the notice identifier Find a Tender gave the notice, like 012345-2026"
        ],
        "published_on": ["Enter the date the notice was published"],
    }
    notice.refresh_from_db()
    assert (notice.status, notice.platform_identifier, notice.published_on, notice.published_release) == (
        "draft",
        "",
        None,
        None,
    )


def test_publishing_an_incomplete_notice_is_refused_naming_each_missing_item_and_nothing_saved(world):
    officer = f.officer_of(world)
    _c, procurement = f.regulated_tender(world, closes_on=date(2026, 7, 25), conflicts_prepared=False)
    notice = _notice(procurement, NoticeKind.TENDER)
    with pytest.raises(ValidationError) as refused:
        _publish(notice, officer)
    assert refused.value.message_dict == {
        "__all__": [
            "Complete the notice before recording its publication: set a tendering period of at least 25 days "
            "(10 only after a planned procurement notice published 40 days to a year before): bids close 24 days "
            "after the tender is published; publish the preliminary market engagement notice before the tender "
            "notice, or record why it is not needed (the tender notice then gives the reason); prepare the "
            "conflicts assessment"
        ]
    }
    notice.refresh_from_db()
    assert (notice.status, notice.platform_identifier, notice.published_on, notice.published_release) == (
        "draft",
        "",
        None,
        None,
    )


def test_a_notice_is_published_once_its_checklist_is_complete(world):
    officer = f.officer_of(world)
    _c, procurement = f.regulated_tender(world, conflicts_prepared=False)
    notice = _notice(procurement, NoticeKind.TENDER)
    with pytest.raises(ValidationError, match="Complete the notice before recording its publication"):
        _publish(notice, officer)
    act.complete_for_publication(world, notice)
    assert prepare(notice).missing == []
    assert _publish(notice, officer).status == "published"


@pytest.mark.parametrize("identifier", ["12345-2026", "012345/2026", "ocds-h6vhtk-04e8b8", "0123456-2026"])
def test_a_malformed_identifier_is_refused(world, identifier):
    officer = f.officer_of(world)
    _c, procurement = f.regulated_tender(world)
    with pytest.raises(ValidationError, match="six digits, a hyphen and the year"):
        _publish(_notice(procurement, NoticeKind.TENDER), officer, identifier=identifier)


def test_the_date_published_may_be_today_but_not_tomorrow(world):
    officer = f.officer_of(world)
    _c, procurement = f.regulated_tender(world)
    notice = _complete(world, procurement)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="today or in the past"):
        _publish(notice, officer, on=today + timedelta(days=1))
    assert _publish(notice, officer, on=today).published_on == today


def test_the_identifier_as_the_notice_page_shows_it_is_kept_in_the_short_form_with_the_release(world):
    officer = f.officer_of(world)
    _c, procurement = f.regulated_tender(world)
    notice = _publish(_complete(world, procurement), officer, identifier="2026/S 000-036245")
    assert (notice.status, notice.platform_identifier, notice.published_by) == (
        "published",
        "036245-2026",
        officer,
    )
    assert notice.published_release["id"] == "036245-2026"
    assert notice.published_release["tender"]["documents"][-1]["noticeType"] == "UK4"
    _c2, another = f.regulated_tender(world)
    with pytest.raises(ValidationError, match="already recorded for another notice"):
        _publish(
            _notice(another, NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT), officer, identifier="036245-2026"
        )


# ---- Ready, and not needed ---------------------------------------------------------------------------------


def test_mark_ready_is_refused_with_each_missing_item(world):
    officer = f.officer_of(world)
    _c, procurement = f.regulated_tender(
        world, published_on=date(2026, 7, 1), closes_on=date(2026, 7, 25), conflicts_prepared=False
    )
    notice = _notice(procurement, NoticeKind.TENDER)
    with pytest.raises(ValidationError) as refused:
        notice_services.mark_ready(notice=notice, by=officer)
    assert refused.value.messages == [
        "Set a tendering period of at least 25 days (10 only after a planned procurement notice published 40 days "
        "to a year before): bids close 24 days after the tender is published",
        "Publish the preliminary market engagement notice before the tender notice, or record why it is not needed "
        "(the tender notice then gives the reason)",
        "Prepare the conflicts assessment",
    ]
    notice.refresh_from_db()
    assert notice.status == "draft"


def test_a_25_day_tendering_period_and_a_published_engagement_notice_make_the_tender_notice_ready(world):
    officer = f.officer_of(world)
    _c, procurement = f.regulated_tender(world, published_on=date(2026, 7, 1), closes_on=date(2026, 7, 26))
    _publish(_notice(procurement, NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT), officer, on=date(2026, 6, 1))
    notice = notice_services.mark_ready(notice=_notice(procurement, NoticeKind.TENDER), by=officer)
    assert notice.status == "ready"


@pytest.mark.parametrize(("days_before", "ready"), [(40, True), (39, False)])
def test_a_planned_procurement_notice_40_days_before_allows_a_10_day_tendering_period(
    world, days_before, ready
):
    officer = f.officer_of(world)
    c, procurement = f.regulated_tender(world, published_on=date(2026, 7, 1), closes_on=date(2026, 7, 11))
    planned = notice_services.prepare_planned_procurement(commission=c, procurement=procurement, by=officer)
    _publish(planned, officer, identifier="000001-2026", on=date(2026, 7, 1) - timedelta(days=days_before))
    _publish(
        _notice(procurement, NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT),
        officer,
        identifier="000002-2026",
        on=date(2026, 5, 1),
    )
    missing = prepare(_notice(procurement, NoticeKind.TENDER)).missing
    assert (missing == []) is ready
    if not ready:
        assert missing[0].startswith("Set a tendering period of at least 25 days")


def test_setting_aside_needs_a_reason_and_an_optional_notice(world):
    officer = f.officer_of(world)
    _c, procurement = f.regulated_tender(world)
    engagement = _notice(procurement, NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT)
    with pytest.raises(ValidationError, match="Enter why this notice is not needed"):
        notice_services.set_aside(notice=engagement, reason=" ", by=officer)
    with pytest.raises(ValidationError, match="The Act requires the tender notice"):
        notice_services.set_aside(notice=_notice(procurement, NoticeKind.TENDER), reason="No", by=officer)
    done = notice_services.set_aside(notice=engagement, reason="Engagement was informal", by=officer)
    assert (done.status, done.not_needed_reason) == ("not_needed", "Engagement was informal")
    # The tender notice then gives that reason instead of asking for the engagement notice.
    rows = dict(prepare(_notice(procurement, NoticeKind.TENDER)).rows)
    assert rows["Why no preliminary market engagement notice was published"] == "Engagement was informal"


# ---- The daily reminders -----------------------------------------------------------------------------------


def test_the_sweep_reminds_once_before_the_due_date_and_once_when_overdue(world):
    _c, procurement = f.regulated_tender(world, published_on=date(2026, 7, 1))
    assert send_notice_reminders(today=date(2026, 6, 23)) == 0  # 8 days before: not yet
    assert send_notice_reminders(today=date(2026, 6, 24)) == 2  # 7 days before: the UK2 and the UK4
    assert send_notice_reminders(today=date(2026, 6, 25)) == 0  # twice: nothing more
    _publish(
        _notice(procurement, NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT),
        f.officer_of(world),
        on=date(2026, 6, 1),
    )
    assert send_notice_reminders(today=date(2026, 7, 1)) == 0  # due today is not overdue
    assert send_notice_reminders(today=date(2026, 7, 2)) == 1  # the tender notice only
    assert send_notice_reminders(today=date(2026, 7, 3)) == 0
    subjects = sorted(OutboxMessage.objects.values_list("subject", flat=True))
    reference = procurement.commission.reference
    assert subjects == [
        f"{reference}: the UK2 preliminary market engagement notice is due by 1 July 2026",
        f"{reference}: the UK4 tender notice is due by 1 July 2026",
        f"Overdue: the UK4 tender notice for {reference} was due by 1 July 2026",
    ]
    assert set(OutboxMessage.objects.values_list("to_email", flat=True)) == {"officer@example.org"}
