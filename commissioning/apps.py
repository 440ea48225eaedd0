from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = "Commissioning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from celery.schedules import crontab

        from commissioning import emails, rules  # noqa: F401 - registers email wording and permissions
        from opcc.apps import add_beat_schedule

        add_beat_schedule(
            {
                "commissioning-contract-reminders": {
                    "task": "commissioning.tasks.contract_reminders",
                    "schedule": crontab(hour=7, minute=15),
                },
                "commissioning-notice-reminders": {
                    "task": "commissioning.tasks.notice_reminders",
                    "schedule": crontab(hour=7, minute=20),
                },
                "commissioning-break-notices": {
                    "task": "commissioning.tasks.break_notices",
                    "schedule": crontab(hour=0, minute=30),
                },
                "commissioning-termination-notices": {
                    "task": "commissioning.tasks.termination_notices",
                    "schedule": crontab(hour=0, minute=45),
                },
            }
        )
