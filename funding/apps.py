from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Funding"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from funding import rules  # noqa: F401 - registers permissions
