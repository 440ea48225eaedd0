from django.core.management.base import BaseCommand

from opcc.tasks import flush_outbox


class Command(BaseCommand):
    help = "Send every outbox message still waiting (e.g. after a crash). `make run` runs it before serving."

    def handle(self, *args, **options):
        sent = flush_outbox()
        self.stdout.write(f"{sent} message{'' if sent == 1 else 's'} sent from the outbox.")
