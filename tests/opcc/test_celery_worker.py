"""With a real broker (CI points CELERY_BROKER_URL at Redis), an outbox message goes through a real worker."""

import os
import time

import pytest
from django.core import mail
from django.db import transaction

from opcc.models import OutboxMessage
from opcc.services import notifications

BROKER = os.environ.get("CELERY_BROKER_URL", "")


@pytest.mark.skipif(not BROKER, reason="no broker configured: tasks run in-process (covered by test_outbox)")
def test_a_real_worker_sends_the_outbox_message_after_commit(transactional_db, settings):
    from celery.contrib.testing.worker import start_worker

    from opcc.celery import app

    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            with transaction.atomic():
                message = notifications.queue_message(
                    key="worker-test", to_email="someone@example.org", subject="Via the worker", body="Hello"
                )
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                message.refresh_from_db()
                if message.status == OutboxMessage.Status.SENT:
                    break
                time.sleep(0.1)
    finally:
        app.conf.task_always_eager = True
    assert message.status == OutboxMessage.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Via the worker"]
