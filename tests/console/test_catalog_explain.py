"""OrderCloud errors in plain words: what went wrong and what to do."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from console.catalog import explain
from console.contexts import AuthContext
from console.exchange import Exchange


def exchange(status, body, truncated=False):
    text = body if isinstance(body, str) else json.dumps(body, indent=2)
    return Exchange(
        environment_name="E",
        method="GET",
        url="http://e/v1/x",
        request_text="GET /v1/x HTTP/1.1\n",
        response_head=f"HTTP/1.1 {status} X\nContent-Type: application/json\n",
        body=text.encode(),
        content_type="application/json",
        status=status,
        reason="X",
        elapsed_ms=1.0,
        size=len(text),
        truncated=truncated,
        error="",
    )


def errors(code, message="m", data=None):
    return {"Errors": [{"ErrorCode": code, "Message": message, "Data": data}]}


def auth(*roles, expired=False):
    delta = timedelta(hours=-1 if expired else 1)
    return AuthContext(
        "c1", "Admin: u", "sandbox", "password", "C", "u", "u", "admin", roles,
        datetime.now(UTC) + delta, "t" * 40,
    )  # fmt: skip


class TestUnauthorized:
    def test_expired_by_the_clock(self):
        found = explain.explain(
            exchange(401, errors("InvalidToken", "Invalid.")), auth(expired=True), True
        )

        assert found.kind == "expired"

    def test_expired_as_the_api_says(self):
        body = errors("InvalidToken", "Access token has expired.")

        assert explain.explain(exchange(401, body), auth(), True).kind == "expired"

    def test_refused(self):
        body = errors("InvalidToken", "Access token has been revoked.")

        found = explain.explain(exchange(401, body), auth(), True)

        assert (found.kind, found.message) == ("refused", "Access token has been revoked.")

    def test_without_a_token_there_is_nothing_to_add(self):
        assert explain.explain(exchange(401, errors("InvalidToken")), None, False) is None


class TestForbidden:
    def test_the_roles_that_would_do_and_what_to_ask_for(self):
        body = errors(
            "Auth.InsufficientRoles", "No.", {"SufficientRoles": ["FullAccess", "BuyerAdmin"]}
        )

        found = explain.explain(exchange(403, body), auth("MeAdmin"), True)

        assert found.kind == "roles"
        assert found.roles == ("FullAccess", "BuyerAdmin")
        assert found.roles_to_ask == "MeAdmin FullAccess BuyerAdmin"

    def test_roles_from_the_operation_when_the_error_has_none(self):
        class Op:
            roles = ("FullAccess", "OrderAdmin")

        found = explain.explain(exchange(403, errors("Auth.InsufficientRoles")), auth(), True, Op())

        assert found.roles == ("FullAccess", "OrderAdmin")

    def test_another_403(self):
        assert explain.explain(exchange(403, errors("Auth.BuyerUsersOnly")), auth(), True) is None


class TestNotFound:
    def test_names_the_type_and_id(self):
        body = errors(
            "NotFound", "Buyer not found: nope", {"ObjectType": "Buyer", "ObjectID": "nope"}
        )

        found = explain.explain(exchange(404, body), auth(), True)

        assert (found.kind, found.object_type, found.object_id) == ("not-found", "Buyer", "nope")


class TestValidationFailure:
    def test_marks_the_fields(self):
        body = {
            "Errors": [
                {
                    "ErrorCode": "ValidationFailure",
                    "Message": "Name is required.",
                    "Data": {"Field": "Name"},
                },
                {"ErrorCode": "ValidationFailure", "Message": "Bad.", "Data": {"Property": "xp.a"}},
                {
                    "ErrorCode": "ValidationFailure",
                    "Message": "Too long.",
                    "Data": {"Field": "Address.City"},
                },
            ]
        }

        found = explain.explain(exchange(400, body), auth(), True)

        assert found.kind == "validation"
        assert found.fields == {
            "Name": "Name is required.",
            "xp.a": "Bad.",
            "Address.City": "Too long.",
        }
        assert found.marks == {
            "op.body.Name": "Name is required.",
            "op.path.Name": "Name is required.",
            "op.query.Name": "Name is required.",
            "op.body.xp": "Bad.",
            "op.path.xp": "Bad.",
            "op.query.xp": "Bad.",
            "op.body.Address": "Too long.",
            "op.path.Address": "Too long.",
            "op.query.Address": "Too long.",
        }

    def test_without_a_field(self):
        found = explain.explain(exchange(400, errors("ValidationFailure", "Nope.")), auth(), True)

        assert (found.fields, found.message, found.marks) == ({}, "Nope.", {})


@pytest.mark.parametrize(
    "response",
    [
        exchange(200, {"ID": "x"}),
        exchange(404, "<html>not json</html>"),
        exchange(404, errors("NotFound"), truncated=True),
        exchange(400, {"Errors": "not a list"}),
        exchange(400, {"Errors": [3, None]}),
        exchange(500, errors("InternalServerError")),
        exchange(400, "[" * 5000 + "]" * 5000),
    ],
)
def test_nothing_to_explain(response):
    assert explain.explain(response, auth(), True) is None
