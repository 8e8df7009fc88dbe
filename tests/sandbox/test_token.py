import re
import time
from http import HTTPStatus
from urllib.parse import urlencode

import jwt
import pytest

from sandbox.auth import tokens
from sandbox.models import User
from tests.sandbox import factories
from tests.sandbox.conftest import FORM, TOKEN_URL, get_me, post_token

WRONG_CREDENTIALS = {
    "error": "invalid_grant",
    "error_description": "Username or password is incorrect.",
}


def decoded(body, audience=tokens.AUDIENCE):
    return jwt.decode(
        body["access_token"] if audience == tokens.AUDIENCE else body["refresh_token"],
        tokens.signing_key(),
        algorithms=["HS256"],
        audience=audience,
    )


@pytest.fixture
def mkt(db):
    """A marketplace with an admin user "alice" (FullAccess at marketplace level)."""
    marketplace = factories.marketplace("mkt")
    factories.api_client(marketplace, "client-1")
    factories.user(marketplace, "alice", password="alice-password", first_name="Alice")
    factories.profile(marketplace, "full", ["FullAccess"])
    return marketplace


def alice_fields(**overrides):
    return {
        "grant_type": "password",
        "client_id": "client-1",
        "username": "alice",
        "password": "alice-password",
        **overrides,
    }


class TestDevCenterImpersonate:
    def test_the_account_acts_as_the_default_admin_user(self, client, demo):
        before = time.time()

        response = post_token(client, **demo.impersonation_fields())

        after = time.time()
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == "application/json"
        assert response["Cache-Control"] == "no-store"
        body = response.json()
        assert list(body) == ["access_token", "expires_in", "token_type", "refresh_token"]
        assert body["expires_in"] == 600 * 60
        assert body["token_type"] == "bearer"
        assert body["refresh_token"] is None
        claims = decoded(body)
        assert int(before) <= claims["nbf"] <= after
        assert claims["nbf"] == int(claims["iat"])
        assert before <= claims["iat"] <= after
        assert re.fullmatch(r"[0-9a-f]{32}", claims["jti"])
        assert claims == {
            "usr": "demo-admin",
            "cid": demo.api_client.oc_id,
            "u": "demo-admin",
            "usrtype": "admin",
            "role": ["DevCenterImpersonate", "FullAccess"],
            "iss": "urn:ordercloud-console:sandbox:auth",
            "aud": "urn:ordercloud-console:sandbox:api",
            "exp": claims["nbf"] + 36000,
            "nbf": claims["nbf"],
            "iat": claims["iat"],
            "jti": claims["jti"],
        }

    def test_jwt_header_is_hs256(self, client, demo):
        body = post_token(client, **demo.impersonation_fields()).json()

        assert jwt.get_unverified_header(body["access_token"]) == {"alg": "HS256", "typ": "JWT"}

    def test_each_token_has_its_own_jti(self, client, demo):
        first = decoded(post_token(client, **demo.impersonation_fields()).json())
        second = decoded(post_token(client, **demo.impersonation_fields()).json())

        assert first["jti"] != second["jti"]

    def test_impersonate_alone_is_a_single_role_string(self, client, demo):
        response = post_token(client, **demo.impersonation_fields(scope="DevCenterImpersonate"))

        assert decoded(response.json())["role"] == "DevCenterImpersonate"

    def test_other_requested_roles_come_from_the_default_admin_user(self, client, demo):
        fields = demo.impersonation_fields(scope="ProductAdmin DevCenterImpersonate CanFly")

        response = post_token(client, **fields)

        assert decoded(response.json())["role"] == ["ProductAdmin", "DevCenterImpersonate"]

    def test_wrong_account_password(self, client, demo):
        response = post_token(client, **demo.impersonation_fields(password="nope"))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == WRONG_CREDENTIALS

    def test_unknown_account(self, client, demo):
        response = post_token(client, **demo.impersonation_fields(username="nobody"))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == WRONG_CREDENTIALS

    def test_an_admin_users_own_credentials_are_not_an_account(self, client, demo):
        factories.user(demo.marketplace, "bob", password="bob-password")

        response = post_token(
            client, **demo.impersonation_fields(username="bob", password="bob-password")
        )

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == WRONG_CREDENTIALS

    def test_an_account_that_does_not_own_the_marketplace(self, client, demo):
        factories.account("other-dev", "other-password")

        response = post_token(
            client, **demo.impersonation_fields(username="other-dev", password="other-password")
        )

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_grant",
            "error_description": "This account has no access to the API client's marketplace.",
        }

    def test_a_marketplace_without_default_admin_user(self, client, demo):
        demo.marketplace.default_admin_user = None
        demo.marketplace.save()

        response = post_token(client, **demo.impersonation_fields())

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_grant",
            "error_description": "The marketplace has no default admin user.",
        }

    def test_an_inactive_default_admin_user(self, client, demo):
        User.objects.filter(pk=demo.admin.pk).update(active=False)

        response = post_token(client, **demo.impersonation_fields())

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_grant",
            "error_description": "The user is inactive.",
        }

    def test_a_client_that_does_not_allow_admin_users(self, client, demo):
        demo.api_client.allow_seller = False
        demo.api_client.save()

        response = post_token(client, **demo.impersonation_fields())

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_grant",
            "error_description": "This API client does not allow admin users to sign in.",
        }


