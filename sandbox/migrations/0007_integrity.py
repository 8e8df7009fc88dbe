"""Every "one per" row under a constraint: address assignments had none (concurrent saves
could make several rows, after which every save failed), so the duplicates are merged
into the newest one first. Users get the end of their PasswordConfig lockout.

On PostgreSQL only, list filters with wildcards and searches get indexes of their own
(SQLite's come from NoCaseIndex, sandbox/models/base.py). Django compiles `Name=Jack*`,
`*son*` and `search=` to `UPPER(column::text) LIKE UPPER('pattern')`, so the indexes are
on exactly that expression: a B-tree with text_pattern_ops under the list's scope columns
for prefixes (`LastName=Mar*`, in any collation), and pg_trgm GIN indexes for any
pattern (`*son*`, `search`), where the extension can be made (a trusted extension since
PostgreSQL 13: the database's owner may create it); without it the B-trees alone.
bench/postgres_lists.py measures them.
"""

from django.db import DatabaseError, migrations, models, transaction
from django.db.models import Max

# (index, table, expression); an index with `gin_trgm_ops` needs pg_trgm.
PREFIX_INDEXES = [
    (
        "sandbox_user_last_name_upper",
        "sandbox_user",
        "marketplace_id, user_type, company_id, UPPER(last_name::text) text_pattern_ops",
    ),
    (
        "sandbox_product_name_upper",
        "sandbox_product",
        "marketplace_id, active, UPPER(name::text) text_pattern_ops",
    ),
]
TRIGRAM_INDEXES = [
    (f"sandbox_{table}_{column}_trgm", f"sandbox_{table}", f"UPPER({column}::text) gin_trgm_ops")
    for table, columns in (
        ("user", ("oc_id", "username", "first_name", "last_name", "email")),
        ("product", ("oc_id", "name", "description")),
    )
    for column in columns
]


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    indexes = list(PREFIX_INDEXES)
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        indexes += TRIGRAM_INDEXES
    except DatabaseError:  # not allowed here: the prefix indexes only
        pass
    for name, table, expression in indexes:
        # GIN without its pending list: a search right after a burst of writes reads the
        # index alone (and the planner does not shun it as it does a long pending list).
        gin = "gin_trgm_ops" in expression
        using, options = ("USING gin ", " WITH (fastupdate = off)") if gin else ("", "")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} {using}({expression}){options}"
        )


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in PREFIX_INDEXES + TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def keep_newest_address_assignment(apps, schema_editor):
    """One row per (address, user, user group): the last written (highest key) stays."""
    rows = apps.get_model("sandbox", "AddressAssignment").objects
    duplicates = (
        rows.values("address_id", "user_id", "user_group_id")
        .annotate(newest=Max("pk"), count=models.Count("pk"))
        .filter(count__gt=1)
    )
    for group in duplicates:
        rows.filter(
            address_id=group["address_id"],
            user_id=group["user_id"],
            user_group_id=group["user_group_id"],
        ).exclude(pk=group["newest"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sandbox", "0006_catalog"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="locked_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(keep_newest_address_assignment, migrations.RunPython.noop),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
        migrations.AddConstraint(
            model_name="addressassignment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)),
                fields=("address", "user"),
                name="sandbox_address_assignment_user_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="addressassignment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user_group__isnull", False)),
                fields=("address", "user_group"),
                name="sandbox_address_assignment_group_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="addressassignment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", True), ("user_group__isnull", True)),
                fields=("address",),
                name="sandbox_address_assignment_buyer_once",
            ),
        ),
    ]
