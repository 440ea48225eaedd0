"""The Celery task behind the import page (registered when reporting's AppConfig.ready() imports this module)."""

from celery import shared_task

from reporting.crime.importer import run_import


@shared_task
def import_crime_file(import_id: int):
    """Import an uploaded police.uk file; the import record holds its progress, errors and outcome."""

    return run_import(import_id).status
