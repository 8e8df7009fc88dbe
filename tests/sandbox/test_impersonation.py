"""Users.GetAccessToken (impersonation) over real HTTP against the live sandbox."""

import json
from http import HTTPStatus

import pytest
import requests

from sandbox.auth import tokens
from sandbox.models import ImpersonationConfig
from tests.sandbox import factories
from tests.sandbox.test_grants import TIMEOUT, Api, api_error, assert_me


@pytest.fixture
def api(sandbox):
    return Api(sandbox.url)


@pytest.fixture
def mkt(sandbox):
    """Admins alice (FullAccess), ivan (BuyerImpersonation only), nora (BuyerReader);
    buyer users bert (buyer-1) and bea (buyer-2); config "cfg" lets anyone with the role
    impersonate buyer-1's users through shop-any, bounded by profile "shopper-limits"."""
    marketplace = factories.marketplace("mkt")
    for user_id in ("alice", "ivan", "nora"):
        factories.user(marketplace, user_id, password="pw")
    factories.user(marketplace, "bert", password="pw", user_type="buyer", company_id="buyer-1")
    factories.user(marketplace, "bea", password="pw", user_type="buyer", company_id="buyer-2")
    factories.profile(marketplace, "full", ["FullAccess"], user_id="alice")
    factories.profile(marketplace, "impersonator", ["BuyerImpersonation"], user_id="ivan")
    factories.profile(marketplace, "reader", ["BuyerReader"], user_id="nora")
    # Bounds impersonation tokens; assigned to nobody (a level no user has).
    factories.profile(
        marketplace,
        "shopper-limits",
        ["Shopper", "MeAdmin"],
        ["CanCheckout"],
        buyer_id="no-such-buyer",
    )
    factories.api_client(marketplace, "admin-app")
    factories.api_client(
        marketplace, "shop-any", allow_seller=False, allow_any_buyer=True, access_token_duration=30
    )
    config(marketplace, "cfg", buyer_id="buyer-1")
    return marketplace


def config(marketplace, oc_id, **fields):
    fields = {"client_id": "shop-any", "security_profile_id": "shopper-limits", **fields}
    return ImpersonationConfig.objects.create(marketplace=marketplace, oc_id=oc_id, **fields)


class Impersonate:
    def __init__(self, api):
        self.api = api

    def __call__(self, caller, buyer_id="buyer-1", user_id="bert", body=None, **kwargs):
        body = {"ClientID": "shop-any", "Roles": ["Shopper", "MeAdmin"]} if body is None else body
        token = self.api.access_token("admin-app", caller)
        return requests.post(
            f"{self.api.url}/v1/buyers/{buyer_id}/users/{user_id}/accesstoken",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
            **kwargs,
        )


@pytest.fixture
def impersonate(api):
    return Impersonate(api)


def not_allowed(message):
    return api_error("Auth.ImpersonationNotAllowed", message)


