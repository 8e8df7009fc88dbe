"""URL patterns for a sequence of operations: one view per path, dispatching on method."""

from collections.abc import Callable, Iterable, Mapping

from django.urls import path

from sandbox.api import endpoints
from sandbox.api.spec import Operation


def django_route(api_path: str) -> str:
    """`/buyers/{buyerID}/users` -> `v1/buyers/<str:buyerID>/users`."""
    parts = []
    for part in api_path.strip("/").split("/"):
        parts.append(f"<str:{part[1:-1]}>" if part.startswith("{") else part)
    return "v1/" + "/".join(parts)


def _specificity(api_path: str):
    # Literal segments before parameters: /usergroups/assignments before /usergroups/{id}.
    return [(part.startswith("{"), part) for part in api_path.strip("/").split("/")]


def api_patterns(
    operations: Iterable[Operation], authorize: Callable, reference: Mapping[str, dict] = {}
):
    """The views of `operations`, and 501s for the rest of `reference` (OrderCloud's
    operations by operationId, with their `method` and `path`), so that a path OrderCloud
    has never answers "No such route". `authorize`: see `endpoints.operation_view`."""
    by_path: dict[str, dict] = {}
    for operation in operations:
        by_path.setdefault(operation.path, {})[operation.method] = operation
    served = {operation.operation_id for operation in operations}
    missing: dict[str, dict] = {}
    for operation_id, facts in reference.items():
        if operation_id not in served and facts["path"].startswith("/"):
            missing.setdefault(facts["path"], {})[facts["method"]] = operation_id
    return [
        path(
            django_route(api_path),
            endpoints.operation_view(
                by_path.get(api_path, {}), authorize, missing.get(api_path, {})
            ),
        )
        for api_path in sorted(by_path.keys() | missing.keys(), key=_specificity)
    ]
