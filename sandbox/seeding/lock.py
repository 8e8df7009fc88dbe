"""Seeding, one process at a time: instances started together on one database would
otherwise all find the demo missing and all create it, and all but one fail on its
unique constraints. The first takes the lock and seeds; the others wait, then find
nothing left to do. (The console's `migrate` does the same with a lock of its own; the
two packages never import each other.)"""

import contextlib
import fcntl
from pathlib import Path

from django.db import connections

# pg_advisory_lock's key: any number, the same for every instance, not migrate's.
LOCK_KEY = 0x0C0C5EED


@contextlib.contextmanager
def one_seeder_at_a_time(using="default"):
    """PostgreSQL: a session-level advisory lock (released with the session too, should
    the process die). SQLite: an exclusive lock on a file beside the database."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    elif connection.vendor == "sqlite" and not connection.is_in_memory_db():
        path = Path(connection.settings_dict["NAME"]).with_suffix(".seed-lock")
        with open(path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
            yield
    else:
        yield
