"""Django's database-backed session stores, with the read every request makes compiled once
per process (``db.SESSION``): a page a logged-in delegate opens starts by reading their
session, and the ORM built and compiled that one-row query afresh each time, more Python
than the database's answer took. ``SESSION_ENGINE`` names ``resolutions.sessions.db`` or
``resolutions.sessions.cached_db`` (``config.caches.SESSION_ENGINES``)."""
