"""Every /oauth/token grant over real HTTP against the live sandbox, and revocation."""

import re
import time
from http import HTTPStatus

import pytest
import requests

from sandbox.auth import tokens
from sandbox.models import ApiClient, ApiClientAssignment, SecurityProfileAssignment, User
from tests.sandbox import factories

TIMEOUT = 10
ISSUER = "urn:ordercloud-console:sandbox:auth"


def oauth_error(error, description):
    return {"error": error, "error_description": description}


def api_error(code, message, data=None):
    return {"Errors": [{"ErrorCode": code, "Message": message, "Data": data}]}


class Api:
    """The live sandbox, spoken to as any OAuth client would."""

    def __init__(self, url):
        self.url = url

    def token(self, **fields):
        return requests.post(f"{self.url}/oauth/token", data=fields, timeout=TIMEOUT)

    def me(self, access_token):
        headers = {"Authorization": f"Bearer {access_token}"}
        return requests.get(f"{self.url}/v1/me", headers=headers, timeout=TIMEOUT)

    def delete(self, path, access_token):
        headers = {"Authorization": f"Bearer {access_token}"}
        return requests.delete(f"{self.url}/v1{path}", headers=headers, timeout=TIMEOUT)

    def password(self, client_id, username, password="pw", **fields):
        return self.token(
            grant_type="password",
            client_id=client_id,
            username=username,
            password=password,
            **fields,
        )

    def access_token(self, client_id, username, **fields):
        response = self.password(client_id, username, **fields)
        assert response.status_code == HTTPStatus.OK, response.text
        return response.json()["access_token"]


@pytest.fixture
def api(sandbox):
    return Api(sandbox.url)


@pytest.fixture
def mkt(sandbox):
    """Admin alice (FullAccess), buyer bert (buyer-1), bea (buyer-2), supplier sue (sup-1),
    sam (sup-2), the anonymous template buyer user, and an API client per way in."""
    marketplace = factories.marketplace("mkt")
    factories.user(marketplace, "alice", password="pw")
    factories.user(marketplace, "bert", password="pw", user_type="buyer", company_id="buyer-1")
    factories.user(marketplace, "bea", password="pw", user_type="buyer", company_id="buyer-2")
    factories.user(marketplace, "sue", password="pw", user_type="supplier", company_id="sup-1")
    factories.user(marketplace, "sam", password="pw", user_type="supplier", company_id="sup-2")
    factories.user(
        marketplace, "anon-template", password="", user_type="buyer", company_id="buyer-1"
    )
    factories.profile(marketplace, "full", ["FullAccess"])
    factories.profile(marketplace, "shopper", ["Shopper", "MeAdmin"], buyer_id="buyer-1")
    factories.profile(marketplace, "shopper-2", ["Shopper"], buyer_id="buyer-2")
    factories.profile(marketplace, "supplier", ["SupplierReader", "MeAdmin"], supplier_id="sup-1")
    factories.profile(marketplace, "supplier-2", ["SupplierReader"], supplier_id="sup-2")
    factories.api_client(marketplace, "admin-app")
    factories.api_client(marketplace, "shop-any", allow_seller=False, allow_any_buyer=True)
    assigned = factories.api_client(marketplace, "shop-assigned", allow_seller=False)
    ApiClientAssignment.objects.create(
        marketplace=marketplace, api_client=assigned, buyer_id="buyer-1"
    )
    factories.api_client(marketplace, "supplier-any", allow_seller=False, allow_any_supplier=True)
    assigned = factories.api_client(marketplace, "supplier-assigned", allow_seller=False)
    ApiClientAssignment.objects.create(
        marketplace=marketplace, api_client=assigned, supplier_id="sup-1"
    )
    factories.api_client(marketplace, "elevated", client_secret="s3cret")
    factories.api_client(
        marketplace,
        "integration",
        client_secret="int-s3cret",
        default_context_username="alice",
        access_token_duration=30,
    )
    factories.api_client(
        marketplace,
        "anon",
        allow_seller=False,
        allow_any_buyer=True,
        is_anon_buyer=True,
        default_context_username="anon-template",
        refresh_token_duration=60,
    )
    factories.api_client(
        marketplace, "refreshing", access_token_duration=15, refresh_token_duration=120
    )
    factories.api_client(marketplace, "refreshing-2", refresh_token_duration=120)
    return marketplace


