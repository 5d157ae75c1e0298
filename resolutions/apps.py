from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    verbose_name = "Resolutions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from resolutions import (
            checks,  # noqa: F401 -- registers the system checks
            prepared,  # noqa: F401 -- registers the lookup ``in_ids``
        )
        from resolutions.private_files import keep_sqlite_database_private

        # Not a side effect of saving anything: SQLite makes its file with the process's
        # default permissions, and a new connection is the first moment the app can see it.
        connection_created.connect(
            keep_sqlite_database_private, dispatch_uid="resolutions.private_sqlite_database"
        )
        # Not a side effect of saving anything either: SQLite drops a table's triggers when a
        # migration remakes the table, and the search's are made again once migrate is done.
        post_migrate.connect(
            _ensure_search_indexes, sender=self, dispatch_uid="resolutions.search_indexes"
        )
        # Logging out ends the session's open event streams, on every app server.
        user_logged_out.connect(_close_event_streams, dispatch_uid="resolutions.close_streams")


def _close_event_streams(sender, request, user, **kwargs):
    from resolutions.services import events

    session_key = request.session.session_key if hasattr(request, "session") else None
    if user is not None and session_key:
        events.logged_out(user, session_key)


def _ensure_search_indexes(sender, using="default", **kwargs):
    from django.db import connections

    from resolutions.search import ensure_search_indexes

    connection = connections[using]
    # Migrated back to nothing, there is nothing to index.
    if "resolutions_annotation" in connection.introspection.table_names():
        ensure_search_indexes(connection)
