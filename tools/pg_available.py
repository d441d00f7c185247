"""Exit 0 if PostgreSQL answers at the URL given, 1 if not (the test command then skips it)."""

import sys

import psycopg

try:
    url = sys.argv[1].replace("postgres://", "postgresql://", 1)
    psycopg.connect(url, connect_timeout=3).close()
except psycopg.OperationalError:
    sys.exit(1)
