"""Schema-driven fuzzing: schemathesis against the sandbox's own OpenAPI document.

Every operation in the document, over real HTTP, with a FullAccess token, with valid
(positive) and invalid (negative) inputs: no input may produce a 500, and every response
must be one the document describes (status code, content type, body schema). Seeded and
bounded so `make test` stays quick and repeatable.
"""

from http import HTTPStatus

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sandbox import collect
from sandbox.api import openapi
from sandbox.models import User
from tests.sandbox import factories
from tests.sandbox.api import api_for, error

# Built from the same code the live server serves; `served_document` checks they agree.
PLACEHOLDER = "http://sandbox.invalid/sandbox"
SCHEMA = schemathesis.openapi.from_dict(
    openapi.document(PLACEHOLDER, collect.operations(), collect.schemas())
)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# 10 x the 330 operations, in 6 parts that test processes (pytest-xdist) share out.
EXAMPLES_PER_OPERATION = 10
PARTS = 6


@pytest.fixture
def served_document(sandbox):
    document = requests.get(f"{sandbox.url}/v1/openapi/v3", timeout=10).json()
    assert document == openapi.document(sandbox.url, collect.operations(), collect.schemas())
    return document


@pytest.fixture
def headers(sandbox, served_document):
    """The marketplace's default admin user's FullAccess token.

    Sent on a new connection per request: the live server answers a reused one ~40 ms
    late (delayed ACKs), which would make fuzzing four times slower.
    """
    token = requests.post(
        f"{sandbox.url}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": sandbox.client_id,
            "username": sandbox.username,
            "password": sandbox.password,
            "scope": "DevCenterImpersonate FullAccess",
        },
        timeout=10,
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def cases(operation):
    return st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )


def test_every_operation_is_fuzzed():
    assert len(OPERATIONS) == len(collect.operations())


@pytest.mark.parametrize("part", range(PARTS))
def test_no_input_breaks_the_document(sandbox, headers, subtests, part):
    """One sandbox per part of the operations (seeding it per operation would cost more
    than the fuzzing); each operation is a subtest, reported on its own."""
    base_url = f"{sandbox.url}/v1"
    for operation in OPERATIONS[part::PARTS]:
        with subtests.test(msg=operation.label):
            fuzz(operation, base_url, headers)


def fuzz(operation, base_url, headers):
    @given(case=cases(operation))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS, timeout=10)
        # Me.Save / Me.Patch may deactivate the token's own user: keep it signed in.
        User.objects.filter(user_type=User.Type.ADMIN, active=False).update(active=True)

    run()


# --- what the fuzzer found, pinned -----------------------------------------------------------


@pytest.fixture
def api(client, db):
    return api_for(client, factories.marketplace())


def validation_failure(message, field):
    return error("ValidationFailure", message, {"Field": field})


class TestFound:
    def test_a_page_beyond_int32_is_refused_not_a_database_overflow(self, api):
        response = api.get("/buyers", page=str(2**31))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == validation_failure(
            "page must be between 1 and 2147483647.", "page"
        )
        assert api.get("/buyers", page=str(2**31 - 1)).json()["Items"] == []

    def test_patch_cannot_clear_a_required_field_of_me(self, api):
        response = api.patch("/me", {"Username": None})

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == validation_failure("Username is required.", "Username")
        assert api.patch("/me", {"Phone": None}).status_code == HTTPStatus.OK

    def test_patch_cannot_clear_a_required_field_of_a_resource(self, api):
        api.post("/buyers", {"ID": "b1", "Name": "Buyer"})

        response = api.patch("/buyers/b1", {"Name": ""})

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == validation_failure("Name is required.", "Name")
        assert api.get("/buyers/b1").json()["Name"] == "Buyer"
