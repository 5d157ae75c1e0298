"""How a request's delegate is read: Django's ``ModelBackend``, with whether they are an
editor read in the same query."""

from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from resolutions.models import User
from resolutions.prepared import PreparedQuery


def _delegate(*, user_id):
    """The user ``user_id`` with ``is_editor`` (``User.is_editor``: a superuser, or in the
    editor group, as a sub-query)."""
    in_group = User.groups.through.objects.filter(
        user=OuterRef("pk"), group__name=User.EDITOR_GROUP
    )
    editor = ExpressionWrapper(Q(is_superuser=True) | Exists(in_group), output_field=BooleanField())
    return User._default_manager.filter(pk=user_id).annotate(is_editor=editor)


#: Built and compiled once per process (``resolutions.prepared``): building it took longer
#: than running it.
DELEGATE = PreparedQuery(_delegate, values=("user_id",))


class DelegateBackend(ModelBackend):
    """Logs delegates in as ``ModelBackend`` does. Every page with the menu asks whether its
    reader is an editor (the menu, what the page offers), so each request reads its
    delegate together with the answer: one query, not two."""

    def get_user(self, user_id):
        found = DELEGATE((), User._default_manager.db, user_id=user_id)
        if not found or not self.user_can_authenticate(found[0]):
            return None
        user = found[0]
        user.is_editor = bool(user.is_editor)  # SQLite answers 0 or 1
        return user

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)
