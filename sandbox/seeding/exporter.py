"""Writing a seller organization in the seeding format (`sandbox.seeding.seedfile`).

Every record is an item of the list operation that serves the API (`Users.List`, ...),
as the API returns it to a FullAccess admin, so that loading the file into another
organization gives the same API answers. A record under a parent gets the parent's ID in
a field of its own (a user's `BuyerID`); products carry their variants; values of
`OwnerID` / `SellerID` that are the organization itself become the placeholder. An API
client's ClientSecret is written as the API returns it (the file holds secrets).
"""

from itertools import product

from sandbox.models import Marketplace
from sandbox.seeding import seedfile
from sandbox.seeding.calls import Caller, operation
from sandbox.seeding.seedfile import Kind


def export(marketplace: Marketplace, *, progress=None) -> dict:
    """The organization's sections: `{"Objects": {...}, "Assignments": {...}}`."""
    caller = Caller(marketplace)
    sections: dict[str, dict] = {section: {} for section in seedfile.SECTIONS}
    listed: dict[str, list] = {}
    for kind in seedfile.KINDS:
        lister = operation(kind.list)
        if lister is None or not all(p in seedfile.PARENTS for p in lister.path_params):
            continue
        records = []
        for params in parents(kind, lister, listed):
            for item in caller.list_all(lister, params, dict(kind.list_query)):
                records.append(record(kind, item, params, marketplace))
        listed[kind.name] = records
        if progress:
            progress(kind.name, len(records))
        if kind.inline_in:
            by_parent: dict[str, list] = {}
            parent_field = seedfile.field_of(lister.path_params[0])
            for item in records:
                by_parent.setdefault(item.pop(parent_field), []).append(item)
            for parent in listed.get(kind.inline_in, []):
                if parent["ID"] in by_parent:
                    parent[kind.name] = by_parent[parent["ID"]]
        else:
            sections["Assignments" if kind.assignment else "Objects"][kind.name] = records
    return sections


def parents(kind: Kind, lister, listed: dict) -> list[dict]:
    """The path parameters to list with: every combination of the parents' IDs (no path
    parameter: one listing). Parents with none of a generated kind's records are skipped."""
    choices = []
    for param in lister.path_params:
        records = listed.get(seedfile.PARENTS[param], [])
        if kind.count_field and kind.inline_in == seedfile.PARENTS[param]:
            records = [r for r in records if (r.get(kind.count_field) or 0) > 0]
        choices.append([(param, r["ID"]) for r in records])
    return [dict(combination) for combination in product(*choices)]


def record(kind: Kind, item: dict, params: dict, marketplace: Marketplace) -> dict:
    if kind.listed_as:
        out = {seedfile.field_of(param): value for param, value in params.items()}
        out[kind.listed_as] = item["ID"]
        return out
    out = dict(item)
    for name in seedfile.OWNER_FIELDS:
        if out.get(name) == marketplace.oc_id:
            out[name] = seedfile.MARKETPLACE_PLACEHOLDER
    for param, value in params.items():
        out[seedfile.field_of(param)] = value
    return out