def claims_of(raw, audience=tokens.AUDIENCE):
    return tokens.decode(raw, audience=audience)


def assert_token(body, *, user, user_type, client_id, role, lifetime):
    """The AccessToken body and its access token's exact claims."""
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == lifetime
    claims = claims_of(body["access_token"])
    assert claims["exp"] - claims["nbf"] == lifetime
    assert abs(claims["iat"] - time.time()) < 5
    assert {k: v for k, v in claims.items() if k not in ("exp", "nbf", "iat", "jti")} == {
        "usr": user,
        "cid": client_id,
        "u": user,
        "usrtype": user_type,
        "role": role,
        "iss": ISSUER,
        "aud": tokens.AUDIENCE,
    }
    return claims


def assert_me(api, access_token, user_id, company=None):
    response = api.me(access_token)
    assert response.status_code == HTTPStatus.OK, response.text
    body = response.json()
    assert body["ID"] == user_id
    if company is not None:
        kind, company_id = company
        assert body[kind]["ID"] == company_id
    return body


class TestPasswordGrant:
    def test_admin_user_on_a_client_allowing_the_seller(self, api, mkt):
        response = api.password("admin-app", "alice")

        assert response.status_code == HTTPStatus.OK
        assert response.headers["Cache-Control"] == "no-store"
        body = response.json()
        assert list(body) == ["access_token", "expires_in", "token_type", "refresh_token"]
        assert body["refresh_token"] is None
        assert_token(
            body,
            user="alice",
            user_type="admin",
            client_id="admin-app",
            role="FullAccess",
            lifetime=600 * 60,
        )
        assert_me(api, body["access_token"], "alice", ("Seller", "mkt"))

    @pytest.mark.parametrize("client_id", ["shop-any", "shop-assigned"])
    def test_buyer_user_on_a_client_allowing_or_assigned_to_its_buyer(self, api, mkt, client_id):
        response = api.password(client_id, "bert")

        assert response.status_code == HTTPStatus.OK
        assert_token(
            response.json(),
            user="bert",
            user_type="buyer",
            client_id=client_id,
            role=["Shopper", "MeAdmin"],
            lifetime=36000,
        )
        assert_me(api, response.json()["access_token"], "bert", ("Buyer", "buyer-1"))

    @pytest.mark.parametrize("client_id", ["supplier-any", "supplier-assigned"])
    def test_supplier_user_on_a_client_allowing_or_assigned_to_its_supplier(
        self, api, mkt, client_id
    ):
        response = api.password(client_id, "sue", scope="MeAdmin")

        assert response.status_code == HTTPStatus.OK
        assert_token(
            response.json(),
            user="sue",
            user_type="supplier",
            client_id=client_id,
            role="MeAdmin",
            lifetime=36000,
        )
        assert_me(api, response.json()["access_token"], "sue", ("Supplier", "sup-1"))

    @pytest.mark.parametrize(
        ("client_id", "username", "user_type"),
        [
            ("shop-any", "alice", "admin"),
            ("supplier-any", "alice", "admin"),
            ("admin-app", "bert", "buyer"),
            ("supplier-any", "bert", "buyer"),
            ("shop-assigned", "bea", "buyer"),  # assigned to buyer-1, bea is in buyer-2
            ("admin-app", "sue", "supplier"),
            ("shop-any", "sue", "supplier"),
            ("supplier-assigned", "sam", "supplier"),  # assigned to sup-1, sam is in sup-2
        ],
    )
    def test_users_the_client_does_not_let_in(self, api, mkt, client_id, username, user_type):
        response = api.password(client_id, username)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == oauth_error(
            "invalid_grant", f"This API client does not allow {user_type} users to sign in."
        )

    def test_a_buyer_assignment_does_not_let_in_a_supplier_with_that_id(self, api, mkt):
        factories.user(mkt, "sid", password="pw", user_type="supplier", company_id="buyer-1")

        response = api.password("shop-assigned", "sid")

        assert response.json() == oauth_error(
            "invalid_grant", "This API client does not allow supplier users to sign in."
        )

    def test_elevated_with_the_client_secret(self, api, mkt):
        response = api.password("elevated", "alice", client_secret="s3cret")

        assert response.status_code == HTTPStatus.OK
        assert claims_of(response.json()["access_token"])["u"] == "alice"

    @pytest.mark.parametrize(
        ("secret", "description"),
        [
            ({}, "This API client requires its client_secret."),
            ({"client_secret": "S3CRET"}, "client_secret is incorrect."),
            ({"client_secret": "s3cret "}, "client_secret is incorrect."),
        ],
    )
    def test_elevated_without_the_right_secret(self, api, mkt, secret, description):
        response = api.password("elevated", "alice", **secret)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == oauth_error("invalid_client", description)

    def test_wrong_password(self, api, mkt):
        response = api.password("admin-app", "alice", password="nope")

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == oauth_error("invalid_grant", "Username or password is incorrect.")

    def test_failed_login_attempts_are_counted_until_a_sign_in(self, api, mkt):
        api.password("admin-app", "alice", password="nope")
        api.password("admin-app", "alice", password="nope again")
        counted = mkt.users.get(oc_id="alice").failed_login_attempts

        assert api.password("admin-app", "alice").status_code == HTTPStatus.OK
        assert (counted, mkt.users.get(oc_id="alice").failed_login_attempts) == (2, 0)

    def test_inactive_user(self, api, mkt):
        mkt.users.filter(oc_id="bert").update(active=False)

        response = api.password("shop-any", "bert")

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == oauth_error("invalid_grant", "The user is inactive.")

    def test_inactive_client(self, api, mkt):
        mkt.api_clients.filter(oc_id="admin-app").update(active=False)

        response = api.password("admin-app", "alice")

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == oauth_error("invalid_client", "The API client is inactive.")

    def test_unknown_client(self, api, mkt):
        response = api.password("nope", "alice")

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == oauth_error(
            "invalid_client", "client_id does not name an API client."
        )

    def test_dev_center_impersonate_still_works(self, api, sandbox):
        response = api.password(
            sandbox.client_id,
            sandbox.username,
            password=sandbox.password,
            scope="DevCenterImpersonate FullAccess",
        )

        assert response.status_code == HTTPStatus.OK
        assert_token(
            response.json(),
            user="demo-admin",
            user_type="admin",
            client_id=sandbox.client_id,
            role=["DevCenterImpersonate", "FullAccess"],
            lifetime=36000,
        )
        assert_me(api, response.json()["access_token"], "demo-admin")


