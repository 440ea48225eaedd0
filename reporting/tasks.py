from celery import shared_task
from django.utils import timezone

from reporting.services.chasing import run_sweep
from reporting.services.panel_report import run_generation


@shared_task
def chase_returns():
    """Celery beat runs the daily sweep each morning: the same service as `manage.py chase_returns`."""

    return str(run_sweep(today=timezone.localdate()))


@shared_task
def generate_panel_report(report_id: int):
    """Make a Police and Crime Panel report (figures, then the PDF); the report records its progress and any failure.
    Does nothing for a report not waiting to be made, so a repeated delivery makes one report."""

    report = run_generation(report_id)
    return report.status if report is not None else None
