"""Rebuild the outcome aggregates (per award, quarter and indicator) from the accepted returns."""

from django.core.management.base import BaseCommand

from reporting.services import outcomes


class Command(BaseCommand):
    help = (
        "Rebuild the outcome aggregates from the accepted returns. Safe to run again: the result is the same."
    )

    def handle(self, *args, **options):
        written = outcomes.rebuild_all()
        self.stdout.write(f"Outcome aggregates rebuilt: {written} from accepted returns.")
