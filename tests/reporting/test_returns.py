"""Frameworks on activation, returns never twice, the state machine, the payment rule and RAG."""

import types
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from funding.hooks import award_performance
from funding.models import PaymentScheduleLine
from funding.services import awards as award_services
from opcc.models import OutboxMessage, Role, TransitionLog
from reporting.models import RAG, MonitoringSettings, OutcomeFramework, QuarterlyReturn, ReturnStatus
from reporting.services import frameworks, performance, returns
from tests.reporting.factories import (
    TODAY,
    accepted,
    changes_requested,
    content,
    monitored_award,
    submitted,
    the_return,
)


@pytest.fixture
def people(world):
    return world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]


def test_activation_builds_the_victims_framework_and_the_returns_so_far(world):
    award = monitored_award(world.organisation)
    framework = OutcomeFramework.objects.get(award=award)
    assert framework.source == "template" and framework.template.key == "victims-services"
    names = set(framework.measures.values_list("name", flat=True))
    assert {
        "Referrals received",
        "People supported",
        "Domestic abuse",
        "Service users better able to cope and recover",
    } <= names
    star = framework.measures.get(kind="star", name="Safety")
    assert (star.star_name, star.star_min, star.star_max) == ("Outcomes Star", 1, 10)
    rows = list(
        QuarterlyReturn.objects.filter(award=award)
        .order_by("quarter")
        .values_list("quarter", "status", "due_date")
    )
    assert rows == [
        (1, "open", date(2026, 7, 30)),
        (2, "open", date(2026, 10, 30)),
        (3, "not_yet_due", date(2027, 1, 30)),
    ]


def test_measures_from_commissioning_or_grants_win_over_the_template(world, monkeypatch):
    calls = []
    grants = types.SimpleNamespace(
        __name__="grants.outcomes",
        measures_for_award=lambda a: (
            calls.append("grants")
            or [
                {
                    "name": "Young people mentored",
                    "kind": "count",
                    "quarterly_target": Decimal("15"),
                    "unit": "people",
                    "star_name": "",
                    "help": "",
                }
            ]
        ),
    )
    commissioning = types.SimpleNamespace(
        __name__="commissioning.outcomes", measures_for_award=lambda a: calls.append("commissioning")
    )
    monkeypatch.setattr(
        "opcc.apps.domain_modules", lambda name: [commissioning, grants] if name == "outcomes" else []
    )
    award = monitored_award(world.organisation)
    framework = award.outcome_framework
    assert calls == ["commissioning", "grants"]
    assert framework.source == "grants"
    assert list(framework.measures.values_list("name", "quarterly_target")) == [
        ("Young people mentored", Decimal("15"))
    ]


def test_without_commissioning_or_grants_modules_the_call_finds_none(world):
    award = monitored_award(world.organisation)
    assert frameworks.measures_from_apps(award) is None


def test_returns_are_never_created_twice(world):
    award = monitored_award(world.organisation)
    assert returns.ensure_returns(today=TODAY) == 0
    assert returns.ensure_returns(today=date(2027, 1, 2)) == 1  # Q4 has begun
    assert returns.ensure_returns(today=date(2027, 1, 2)) == 0
    assert QuarterlyReturn.objects.filter(award=award).count() == 4
    frameworks.build_framework(award)
    assert OutcomeFramework.objects.filter(award=award).count() == 1
    with pytest.raises(Exception):  # noqa: B017 - the database refuses a duplicate
        QuarterlyReturn.objects.create(
            award=award,
            quarter_start_year=2026,
            quarter=1,
            period_end=date(2026, 6, 30),
            due_date=date(2026, 7, 30),
        )


def test_the_state_machine(world, people):
    provider, officer = people
    award = monitored_award(world.organisation)
    ret = the_return(award, 1)
    ret = changes_requested(ret, provider, officer)
    assert ret.status == ReturnStatus.CHANGES_REQUESTED and ret.review_comments
    ret = submitted(ret, provider)
    assert ret.status == ReturnStatus.SUBMITTED
    ret = returns.accept(quarterly_return=ret, by=officer)
    assert ret.status == ReturnStatus.ACCEPTED
    states = list(
        TransitionLog.objects.filter(object_id=ret.pk, content_type__model="quarterlyreturn")
        .order_by("at", "id")
        .values_list("from_state", "to_state")
    )
    assert states == [
        ("open", "submitted"),
        ("submitted", "changes_requested"),
        ("changes_requested", "submitted"),
        ("submitted", "accepted"),
    ]
    # Not yet due cannot be submitted; accepted cannot be reopened, resubmitted or sent back.
    q3 = the_return(award, 3)
    with pytest.raises(TransitionNotAllowed):
        submitted(q3, provider)
    with pytest.raises(TransitionNotAllowed):
        submitted(ret, provider)
    with pytest.raises(TransitionNotAllowed):
        returns.request_changes(quarterly_return=ret, by=officer, comments="Again")


def test_a_submission_after_acceptance_changes_nothing(world, people):
    provider, officer = people
    award = monitored_award(world.organisation)
    ret = accepted(the_return(award, 1), provider, officer)
    before = (ret.activity, ret.submitted_at, list(ret.answers.values_list("value", flat=True)))
    with pytest.raises(TransitionNotAllowed):
        returns.submit(
            quarterly_return=ret, content=content(award, Decimal("2")), by=provider, declaration_name="X"
        )
    with pytest.raises(ValidationError):
        returns.save_draft(quarterly_return=ret, content=content(award, Decimal("2")), by=provider)
    ret.refresh_from_db()
    assert (ret.activity, ret.submitted_at, list(ret.answers.values_list("value", flat=True))) == before


