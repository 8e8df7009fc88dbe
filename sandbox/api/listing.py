"""OrderCloud list semantics on a Django queryset: filters, search, sortBy, paging, ListPage.

Everything runs in the database: filters become `Q` objects, sorting `order_by`, counting
`count()` and paging a slice, so a page out of 100,000 rows never loads them all.

A resource describes its list fields as `{wire name: Column}`; `xp` is a JSON column and
`xp.a.b` filters and sorts reach inside it.
"""

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import BooleanField, Expression, F, Q
from django.db.models.fields.json import KeyTransform

from sandbox.api.errors import validation_failure
from sandbox.models import xp_indexes

MAX_PAGE_SIZE = 100
MAX_PAGE = 2**31 - 1  # OrderCloud's page is an int32; beyond it no database can OFFSET
DEFAULT_PAGE_SIZE = 20
# Each filter alternative and search term is a SQL condition; SQLite refuses an expression
# tree over 1000 deep, so a list request has at most this many of each (else a 400).
MAX_FILTER_CONDITIONS = 100
MAX_SEARCH_TERMS = 20
INT64 = (-(2**63), 2**63 - 1)  # the integers SQLite can compare with
# Query keys that are not filters. Path-level query parameters (e.g. userGroupID) are
# passed by the caller in `ignore`.
RESERVED = {"page", "pageSize", "search", "searchOn", "searchType", "sortBy", "filters"}
SEARCH_TYPES = {
    "AnyTerm",
    "AllTermsAnyField",
    "AllTermsSameField",
    "ExactPhrase",
    "ExactPhrasePrefix",
}


class ListError(Exception):
    """A bad list request: becomes a 400 in OrderCloud's error shape."""

    def __init__(self, code, message, data=None):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data


@dataclass(frozen=True)
class Column:
    column: str  # ORM path, e.g. "last_name" or "buyer__external_id"
    type: str = "string"  # string | integer | number | boolean | datetime | object


def list_page(
    queryset,
    params,
    *,
    fields,
    searchable,
    sortable,
    serialize=None,
    serialize_page=None,
    ignore=(),
    default_order=(),
    counted=None,
):
    """Apply OrderCloud list parameters to `queryset` and return a ListPage dict.

    Rows are ordered by sortBy, then `default_order`, then creation (`pk`). Each row of
    the page becomes a wire object through `serialize(row)`, or all of them at once
    through `serialize_page(rows)` (which can look up what they share in one query).
    `counted`: the same rows as `queryset` in a form cheaper to count, when it has one.
    """
    page, page_size = _paging(params)
    narrow = {"fields": fields, "searchable": searchable, "ignore": ignore}
    queryset = filtered(queryset, params, **narrow)
    ordering = _ordering(params.get("sortBy", ""), fields, sortable)
    queryset = queryset.order_by(*ordering, *default_order, "pk")
    total = (queryset if counted is None else filtered(counted, params, **narrow)).count()
    start = (page - 1) * page_size
    rows = list(queryset[start : start + page_size])
    items = serialize_page(rows) if serialize_page else [serialize(row) for row in rows]
    return {
        "Meta": {
            "Page": page,
            "PageSize": page_size,
            "TotalCount": total,
            "TotalPages": math.ceil(total / page_size),
            "ItemRange": [start + 1, start + len(items)] if items else [0, 0],
        },
        "Items": items,
    }


def filtered(queryset, params, *, fields, searchable, ignore=()):
    """`queryset` narrowed by the list's filters and search (no order, no paging)."""
    queryset = queryset.filter(_filters(params, fields, set(ignore)))
    return queryset.filter(_search(params, fields, searchable))


def _int_param(params, name, default):
    raw = params.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise validation_failure(f"{name} must be an integer.", name) from None


def _paging(params):
    page = _int_param(params, "page", 1)
    page_size = _int_param(params, "pageSize", DEFAULT_PAGE_SIZE)
    if not 1 <= page <= MAX_PAGE:
        raise validation_failure(f"page must be between 1 and {MAX_PAGE}.", "page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ListError(
            "List.InvalidPageSize",
            f"pageSize must be between 1 and {MAX_PAGE_SIZE}.",
            {"Value": page_size},
        )
    return page, page_size


