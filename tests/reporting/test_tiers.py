"""Proportionate monitoring: tiers chosen by stream and value, the light tier's one end-of-project report, an officer's
override (with a reason) that rebuilds the calendar and the chasing, payments that never wait for returns nobody
is asked for, and visits and annual reviews due at the enhanced tier."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from funding.models import Award, PaymentScheduleKind, PaymentScheduleLine, Pot, Stream
from funding.services import awards as award_services
from opcc.models import OutboxMessage, Role, TransitionLog
from opcc.services.transitions import timeline_for
from reporting import calendar
from reporting.models import (
    AnnualReview,
    AwardMonitoring,
    ChaseEvent,
    GrantVisit,
    Measure,
    MonitoringTier,
    OutcomeAggregate,
    OutcomeFramework,
    QuarterlyReturn,
    ReturnStatus,
    TierBand,
)
from reporting.services import chasing, performance, returns, tiers, visits
from reporting.services.returns import ReturnContent
from tests.conftest import sign_in
from tests.funding.factories import PotFactory, approved_year
from tests.reporting.factories import (
    TODAY,
    accepted,
    content,
    force_status,
    monitored_award,
    submitted,
    the_return,
    victims_pot,
)

D = Decimal
Q2_DUE = date(2026, 10, 30)
END_DUE = date(2027, 4, 30)  # an award ending 31 March 2027, light tier: 30 days after


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-25 10:00:00"):
        yield


def tier(key) -> MonitoringTier:
    return MonitoringTier.objects.get(key=key)


def _pot(key, stream, name, allocated):
    year = victims_pot(allocated="5000000").year
    return Pot.objects.filter(year=year, key=key).first() or PotFactory(
        year=year, key=key, stream=stream, name=name, allocated=D(allocated)
    )


def lpcaf_pot():
    return _pot("lpcaf-herefordshire", Stream.LPCAF, "LPCAF Herefordshire", "20000")


def cgs_pot():
    return _pot("cgs", Stream.CGS, "Commissioner's Grant Scheme", "300000")


def light_award(world, **kwargs):
    kwargs.setdefault("schedule", PaymentScheduleKind.IN_ADVANCE)
    return monitored_award(
        world.organisation,
        pot=kwargs.pop("pot", None) or lpcaf_pot(),
        amount=kwargs.pop("amount", "1500"),
        title=kwargs.pop("title", "Youth football evenings"),
        **kwargs,
    )


def calendar_of(award) -> list[tuple]:
    return [
        (r.kind, r.quarter_start_year, r.quarter, r.due_date, r.status)
        for r in QuarterlyReturn.objects.filter(award=award).order_by("quarter_start_year", "quarter")
    ]


def chased(award, step_key) -> set:
    return set(
        ChaseEvent.objects.filter(quarterly_return__award=award, step_key=step_key).values_list(
            "quarterly_return_id", flat=True
        )
    )


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def error_summary(body: str) -> str:
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    return text(found.group(0)) if found else ""


# ---- Choosing a tier ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stream, amount, expected",
    [
        (Stream.LPCAF, "1500", "light"),
        (Stream.LPCAF, "4999.99", "light"),
        (Stream.LPCAF, "5000", "standard"),  # a band starts at its value: £5,000 is the next band's
        (Stream.CGS, "4000", "light"),
        (Stream.CGS, "99999.99", "standard"),
        (Stream.CGS, "100000", "enhanced"),
        (
            Stream.VICTIM_SERVICES,
            "1500",
            "standard",
        ),  # no light band: the MoJ return needs every service's quarters
        (Stream.VICTIM_SERVICES, "120000", "enhanced"),
        (Stream.CSP_GRANTS, "250000", "standard"),
    ],
)
def test_the_bands_choose_a_tier_by_stream_and_value(db, stream, amount, expected):
    assert tiers.choose(stream=stream, amount=D(amount)).tier.key == expected


def test_a_band_must_start_a_stream_at_nothing_and_never_repeat_a_value(db):
    TierBand.objects.filter(stream=Stream.CGS).delete()
    with pytest.raises(ValidationError) as error:
        TierBand(stream=Stream.CGS, from_amount=D("5000"), tier=tier("standard")).full_clean()
    assert error.value.message_dict["from_amount"] == [
        "Each stream's bands start at £0: add the Commissioner's Grant Scheme band from £0 first"
    ]
    with pytest.raises(ValidationError) as error:
        TierBand(stream=Stream.LPCAF, from_amount=D("5000"), tier=tier("enhanced")).full_clean()
    assert "already has a band from £5,000.00" in error.value.message_dict["from_amount"][0]
    with pytest.raises(ValidationError):
        TierBand(stream=Stream.LPCAF, from_amount=D("-1"), tier=tier("light")).full_clean()
    # With no CGS band at all, a CGS award gets the tier used when none applies.
    assert tiers.choose(stream=Stream.CGS, amount=D("1500")).tier.key == "standard"


def test_the_head_moving_a_band_changes_new_awards_and_leaves_given_tiers_alone(world):
    given = light_award(world, amount="4000")
    TierBand.objects.filter(stream=Stream.LPCAF, from_amount=D("5000")).update(from_amount=D("10000"))
    assert tiers.choose(stream=Stream.LPCAF, amount=D("7000")).tier.key == "light"
    later = light_award(world, amount="7000", title="Boxing sessions")
    assert later.monitoring.tier.key == "light"
    assert "£0 to under £10,000" in later.monitoring.chosen_because
    given.monitoring.refresh_from_db()
    assert given.monitoring.tier.key == "light" and "£0 to under £5,000" in given.monitoring.chosen_because


# ---- The light tier ---------------------------------------------------------------------------------------------


def test_a_small_lpcaf_grant_gets_one_end_of_project_report_instead_of_quarterly_returns(world):
    small = light_award(world)
    larger = monitored_award(
        world.organisation,
        pot=lpcaf_pot(),
        amount="6000",
        title="Speed signs",
        schedule=PaymentScheduleKind.IN_ADVANCE,
    )
    assert small.monitoring.tier.key == "light" and larger.monitoring.tier.key == "standard"
    assert calendar_of(small) == [("end_of_project", 2026, 4, END_DUE, ReturnStatus.NOT_YET_DUE)]
    assert [q for _kind, _y, q, _due, _status in calendar_of(larger)] == [1, 2, 3]
    entry = timeline_for(small).get(transition="monitoring_tier_set")
    assert (
        "Monitoring tier: Light (One end-of-project report, due 30 days after the award ends)" in entry.note
    )
    # A second activation signal, or the daily job, changes nothing.
    chasing.run_sweep(today=TODAY)
    assert calendar_of(small) == [("end_of_project", 2026, 4, END_DUE, ReturnStatus.NOT_YET_DUE)]
    assert AwardMonitoring.objects.filter(award=small).count() == 1


def test_the_end_of_project_report_opens_when_the_project_ends_and_is_chased_in_its_own_words(world):
    small = light_award(world)
    provider = world.users[Role.PROVIDER]
    chasing.run_sweep(today=date(2027, 3, 31))
    report = QuarterlyReturn.objects.get(award=small)
    assert report.status == ReturnStatus.NOT_YET_DUE and not ChaseEvent.objects.exists()
    chasing.run_sweep(today=date(2027, 4, 1))
    report.refresh_from_db()
    assert report.status == ReturnStatus.OPEN
    chasing.run_sweep(today=END_DUE - timedelta(days=14))
    assert chased(small, "reminder-before") == {report.pk}
    message = OutboxMessage.objects.get(key=f"return-chase:{report.pk}:reminder-before:{provider.email}")
    assert message.template_key == "end-report-reminder"
    assert (
        message.subject
        == f"Your end-of-project report for {small.reference} {small.title} is due on 30 April 2027"
    )
    chasing.run_sweep(today=END_DUE + timedelta(days=7))
    assert (
        OutboxMessage.objects.get(key=f"return-chase:{report.pk}:chase-overdue:{provider.email}").subject
        == f"Your end-of-project report for {small.reference} {small.title} is overdue"
    )
    # The same day again sends nothing.
    again = chasing.run_sweep(today=END_DUE + timedelta(days=7))
    assert again.messages == 0


def _end_report_content(award, people, activities) -> ReturnContent:
    answers = {}
    for m in Measure.objects.filter(framework__award=award):
        if m.name == "People who benefited":
            answers[m.pk] = D(people)
        elif m.name == "Activities or events held":
            answers[m.pk] = D(activities)
        elif m.kind == "narrative":
            answers[m.pk] = "Young people came every week; the park feels safer on Friday nights."
    return ReturnContent(
        activity="Twelve evenings of football with the neighbourhood team.",
        spend_to_date=D("1480"),
        answers=answers,
    )


def test_an_accepted_end_of_project_report_adds_up_and_is_judged_against_the_whole_project(world):
    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    small = light_award(world)
    report = QuarterlyReturn.objects.get(award=small)
    with freeze_time("2027-04-10 10:00:00"):
        chasing.run_sweep(today=date(2027, 4, 10))
        report.refresh_from_db()
        returns.submit(
            quarterly_return=report,
            content=_end_report_content(small, "150", "24"),
            by=provider,
            declaration_name="Lucy Evans",
        )
        report = returns.accept(quarterly_return=QuarterlyReturn.objects.get(pk=report.pk), by=officer)
    # Four quarters (April 2026 to March 2027): 40 people a quarter make a target of 160 for the project. The
    # activities held are the service's own count (not added up across awards), so a year of them is not judged
    # against a quarter's target.
    quarters = calendar.quarters_in(small.start_date, small.end_date)
    assert quarters == 4
    people = (D("150") / (D("40") * quarters) * 100).quantize(D("0.1"))
    assert people == D("93.8")  # amber: at least 80%, under 100%
    results, (overall, rag) = performance.results_for_return(report)
    by_name = {r.measure.name: r for r in results}
    assert (by_name["People who benefited"].target, by_name["People who benefited"].percent) == (
        D("160"),
        people,
    )
    assert (
        by_name["Activities or events held"].target is None
        and by_name["Activities or events held"].rag is None
    )
    assert (overall, rag, report.rag) == (people, "amber", "amber")
    # The outcome aggregates count it in the quarter the award ended, as they count any accepted return.
    engaged = OutcomeAggregate.objects.get(award=small, indicator__key="people-engaged")
    assert (engaged.quarter_start_year, engaged.quarter, engaged.value_sum) == (2026, 4, D("150"))


def test_a_light_awards_payments_in_arrears_never_wait_for_quarterly_returns(world):
    provider, officer, finance = (
        world.users[Role.PROVIDER],
        world.users[Role.COMMISSIONING_OFFICER],
        world.users[Role.FINANCE_OFFICER],
    )
    small = light_award(
        world,
        pot=cgs_pot(),
        amount="4000",
        schedule=PaymentScheduleKind.QUARTERLY_ARREARS,
        title="Safer streets leaflets",
    )
    assert small.monitoring.tier.key == "light"

    def released():
        return {
            line.quarter
            for line in PaymentScheduleLine.objects.filter(award=small)
            if line.return_accepted_at is not None
        }

    # On 25 November Q1 and Q2 have ended: no return is asked for them, so their payments are payable.
    assert released() == {1, 2}
    chasing.run_sweep(today=date(2027, 1, 5))
    assert released() == {1, 2, 3}
    # The last quarter's payment waits for the end-of-project report.
    chasing.run_sweep(today=date(2027, 4, 10))
    assert released() == {1, 2, 3}
    with freeze_time("2027-04-12 10:00:00"):
        report = QuarterlyReturn.objects.get(award=small)
        returns.submit(
            quarterly_return=report, content=content(small), by=provider, declaration_name="Lucy Evans"
        )
        returns.accept(quarterly_return=QuarterlyReturn.objects.get(pk=report.pk), by=officer)
        assert released() == {1, 2, 3, 4}
        line = PaymentScheduleLine.objects.get(award=small, quarter=4)
        payment = award_services.record_payment(
            award=small,
            amount=line.amount,
            paid_on=date(2027, 4, 12),
            invoice_received_on=date(2027, 4, 12),
            by=finance,
            schedule_line=line,
        )
    assert payment.amount == D("1000.00")


# ---- An officer's override ----------------------------------------------------------------------------------


def test_changing_a_tier_changes_the_calendar_and_the_chasing(world):
    provider, officer, head = (
        world.users[Role.PROVIDER],
        world.users[Role.COMMISSIONING_OFFICER],
        world.users[Role.HEAD_OF_COMMISSIONING],
    )
    award = monitored_award(world.organisation, amount="4500")  # victim services: standard, quarterly
    with freeze_time("2026-07-20 10:00:00"):
        accepted(the_return(award, 1), provider, officer)
    q2 = the_return(award, 2)
    chasing.run_sweep(today=Q2_DUE + timedelta(days=7))
    assert chased(award, "chase-overdue") == {q2.pk}
    assert OutboxMessage.objects.filter(object_id=q2.pk, status=OutboxMessage.Status.PENDING).exists()

    done = tiers.override(
        award=award,
        tier=tier("light"),
        reason="A small one-off grant: one report is enough.",
        by=officer,
        today=TODAY,
    )
    assert (done.calendar.removed, done.calendar.added, done.calendar.kept) == (2, 1, 0)
    assert calendar_of(award) == [
        ("quarterly", 2026, 1, date(2026, 7, 30), ReturnStatus.ACCEPTED),
        ("end_of_project", 2026, 4, END_DUE, ReturnStatus.NOT_YET_DUE),
    ]
    # Nothing waiting to be sent about a return that no longer exists.
    assert not OutboxMessage.objects.filter(object_id=q2.pk, status=OutboxMessage.Status.PENDING).exists()
    # The next sweep chases the new calendar: no escalation of the old Q2 (it would have been 26 days overdue).
    chasing.run_sweep(today=TODAY)
    assert not ChaseEvent.objects.filter(quarterly_return__award=award, sent_on=TODAY).exists()
    assert not OutboxMessage.objects.filter(to_email=head.email, template_key="return-escalation").exists()

    done = tiers.override(
        award=award,
        tier=tier("standard"),
        reason="The provider asked to report quarterly.",
        by=officer,
        today=TODAY,
    )
    assert (done.calendar.removed, done.calendar.added) == (1, 2)
    assert calendar_of(award) == [
        ("quarterly", 2026, 1, date(2026, 7, 30), ReturnStatus.ACCEPTED),
        ("quarterly", 2026, 2, Q2_DUE, ReturnStatus.OPEN),
        ("quarterly", 2026, 3, date(2027, 1, 30), ReturnStatus.NOT_YET_DUE),
    ]
    new_q2 = the_return(award, 2)
    assert new_q2.pk != q2.pk
    chasing.run_sweep(today=TODAY)
    assert chased(award, "escalate-head") == {new_q2.pk}  # 26 days overdue: the step that applies today
    chasing.run_sweep(today=END_DUE - timedelta(days=14))
    assert not OutboxMessage.objects.filter(template_key="end-report-reminder").exists()
    notes = list(
        timeline_for(award).filter(transition="monitoring_tier_changed").values_list("note", flat=True)
    )
    assert any(
        "from Standard to Light" in n and "Reason: A small one-off grant: one report is enough." in n
        for n in notes
    )
    assert any(
        "from Light to Standard" in n and "The provider asked to report quarterly." in n for n in notes
    )


def test_changing_the_tier_never_removes_a_return_sent_or_started(world):
    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    award = monitored_award(world.organisation, amount="4500")
    with freeze_time("2026-07-20 10:00:00"):
        accepted(the_return(award, 1), provider, officer)
    submitted(the_return(award, 2), provider)
    q3 = force_status(the_return(award, 3), ReturnStatus.OPEN)
    returns.save_draft(quarterly_return=q3, content=ReturnContent(activity="Half written."), by=provider)
    done = tiers.override(award=award, tier=tier("light"), reason="Small grant.", by=officer, today=TODAY)
    assert (done.calendar.removed, done.calendar.kept, done.calendar.added) == (0, 1, 1)
    assert [(kind, q, status) for kind, _y, q, _due, status in calendar_of(award)] == [
        ("quarterly", 1, ReturnStatus.ACCEPTED),
        ("quarterly", 2, ReturnStatus.SUBMITTED),
        ("quarterly", 3, ReturnStatus.OPEN),
        ("end_of_project", 4, ReturnStatus.NOT_YET_DUE),
    ]
    assert QuarterlyReturn.objects.get(pk=q3.pk).activity == "Half written."


def _post_override(client, award, **data):
    return client.post(f"/monitoring/awards/{award.pk}/tier/", data)


def test_a_tier_override_without_a_reason_is_refused_and_nothing_is_saved(client, world):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    award = monitored_award(world.organisation, amount="4500")
    before = calendar_of(award)
    logs = TransitionLog.objects.count()
    sign_in(client, officer)
    response = _post_override(client, award, tier=tier("light").pk, reason="   ")
    assert response.status_code == 200
    assert (
        error_summary(response.content.decode())
        == "There is a problem Enter the reason for changing the monitoring tier"
    )
    response = _post_override(client, award, tier="", reason="")
    assert (
        error_summary(response.content.decode())
        == "There is a problem Select the monitoring tier Enter the reason for changing the monitoring tier"
    )
    record = AwardMonitoring.objects.get(award=award)
    assert (record.tier.key, record.overridden, record.override_reason) == ("standard", False, "")
    assert calendar_of(award) == before and TransitionLog.objects.count() == logs
    with pytest.raises(ValidationError) as error:
        tiers.override(award=award, tier=tier("light"), reason="", by=officer)
    assert error.value.message_dict == {"reason": ["Enter the reason for changing the monitoring tier"]}
    # The same tier again is no change.
    response = _post_override(client, award, tier=tier("standard").pk, reason="No change really")
    assert "is already monitored at the standard tier" in error_summary(response.content.decode())


def test_the_override_form_changes_the_tier_and_the_page_says_how(client, world):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    award = monitored_award(world.organisation, amount="4500")
    sign_in(client, officer)
    page = client.get(f"/monitoring/awards/{award.pk}/tier/").content.decode()
    assert "One end-of-project report, due 30 days after the award ends" in text(page)
    response = _post_override(client, award, tier=tier("enhanced").pk, reason="A new provider to the office.")
    assert response.status_code == 302
    page = text(client.get(f"/monitoring/awards/{award.pk}/").content.decode())
    assert "is now monitored at the enhanced tier" in page
    assert (
        "Enhanced : An outcome return each quarter, at least one visit a year and an annual review." in page
    )
    assert f"Set by {officer.full_name} on 25 November 2026: A new provider to the office." in page
    assert "Next visit due By 31 March 2027" in page and "Next annual review due By 31 March 2027" in page


# ---- Awards given tiers afterwards, and awards that move -------------------------------------------------


def test_awards_active_before_tiers_existed_are_given_theirs_by_the_sweep(world):
    pot = lpcaf_pot()
    award = Award.objects.create(
        reference="L-1",
        organisation=world.organisation,
        pot=pot,
        kind="grant",
        title="Older LPCAF grant",
        purpose="x",
        start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31),
        amount=D("2000"),
        schedule_kind="in_advance",
        status="active",
    )
    OutcomeFramework.objects.create(award=award, source="template")
    QuarterlyReturn.objects.bulk_create(
        [
            QuarterlyReturn(
                award=award, quarter_start_year=2026, quarter=q, period_end=end, due_date=due, status=status
            )
            for q, end, due, status in (
                (1, date(2026, 6, 30), date(2026, 7, 30), ReturnStatus.ACCEPTED),
                (2, date(2026, 9, 30), Q2_DUE, ReturnStatus.OPEN),
                (3, date(2026, 12, 31), date(2027, 1, 30), ReturnStatus.NOT_YET_DUE),
            )
        ]
    )
    result = chasing.run_sweep(today=TODAY)
    assert result.tiers == 1
    assert AwardMonitoring.objects.get(award=award).tier.key == "light"
    assert calendar_of(award) == [
        ("quarterly", 2026, 1, date(2026, 7, 30), ReturnStatus.ACCEPTED),
        ("end_of_project", 2026, 4, END_DUE, ReturnStatus.NOT_YET_DUE),
    ]
    assert not ChaseEvent.objects.filter(quarterly_return__award=award).exists()
    assert chasing.run_sweep(today=TODAY).tiers == 0


def test_an_extension_moves_the_end_of_project_report(world):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    small = light_award(world)
    PotFactory(
        year=approved_year(2027, income="10000000", police="5000000"),
        key="lpcaf-herefordshire",
        stream=Stream.LPCAF,
        allocated=D("20000"),
    )
    award_services.extend_award(
        award=small, new_end_date=date(2027, 6, 30), additional=D("500"), by=officer, note="More sessions"
    )
    chasing.run_sweep(today=TODAY)
    assert calendar_of(small) == [("end_of_project", 2027, 1, date(2027, 7, 30), ReturnStatus.NOT_YET_DUE)]


# ---- The enhanced tier: visits and annual reviews -------------------------------------------------------------


def test_an_enhanced_award_is_due_a_visit_and_an_annual_review_which_recording_them_clears(world):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    victims_pot(allocated="5000000")
    big = monitored_award(world.organisation, amount="150000", title="ISVA service")
    record = AwardMonitoring.objects.get(award=big)
    assert record.tier.key == "enhanced"
    # A year from the start, but by the award's end (31 March 2027) at the latest.
    assert (record.visit_due, record.review_due) == (date(2027, 3, 31), date(2027, 3, 31))
    with freeze_time("2027-03-10 10:00:00"):
        visit = visits.record_past_visit(
            award=big,
            visited_on=date(2027, 3, 9),
            officer=officer,
            purpose="",
            attendees="Manager",
            findings="All well",
            service_user_feedback="",
            actions="",
            by=officer,
        )
        record.refresh_from_db()
        assert (
            visit.visited_on == date(2027, 3, 9) and record.visit_due is None
        )  # in the last quarter: none more
        assert record.review_due == date(2027, 3, 31)
        tiers.record_annual_review(
            award=big, reviewed_on=date(2027, 3, 10), findings="On track", actions="", by=officer
        )
        record.refresh_from_db()
        assert record.review_due is None


def test_visits_and_reviews_due_are_on_the_officers_list_and_home_page(client, world):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    victims_pot(allocated="5000000")
    big = monitored_award(world.organisation, amount="150000", title="ISVA service")
    monitored_award(world.organisation, amount="40000", title="Standard outreach")
    sign_in(client, officer)
    assert "Visits and annual reviews due" not in client.get("/home/").content.decode()
    with freeze_time("2027-03-10 10:00:00"):
        sign_in(client, officer)  # a session from November would have expired
        listing = text(client.get("/monitoring/visits-and-reviews-due/").content.decode())
        assert f"{big.reference} ISVA service" in listing and "Standard outreach" not in listing
        assert "31 Mar 2027 Due in 21 days" in listing
        home = text(client.get("/home/").content.decode())
        assert "Visits and annual reviews due" in home and f"{big.reference} ISVA service" in home


def test_the_list_of_visits_and_reviews_due_runs_the_same_queries_for_more_awards(client, world):
    victims_pot(allocated="5000000")

    def queries(n):
        for i in range(n):
            monitored_award(world.organisation, amount="150000", title=f"Service {i}")
        with freeze_time("2027-03-10 10:00:00"):
            sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
            client.get("/monitoring/visits-and-reviews-due/")
            with CaptureQueriesContext(connection) as ctx:
                body = client.get("/monitoring/visits-and-reviews-due/").content.decode()
        return len(ctx.captured_queries), body.count("Due in 21 days")

    small, shown_small = queries(2)
    large, shown_large = queries(6)
    assert (shown_small, shown_large) == (4, 16)  # a visit and a review per award
    assert small == large


def test_an_annual_review_needs_a_date_and_findings(client, world):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    victims_pot(allocated="5000000")
    big = monitored_award(world.organisation, amount="150000", title="ISVA service")
    sign_in(client, officer)
    response = client.post(f"/monitoring/awards/{big.pk}/annual-reviews/new/", {"findings": " "})
    assert (
        error_summary(response.content.decode())
        == "There is a problem Enter the date of the review Enter what the review found"
    )
    response = client.post(
        f"/monitoring/awards/{big.pk}/annual-reviews/new/",
        {"reviewed_on_0": "26", "reviewed_on_1": "11", "reviewed_on_2": "2026", "findings": "On track"},
    )
    assert "The date of the review must be today or in the past" in error_summary(response.content.decode())
    assert not AnnualReview.objects.exists()


# ---- What the provider is told ---------------------------------------------------------------------------------


def test_the_providers_returns_page_says_what_each_award_asks(client, world):
    light_award(world)
    monitored_award(world.organisation, amount="40000", title="Outreach")
    sign_in(client, world.users[Role.PROVIDER])
    page = text(client.get("/monitoring/your-returns/").content.decode())
    assert (
        "Youth football evenings" in page
        and "One end-of-project report, due 30 days after the award ends" in page
    )
    assert "30 Apr 2027" in page  # the end-of-project report
    assert (
        "An outcome return each quarter 30 Jul 2026" in page
    )  # Outreach: its oldest return not yet sent (Q1)


def test_the_letter_sentence_follows_the_tier(world):
    big = award_services.create_award(
        organisation=world.organisation,
        pot=victims_pot(allocated="5000000"),
        kind="grant",
        title="Big",
        purpose="x",
        start_date=date(2027, 1, 1),
        end_date=date(2027, 3, 31),
        amount=D("150000"),
        schedule_kind="in_advance",
        by=None,
        activate=False,
    )
    small = award_services.create_award(
        organisation=world.organisation,
        pot=lpcaf_pot(),
        kind="grant",
        title="Small",
        purpose="x",
        start_date=date(2027, 1, 1),
        end_date=date(2027, 3, 31),
        amount=D("1500"),
        schedule_kind="in_advance",
        by=None,
        activate=False,
    )
    assert tiers.terms(big).sentence == (
        "You will send an outcome return each quarter, within 30 days of the quarter's end. We will visit the project "
        "at least once a year and review the grant with you each year."
    )
    assert tiers.terms(small).sentence.startswith(
        "You will send one end-of-project report by 30 April 2027, 30 days after the project ends"
    )
    assert not AwardMonitoring.objects.filter(award__in=[big, small]).exists()  # reading it wrote nothing


def test_the_calendar_of_visits_and_reviews():
    start, end = date(2026, 4, 1), date(2029, 3, 31)
    assert calendar.next_due(start=start, end=end, last=None, every_months=12) == date(2027, 4, 1)
    assert calendar.next_due(start=start, end=end, last=date(2027, 2, 1), every_months=12) == date(2028, 2, 1)
    assert (
        calendar.next_due(start=start, end=end, last=date(2028, 6, 1), every_months=12) == end
    )  # by the end
    assert calendar.next_due(start=start, end=end, last=date(2029, 1, 15), every_months=12) is None
    assert calendar.next_due(start=start, end=date(2026, 9, 30), last=None, every_months=12) == date(
        2026, 9, 30
    )
    assert calendar.next_due(start=start, end=end, last=date(2026, 6, 1), every_months=6) == date(2026, 12, 1)


def test_a_recorded_visit_is_seen_by_the_sweep_too(world):
    victims_pot(allocated="5000000")
    big = monitored_award(world.organisation, amount="150000", title="ISVA service")
    GrantVisit.objects.create(award=big, scheduled_for=date(2026, 11, 20), visited_on=date(2026, 11, 20))
    AwardMonitoring.objects.filter(award=big).update(visit_due=None)
    chasing.run_sweep(today=TODAY)
    assert AwardMonitoring.objects.get(award=big).visit_due == date(2027, 3, 31)


def _jpeg(name: str):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 20)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_the_provider_sends_photographs_with_the_end_of_project_report(client, world):
    from opcc.services.documents import documents_for
    from tests.uploads import PDF_BYTES, upload

    provider = world.users[Role.PROVIDER]
    small = light_award(world)
    with freeze_time("2027-04-05 10:00:00"):
        chasing.run_sweep(today=date(2027, 4, 5))
        report = QuarterlyReturn.objects.get(award=small)
        url = f"/monitoring/returns/{report.pk}/"
        sign_in(client, provider)
        page = client.get(url).content.decode()
        assert "End-of-project report" in text(page) and "What the project did" in text(page)
        assert re.search(r'<input[^>]*type="file"[^>]*name="photographs"[^>]*multiple', page)
        # Counts that add up are judged over the whole project: 40 people a quarter for four quarters.
        assert "Target for the project: 160 people" in text(page)
        response = client.post(
            url,
            {
                "action": "save",
                "activity": "Twelve evenings of football.",
                "photographs": [_jpeg("first.jpg"), _jpeg("second.jpg")],
            },
        )
        assert response.status_code == 302
        names = sorted(d.original_name for d in documents_for(report, purpose="return_photograph"))
        assert names == ["first.jpg", "second.jpg"]
        # A PDF named as a photograph is refused with the reason, and nothing of that save is kept.
        response = client.post(
            url,
            {
                "action": "save",
                "activity": "Changed my mind.",
                "photographs": [upload("photo.jpg", PDF_BYTES, "image/jpeg")],
            },
        )
        assert response.status_code == 200
        assert error_summary(response.content.decode()).startswith("There is a problem photo.jpg:")
        report.refresh_from_db()
        assert report.activity == "Twelve evenings of football."
        assert documents_for(report, purpose="return_photograph").count() == 2


def test_the_head_edits_the_bands_in_the_settings_site_and_officers_read_them(client, world):
    band = TierBand.objects.get(stream=Stream.LPCAF, from_amount=D("5000"))
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    listing = text(client.get("/admin/reporting/tierband/").content.decode())
    assert "£5,000.00" in listing and "No upper limit" in listing
    # A second band from the same value is refused with the reason; nothing is saved.
    response = client.post(
        "/admin/reporting/tierband/add/",
        {"stream": Stream.LPCAF, "from_amount": "5000", "tier": tier("enhanced").pk},
    )
    assert response.status_code == 200
    assert (
        "already has a band from £5,000.00: change that band&#x27;s tier instead" in response.content.decode()
    )
    assert TierBand.objects.filter(stream=Stream.LPCAF).count() == 2
    response = client.post(
        f"/admin/reporting/tierband/{band.pk}/change/",
        {"stream": Stream.LPCAF, "from_amount": "10000", "tier": tier("standard").pk},
    )
    assert response.status_code == 302
    assert tiers.choose(stream=Stream.LPCAF, amount=D("7500")).tier.key == "light"
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    page = client.get(f"/admin/reporting/tierband/{band.pk}/change/").content.decode()
    assert 'name="from_amount"' not in page  # read only
    assert (
        client.post(
            f"/admin/reporting/tierband/{band.pk}/change/",
            {"stream": Stream.LPCAF, "from_amount": "1", "tier": tier("light").pk},
        ).status_code
        == 403
    )


def test_a_tier_chosen_before_the_award_starts_is_kept_when_it_becomes_active(world):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    pending = award_services.create_award(
        organisation=world.organisation,
        pot=lpcaf_pot(),
        kind="grant",
        title="Small but new",
        purpose="x",
        start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31),
        amount=D("1500"),
        schedule_kind="in_advance",
        by=officer,
        activate=False,
    )
    tiers.override(award=pending, tier=tier("enhanced"), reason="A provider new to the office.", by=officer)
    assert not QuarterlyReturn.objects.filter(award=pending).exists()  # nothing to rebuild before it starts
    award_services.activate_award(award=pending, by=officer, check_permission=False)
    record = AwardMonitoring.objects.get(award=pending)
    assert (record.tier.key, record.overridden, record.visit_due) == ("enhanced", True, date(2027, 3, 31))
    assert [q for _kind, _y, q, _due, _status in calendar_of(pending)] == [1, 2, 3]
