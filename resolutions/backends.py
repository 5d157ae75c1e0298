"""How a request's delegate is read: Django's ``ModelBackend``, with whether they are an
editor read in the same query."""

from functools import lru_cache

from django.contrib.auth.backends import ModelBackend
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from resolutions.models import User


@lru_cache(maxsize=4096)
def user_sql(user_id: int, alias: str) -> tuple[str, tuple]:
    """The SQL that reads user ``user_id`` with ``is_editor`` (``User.is_editor``: a
    superuser, or in the editor group, as a sub-query), and its parameters, for the database
    ``alias``: built once per user and process, since building it took longer than running
    it."""
    in_group = User.groups.through.objects.filter(
        user=OuterRef("pk"), group__name=User.EDITOR_GROUP
    )
    editor = ExpressionWrapper(Q(is_superuser=True) | Exists(in_group), output_field=BooleanField())
    query = User._default_manager.filter(pk=user_id).annotate(is_editor=editor).query
    return query.get_compiler(using=alias).as_sql()


class DelegateBackend(ModelBackend):
    """Logs delegates in as ``ModelBackend`` does. Every page asks whether its reader is an
    editor (the menu, what the page offers), so each request reads its delegate together
    with the answer: one query, not two."""

    def get_user(self, user_id):
        alias = User._default_manager.db
        sql, params = user_sql(user_id, alias)
        found = list(User._default_manager.db_manager(alias).raw(sql, params))
        if not found or not self.user_can_authenticate(found[0]):
            return None
        user = found[0]
        user.is_editor = bool(user.is_editor)  # SQLite answers 0 or 1
        return user