class XpKey(KeyTransform):
    """Django's value at a key of a JSON column, with the JSON path written into the SQL
    on SQLite rather than passed as a parameter: SQLite uses an index on an expression
    (sandbox.models.xp_indexes) only for the very same expression, constants included."""

    def as_sqlite(self, compiler, connection):
        column, params, keys = self.preprocess_lhs(compiler, connection)
        return xp_indexes.sqlite_value_sql(column, keys, connection), params


def xp_value(column: str, keys: list[str]):
    """The value at `keys` inside the JSON column `column` (an ORM path)."""
    value = F(column)
    for key in keys:
        value = XpKey(key, value)
    return value


class XpLookup(Expression):
    """`lookup` (exact, gt, ...) of the value at `keys` of a JSON column against
    `operand`, built once the column is resolved (Django prepares a JSON operand by the
    column's field)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, keys: list[str], lookup: str, operand):
        super().__init__()
        self.column, self.keys, self.lookup, self.operand = column, keys, lookup, operand

    def resolve_expression(self, query=None, *args, **kwargs):
        value = xp_value(self.column, self.keys).resolve_expression(query, *args, **kwargs)
        compare = value.get_lookup(self.lookup)(value, self.operand)
        return compare.resolve_expression(query, *args, **kwargs)


def _resolve(name, fields):
    """Wire property name -> (ORM path, type, is_xp); unknown names are refused. The ORM
    path of an xp property is its (column, keys)."""
    if name == "xp" or name.startswith("xp."):
        parts = name.split(".")[1:]
        if not parts or not all(parts) or "xp" not in fields:
            raise ListError("List.InvalidProperty", f"Invalid property: {name}", {"Property": name})
        return (fields["xp"].column, parts), "json", True
    if name not in fields or fields[name].type == "object":
        raise ListError("List.InvalidProperty", f"Invalid property: {name}", {"Property": name})
    return fields[name].column, fields[name].type, False


# --- filters ---------------------------------------------------------------------------


def _filters(params, fields, ignore):
    q = Q()
    conditions = 0
    for key in params:
        if key in RESERVED or key in ignore:
            continue
        path, kind, _ = _resolve(key, fields)
        # Repeated keys are ANDed; `a|b` within one value is ORed.
        for value in params.getlist(key):
            alternatives = Q()
            for alternative in value.split("|"):
                conditions += 1
                if conditions > MAX_FILTER_CONDITIONS:
                    raise validation_failure(
                        f"A list request can have at most {MAX_FILTER_CONDITIONS} filter values.",
                        key,
                    )
                alternatives |= _condition(path, kind, alternative, key)
            q &= alternatives
    return q


def _condition(path, kind, expr, name):
    negate = expr.startswith("!")
    if negate:
        expr = expr[1:]
        if expr == "*":  # `!*`: absent or empty
            return _absent(path, kind)
    if expr == "*":
        return ~_absent(path, kind)
    op = "exact"
    for prefix, lookup in ((">=", "gte"), ("<=", "lte"), (">", "gt"), ("<", "lt")):
        if expr.startswith(prefix):
            op, expr = lookup, expr[len(prefix) :]
            break
    if op == "exact" and "*" in expr:
        cond = _wildcard(path, expr)
    elif kind == "json":
        cond = _json_condition(path, op, expr)
    else:
        cond = Q(**{f"{path}__{op}": _typed(expr, kind, name)})
    return ~cond if negate else cond


def _absent(path, kind):
    if kind == "json":
        return Q(**{f"{_orm(path)}__isnull": True})
    if kind == "string":
        return Q(**{f"{path}__isnull": True}) | Q(**{path: ""})
    return Q(**{f"{path}__isnull": True})


def _orm(path):
    """An ORM path, from an xp property's (column, keys) too."""
    return "__".join([path[0], *path[1]]) if isinstance(path, tuple) else path


def _wildcard(path, expr):
    path = _orm(path)
    inner = expr.strip("*")
    if "*" in inner:  # a wildcard in the middle: a case-insensitive regular expression
        pattern = "^" + ".*".join(re.escape(part) for part in expr.split("*")) + "$"
        return Q(**{f"{path}__iregex": pattern})
    if expr.startswith("*") and expr.endswith("*"):
        return Q(**{f"{path}__icontains": inner})
    if expr.endswith("*"):
        return Q(**{f"{path}__istartswith": inner})
    return Q(**{f"{path}__iendswith": inner})


