"""PostgreSQL, with new connections retried for a few seconds.

A restart of PostgreSQL (``systemctl restart``, a fail-over) refuses connections for a second
or so. ``CONN_HEALTH_CHECKS`` replaces the connections that died with it, but without a retry
every request arriving in that second would fail too, not only those in flight. Opening a
connection is safe to repeat; a query is not, so only the connection is retried.
"""

import time

from django.conf import settings
from django.db.backends.postgresql import base

RETRY_PAUSE_SECONDS = 0.2


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        deadline = time.monotonic() + settings.DATABASE_CONNECT_RETRY_SECONDS
        while True:
            try:
                return super().get_new_connection(conn_params)
            except base.Database.OperationalError:
                if time.monotonic() + RETRY_PAUSE_SECONDS > deadline:
                    raise
                time.sleep(RETRY_PAUSE_SECONDS)
