from django.core.management.base import BaseCommand

from opcc.apps import domain_modules


class Command(BaseCommand):
    help = "Load West Mercia demo data (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options):
        from django.test.utils import override_settings

        from opcc.demo import load_core
        from opcc.tasks import flush_outbox

        # The demo's history includes emails (invitations, chasers, offers): they are kept in the
        # outbox, as a real office's would be, but nobody is actually emailed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            load_core(stdout=self.stdout)
            # Each domain app may add its own demo data in <app>/demo.py with a load(stdout) function.
            for module in domain_modules("demo"):
                module.load(stdout=self.stdout)
            # Nothing is left waiting for `make run` to email for real.
            flush_outbox()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
