"""Product facets in a product list's Meta (OrderCloud's ListPageWithFacets).

A ProductFacet names an xp path (XpPath, else its ID) whose values, a primitive or an
array of primitives per product, are counted over the list's products. A value's count
is the number of products the list would answer if that value were added to the
request's filters: the other facets' filters apply, the facet's own does not (values of
one facet are alternatives; of different facets, they add up). Values come by count,
highest first (then by value); those under the facet's MinCount are left out, and with
MinCount 0 the facet's values among the products before any filter show with 0.

Counting runs in the database: one GROUP BY per facet on the value's JSON type and text
(arrays are split into their items in Python, one row per distinct array).
"""

import json
from collections import Counter

from django.db.models import Count, F, Func, TextField

from sandbox.api import listing
from sandbox.models import ProductFacet


class _JsonAt(Func):
    """The JSON type ("text" on SQLite, "string" on PostgreSQL) or the text of the value
    at a path of keys inside a JSON column."""

    output_field = TextField()

    def __init__(self, column, keys: list[str], kind: str):
        super().__init__(column)
        self.keys, self.kind = keys, kind

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        path = "$" + "".join(f".{json.dumps(key)}" for key in self.keys)
        function = "JSON_TYPE" if self.kind == "type" else "JSON_EXTRACT"
        return f"{function}({column}, %s)", (*params, path)

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        if self.kind == "type":
            return f"JSONB_TYPEOF({column} #> %s)", (*params, self.keys)
        return f"({column} #>> %s)", (*params, self.keys)


def _values(queryset, keys: list[str]) -> Counter:
    """{value text: number of products} of the xp path `keys` over `queryset`."""
    rows = (
        queryset.order_by()
        .annotate(
            facet_type=_JsonAt(F("xp"), keys, "type"), facet_text=_JsonAt(F("xp"), keys, "text")
        )
        .values("facet_type", "facet_text")
        .annotate(n=Count("pk"))
    )
    counts: Counter = Counter()
    for row in rows:
        for value in _texts(row["facet_type"], row["facet_text"]):
            counts[value] += row["n"]
    return counts


def _texts(kind, text) -> list[str]:
    """The facet values a stored value stands for: itself, or an array's primitives."""
    if kind in (None, "null", "object") or text is None:
        return []
    if kind == "array":
        items = json.loads(text)
        return sorted({_text(item) for item in items if _text(item) is not None})
    if kind in ("true", "false"):  # SQLite
        return [kind]
    if kind == "boolean":  # PostgreSQL
        return [text]
    return [str(text)]


def _text(item) -> str | None:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int | float | str):
        return str(item)
    return None


def list_facets(marketplace, products, params, *, fields, searchable, ignore=()) -> list[dict]:
    """Meta.Facets for the list of `products` (the list's products before its filters and
    search) answered to `params`."""
    found = []
    for facet in ProductFacet.objects.filter(marketplace=marketplace).order_by(
        F("list_order").asc(nulls_first=True), "oc_id"
    ):
        path = facet.xp_path or facet.oc_id
        keys = path.split(".")
        others = listing.filtered(
            products, params, fields=fields, searchable=searchable, ignore=[*ignore, f"xp.{path}"]
        )
        counts = _values(others, keys)
        if facet.min_count <= 0:
            for value in _values(products, keys):
                counts.setdefault(value, 0)
        values = sorted(
            ((value, n) for value, n in counts.items() if n >= facet.min_count),
            key=lambda pair: (-pair[1], pair[0]),
        )
        found.append(
            {
                "Name": facet.name,
                "XpPath": path,
                "Values": [{"Value": value, "Count": n} for value, n in values],
                "xp": facet.xp,
            }
        )
    return found
