"""Closing a grant: its final report opens when it ends, is chased, reviewed, and only its acceptance completes it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_fsm import TransitionNotAllowed
from freezegun import freeze_time

from funding.models import Award
from funding.services import awards
from opcc.models import OutboxMessage, Role
from opcc.services.transitions import available_transitions, timeline_for
from reporting.models import FinalReport, FinalReportStatus
from reporting.services import closeout
from tests.grants.closeout_factories import (
    ENDED_ON,
    TODAY,
    accepted,
    full_content,
    opened,
    paid_grant,
    submitted,
)

pytestmark = pytest.mark.django_db


def test_a_final_report_opens_only_for_grants_that_have_ended_and_only_once(world):
    ended = paid_grant(world)
    running = paid_grant(world, end=date(2027, 3, 31), title="Still running")
    contract = paid_grant(world, kind="contract", title="A contract")

    assert closeout.open_final_reports(today=TODAY) == 1
    assert closeout.open_final_reports(today=TODAY) == 0
    report = FinalReport.objects.get()
    assert report.award == ended
    assert report.due_date == ENDED_ON + timedelta(days=closeout.DAYS_TO_REPORT)
    assert [(line.label, line.budget) for line in report.spend_lines.all()] == [
        ("Spend in 2026 to 2027", Decimal("10000.00"))
    ]
    assert report.outcomes.exists()  # the award's agreed measures, less the quarterly narratives
    assert not report.outcomes.filter(measure__kind="narrative").exists()
    assert not FinalReport.objects.filter(award__in=[running, contract]).exists()
    assert "Final report opened" in " ".join(t.note for t in timeline_for(ended))


def test_a_grant_completes_only_once_its_final_report_is_accepted(world):
    award = paid_grant(world)
    officer = world.users[Role.COMMISSIONING_OFFICER]
    assert "complete" not in [t.name for t in available_transitions(award, officer)]
    with pytest.raises(TransitionNotAllowed):
        awards.change_status(award=award, transition="complete", by=officer)

    submitted(world, award)
    award.refresh_from_db()
    assert award.status == Award.Status.ACTIVE  # sent, not yet accepted
    with pytest.raises(TransitionNotAllowed):
        awards.change_status(award=award, transition="complete", by=officer)

    with freeze_time("2026-11-25 11:00:00"):
        report = closeout.accept_final_report(report=award.final_report, by=officer)
    award.refresh_from_db()
    assert report.status == FinalReportStatus.ACCEPTED
    assert award.status == Award.Status.COMPLETED
    steps = [t.transition for t in timeline_for(award)]
    assert {"final_report_submitted", "final_report_accepted", "complete"} <= set(steps)


def test_a_contract_keeps_its_own_path_to_completed(world):
    contract = paid_grant(world, kind="contract")
    done = awards.change_status(
        award=contract, transition="complete", by=world.users[Role.COMMISSIONING_OFFICER], note="Delivered"
    )
    assert done.status == Award.Status.COMPLETED


def test_a_negative_line_and_a_total_not_adding_up_are_refused_together_and_nothing_is_saved(world):
    award = paid_grant(world)
    report = opened(award)
    content = full_content(report, spent=Decimal("9000"))
    line = report.spend_lines.first()
    content.spend[line.pk] = Decimal("-5")
    content.service_next = ""
    with pytest.raises(ValidationError) as refused:
        closeout.submit_final_report(report=report, content=content, by=world.users[Role.PROVIDER])
    errors = refused.value.message_dict
    assert errors[f"spend-{line.pk}"] == ["The spend on Spend in 2026 to 2027 cannot be negative"]
    assert errors["service_next"] == ["Enter what happens to the service next"]

    content.spend[line.pk] = Decimal("8000")
    content.service_next = "Continues."
    with pytest.raises(ValidationError) as refused:
        closeout.submit_final_report(report=report, content=content, by=world.users[Role.PROVIDER])
    assert refused.value.message_dict["spend_total"] == [
        "The total final spend (£9,000.00) must be the lines added up: they come to £8,000.00"
    ]
    report.refresh_from_db()
    assert report.status == FinalReportStatus.DRAFT
    assert report.spend_total is None and report.service_next == ""
    assert report.spend_lines.get().spent is None


def test_returned_with_reasons_then_sent_again(world):
    award = paid_grant(world)
    report = submitted(world, award)
    officer = world.users[Role.COMMISSIONING_OFFICER]
    with pytest.raises(ValidationError):
        closeout.return_final_report(report=report, by=officer, reasons=" ")
    with freeze_time("2026-11-25 11:00:00"):
        returned = closeout.return_final_report(
            report=report, by=officer, reasons="Add the volunteers' hours"
        )
    assert returned.status == FinalReportStatus.RETURNED
    assert OutboxMessage.objects.filter(template_key="final-report-returned").count() == 1
    again = closeout.submit_final_report(
        report=returned, content=full_content(returned, spent=Decimal("10000")), by=world.users[Role.PROVIDER]
    )
    assert again.status == FinalReportStatus.SUBMITTED


def test_accepting_an_underspend_tells_finance_once(world):
    award = paid_grant(world)
    accepted(world, award, spent="8500")
    message = OutboxMessage.objects.get(template_key="final-report-underspend")
    assert message.to_email == world.users[Role.FINANCE_OFFICER].email
    assert "£1,500.00" in message.subject


def test_the_chase_is_idempotent(world):
    award = paid_grant(world)
    paid_grant(world, end=date(2027, 3, 31), title="Still running")
    # Two weeks before the due date (30 October): a reminder, once however often the sweep runs.
    reminder_day = ENDED_ON + timedelta(days=closeout.DAYS_TO_REPORT - closeout.REMIND_DAYS_BEFORE)
    assert closeout.sweep(today=reminder_day) == 1
    assert closeout.sweep(today=reminder_day) == 0
    assert closeout.sweep(today=reminder_day + timedelta(days=3)) == 0
    # Overdue: one chase, once.
    assert closeout.sweep(today=TODAY) == 1
    assert closeout.sweep(today=TODAY) == 0
    keys = sorted(OutboxMessage.objects.values_list("template_key", flat=True))
    assert keys == ["final-report-due", "final-report-overdue"]
    assert FinalReport.objects.get().award == award
    # Sent: no more chasing.
    submitted(world, award)
    assert closeout.sweep(today=TODAY + timedelta(days=10)) == 0


def test_a_grant_terminated_early_gets_a_final_report_and_keeps_its_status(world):
    award = paid_grant(world, end=date(2027, 3, 31))
    awards.end_award(
        award=award, transition="terminate", by=world.users[Role.FINANCE_OFFICER], note="The charity closed"
    )
    assert closeout.open_final_reports(today=TODAY) == 1
    report = accepted(world, Award.objects.get(pk=award.pk), spent="6000")
    award.refresh_from_db()
    assert award.status == Award.Status.TERMINATED
    assert report.award.final_report.spend_total == Decimal("6000")
    assert closeout.accepted_final_spend(award) == Decimal("6000")
