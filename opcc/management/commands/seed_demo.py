from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load West Mercia demo data (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options):
        from opcc.demo import load_core

        load_core(stdout=self.stdout)
        # Each domain app may add its own demo data in <app>/demo.py with a load(stdout) function.
        for label in ("funding", "commissioning", "grants", "reporting"):
            try:
                module = import_module(f"{apps.get_app_config(label).name}.demo")
            except ModuleNotFoundError:
                continue
            module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