class TestImpersonation:
    def test_a_token_for_the_buyer_user(self, api, mkt, impersonate):
        response = impersonate("alice")

        assert response.status_code == HTTPStatus.OK
        body = response.json()
        assert list(body) == ["access_token", "expires_in", "token_type", "refresh_token"]
        assert body["expires_in"] == 30 * 60
        assert body["token_type"] == "bearer"
        assert body["refresh_token"] is None
        claims = tokens.decode(body["access_token"])
        assert claims["exp"] - claims["nbf"] == 30 * 60
        assert {k: v for k, v in claims.items() if k not in ("exp", "nbf", "iat", "jti")} == {
            "usr": "bert",
            "cid": "shop-any",
            "u": "bert",
            "usrtype": "buyer",
            "role": ["Shopper", "MeAdmin"],
            "imp": "alice",
            "iss": tokens.ISSUER,
            "aud": tokens.AUDIENCE,
        }
        assert_me(api, body["access_token"], "bert", ("Buyer", "buyer-1"))

    def test_buyer_impersonation_role_is_enough(self, mkt, impersonate):
        response = impersonate("ivan")

        assert response.status_code == HTTPStatus.OK
        assert tokens.decode(response.json()["access_token"])["imp"] == "ivan"

    def test_the_config_profile_bounds_the_roles(self, mkt, impersonate):
        body = {
            "ClientID": "shop-any",
            "Roles": ["OrderAdmin", "Shopper", "FullAccess"],
            "CustomRoles": ["CanCheckout", "CanFly"],
        }

        response = impersonate("alice", body=body)

        assert tokens.decode(response.json()["access_token"])["role"] == [
            "Shopper",
            "CanCheckout",
        ]

    def test_a_full_access_profile_allows_every_api_role(self, mkt, impersonate):
        factories.profile(mkt, "all", ["FullAccess"], buyer_id="no-such-buyer")
        ImpersonationConfig.objects.filter(oc_id="cfg").update(security_profile_id="all")
        body = {"ClientID": "shop-any", "Roles": ["OrderAdmin", "ProductReader"]}

        response = impersonate("alice", body=body)

        claims = tokens.decode(response.json()["access_token"])
        assert claims["role"] == ["OrderAdmin", "ProductReader"]

    def test_none_of_the_requested_roles_is_allowed(self, mkt, impersonate):
        response = impersonate("alice", body={"ClientID": "shop-any", "Roles": ["OrderAdmin"]})

        assert response.status_code == HTTPStatus.FORBIDDEN
        assert response.json() == not_allowed(
            "The impersonation configs allow none of the requested roles."
        )

    def test_without_the_role(self, mkt, impersonate):
        response = impersonate("nora")

        assert response.status_code == HTTPStatus.FORBIDDEN
        assert response.json() == api_error(
            "Auth.InsufficientRoles",
            "User does not have role(s) required to perform this action.",
            {"SufficientRoles": ["FullAccess", "BuyerImpersonation"]},
        )

    def test_no_config_for_that_buyer(self, mkt, impersonate):
        response = impersonate("alice", "buyer-2", "bea")

        assert response.status_code == HTTPStatus.FORBIDDEN
        assert response.json() == not_allowed(
            "No impersonation config lets alice impersonate bea through ApiClient shop-any."
        )

    def test_a_config_for_another_client(self, mkt, impersonate):
        ImpersonationConfig.objects.filter(oc_id="cfg").update(client_id="admin-app")

        response = impersonate("alice")

        assert response.status_code == HTTPStatus.FORBIDDEN

    @pytest.mark.parametrize(
        ("levels", "alice", "ivan"),
        [
            ({"impersonation_user_id": "ivan"}, False, True),
            ({"impersonation_user_id": "alice"}, True, False),
            ({"impersonation_buyer_id": "buyer-1"}, False, False),  # admins are no buyer's
            ({"impersonation_group_id": "some-group"}, False, False),  # in no group
            ({"user_id": "bert"}, True, True),
            ({"user_id": "someone-else"}, False, False),
            ({"buyer_id": "buyer-2"}, False, False),
            ({"group_id": "some-group"}, False, False),
            ({"buyer_id": None}, True, True),  # blank levels mean any
        ],
    )
    def test_config_levels(self, mkt, impersonate, levels, alice, ivan):
        ImpersonationConfig.objects.filter(oc_id="cfg").update(**levels)

        statuses = {caller: impersonate(caller).status_code for caller in ("alice", "ivan")}

        assert statuses == {
            "alice": HTTPStatus.OK if alice else HTTPStatus.FORBIDDEN,
            "ivan": HTTPStatus.OK if ivan else HTTPStatus.FORBIDDEN,
        }

    def test_any_matching_config_will_do(self, mkt, impersonate):
        ImpersonationConfig.objects.filter(oc_id="cfg").update(impersonation_user_id="ivan")
        config(mkt, "cfg-alice", impersonation_user_id="alice", user_id="bert")

        assert impersonate("alice").status_code == HTTPStatus.OK
        assert impersonate("ivan").status_code == HTTPStatus.OK

    def test_a_client_that_does_not_let_the_buyer_in(self, mkt, impersonate):
        config(mkt, "cfg-admin-app", client_id="admin-app")

        response = impersonate("alice", body={"ClientID": "admin-app", "Roles": ["Shopper"]})

        assert response.status_code == HTTPStatus.FORBIDDEN
        assert response.json() == not_allowed(
            "ApiClient admin-app does not allow buyer buyer-1's users."
        )

    @pytest.mark.parametrize(
        ("buyer_id", "user_id"),
        [("buyer-1", "nobody"), ("buyer-2", "bert"), ("buyer-1", "alice")],
    )
    def test_unknown_user(self, mkt, impersonate, buyer_id, user_id):
        response = impersonate("alice", buyer_id, user_id)

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == api_error(
            "NotFound", f"User not found: {user_id}", {"ObjectType": "User", "ObjectID": user_id}
        )

    def test_unknown_client(self, mkt, impersonate):
        response = impersonate("alice", body={"ClientID": "nope", "Roles": ["Shopper"]})

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == api_error(
            "NotFound", "ApiClient not found: nope", {"ObjectType": "ApiClient", "ObjectID": "nope"}
        )

    def test_inactive_client(self, mkt, impersonate):
        mkt.api_clients.filter(oc_id="shop-any").update(active=False)

        response = impersonate("alice")

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == api_error(
            "ValidationFailure", "ApiClient shop-any is inactive.", {"Field": "ClientID"}
        )

    def test_inactive_user(self, mkt, impersonate):
        mkt.users.filter(oc_id="bert").update(active=False)

        response = impersonate("alice")

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == api_error(
            "ValidationFailure", "User bert is inactive.", {"Field": "UserID"}
        )

    def test_revoking_the_users_tokens_revokes_impersonation_tokens(self, api, mkt, impersonate):
        token = impersonate("alice").json()["access_token"]
        admin = api.access_token("admin-app", "alice")

        api.delete("/buyers/buyer-1/users/bert/tokens", admin)

        assert api.me(token).json() == api_error("InvalidToken", "Access token has been revoked.")

    def test_needs_a_token(self, api, mkt):
        response = requests.post(
            f"{api.url}/v1/buyers/buyer-1/users/bert/accesstoken", json={}, timeout=TIMEOUT
        )

        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response.json()["Errors"][0]["ErrorCode"] == "InvalidToken"

    def test_only_post(self, api, mkt):
        response = requests.get(
            f"{api.url}/v1/buyers/buyer-1/users/bert/accesstoken", timeout=TIMEOUT
        )

        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
        assert response.headers["Allow"] == "POST"