def test_only_the_organisations_people_submit_and_only_officers_review(world, people):
    provider, officer = people
    award = monitored_award(world.organisation)
    ret = the_return(award, 1)
    with pytest.raises(PermissionDenied):
        submitted(ret, world.other_provider)
    with pytest.raises(PermissionDenied):
        submitted(ret, officer)
    ret = submitted(ret, provider)
    with pytest.raises(PermissionDenied):
        returns.accept(quarterly_return=ret, by=world.users[Role.FINANCE_OFFICER])
    with pytest.raises(PermissionDenied):
        returns.accept(quarterly_return=ret, by=provider)
    assert QuarterlyReturn.objects.get(pk=ret.pk).status == ReturnStatus.SUBMITTED


def test_overdue_is_derived_from_the_due_date(world):
    award = monitored_award(world.organisation)
    q2 = the_return(award, 2)  # due 30 October 2026
    assert q2.is_overdue(TODAY) and q2.days_overdue(TODAY) == 26
    assert not q2.is_overdue(date(2026, 10, 30))
    assert QuarterlyReturn.objects.overdue(TODAY).filter(award=award).count() == 2
    assert "overdue" not in ReturnStatus.values


def test_accepting_q1_makes_the_q1_arrears_payment_payable_and_it_can_then_be_paid(world, people):
    provider, officer = people
    finance = world.users[Role.FINANCE_OFFICER]
    award = monitored_award(world.organisation, amount="40000")
    q1_line = PaymentScheduleLine.objects.get(award=award, quarter_start_year=2026, quarter=1)
    q2_line = PaymentScheduleLine.objects.get(award=award, quarter_start_year=2026, quarter=2)
    with pytest.raises(ValidationError, match="not payable until"):
        award_services.record_payment(
            award=award,
            amount=q1_line.amount,
            paid_on=date(2026, 8, 1),
            invoice_received_on=date(2026, 8, 1),
            by=finance,
            schedule_line=q1_line,
        )
    accepted(the_return(award, 1), provider, officer)
    q1_line.refresh_from_db()
    q2_line.refresh_from_db()
    assert q1_line.is_payable and not q2_line.is_payable
    payment = award_services.record_payment(
        award=award,
        amount=q1_line.amount,
        paid_on=date(2026, 8, 1),
        invoice_received_on=date(2026, 8, 1),
        by=finance,
        schedule_line=q1_line,
    )
    assert payment.amount == Decimal("10000.00")
    # The provider was told (through the outbox) that the return was accepted.
    assert OutboxMessage.objects.filter(template_key="return-accepted", to_email=provider.email).exists()


def test_rag_per_measure_and_per_return(world, people):
    provider, officer = people
    settings = MonitoringSettings.current()
    assert performance.rate(Decimal("100"), settings) == RAG.GREEN
    assert performance.rate(Decimal("99.9"), settings) == RAG.AMBER
    assert performance.rate(Decimal("80"), settings) == RAG.AMBER
    assert performance.rate(Decimal("79.9"), settings) == RAG.RED
    assert performance.rate(None, settings) is None
    award = monitored_award(world.organisation)
    green = accepted(the_return(award, 1), provider, officer, factor=Decimal("1.2"))
    amber = accepted(the_return(award, 2), provider, officer, factor=Decimal("0.85"))
    assert (green.rag, amber.rag) == (RAG.GREEN, RAG.AMBER)
    results, (percent, rag) = performance.results_for_return(amber)
    referrals = next(r for r in results if r.measure.name == "Referrals received")
    assert (referrals.value, referrals.percent, referrals.rag) == (Decimal("255"), Decimal("85.0"), RAG.AMBER)
    narrative = next(r for r in results if r.measure.kind == "narrative")
    assert narrative.rag is None and narrative.text


def test_the_rules_are_data(world, people):
    provider, officer = people
    MonitoringSettings.objects.update_or_create(
        pk=1, defaults={"green_at_percent": 80, "amber_at_percent": 50}
    )
    award = monitored_award(world.organisation)
    assert accepted(the_return(award, 1), provider, officer, factor=Decimal("0.85")).rag == RAG.GREEN


def test_an_award_red_in_two_consecutive_accepted_quarters_is_flagged_through_the_hook(world, people):
    provider, officer = people
    award = monitored_award(world.organisation)
    assert award_performance(award)["rag"] is None
    accepted(the_return(award, 1), provider, officer, factor=Decimal("0.5"))
    first = award_performance(award)
    assert first["rag"] == RAG.RED and not first["persistently_red"]
    accepted(the_return(award, 2), provider, officer, factor=Decimal("0.4"))
    second = award_performance(award)
    assert second["rag"] == RAG.RED and second["persistently_red"]
    assert "Persistently red" in second["summary"]
    assert [r["quarter"] for r in second["returns"]] == ["Q3 2026/27", "Q2 2026/27", "Q1 2026/27"]


def test_the_hook_says_nothing_for_an_award_with_no_returns(world):
    award = monitored_award(world.organisation, start=date(2027, 1, 1), end=date(2027, 3, 31))
    assert award_performance(award) is None


def test_the_hook_says_which_returns_are_overdue_and_by_how_long(world, people):
    from freezegun import freeze_time

    provider, officer = people
    award = monitored_award(world.organisation)  # Q1 to Q3 2026/27 on 25 November 2026
    accepted(the_return(award, 1), provider, officer)
    with freeze_time("2026-12-02 10:00:00"):
        rows = {r["quarter"]: r for r in award_performance(award)["returns"]}
    assert rows["Q1 2026/27"]["overdue"] is False  # accepted
    assert (
        rows["Q2 2026/27"]["overdue"] is True and rows["Q2 2026/27"]["days_overdue"] == 33
    )  # due 30 October
    assert rows["Q3 2026/27"]["overdue"] is False and rows["Q3 2026/27"]["days_overdue"] == 0  # not yet due
