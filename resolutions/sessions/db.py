"""Sessions in the database, as ``django.contrib.sessions.backends.db`` keeps them, read
with a query compiled once per process (``resolutions.prepared``)."""

from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import router
from django.utils import timezone

from resolutions.prepared import PreparedQuery


def _session(model, *, session_key):
    return model._default_manager.filter(session_key=session_key)


#: The session of a key, whether it has expired or not: the time stays out of the query, so
#: that its SQL is the same on every request.
SESSION = PreparedQuery(_session, texts=("session_key",))


def live_session(model, session_key: str):
    """The session ``session_key`` names, unless it has expired (Django's own read asks
    for ``expire_date__gt=now``), or None."""
    found = SESSION((model,), router.db_for_read(model), session_key=session_key)
    if not found or found[0].expire_date <= timezone.now():
        return None
    return found[0]


class SessionStore(DjangoSessionStore):
    def _get_session_from_db(self):
        """The live session of this key, or None with the key forgotten, as Django's own
        ``_get_session_from_db`` answers."""
        session = live_session(self.model, self.session_key) if self.session_key else None
        if session is None:
            self._session_key = None
        return session
