from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Grants"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from celery.schedules import crontab

        from funding.hooks import register_award_links_provider
        from grants import emails, rules  # noqa: F401 - registers permissions and email wording
        from grants.award_links import variation_links
        from opcc.apps import add_beat_schedule

        register_award_links_provider(variation_links)

        add_beat_schedule(
            {
                "grants-lapse-overdue-offers": {
                    "task": "grants.tasks.lapse_overdue_offers",
                    "schedule": crontab(hour=1, minute=15),
                },
                "grants-lapse-overdue-variations": {
                    "task": "grants.tasks.lapse_overdue_variations",
                    "schedule": crontab(hour=1, minute=20),
                },
            }
        )