class TestUserPassword:
    def test_omitted_scope_grants_every_assigned_role(self, client, mkt):
        response = post_token(client, **alice_fields())

        assert response.status_code == HTTPStatus.OK
        claims = decoded(response.json())
        assert claims["role"] == "FullAccess"
        assert (claims["usr"], claims["u"], claims["cid"], claims["usrtype"]) == (
            "alice",
            "alice",
            "client-1",
            "admin",
        )

    def test_blank_scope_is_an_omitted_scope(self, client, mkt):
        response = post_token(client, **alice_fields(scope="   "))

        assert decoded(response.json())["role"] == "FullAccess"

    def test_full_access_implies_every_api_role_in_request_order(self, client, mkt):
        response = post_token(
            client, **alice_fields(scope=" OrderReader  ProductAdmin OrderReader")
        )

        assert decoded(response.json())["role"] == ["OrderReader", "ProductAdmin"]

    def test_only_requested_roles_the_user_has_are_granted(self, client, db):
        marketplace = factories.marketplace("m")
        factories.api_client(marketplace, "c")
        factories.user(marketplace, "carol", password="pw")
        factories.profile(marketplace, "readers", ["ProductReader", "OrderReader"])
        factories.profile(marketplace, "carol-only", ["MeAdmin"], user_id="carol")
        fields = {"grant_type": "password", "client_id": "c", "username": "carol", "password": "pw"}

        all_roles = decoded(post_token(client, **fields).json())["role"]
        scope = "ProductAdmin MeAdmin OrderReader"
        some = decoded(post_token(client, **fields, scope=scope).json())["role"]

        assert all_roles == ["MeAdmin", "ProductReader", "OrderReader"]
        assert some == ["MeAdmin", "OrderReader"]

    def test_custom_roles_are_granted_only_when_assigned(self, client, mkt):
        factories.profile(mkt, "flyers", custom_roles=["CanFly"], user_id="alice")

        assigned = post_token(client, **alice_fields(scope="CanFly CanSwim"))
        everything = post_token(client, **alice_fields())

        assert decoded(assigned.json())["role"] == "CanFly"
        assert decoded(everything.json())["role"] == ["FullAccess", "CanFly"]

    def test_none_of_the_requested_roles(self, client, mkt):
        response = post_token(client, **alice_fields(scope="CanSwim"))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_grant",
            "error_description": "The user has none of the requested roles.",
        }

    def test_a_user_without_any_role(self, client, db):
        marketplace = factories.marketplace("bare")
        factories.api_client(marketplace, "bare-client")
        factories.user(marketplace, "dave", password="pw")

        response = post_token(
            client, **alice_fields(client_id="bare-client", username="dave", password="pw")
        )

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["error_description"] == "The user has none of the requested roles."

    def test_dev_center_impersonate_is_never_granted_to_a_user(self, client, mkt):
        # With the role in scope the credentials must be an account's, and alice is not one.
        response = post_token(client, **alice_fields(scope="DevCenterImpersonate FullAccess"))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == WRONG_CREDENTIALS

    def test_expires_in_and_exp_follow_the_clients_access_token_duration(self, client, mkt):
        mkt.api_clients.update(access_token_duration=30)

        body = post_token(client, **alice_fields()).json()

        assert body["expires_in"] == 1800
        claims = decoded(body)
        assert claims["exp"] - claims["nbf"] == 1800

    def test_refresh_token_when_the_client_has_a_refresh_duration(self, client, mkt):
        mkt.api_clients.update(refresh_token_duration=60)

        body = post_token(client, **alice_fields()).json()

        refresh = decoded(body, audience=tokens.REFRESH_AUDIENCE)
        access = decoded(body)
        assert refresh["exp"] - refresh["nbf"] == 3600
        assert {k: v for k, v in refresh.items() if k not in ("aud", "exp", "jti")} == {
            k: v for k, v in access.items() if k not in ("aud", "exp", "jti")
        }
        # A refresh token is not an access token.
        assert get_me(client, body["refresh_token"]).status_code == HTTPStatus.UNAUTHORIZED

    def test_buyer_user_on_a_client_allowing_any_buyer(self, client, mkt):
        factories.api_client(mkt, "shop", allow_seller=False, allow_any_buyer=True)
        factories.user(mkt, "bert", password="pw", user_type=User.Type.BUYER, company_id="buyer-1")
        factories.profile(mkt, "shopper", ["Shopper", "MeAdmin"], buyer_id="buyer-1")
        fields = alice_fields(client_id="shop", username="bert", password="pw")

        claims = decoded(post_token(client, **fields).json())

        assert (claims["usrtype"], claims["role"]) == ("buyer", ["Shopper", "MeAdmin"])

    def test_marketplace_level_profiles_do_not_apply_to_buyer_users(self, client, mkt):
        factories.api_client(mkt, "shop", allow_any_buyer=True)
        factories.user(mkt, "bert", password="pw", user_type=User.Type.BUYER, company_id="b")

        response = post_token(
            client, **alice_fields(client_id="shop", username="bert", password="pw")
        )
        assert response.json()["error_description"] == "The user has none of the requested roles."

    @pytest.mark.parametrize(
        ("user_type", "flag"),
        [(User.Type.BUYER, "allow_any_buyer"), (User.Type.SUPPLIER, "allow_any_supplier")],
    )
    def test_company_users_need_their_clients_permission(self, client, mkt, user_type, flag):
        factories.user(mkt, "cu", password="pw", user_type=user_type, company_id="co")

        response = post_token(client, **alice_fields(username="cu", password="pw"))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_grant",
            "error_description": f"This API client does not allow {user_type} users to sign in.",
        }

    def test_wrong_password(self, client, mkt):
        response = post_token(client, **alice_fields(password="alice-passwordX"))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == WRONG_CREDENTIALS

    def test_unknown_username(self, client, mkt):
        response = post_token(client, **alice_fields(username="alicia"))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == WRONG_CREDENTIALS

    def test_a_user_without_a_password_cannot_sign_in(self, client, mkt):
        factories.user(mkt, "nopw", password=None)

        response = post_token(client, **alice_fields(username="nopw", password="anything"))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == WRONG_CREDENTIALS

    def test_inactive_user(self, client, mkt):
        mkt.users.filter(oc_id="alice").update(active=False)

        response = post_token(client, **alice_fields())

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_grant",
            "error_description": "The user is inactive.",
        }