class TestClientCredentials:
    def credentials(self, api, client_id="integration", **fields):
        return api.token(grant_type="client_credentials", client_id=client_id, **fields)

    def test_acts_as_the_default_context_user(self, api, mkt):
        response = self.credentials(api, client_secret="int-s3cret")

        assert response.status_code == HTTPStatus.OK
        body = response.json()
        assert body["refresh_token"] is None
        claims = assert_token(
            body,
            user="alice",
            user_type="admin",
            client_id="integration",
            role="FullAccess",
            lifetime=30 * 60,
        )
        assert "orderid" not in claims
        assert_me(api, body["access_token"], "alice")

    def test_scope_bounds_the_roles(self, api, mkt):
        response = self.credentials(
            api, client_secret="int-s3cret", scope="ProductAdmin CanFly OrderReader"
        )

        assert claims_of(response.json()["access_token"])["role"] == [
            "ProductAdmin",
            "OrderReader",
        ]

    @pytest.mark.parametrize(
        ("secret", "description"),
        [
            ({}, "This API client requires its client_secret."),
            ({"client_secret": "wrong"}, "client_secret is incorrect."),
        ],
    )
    def test_without_the_right_secret(self, api, mkt, secret, description):
        response = self.credentials(api, **secret)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == oauth_error("invalid_client", description)

    def test_a_client_without_a_secret(self, api, mkt):
        mkt.api_clients.filter(oc_id="admin-app").update(default_context_username="alice")

        response = self.credentials(api, "admin-app", client_secret="anything")

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == oauth_error(
            "invalid_client",
            "client_credentials needs an API client with a client_secret, or IsAnonBuyer.",
        )

    def test_no_default_context_user(self, api, mkt):
        mkt.api_clients.filter(oc_id="integration").update(default_context_username=None)

        response = self.credentials(api, client_secret="int-s3cret")

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == oauth_error(
            "invalid_grant", "This API client has no DefaultContextUserName."
        )

    def test_default_context_user_does_not_exist(self, api, mkt):
        mkt.api_clients.filter(oc_id="integration").update(default_context_username="ghost")

        response = self.credentials(api, client_secret="int-s3cret")

        assert response.json() == oauth_error(
            "invalid_grant", "The API client's DefaultContextUserName names no user."
        )

    def test_inactive_default_context_user(self, api, mkt):
        mkt.users.filter(oc_id="alice").update(active=False)

        response = self.credentials(api, client_secret="int-s3cret")

        assert response.json() == oauth_error("invalid_grant", "The user is inactive.")

    def test_default_context_user_the_client_does_not_let_in(self, api, mkt):
        mkt.api_clients.filter(oc_id="integration").update(default_context_username="bert")

        response = self.credentials(api, client_secret="int-s3cret")

        assert response.json() == oauth_error(
            "invalid_grant", "This API client does not allow buyer users to sign in."
        )


