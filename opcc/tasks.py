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
    """Send whatever is pending: anything whose after-commit send was lost (a crash, a worker restart, a broker
    outage). Run every five minutes by beat, at the end of every sweep, when a worker starts and by `make run`."""
    sent = last = 0
    # In batches, each message tried once a flush: one that fails stays pending for the next flush.
    while batch := notifications.pending_message_ids(after=last):
        for message_id in batch:
            try:
                sent += bool(notifications.send_message(message_id))
            except Exception:  # noqa: BLE001 - recorded on the message; the next flush retries
                continue
        last = batch[-1]
    return sent
