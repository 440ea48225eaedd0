"""The daily sweep: the schedule, idempotence, crash-and-rerun, escalation, digest, visit reminders, queries."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding.models import Award
from opcc.models import OutboxMessage, Role
from reporting.models import ChaseEvent, GrantVisit, OutcomeFramework, QuarterlyReturn, ReturnStatus
from reporting.services import chasing
from tests.factories import OrganisationFactory, ProviderFactory
from tests.reporting.factories import monitored_award, submitted, the_return, victims_pot

Q2_DUE = date(2026, 10, 30)


def chased(step_key):
    return set(ChaseEvent.objects.filter(step_key=step_key).values_list("quarterly_return_id", flat=True))


@pytest.fixture
def award(world):
    return monitored_award(world.organisation)


def test_each_step_is_sent_on_its_day_to_the_right_people(world, award):
    provider, head = world.users[Role.PROVIDER], world.users[Role.HEAD_OF_COMMISSIONING]
    q2 = the_return(award, 2)
    chasing.run_sweep(today=Q2_DUE - timedelta(days=15))
    assert not ChaseEvent.objects.filter(quarterly_return=q2).exists()
    chasing.run_sweep(today=Q2_DUE - timedelta(days=14))
    assert q2.pk in chased("reminder-before")
    chasing.run_sweep(today=Q2_DUE)
    assert q2.pk in chased("due-today")
    chasing.run_sweep(today=Q2_DUE + timedelta(days=7))
    assert q2.pk in chased("chase-overdue")
    chasing.run_sweep(today=Q2_DUE + timedelta(days=21))
    assert q2.pk in chased("escalate-head")
    keys = set(
        OutboxMessage.objects.filter(object_id=q2.pk, key__startswith="return-chase:").values_list(
            "key", "to_email"
        )
    )
    assert keys == {
        (f"return-chase:{q2.pk}:reminder-before:{provider.email}", provider.email),
        (f"return-chase:{q2.pk}:due-today:{provider.email}", provider.email),
        (f"return-chase:{q2.pk}:chase-overdue:{provider.email}", provider.email),
        (f"return-chase:{q2.pk}:escalate-head:{head.email}", head.email),
    }
    assert (
        "overdue"
        in OutboxMessage.objects.get(key=f"return-chase:{q2.pk}:chase-overdue:{provider.email}").subject
    )


def test_a_missed_day_is_caught_up_next_run_with_the_step_that_applies_now(world, award):
    q2 = the_return(award, 2)
    chasing.run_sweep(today=Q2_DUE + timedelta(days=9))  # the worker was down on days 7 and 8
    assert q2.pk in chased("chase-overdue")
    assert q2.pk not in chased("reminder-before") | chased("due-today")


def test_submitted_returns_are_not_chased(world, award):
    q2 = submitted(the_return(award, 2), world.users[Role.PROVIDER])
    chasing.run_sweep(today=Q2_DUE + timedelta(days=7))
    assert not ChaseEvent.objects.filter(quarterly_return=q2, step_key="chase-overdue").exists()


def test_running_the_sweep_twice_on_a_day_sends_nothing_twice(world, award):
    day = Q2_DUE + timedelta(days=7)
    first = chasing.run_sweep(today=day)
    messages, events = OutboxMessage.objects.count(), ChaseEvent.objects.count()
    assert first.messages > 0
    second = chasing.run_sweep(today=day)
    assert second.messages == 0 and sum(second.chased.values()) == 0
    assert (OutboxMessage.objects.count(), ChaseEvent.objects.count()) == (messages, events)


def many_returns(n, due):
    """n awards, each with an open return due on `due`, in bulk."""
    pot = victims_pot()
    org = OrganisationFactory()
    ProviderFactory(organisation=org)
    awards = Award.objects.bulk_create(
        [
            Award(
                reference=f"M-{i}",
                organisation=org,
                pot=pot,
                kind="grant",
                title=f"Bulk {i}",
                purpose="x",
                start_date=date(2026, 4, 1),
                end_date=date(2027, 3, 31),
                amount=1,
                schedule_kind="in_advance",
                status="active",
            )
            for i in range(n)
        ]
    )
    # Frameworks are made on activation; bulk-created awards get theirs here.
    OutcomeFramework.objects.bulk_create([OutcomeFramework(award=a, source="template") for a in awards])
    QuarterlyReturn.objects.bulk_create(
        [
            QuarterlyReturn(
                award=a, quarter_start_year=2026, quarter=q, period_end=end, due_date=d, status=status
            )
            for a in awards
            for q, end, d, status in (
                (1, date(2026, 6, 30), date(2026, 7, 30), ReturnStatus.ACCEPTED),
                (2, date(2026, 9, 30), due, ReturnStatus.OPEN),
                (3, date(2026, 12, 31), date(2027, 1, 30), ReturnStatus.NOT_YET_DUE),
            )
        ]
    )
    return awards


def test_a_crash_half_way_then_a_rerun_sends_nothing_twice_and_skips_nobody(world, monkeypatch):
    many_returns(25, Q2_DUE)
    day = Q2_DUE + timedelta(days=7)
    calls = []

    def crash(step_key, batch_number):
        calls.append(batch_number)
        if step_key == "chase-overdue" and batch_number == 2:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(chasing, "_after_batch", crash)
    with pytest.raises(RuntimeError):
        chasing.run_sweep(today=day, batch_size=10)
    done = chased("chase-overdue")
    assert len(done) == 20  # two committed batches of ten; the rest untouched
    assert OutboxMessage.objects.filter(key__contains=":chase-overdue:").count() == 20

    monkeypatch.setattr(chasing, "_after_batch", lambda *a: None)
    chasing.run_sweep(today=day, batch_size=10)
    all_open = set(QuarterlyReturn.objects.filter(quarter=2, status="open").values_list("pk", flat=True))
    assert chased("chase-overdue") == all_open and len(all_open) == 25
    keys = list(OutboxMessage.objects.filter(key__contains=":chase-overdue:").values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 25
    assert ChaseEvent.objects.filter(step_key="chase-overdue").count() == 25


def test_messages_a_killed_sweep_left_waiting_are_sent_by_the_next_sweep_though_it_queues_nothing(
    world, award, django_capture_on_commit_callbacks
):
    from django.core import mail

    day = Q2_DUE + timedelta(days=7)
    # The sweep commits its messages, then is killed before its flush after commit runs.
    first = chasing.run_sweep(today=day)
    assert first.messages > 0 and not mail.outbox
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count() == first.messages
    with django_capture_on_commit_callbacks(execute=True):
        second = chasing.run_sweep(today=day)
    assert second.messages == 0
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists()
    assert len(mail.outbox) == first.messages


def test_the_sweep_runs_a_bounded_number_of_queries(world):
    def queries(n):
        QuarterlyReturn.objects.all().delete()
        ChaseEvent.objects.all().delete()
        OutboxMessage.objects.all().delete()
        Award.objects.filter(reference__startswith="M-").delete()
        many_returns(n, Q2_DUE)
        with CaptureQueriesContext(connection) as ctx:
            chasing.run_sweep(today=Q2_DUE + timedelta(days=7), batch_size=1000)
        assert ChaseEvent.objects.filter(step_key="chase-overdue").count() == n
        return len(ctx.captured_queries)

    queries(5)  # the first run writes the message templates
    # SQLite splits a bulk insert every 999 parameters, so compare sizes that fit one statement there;
    # bench/chase_sweep.py measures 60,000 on PostgreSQL. The bulk-made awards are given their monitoring tiers by
    # the same sweep, in bulk too.
    assert queries(5) == queries(60) < 75


def test_the_weekly_digest_goes_to_each_officer_once_a_week(world, award):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    monday = date(2026, 11, 23)
    chasing.run_sweep(today=monday)
    chasing.run_sweep(today=monday + timedelta(days=1))
    digests = OutboxMessage.objects.filter(template_key="returns-digest")
    assert list(digests.values_list("to_email", flat=True)) == [officer.email]
    assert "2 outcome returns are overdue" in digests.get().subject
    assert award.reference in digests.get().body
    assert ChaseEvent.objects.filter(step_key="digest-2026-W48").count() == 2
    chasing.run_sweep(today=monday + timedelta(days=7))
    assert OutboxMessage.objects.filter(template_key="returns-digest").count() == 2


def test_a_visit_reminder_is_sent_once_when_a_visit_is_due(world, award):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    visit = GrantVisit.objects.create(award=award, scheduled_for=date(2026, 12, 2), officer=officer)
    chasing.run_sweep(today=date(2026, 11, 24))
    assert not OutboxMessage.objects.filter(template_key="visit-reminder").exists()
    chasing.run_sweep(today=date(2026, 11, 25))
    chasing.run_sweep(today=date(2026, 11, 26))
    reminder = OutboxMessage.objects.get(template_key="visit-reminder")
    assert reminder.to_email == officer.email and "2 December 2026" in reminder.subject
    assert reminder.object_id == visit.pk


def test_the_command_runs_the_sweep_for_a_given_day(world, award, capsys):
    call_command("chase_returns", "--today", "2026-11-06")
    assert the_return(award, 2).pk in chased("chase-overdue")
    assert "chase-overdue 1" in capsys.readouterr().out


def test_celery_beat_runs_the_same_service_every_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["chase-returns"]
    assert entry["task"] == "reporting.tasks.chase_returns"
    assert entry["schedule"].hour == {6}