class TestValidation:
    """The body is parsed and validated like every other request body."""

    @pytest.mark.parametrize(
        ("body", "message", "data"),
        [
            ({"Roles": ["Shopper"]}, "ClientID is required.", {"Field": "ClientID"}),
            (
                {"ClientID": "", "Roles": ["Shopper"]},
                "ClientID is required.",
                {"Field": "ClientID"},
            ),
            (
                {"ClientID": 5, "Roles": ["Shopper"]},
                "ClientID must be a string.",
                {"Field": "ClientID", "Type": "number"},
            ),
            (
                {"ClientID": "c" * 101, "Roles": ["Shopper"]},
                "ClientID cannot be longer than 100 characters.",
                {"Field": "ClientID", "MaxLength": 100},
            ),
            (
                {"ClientID": "shop\x00any", "Roles": ["Shopper"]},
                "ClientID cannot contain NUL characters.",
                {"Field": "ClientID"},
            ),
            ({"ClientID": "shop-any"}, "Roles is required.", {"Field": "Roles"}),
            (
                {"ClientID": "shop-any", "Roles": None},
                "Roles is required.",
                {"Field": "Roles"},
            ),
            (
                {"ClientID": "shop-any", "Roles": "Shopper"},
                "Roles must be an array.",
                {"Field": "Roles", "Type": "string"},
            ),
            (
                {"ClientID": "shop-any", "Roles": ["Shopper", 7]},
                "Roles[1] must be a string.",
                {"Field": "Roles"},
            ),
            (
                {"ClientID": "shop-any", "Roles": ["Shopper", "CanFly"]},
                "Roles: 'CanFly' is not a role.",
                {"Field": "Roles", "Value": "CanFly"},
            ),
            (
                {"ClientID": "shop-any", "Roles": [], "CustomRoles": []},
                "Roles: request at least one role or custom role.",
                {"Field": "Roles"},
            ),
            (
                {"ClientID": "shop-any", "Roles": ["Shopper"], "CustomRoles": [1]},
                "CustomRoles[0] must be a string.",
                {"Field": "CustomRoles"},
            ),
            (
                {"ClientID": "shop-any", "Roles": ["Shopper"], "UserID": "x"},
                "UserID is not a valid property.",
                {"Field": "UserID"},
            ),
        ],
    )
    def test_invalid_fields(self, mkt, impersonate, body, message, data):
        response = impersonate("alice", body=body)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == api_error("ValidationFailure", message, data)

    @pytest.mark.parametrize(
        ("data", "content_type", "message", "error_data"),
        [
            (
                "{not json",
                "application/json",
                "The request body is not valid JSON: Expecting property name enclosed in"
                " double quotes: line 1 column 2 (char 1)",
                None,
            ),
            (
                b"\xff\xfe",
                "application/json",
                "The request body is not valid JSON: 'utf-8' codec can't decode byte 0xff in"
                " position 0: invalid start byte",
                None,
            ),
            (
                "",
                "application/json",
                "The request body is empty: send a JSON object.",
                None,
            ),
            (
                "[]",
                "application/json",
                "The request body must be a JSON object.",
                {"Type": "array"},
            ),
            (
                json.dumps({"ClientID": "shop-any", "Roles": ["Shopper"]}),
                "text/plain",
                "Content-Type must be application/json.",
                {"ContentType": "text/plain"},
            ),
            (
                "[" * 100_000,
                "application/json",
                "The request body is not valid JSON: maximum recursion depth exceeded while"
                " decoding a JSON array from a unicode string",
                None,
            ),
        ],
    )
    def test_malformed_bodies(self, api, mkt, data, content_type, message, error_data):
        token = api.access_token("admin-app", "alice")

        response = requests.post(
            f"{api.url}/v1/buyers/buyer-1/users/bert/accesstoken",
            data=data,
            headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
            timeout=TIMEOUT,
        )

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == api_error("Request.InvalidRequestBody", message, error_data)

    def test_a_body_over_the_upload_limit(self, api, mkt, settings):
        token = api.access_token("admin-app", "alice")
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

        response = requests.post(
            f"{api.url}/v1/buyers/buyer-1/users/bert/accesstoken",
            json={"ClientID": "shop-any", "Roles": ["Shopper"], "CustomRoles": ["r" * 1000]},
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
        )

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == api_error(
            "Request.InvalidRequestBody", "The request body is too large."
        )
