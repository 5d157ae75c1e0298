"""How a request's delegate is read: Django's ``ModelBackend``, with whether they are an
editor read in the same query."""

from functools import lru_cache

from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from resolutions.models import User

#: No user has this id: where it stands among the query's parameters, the user's id goes.
_ANY_USER = -1


@lru_cache(maxsize=8)
def user_sql(alias: str) -> tuple[str, tuple, int]:
    """The SQL that reads a user with ``is_editor`` (``User.is_editor``: a superuser, or in
    the editor group, as a sub-query), its parameters, and the place among them of the
    user's id, for the database ``alias``: built once per process, since building it took
    longer than running it."""
    in_group = User.groups.through.objects.filter(
        user=OuterRef("pk"), group__name=User.EDITOR_GROUP
    )
    editor = ExpressionWrapper(Q(is_superuser=True) | Exists(in_group), output_field=BooleanField())
    query = User._default_manager.filter(pk=_ANY_USER).annotate(is_editor=editor).query
    sql, params = query.get_compiler(using=alias).as_sql()
    return sql, params, params.index(_ANY_USER)


class DelegateBackend(ModelBackend):
    """Logs delegates in as ``ModelBackend`` does. Every page with the menu asks whether its
    reader is an editor (the menu, what the page offers), so each request reads its
    delegate together with the answer: one query, not two."""

    def get_user(self, user_id):
        alias = User._default_manager.db
        sql, params, at = user_sql(alias)
        params = (*params[:at], user_id, *params[at + 1 :])
        found = list(User._default_manager.db_manager(alias).raw(sql, params))
        if not found or not self.user_can_authenticate(found[0]):
            return None
        user = found[0]
        user.is_editor = bool(user.is_editor)  # SQLite answers 0 or 1
        return user

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)
