"""Django's database sessions, loaded with one plain query (SESSION_ENGINE).

Every request loads its session; Django's db backend builds that read with the ORM, whose
compilation costs more CPU than the read itself (bench/load_bench.py pages). The read here
is the same (the key, and an expiry still in the future, so an idle session ends exactly
as before); saving, cycling keys and deleting are Django's own.
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        if key is None:
            return None
        table = connection.ops.quote_name(Session._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT session_data, expire_date FROM {table} "  # noqa: S608
                           "WHERE session_key = %s AND expire_date > %s",
                           [key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # unknown or expired: a fresh session, as Django does
            return None
        return Session(session_key=key, session_data=row[0], expire_date=row[1])
