from celery import shared_task

from opcc.services import notifications


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_outbox_message(self, message_id: int):
    try:
        notifications.send_message(message_id)
    except Exception as exc:  # noqa: BLE001
        raise self.retry(exc=exc) from exc


@shared_task
def flush_outbox():
    """Catch anything whose after-commit send was lost (a worker restart, a broker outage)."""
    sent = 0
    for message_id in notifications.pending_message_ids():
        try:
            sent += bool(notifications.send_message(message_id))
        except Exception:  # noqa: BLE001 - recorded on the message; the next flush retries
            continue
    return sent