class TestClient:
    def test_unknown_client(self, client, mkt):
        response = post_token(client, **alice_fields(client_id="no-such-client"))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_client",
            "error_description": "client_id does not name an API client.",
        }

    def test_inactive_client(self, client, mkt):
        mkt.api_clients.update(active=False)

        response = post_token(client, **alice_fields())

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_client",
            "error_description": "The API client is inactive.",
        }

    def test_a_client_secret_is_required_when_the_client_has_one(self, client, mkt):
        mkt.api_clients.update(client_secret="s3cret")

        missing = post_token(client, **alice_fields())
        wrong = post_token(client, **alice_fields(client_secret="s3cretX"))
        right = post_token(client, **alice_fields(client_secret="s3cret"))

        assert missing.status_code == wrong.status_code == HTTPStatus.BAD_REQUEST
        assert missing.json() == {
            "error": "invalid_client",
            "error_description": "This API client requires its client_secret.",
        }
        assert wrong.json() == {
            "error": "invalid_client",
            "error_description": "client_secret is incorrect.",
        }
        assert right.status_code == HTTPStatus.OK

    def test_a_secret_sent_to_a_client_without_one_is_ignored(self, client, mkt):
        response = post_token(client, **alice_fields(client_secret="whatever"))

        assert response.status_code == HTTPStatus.OK


