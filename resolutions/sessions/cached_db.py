"""Sessions in the cache and the database, as ``django.contrib.sessions.backends.cached_db``
keeps them; a miss in the cache reads the database as ``resolutions.sessions.db`` does."""

from django.contrib.sessions.backends.cached_db import SessionStore as DjangoSessionStore

from resolutions.sessions import db


class SessionStore(DjangoSessionStore):
    _get_session_from_db = db.SessionStore._get_session_from_db
