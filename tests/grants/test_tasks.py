"""The grants beat tasks: scheduled, thin, and safe to run twice."""

from tests.grants.factories import cgs_round, offered, roles


def test_the_beat_task_lapses_overdue_offers(world):
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from grants.tasks import lapse_overdue_offers

    assert (
        settings.CELERY_BEAT_SCHEDULE["grants-lapse-overdue-offers"]["task"]
        == "grants.tasks.lapse_overdue_offers"
    )
    provider, officer = roles(world)
    application = offered(cgs_round(), provider, officer, accept_by=timezone.localdate())
    assert lapse_overdue_offers() == 0  # the deadline day itself is still in time
    from grants.models import Offer

    Offer.objects.filter(application=application).update(accept_by=timezone.localdate() - timedelta(days=1))
    assert lapse_overdue_offers() == 1 and lapse_overdue_offers() == 0