class TestAnonymous:
    def anonymous(self, api, client_id="anon", **fields):
        return api.token(grant_type="client_credentials", client_id=client_id, **fields)

    def test_an_anonymous_shopper_as_the_template_user(self, api, mkt):
        response = self.anonymous(api, scope="Shopper")

        assert response.status_code == HTTPStatus.OK
        body = response.json()
        claims = tokens.decode(body["access_token"])
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", claims["orderid"])
        assert {k: claims[k] for k in ("usr", "u", "usrtype", "cid", "role")} == {
            "usr": "anon-template",
            "u": "anon-template",
            "usrtype": "buyer",
            "cid": "anon",
            "role": "Shopper",
        }
        assert body["expires_in"] == 10080 * 60  # AnonymousTokenDuration's default
        assert claims["exp"] - claims["nbf"] == 10080 * 60
        refresh = claims_of(body["refresh_token"], tokens.REFRESH_AUDIENCE)
        assert refresh["orderid"] == claims["orderid"]
        assert refresh["exp"] - refresh["nbf"] == 3600
        assert_me(api, body["access_token"], "anon-template", ("Buyer", "buyer-1"))

    def test_anonymous_tokens_last_the_clients_anonymous_token_duration(self, api, mkt):
        mkt.api_clients.filter(oc_id="anon").update(anonymous_token_duration=45)

        body = self.anonymous(api).json()
        refreshed = api.token(
            grant_type="refresh_token", client_id="anon", refresh_token=body["refresh_token"]
        ).json()

        assert body["expires_in"] == refreshed["expires_in"] == 45 * 60
        assert claims_of(refreshed["access_token"])["exp"] - time.time() == pytest.approx(
            45 * 60, abs=5
        )

    def test_each_anonymous_token_is_a_new_shopper(self, api, mkt):
        first = claims_of(self.anonymous(api).json()["access_token"])
        second = claims_of(self.anonymous(api).json()["access_token"])

        assert first["orderid"] != second["orderid"]

    def test_the_template_user_must_be_a_buyer_user(self, api, mkt):
        mkt.api_clients.filter(oc_id="anon").update(
            default_context_username="alice", allow_seller=True
        )

        response = self.anonymous(api)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == oauth_error(
            "invalid_grant", "An IsAnonBuyer client's DefaultContextUserName must be a buyer user."
        )

    def test_no_template_user(self, api, mkt):
        mkt.api_clients.filter(oc_id="anon").update(default_context_username="")

        response = self.anonymous(api)

        assert response.json() == oauth_error(
            "invalid_grant", "This API client has no DefaultContextUserName."
        )

    def test_a_secret_on_the_client_is_still_required(self, api, mkt):
        mkt.api_clients.filter(oc_id="anon").update(client_secret="anon-s3cret")

        without = self.anonymous(api)
        with_secret = self.anonymous(api, client_secret="anon-s3cret")

        assert without.json() == oauth_error(
            "invalid_client", "This API client requires its client_secret."
        )
        assert with_secret.status_code == HTTPStatus.OK
        assert "orderid" in claims_of(with_secret.json()["access_token"])


