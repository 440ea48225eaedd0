from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Outcome monitoring and reporting"
    default_auto_field = "django.db.models.BigAutoField"