class TestMalformedRequests:
    @pytest.mark.parametrize("grant_type", ["authorization_code", "PASSWORD", "magic"])
    def test_unsupported_grant_type(self, client, mkt, grant_type):
        response = post_token(client, **alice_fields(grant_type=grant_type))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "unsupported_grant_type",
            "error_description": (
                "grant_type must be one of: password, client_credentials, refresh_token."
            ),
        }

    @pytest.mark.parametrize("name", ["grant_type", "client_id", "username", "password"])
    def test_missing_field(self, client, mkt, name):
        fields = alice_fields()
        del fields[name]

        response = post_token(client, **fields)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_request",
            "error_description": f"{name} is required.",
        }

    def test_empty_field_is_missing(self, client, mkt):
        response = post_token(client, **alice_fields(password=""))

        assert response.json() == {
            "error": "invalid_request",
            "error_description": "password is required.",
        }

    def test_repeated_field(self, client, mkt):
        body = "grant_type=password&client_id=client-1&username=alice&username=bob&password=x"

        response = client.post(TOKEN_URL, body, content_type=FORM)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_request",
            "error_description": "username is given more than once.",
        }

    def test_huge_field(self, client, mkt):
        response = post_token(client, **alice_fields(password="x" * 100_000))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_request",
            "error_description": "password is longer than 4000.",
        }

    def test_nul_character(self, client, mkt):
        response = post_token(client, **alice_fields(username="ali\x00ce"))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_request",
            "error_description": "username contains a NUL character.",
        }

    def test_body_over_djangos_upload_limit(self, client, mkt, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

        response = post_token(client, **alice_fields(scope="x" * 2000))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_request",
            "error_description": "The request body is too large.",
        }

    def test_too_many_fields(self, client, mkt, settings):
        settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5

        response = post_token(client, **alice_fields(a="1", b="2", c="3"))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_request",
            "error_description": "The request body is malformed.",
        }

    def test_a_form_with_its_utf8_charset(self, client, mkt):
        body = urlencode(alice_fields(password="alice-password"))

        response = client.post(TOKEN_URL, body, content_type=f"{FORM}; charset=UTF-8")

        assert response.status_code == HTTPStatus.OK

    def test_a_form_in_another_charset(self, client, mkt):
        response = client.post(
            TOKEN_URL, b"grant_type=password", content_type=f"{FORM}; charset=latin-1"
        )

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_request",
            "error_description": "The request body is malformed.",
        }

    def test_undecodable_bytes_are_just_wrong_credentials(self, client, mkt):
        body = b"grant_type=password&client_id=client-1&username=%ff%fe&password=%c3%28"

        response = client.post(TOKEN_URL, body, content_type=FORM)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == WRONG_CREDENTIALS

    def test_garbage_body(self, client, mkt):
        response = client.post(TOKEN_URL, b"&&==&%%%=\xff\x00", content_type=FORM)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["error"] == "invalid_request"

    @pytest.mark.parametrize(
        "content_type", ["application/json", "multipart/form-data; boundary=x", "text/plain", ""]
    )
    def test_other_content_types(self, client, mkt, content_type):
        response = client.post(TOKEN_URL, b'{"grant_type": "password"}', content_type=content_type)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == {
            "error": "invalid_request",
            "error_description": ("The request body must be application/x-www-form-urlencoded."),
        }

    @pytest.mark.parametrize("method", ["get", "put", "patch", "delete", "options"])
    def test_only_post(self, client, db, method):
        response = getattr(client, method)(TOKEN_URL)

        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
        assert response["Allow"] == "POST"
        assert response.json() == {
            "error": "invalid_request",
            "error_description": f"{method.upper()} is not allowed here; send a POST.",
        }

    def test_an_unexpected_failure_is_a_json_500(self, client, mkt, monkeypatch):
        def broken(form, request):
            raise RuntimeError("boom")

        monkeypatch.setattr("sandbox.auth.grants.token_response", broken)

        response = post_token(client, **alice_fields())

        assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
        assert response.json() == {
            "error": "server_error",
            "error_description": "The sandbox failed to handle this request.",
        }
