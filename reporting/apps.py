from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Outcome monitoring and reporting"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from celery.schedules import crontab

        from commissioning.hooks import ReleaseProvider, register_notice_release
        from funding.hooks import (
            register_completion_gate,
            register_final_spend_provider,
            register_monitoring_terms_provider,
            register_performance_provider,
        )
        from opcc.apps import add_beat_schedule
        from opcc.hooks import register_panel
        from reporting import emails, receivers, rules  # noqa: F401 - registers email wording, signals, permissions
        from reporting.crime import tasks as crime_tasks  # noqa: F401 - the import's Celery task
        from reporting.opendata import notices as notice_releases
        from reporting.selectors.crime import understand_panel
        from reporting.services import closeout
        from reporting.services.performance import award_performance
        from reporting.services.tiers import terms

        register_performance_provider(award_performance)
        register_completion_gate(closeout.completion_blocker)
        register_final_spend_provider(closeout.accepted_final_spend)
        register_monitoring_terms_provider(terms)
        register_notice_release(
            ReleaseProvider(release=notice_releases.release, package=notice_releases.package)
        )
        register_panel("commission_understand", understand_panel)
        add_beat_schedule(
            {
                "chase-returns": {
                    "task": "reporting.tasks.chase_returns",
                    "schedule": crontab(hour=6, minute=30),
                },
            }
        )
