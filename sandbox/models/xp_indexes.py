"""Xp indices: the xp paths a marketplace filters its lists on, each kept by the database
as an index on the expression that reads it (OrderCloud's Xp Indices do the same job).

An xp filter reads JSON in every row it considers; with an index on (the list's scope
columns, the value at the path) the database finds the matching rows in the index instead
(`bench/sandbox_lists.py`: `xp.tier=gold` at 100,000 users). The index's expression is
exactly the one list filters compile to (`sandbox.api.listing.xp_value`): Django's, with
the JSON path written into the SQL, because SQLite matches an expression index only
against the same expression, constants included. Indexes are shared by marketplaces: one
is made when a marketplace first indexes a path and dropped when the last one lets it go.
"""

import hashlib

from django.db import connection, models
from django.utils import timezone

from sandbox.models.catalog import (
    Catalog,
    Category,
    PriceSchedule,
    ProductFacet,
    Spec,
    SpecOption,
    Variant,
)
from sandbox.models.identity import Address, Buyer, Marketplace, Supplier, User, UserGroup

# OrderCloud's XpThingType values the sandbox has objects of: their tables, with the
# columns a list of them is scoped by (the index's leading columns).
INDEXED = {
    "Address": ((Address, ("marketplace_id", "owner_type", "company_id")),),
    "Variant": ((Variant, ("product_id",)),),
    "Spec": ((Spec, ("marketplace_id",)),),
    "SpecOption": ((SpecOption, ("spec_id",)),),
    "UserGroup": ((UserGroup, ("marketplace_id", "group_type", "company_id")),),
    "Company": ((Buyer, ("marketplace_id",)), (Supplier, ("marketplace_id",))),
    "Category": ((Category, ("catalog_id",)),),
    "PriceSchedule": ((PriceSchedule, ("marketplace_id",)),),
    "User": ((User, ("marketplace_id", "user_type", "company_id")),),
    "Catalog": ((Catalog, ("marketplace_id",)),),
    "ProductFacet": ((ProductFacet, ("marketplace_id",)),),
}


class XpIndex(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    thing_type = models.CharField(max_length=30)
    key = models.CharField(max_length=200)  # a dotted path inside xp: "tier", "a.b"
    date_created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "thing_type", "key"], name="sandbox_xp_index_once"
            )
        ]

    def __str__(self):
        return f"{self.thing_type} {self.key}"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sqlite_value_sql(column_sql: str, keys: list[str], on=connection) -> str:
    """Django's SQLite expression for the value at `keys` in a JSON column, the path a
    constant."""
    path = _literal(on.ops.compile_json_path(keys))
    kinds = ",".join(repr(value) for value in on.ops.jsonfield_datatype_values)
    return (
        f"(CASE WHEN JSON_TYPE({column_sql}, {path}) IN ({kinds})"
        f" THEN JSON_TYPE({column_sql}, {path}) ELSE JSON_EXTRACT({column_sql}, {path}) END)"
    )


def _postgresql_value_sql(column_sql: str, keys: list[str]) -> str:
    """Django's PostgreSQL expression for the value at `keys` (`->` for one key, `#>` for
    a path)."""
    if len(keys) > 1:
        return f"({column_sql} #> {_literal('{' + ','.join(keys) + '}')})"
    key = keys[0]
    return f"({column_sql} -> {key if key.isdigit() else _literal(key)})"


def _index_sql(model, scope: tuple[str, ...], keys: list[str]) -> tuple[str, str]:
    """(name, CREATE INDEX statement) of the index on `keys` of the model's xp."""
    quote = connection.ops.quote_name
    digest = hashlib.sha1(".".join(keys).encode()).hexdigest()[:12]
    name = f"sandbox_xp_{model._meta.model_name}_{digest}"
    column = quote("xp")
    if connection.vendor == "postgresql":
        value = f"({_postgresql_value_sql(column, keys)})"
    else:
        value = sqlite_value_sql(column, keys)
    columns = ", ".join([*(quote(c) for c in scope), value])
    table = quote(model._meta.db_table)
    return name, f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {table} ({columns})"


def _execute(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL alters no table with deferred foreign key checks pending in the
            # transaction: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)


def create_indexes(thing_type: str, key: str) -> None:
    """Make the indexes on the path (already made: nothing to do)."""
    _execute(
        [
            _index_sql(model, scope, key.split("."))[1]
            for model, scope in INDEXED.get(thing_type, ())
        ]
    )


def drop_indexes(thing_type: str, key: str) -> None:
    """Drop the indexes on the path unless a marketplace still has it."""
    if XpIndex.objects.filter(thing_type=thing_type, key=key).exists():
        return
    names = [
        _index_sql(model, scope, key.split("."))[0] for model, scope in INDEXED.get(thing_type, ())
    ]
    _execute([f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}" for name in names])
