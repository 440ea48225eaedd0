import pytest
from django.core import mail
from django.db import transaction
from django.template import TemplateSyntaxError

from opcc.models import MessageTemplate, OutboxMessage
from opcc.services import notifications
from opcc.tasks import flush_outbox


def queue(key="k1", **kwargs):
    return notifications.queue_message(key=key, to_email="someone@example.org", subject="Hello", body="Body", **kwargs)


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


def test_staff_edited_wording_is_used_and_cannot_reach_other_data(db, django_capture_on_commit_callbacks, settings):
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
