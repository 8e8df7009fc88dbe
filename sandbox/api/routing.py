"""URL patterns for a sequence of operations: one view per path, dispatching on method."""

from collections.abc import Callable, Iterable

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


def api_patterns(operations: Iterable[Operation], authorize: Callable):
    """`authorize(request, operation)`: see `sandbox.api.endpoints.operation_view`."""
    by_path: dict[str, dict] = {}
    for operation in operations:
        by_path.setdefault(operation.path, {})[operation.method] = operation
    return [
        path(django_route(api_path), endpoints.operation_view(by_path[api_path], authorize))
        for api_path in sorted(by_path, key=_specificity)
    ]
