from django.apps import AppConfig


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    verbose_name = "Resolutions"
    default_auto_field = "django.db.models.BigAutoField"
