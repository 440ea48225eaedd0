import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opcc.settings")

app = Celery("opcc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def flush_outbox_when_ready(sender=None, **kwargs):
    """A worker that starts sends what was left pending when the last one stopped, without waiting for beat."""
    from opcc.tasks import flush_outbox  # noqa: PLC0415 - this module loads before Django's apps

    flush_outbox.delay()
