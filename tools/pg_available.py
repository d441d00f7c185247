"""Exit 0 if PostgreSQL answers at the URL given, 1 if not (the test command then skips it)."""

import sys

import psycopg

try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
except psycopg.OperationalError:
    sys.exit(1)
