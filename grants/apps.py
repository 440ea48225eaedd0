from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Grants"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from celery.schedules import crontab

        from grants import emails, rules  # noqa: F401 - registers permissions and email wording
        from opcc.apps import add_beat_schedule

        add_beat_schedule(
            {
                "grants-lapse-overdue-offers": {
                    "task": "grants.tasks.lapse_overdue_offers",
                    "schedule": crontab(hour=1, minute=15),
                },
            }
        )
