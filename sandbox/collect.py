"""Every operation the sandbox implements, gathered from the resource modules.

The only module that imports `sandbox.resources`: the URL patterns, the OpenAPI document
and the tests reach the operations through here. A new resource family is one module in
`sandbox.resources` with an `OPERATIONS` list, added to `FAMILIES`.
"""

from functools import cache

from sandbox.api.spec import Operation, Schema
from sandbox.resources import (
    addresses,
    api_clients,
    buyers,
    catalogs,
    categories,
    impersonation_configs,
    incrementors,
    me,
    me_addresses,
    me_catalog,
    price_schedules,
    product_facets,
    products,
    security_profiles,
    specs,
    supplier_buyers,
    suppliers,
    user_groups,
    users,
    xp_indices,
)

# In the order of the OpenAPI document.
FAMILIES = (
    buyers,
    users,
    user_groups,
    addresses,
    api_clients,
    security_profiles,
    impersonation_configs,
    suppliers,
    supplier_buyers,
    catalogs,
    categories,
    products,
    price_schedules,
    specs,
    product_facets,
    incrementors,
    xp_indices,
    me,
    me_addresses,
    me_catalog,
)


@cache
def operations() -> tuple[Operation, ...]:
    """Every operation the sandbox implements (`/v1` + path), in document order."""
    return tuple(operation for family in FAMILIES for operation in family.OPERATIONS)


@cache
def schemas() -> dict[str, Schema]:
    """Every schema by name: the operations' bodies, responses and list pages' Meta, and
    the schemas of the nested objects in them (MeUser.Buyer: MeBuyer)."""
    found: dict[str, Schema] = {}
    pending = [
        s for op in operations() for s in (op.request, op.response, op.meta) if s is not None
    ]
    while pending:
        schema = pending.pop(0)
        if schema.name in found:
            continue
        found[schema.name] = schema
        pending += [field.ref for field in schema.fields if field.ref is not None]
    return found
