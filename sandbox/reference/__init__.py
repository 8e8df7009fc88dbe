"""OrderCloud's reference document, facts only: `openapi-facts.json` (see README.md).

`sandbox.reference.derive` writes the file from OrderCloud's OpenAPI document; this module
only reads it, and depends on nothing else in the sandbox. The dictionaries it returns are
shared (one parse per process): read them, never change them.

- `facts()`: the whole snapshot: `source` (the document's version and sha256), `sections`
  (the reference's sections and their tags), `tags` (each tag's operationIds in the
  document's order), `operations`, `schemas`, `enums`.
- `operation(operation_id)`: tag, method, path, roles, status, pathParams, query,
  searchOn / sortBy (ascending names, in the document's order), request ({schema,
  required}) and response ({schema} or {schema, listPage, meta}).
- `schema(name)`: field name -> {ref, type, format, items, enum, maxLength, minimum,
  maximum, readOnly, default}, in the document's order.
- `enum(name)`: an enumeration's values (ApiRole, SearchType, ...), in the document's order.
"""

import json
from functools import cache
from pathlib import Path

FACTS = Path(__file__).with_name("openapi-facts.json")


@cache
def facts() -> dict:
    return json.loads(FACTS.read_text(encoding="utf-8"))


def operations() -> dict[str, dict]:
    """Every operation of the reference by operationId, sorted by operationId."""
    return facts()["operations"]


def operation(operation_id: str) -> dict:
    """One operation's facts (KeyError when the reference has no such operation)."""
    return facts()["operations"][operation_id]


def schema(name: str) -> dict[str, dict]:
    """One object schema's fields (KeyError when the reference has no such schema)."""
    return facts()["schemas"][name]


def enum(name: str) -> list[str]:
    return facts()["enums"][name]


def version() -> str:
    """The reference document's own version, e.g. "1.0.239.25688"."""
    return facts()["source"]["version"]