class TestRefreshToken:
    def refresh(self, api, refresh_token, client_id="refreshing", **fields):
        return api.token(
            grant_type="refresh_token",
            client_id=client_id,
            refresh_token=refresh_token,
            **fields,
        )

    def signed_in(self, api, client_id="refreshing", **fields):
        body = api.password(client_id, "alice", **fields).json()
        assert body["refresh_token"]
        return body

    def test_a_new_access_token_for_the_same_user_and_roles(self, api, mkt):
        first = self.signed_in(api, scope="ProductAdmin OrderAdmin")

        response = self.refresh(api, first["refresh_token"])

        assert response.status_code == HTTPStatus.OK
        body = response.json()
        assert body["refresh_token"] == first["refresh_token"]
        claims = assert_token(
            body,
            user="alice",
            user_type="admin",
            client_id="refreshing",
            role=["ProductAdmin", "OrderAdmin"],
            lifetime=15 * 60,
        )
        assert claims["jti"] != claims_of(first["access_token"])["jti"]
        refresh = claims_of(first["refresh_token"], tokens.REFRESH_AUDIENCE)
        assert refresh["exp"] - refresh["nbf"] == 120 * 60
        assert_me(api, body["access_token"], "alice")

    def test_an_anonymous_shopper_stays_the_same_shopper(self, api, mkt):
        first = api.token(grant_type="client_credentials", client_id="anon").json()

        body = self.refresh(api, first["refresh_token"], client_id="anon").json()

        assert (
            claims_of(body["access_token"])["orderid"]
            == (claims_of(first["access_token"])["orderid"])
        )

    def test_a_client_without_refresh_duration(self, api, mkt):
        refresh_token = self.signed_in(api)["refresh_token"]
        mkt.api_clients.filter(oc_id="refreshing").update(refresh_token_duration=0)

        response = self.refresh(api, refresh_token)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == oauth_error(
            "invalid_grant", "This API client issues no refresh tokens (RefreshTokenDuration 0)."
        )

    def test_a_client_secret_is_required_when_the_client_has_one(self, api, mkt):
        refresh_token = self.signed_in(api)["refresh_token"]
        mkt.api_clients.filter(oc_id="refreshing").update(client_secret="s3cret")

        without = self.refresh(api, refresh_token)
        with_secret = self.refresh(api, refresh_token, client_secret="s3cret")

        assert without.json() == oauth_error(
            "invalid_client", "This API client requires its client_secret."
        )
        assert with_secret.status_code == HTTPStatus.OK

    def test_another_clients_refresh_token(self, api, mkt):
        refresh_token = self.signed_in(api, "refreshing-2")["refresh_token"]

        response = self.refresh(api, refresh_token)

        assert response.json() == oauth_error(
            "invalid_grant", "The refresh token belongs to another API client."
        )

    def test_expired(self, api, mkt):
        identity = tokens.Identity("alice", "refreshing", "alice", "admin", ("FullAccess",))
        expired = tokens.encode(identity, -60, tokens.REFRESH_AUDIENCE)

        response = self.refresh(api, expired)

        assert response.json() == oauth_error("invalid_grant", "The refresh token has expired.")

    def test_an_access_token_is_not_a_refresh_token(self, api, mkt):
        access_token = self.signed_in(api)["access_token"]

        response = self.refresh(api, access_token)

        assert response.json() == oauth_error("invalid_grant", "The refresh token is invalid.")

    def test_garbage(self, api, mkt):
        response = self.refresh(api, "not.a.token")

        assert response.json() == oauth_error("invalid_grant", "The refresh token is invalid.")

    def test_missing(self, api, mkt):
        response = api.token(grant_type="refresh_token", client_id="refreshing")

        assert response.json() == oauth_error("invalid_request", "refresh_token is required.")

    def test_inactive_user(self, api, mkt):
        refresh_token = self.signed_in(api)["refresh_token"]
        mkt.users.filter(oc_id="alice").update(active=False)

        response = self.refresh(api, refresh_token)

        assert response.json() == oauth_error("invalid_grant", "The user is inactive.")

    def test_deleted_user(self, api, mkt):
        refresh_token = self.signed_in(api)["refresh_token"]
        mkt.users.filter(oc_id="alice").delete()

        response = self.refresh(api, refresh_token)

        assert response.json() == oauth_error(
            "invalid_grant", "The refresh token's user no longer exists."
        )

    def test_inactive_client(self, api, mkt):
        refresh_token = self.signed_in(api)["refresh_token"]
        mkt.api_clients.filter(oc_id="refreshing").update(active=False)

        response = self.refresh(api, refresh_token)

        assert response.json() == oauth_error("invalid_client", "The API client is inactive.")

    def test_roles_the_user_lost_are_not_refreshed(self, api, mkt):
        refresh_token = self.signed_in(api)["refresh_token"]
        SecurityProfileAssignment.objects.filter(marketplace=mkt).delete()

        response = self.refresh(api, refresh_token)

        assert response.json() == oauth_error(
            "invalid_grant", "The user no longer has any of the token's roles."
        )

    def test_revoked(self, api, mkt):
        refresh_token = self.signed_in(api)["refresh_token"]
        admin = api.access_token("admin-app", "alice")
        assert api.delete("/adminusers/alice/tokens", admin).status_code == 204

        response = self.refresh(api, refresh_token)

        assert response.json() == oauth_error(
            "invalid_grant", "The refresh token has been revoked."
        )


