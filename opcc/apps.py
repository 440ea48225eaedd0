from django.apps import AppConfig


class OpccConfig(AppConfig):
    name = "opcc"
    verbose_name = "Office core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from opcc import aggregates, emails, rules  # noqa: F401 - registers email wording and permissions
        from opcc.middleware import mark_session_fresh

        aggregates.connect()
        user_logged_in.connect(mark_session_fresh, dispatch_uid="opcc.mark_session_fresh")


def add_beat_schedule(entries: dict) -> None:
    """Apps call this from ready() to add their periodic tasks (Celery beat)."""
    from django.conf import settings

    from opcc.celery import app

    settings.CELERY_BEAT_SCHEDULE.update(entries)
    app.conf.beat_schedule = settings.CELERY_BEAT_SCHEDULE


DOMAIN_APPS = ("funding", "commissioning", "grants", "reporting")


def domain_modules(name: str):
    """Each domain app's `<app>.<name>` module, where it has one, in dependency order.

    Only the module's own absence is tolerated: an import error inside it still surfaces.
    """
    from importlib import import_module

    modules = []
    for label in DOMAIN_APPS:
        dotted = f"{label}.{name}"
        try:
            modules.append(import_module(dotted))
        except ModuleNotFoundError as exc:
            if exc.name != dotted:
                raise
    return modules
