from django.apps import AppConfig


class OpccConfig(AppConfig):
    name = "opcc"
    verbose_name = "Office core"
    default_auto_field = "django.db.models.BigAutoField"
