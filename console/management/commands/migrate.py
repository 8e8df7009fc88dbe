"""`migrate`, one instance at a time: several instances started together on one database
(a deployment behind a load balancer) would otherwise all create the same tables, and all
but one fail. The first takes the lock and migrates; the others wait, then find nothing
left to do."""

import contextlib
import fcntl
from pathlib import Path

from django.core.management.commands import migrate
from django.db import connections

# pg_advisory_lock's key: any number, the same for every instance of this project.
LOCK_KEY = 0x0C0C5013


class Command(migrate.Command):
    def handle(self, *args, **options):
        with _migration_lock(connections[options["database"]]):
            return super().handle(*args, **options)


@contextlib.contextmanager
def _migration_lock(connection):
    """PostgreSQL: a session-level advisory lock (released with the session too, should
    the process die). SQLite: an exclusive lock on a file beside the database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    elif connection.vendor == "sqlite" and not connection.is_in_memory_db():
        path = Path(connection.settings_dict["NAME"]).with_suffix(".migrate-lock")
        with open(path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
            yield
    else:
        yield
