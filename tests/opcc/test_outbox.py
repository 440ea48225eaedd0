import pytest
from django.core import mail
from django.db import transaction
from django.template import TemplateSyntaxError

from opcc.models import MessageTemplate, OutboxMessage
from opcc.services import notifications
from opcc.tasks import flush_outbox


def queue(key="k1", **kwargs):
    return notifications.queue_message(
        key=key, to_email="someone@example.org", subject="Hello", body="Body", **kwargs
    )


def test_a_message_is_sent_after_the_change_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue()
        assert len(mail.outbox) == 0  # nothing leaves before commit
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_a_rolled_back_change_leaves_no_message(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                queue()
                raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    assert len(mail.outbox) == 0


def test_the_same_key_is_one_message_however_often_it_is_queued(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert queue() is not None
        assert queue() is None
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_sending_twice_sends_once(db):
    with transaction.atomic():
        message = queue()
    # the after-commit hook is not run here, so the message is pending
    assert notifications.send_message(message.pk) is True
    assert notifications.send_message(message.pk) is False
    assert flush_outbox() == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_stays_pending_and_is_retried_by_the_flush(db, settings, monkeypatch):
    message = queue()
    calls = {"n": 0}
    from django.core.mail import EmailMessage

    real_send = EmailMessage.send

    def flaky(self, *a, **kw):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("mail server down")
        return real_send(self, *a, **kw)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    with pytest.raises(ConnectionError):
        notifications.send_message(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING and message.attempts == 1
    assert flush_outbox() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1


def test_staff_edited_wording_is_used_and_cannot_reach_other_data(
    db, django_capture_on_commit_callbacks, settings
):
    notifications._template("invitation")
    MessageTemplate.objects.filter(key="invitation").update(
        subject="Join us, {{ name }}", body="{{ name }} {{ settings.SECRET_KEY }} {% load static %}"
    )
    with pytest.raises(TemplateSyntaxError):
        # A template that tries to load tag libraries is refused outright.
        queue(key="k2", template_key="invitation", values={"name": "Ann"})
    MessageTemplate.objects.filter(key="invitation").update(body="Hello {{ name }} {{ settings.SECRET_KEY }}")
    with django_capture_on_commit_callbacks(execute=True):
        queue(key="k3", template_key="invitation", values={"name": "Ann"})
    sent = mail.outbox[-1]
    assert sent.subject == "Join us, Ann"
    assert settings.SECRET_KEY not in sent.body and sent.body.strip() == "Hello Ann"


def pending(key="left-behind"):
    """A message whose after-commit send never happened: the process died before (or while) sending it."""
    return queue(key=key)


@pytest.mark.parametrize(
    "task",
    [
        "reporting.tasks.chase_returns",
        "commissioning.tasks.contract_reminders",
        "commissioning.tasks.break_notices",
        "grants.tasks.lapse_overdue_offers",
    ],
)
def test_every_daily_sweep_sends_what_an_earlier_crash_left_waiting(
    db, django_capture_on_commit_callbacks, task
):
    from django.utils.module_loading import import_string

    message = pending()
    with django_capture_on_commit_callbacks(execute=True):
        import_string(task)()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Hello"]


def test_a_starting_worker_sends_what_was_left_waiting(db):
    from celery.signals import worker_ready

    import opcc.celery  # noqa: F401 - connects the worker's start-up handler

    message = pending()
    worker_ready.send(sender=None)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1


def test_the_flush_command_sends_what_was_left_waiting(db, capsys):
    from django.core.management import call_command

    message = pending()
    call_command("flush_outbox")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert "1 message sent" in capsys.readouterr().out


def test_make_run_sends_what_was_left_waiting_before_it_serves():
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "scripts" / "run.sh").read_text()
    assert "manage.py flush_outbox" in script
    assert script.index("manage.py flush_outbox") < script.index("manage.py runserver")


def test_a_second_delivery_of_one_message_carries_the_same_message_id(db, settings):
    settings.DEFAULT_FROM_EMAIL = "commissioning@westmercia-pcc.example"
    first, other = pending("crash-then-flush"), pending("another")
    notifications.send_message(first.pk)
    # The mail server took it, then the process died before the row said so: the flush sends it again.
    OutboxMessage.objects.filter(pk=first.pk).update(status=OutboxMessage.Status.PENDING)
    notifications.send_message(first.pk)
    notifications.send_message(other.pk)
    ids = [m.message()["Message-ID"] for m in mail.outbox]
    assert ids[0] == ids[1] != ids[2]
    assert ids[0].startswith("<") and ids[0].endswith("@westmercia-pcc.example>")


def test_a_flush_sends_the_whole_backlog_not_one_batch_of_it(db, monkeypatch):
    real = notifications.pending_message_ids
    monkeypatch.setattr(notifications, "pending_message_ids", lambda *a, **kw: real(*a, **{**kw, "limit": 2}))
    for n in range(5):
        pending(f"backlog-{n}")
    assert flush_outbox() == 5
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists()