class TestRevocation:
    REVOKED = api_error("InvalidToken", "Access token has been revoked.")

    @pytest.mark.parametrize(
        ("path", "client_id", "username"),
        [
            ("/adminusers/alice/tokens", "admin-app", "alice"),
            ("/buyers/buyer-1/users/bert/tokens", "shop-any", "bert"),
            ("/suppliers/sup-1/users/sue/tokens", "supplier-any", "sue"),
        ],
    )
    def test_every_earlier_token_is_refused_a_new_one_works(
        self, api, mkt, path, client_id, username
    ):
        admin = api.access_token("admin-app", "alice")
        old = api.access_token(client_id, username)
        assert api.me(old).status_code == HTTPStatus.OK

        response = api.delete(path, admin)
        new = api.access_token(client_id, username)  # within the same second

        assert response.status_code == HTTPStatus.NO_CONTENT
        assert response.content == b""
        refused = api.me(old)
        assert refused.status_code == HTTPStatus.UNAUTHORIZED
        assert refused.json() == self.REVOKED
        assert refused.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
        assert_me(api, new, username)
        stored = User.objects.get(marketplace=mkt, oc_id=username).tokens_valid_after
        assert claims_of(old)["iat"] <= stored.timestamp() < claims_of(new)["iat"]

    def test_other_users_tokens_are_untouched(self, api, mkt):
        admin = api.access_token("admin-app", "alice")
        bea = api.access_token("shop-any", "bea")

        api.delete("/buyers/buyer-1/users/bert/tokens", admin)

        assert api.me(bea).status_code == HTTPStatus.OK

    @pytest.mark.parametrize(
        "path",
        [
            "/adminusers/nobody/tokens",
            "/adminusers/bert/tokens",  # a buyer user is not an admin user
            "/buyers/buyer-2/users/bert/tokens",  # bert is in buyer-1
            "/suppliers/sup-2/users/sue/tokens",
            "/buyers/buyer-1/users/nobody/tokens",
        ],
    )
    def test_unknown_user(self, api, mkt, path):
        admin = api.access_token("admin-app", "alice")
        user_id = path.split("/")[-2]

        response = api.delete(path, admin)

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == api_error(
            "NotFound", f"User not found: {user_id}", {"ObjectType": "User", "ObjectID": user_id}
        )

    @pytest.mark.parametrize(
        ("path", "role"),
        [
            ("/adminusers/alice/tokens", "AdminUserAdmin"),
            ("/buyers/buyer-1/users/bert/tokens", "BuyerUserAdmin"),
            ("/suppliers/sup-1/users/sue/tokens", "SupplierUserAdmin"),
        ],
    )
    def test_roles(self, api, mkt, path, role):
        others = [r for r in ("AdminUserAdmin", "BuyerUserAdmin", "SupplierUserAdmin") if r != role]
        without = api.access_token("admin-app", "alice", scope=" ".join(others))
        with_role = api.access_token("admin-app", "alice", scope=role)

        refused = api.delete(path, without)
        allowed = api.delete(path, with_role)

        assert refused.status_code == HTTPStatus.FORBIDDEN
        assert refused.json() == api_error(
            "Auth.InsufficientRoles",
            "User does not have role(s) required to perform this action.",
            {"SufficientRoles": ["FullAccess", role]},
        )
        assert allowed.status_code == HTTPStatus.NO_CONTENT

    def test_a_supplier_user_reaches_only_its_own_suppliers_users(self, api, mkt):
        factories.profile(mkt, "sup-admin", ["SupplierUserAdmin"], supplier_id="sup-1")
        sue = api.access_token("supplier-any", "sue", scope="SupplierUserAdmin")

        other = api.delete("/suppliers/sup-2/users/sam/tokens", sue)
        own = api.delete("/suppliers/sup-1/users/sue/tokens", sue)

        assert other.status_code == HTTPStatus.NOT_FOUND
        assert own.status_code == HTTPStatus.NO_CONTENT
        assert api.me(sue).json() == self.REVOKED

    def test_needs_a_token(self, api, mkt):
        response = requests.delete(f"{api.url}/v1/adminusers/alice/tokens", timeout=TIMEOUT)

        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response.json()["Errors"][0]["ErrorCode"] == "InvalidToken"

    def test_only_delete(self, api, mkt):
        admin = api.access_token("admin-app", "alice")

        response = requests.get(
            f"{api.url}/v1/adminusers/alice/tokens",
            headers={"Authorization": f"Bearer {admin}"},
            timeout=TIMEOUT,
        )

        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
        assert response.headers["Allow"] == "DELETE"


class TestRefusedOnApiCalls:
    def test_expired(self, api, mkt):
        client = ApiClient.objects.get(oc_id="admin-app")
        expired = factories.access_token(client, mkt.users.get(oc_id="alice"), lifetime=-60)

        response = api.me(expired)

        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response.json() == api_error("InvalidToken", "Access token has expired.")

    def test_user_became_inactive(self, api, mkt):
        token = api.access_token("shop-any", "bert")
        mkt.users.filter(oc_id="bert").update(active=False)

        response = api.me(token)

        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response.json() == api_error(
            "InvalidToken", "Access token's user no longer exists or is inactive."
        )

    def test_client_became_inactive(self, api, mkt):
        token = api.access_token("shop-any", "bert")
        mkt.api_clients.filter(oc_id="shop-any").update(active=False)

        response = api.me(token)

        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response.json() == api_error(
            "InvalidToken", "Access token's API client no longer exists or is inactive."
        )
