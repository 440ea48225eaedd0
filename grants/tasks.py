from celery import shared_task

from grants.services import letter_batches as letter_batch_services
from grants.services import offers as offer_services
from grants.services import variations as variation_services
from opcc.services.notifications import flush_after_commit


@shared_task
def lapse_overdue_offers():
    """Daily: offers not accepted by their deadline lapse and their money returns to the pot. Idempotent."""
    lapsed = offer_services.lapse_overdue_offers()
    flush_after_commit()
    return lapsed


@shared_task(bind=True, max_retries=2, default_retry_delay=30)
def generate_round_letters(self, batch_id: int):
    letter_batch_services.run_letter_batch(batch_id)


@shared_task
def lapse_overdue_variations():
    """Daily: variation letters not accepted by their deadline lapse; the grants stay as they were. Idempotent."""
    lapsed = variation_services.lapse_overdue_variations()
    flush_after_commit()
    return lapsed
