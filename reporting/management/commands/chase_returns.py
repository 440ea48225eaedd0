from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting.services.chasing import run_sweep


class Command(BaseCommand):
    help = (
        "Run the daily outcome-return sweep once: create and open returns, send reminders, chases, escalations, "
        "the weekly digest and visit reminders. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if it were this day (YYYY-MM-DD)")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date like 2026-11-25") from None
        result = run_sweep(today=today)
        self.stdout.write(f"Outcome returns for {today:%-d %B %Y}: {result}")
