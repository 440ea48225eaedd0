"""The Celery task behind the import page (registered when reporting's AppConfig.ready() imports this module)."""

from celery import shared_task


@shared_task
def import_crime_file(import_id: int):
    """Import an uploaded police.uk file; the import record holds its progress, errors and outcome."""
    from reporting.crime.importer import run_import

    return run_import(import_id).status
