from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    verbose_name = "Resolutions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from resolutions import checks  # noqa: F401 -- registers the system checks
        from resolutions.private_files import keep_sqlite_database_private

        # Not a side effect of saving anything: SQLite makes its file with the process's
        # default permissions, and a new connection is the first moment the app can see it.
        connection_created.connect(
            keep_sqlite_database_private, dispatch_uid="resolutions.private_sqlite_database"
        )