def _json_condition(path, op, expr):
    """xp values have no declared type: match the text, and the number or boolean it spells."""

    def compare(lookup, operand):
        return Q(XpLookup(*path, lookup, operand))

    number = _number(expr)
    if op != "exact":
        return compare(op, expr if number is None else number)
    cond = compare("exact", expr)
    if number is not None:
        cond |= compare("exact", number)
    if expr.lower() in ("true", "false"):
        cond |= compare("exact", expr.lower() == "true")
    return cond


def _number(text):
    try:
        number = int(text)
    except ValueError:
        pass
    else:
        if INT64[0] <= number <= INT64[1]:
            return number
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _typed(text, kind, name):
    """Convert a filter value to the column's type, or refuse it by name."""
    try:
        if kind == "boolean":
            if text.lower() not in ("true", "false"):
                raise ValueError
            return text.lower() == "true"
        if kind == "integer":
            return int(text)
        if kind == "number":
            value = float(text)
            if not math.isfinite(value):
                raise ValueError
            return value
        if kind == "datetime":
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
            # Stored in UTC: a naive time is UTC; an aware one must still be a UTC time.
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (ValueError, OverflowError):
        raise validation_failure(
            f"Invalid value for {name}: expected {kind}.", name, Value=text
        ) from None
    return text


# --- search ----------------------------------------------------------------------------


def _search(params, fields, searchable):
    text = params.get("search", "").strip()
    if not text:
        return Q()
    search_on = [s.strip() for s in params.get("searchOn", "").split(",") if s.strip()]
    for name in search_on:
        if name not in searchable:
            raise ListError("List.InvalidProperty", f"Invalid searchOn: {name}", {"Property": name})
    # A name the reference lists that these objects lack (Me.ListSpecs' Description)
    # matches nothing; a boolean matches the term true or false.
    columns = [fields[name] for name in (search_on or searchable) if name in fields]
    search_type = params.get("searchType", "") or "AnyTerm"
    if search_type not in SEARCH_TYPES:
        raise validation_failure(
            f"searchType must be one of {', '.join(sorted(SEARCH_TYPES))}.", "searchType"
        )
    terms = text.split()
    if len(terms) > MAX_SEARCH_TERMS:
        raise validation_failure(f"search can have at most {MAX_SEARCH_TERMS} terms.", "search")

    def matches(column, lookup, value):
        if column.type == "boolean":
            word = value.strip().lower()
            return Q(**{column.column: word == "true"}) if word in ("true", "false") else Q(pk=None)
        return Q(**{f"{column.column}__{lookup}": value})

    def any_field(lookup, value):
        q = Q(pk=None)
        for column in columns:
            q |= matches(column, lookup, value)
        return q

    if search_type == "ExactPhrase":
        return any_field("icontains", text)
    if search_type == "ExactPhrasePrefix":
        return any_field("istartswith", text)
    if search_type == "AllTermsAnyField":
        q = Q()
        for term in terms:
            q &= any_field("icontains", term)
        return q
    if search_type == "AllTermsSameField":
        q = Q(pk=None)
        for column in columns:
            same = Q()
            for term in terms:
                same &= matches(column, "icontains", term)
            q |= same
        return q
    q = Q()  # AnyTerm
    for term in terms:
        q |= any_field("icontains", term)
    return q


# --- sorting ---------------------------------------------------------------------------


def _ordering(sort_by, fields, sortable):
    ordering = []
    for raw in (part.strip() for part in sort_by.split(",")):
        if not raw:
            continue
        descending = raw.startswith("!")
        name = raw[1:] if descending else raw
        if not (name in sortable or name.startswith("xp.")):
            raise ListError("List.InvalidProperty", f"Invalid sortBy: {name}", {"Property": name})
        if name in sortable and name not in fields:
            continue  # listed by the reference, lacking in these objects: no order
        path, kind, _ = _resolve(name, fields)
        expr = F(_orm(path))
        ordering.append(expr.desc(nulls_last=True) if descending else expr.asc(nulls_first=True))
    return ordering
