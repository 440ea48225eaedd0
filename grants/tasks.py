from celery import shared_task

from grants import services


@shared_task
def lapse_overdue_offers():
    """Daily: offers not accepted by their deadline lapse and their money returns to the pot. Idempotent."""
    return services.lapse_overdue_offers()


@shared_task(bind=True, max_retries=2, default_retry_delay=30)
def generate_round_letters(self, batch_id: int):
    services.run_letter_batch(batch_id)
