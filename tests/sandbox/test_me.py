import base64
import json
from datetime import UTC, datetime
from http import HTTPStatus

import jwt
import pytest

from sandbox.auth import tokens
from sandbox.models import ApiClient, User
from tests.sandbox import factories
from tests.sandbox.conftest import ME_URL, get_me, post_token

INVALID = 'Bearer error="invalid_token"'


def invalid_token(message):
    return {"Errors": [{"ErrorCode": "InvalidToken", "Message": message, "Data": None}]}


@pytest.fixture
def token(client, demo):
    return post_token(client, **demo.impersonation_fields()).json()["access_token"]


class TestMe:
    def test_the_default_admin_user_for_a_dev_center_token(self, client, demo, token):
        created = demo.admin.date_created.astimezone(UTC).isoformat(timespec="milliseconds")

        response = get_me(client, token)

        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert list(body) == [
            "Buyer",
            "Supplier",
            "Seller",
            "ID",
            "Username",
            "FirstName",
            "LastName",
            "Email",
            "Phone",
            "TermsAccepted",
            "Active",
            "xp",
            "AvailableRoles",
            "Locale",
            "DateCreated",
            "PasswordLastSetDate",
        ]
        assert body == {
            "Buyer": None,
            "Supplier": None,
            "Seller": {"ID": "demo-marketplace"},
            "ID": "demo-admin",
            "Username": "demo-admin",
            "FirstName": "Demo",
            "LastName": "Admin",
            "Email": "demo-admin@example.com",
            "Phone": None,
            "TermsAccepted": None,
            "Active": True,
            "xp": {},
            "AvailableRoles": ["FullAccess"],
            "Locale": None,
            "DateCreated": created,
            "PasswordLastSetDate": None,
        }
        assert created.endswith("+00:00")

    def test_every_field_of_a_buyer_user(self, client, db):
        marketplace = factories.marketplace("m")
        api_client = factories.api_client(marketplace, "c", allow_any_buyer=True)
        user = factories.user(
            marketplace,
            "bert",
            user_type=User.Type.BUYER,
            company_id="buyer-1",
            username="bert@example.com",
            first_name="Bert",
            last_name="Buyer",
            email="bert@example.com",
            phone="555-0100",
            terms_accepted=datetime(2025, 1, 2, 3, 4, 5, 678000, tzinfo=UTC),
            xp={"a": {"b": [1, 2]}},
            date_created=datetime(2024, 12, 31, 23, 0, tzinfo=UTC),
            password_last_set_date=datetime(2025, 1, 1, tzinfo=UTC),
        )
        factories.profile(marketplace, "shop", ["Shopper"], ["CanFly"], buyer_id="buyer-1")

        response = get_me(client, factories.access_token(api_client, user, ["Shopper"]))

        assert response.status_code == HTTPStatus.OK
        assert response.json() == {
            "Buyer": {"ID": "buyer-1", "DefaultCatalogID": None},
            "Supplier": None,
            "Seller": None,
            "ID": "bert",
            "Username": "bert@example.com",
            "FirstName": "Bert",
            "LastName": "Buyer",
            "Email": "bert@example.com",
            "Phone": "555-0100",
            "TermsAccepted": "2025-01-02T03:04:05.678+00:00",
            "Active": True,
            "xp": {"a": {"b": [1, 2]}},
            "AvailableRoles": ["Shopper", "CanFly"],
            "Locale": None,
            "DateCreated": "2024-12-31T23:00:00.000+00:00",
            "PasswordLastSetDate": "2025-01-01T00:00:00.000+00:00",
        }

    def test_a_supplier_users_company(self, client, db):
        marketplace = factories.marketplace("m")
        api_client = factories.api_client(marketplace, "c")
        user = factories.user(marketplace, "sue", user_type=User.Type.SUPPLIER, company_id="s-1")

        body = get_me(client, factories.access_token(api_client, user)).json()

        assert (body["Buyer"], body["Supplier"], body["Seller"]) == (None, {"ID": "s-1"}, None)
        assert body["AvailableRoles"] == []

    def test_the_password_never_shows(self, client, demo, token):
        body = get_me(client, token).content.decode()

        assert 'Password"' not in body and "pbkdf2" not in body

    def test_bearer_scheme_is_case_insensitive(self, client, demo, token):
        response = client.get(ME_URL, headers={"Authorization": f"bearer {token}"})

        assert response.status_code == HTTPStatus.OK

    @pytest.mark.parametrize("method", ["post", "delete"])
    def test_other_methods(self, client, db, method):
        response = getattr(client, method)(ME_URL)

        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
        assert response["Allow"] == "GET, PUT, PATCH"
        assert response.json() == {
            "Errors": [
                {
                    "ErrorCode": "MethodNotAllowed",
                    "Message": f"{method.upper()} is not allowed here; allowed: GET, PUT, PATCH.",
                    "Data": None,
                }
            ]
        }


class TestUnauthorized:
    def assert_invalid(self, response, message):
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response["WWW-Authenticate"] == INVALID
        assert response.json() == invalid_token(message)

    def test_missing(self, client, db):
        response = client.get(ME_URL)

        self.assert_invalid(
            response, "Access token is missing: send an Authorization: Bearer header."
        )

    @pytest.mark.parametrize(
        "header",
        [
            "Bearer",
            "Bearer ",
            "Basic ZGVtbzpkZW1v",
            "Token abc.def.ghi",
            "Bearer abc def",
            "Bearer abc\tdef",
            "Bearerabc",
            "Bearer é.é.é",
            "Bearer " + "a" * 10_000,
        ],
    )
    def test_malformed_header(self, client, db, header):
        response = client.get(ME_URL, headers={"Authorization": header})

        self.assert_invalid(
            response, "Authorization header is malformed: expected 'Bearer <token>'."
        )

    @pytest.mark.parametrize(
        "raw", ["abc", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.", "...", "====", "a.b.c.d.e"]
    )
    def test_not_a_jwt(self, client, db, raw):
        self.assert_invalid(get_me(client, raw), "Access token is invalid.")

    def test_expired(self, client, demo):
        raw = factories.access_token(demo.api_client, demo.admin, lifetime=-60)

        self.assert_invalid(get_me(client, raw), "Access token has expired.")

    def test_tampered_payload(self, client, demo, token):
        header, payload, signature = token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
        claims["role"] = "FullAccess"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

        response = get_me(client, f"{header}.{forged}.{signature}")

        self.assert_invalid(response, "Access token is invalid.")

    def test_tampered_signature(self, client, demo, token):
        flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]

        self.assert_invalid(get_me(client, flipped), "Access token is invalid.")

    def test_foreign_signed(self, client, demo, token):
        claims = jwt.decode(token, options={"verify_signature": False})

        foreign = jwt.encode(claims, "someone else's key, 32 bytes or more", algorithm="HS256")

        self.assert_invalid(get_me(client, foreign), "Access token is invalid.")

    def test_signed_with_the_raw_secret_key(self, client, demo, token, settings):
        claims = jwt.decode(token, options={"verify_signature": False})

        raw_key = jwt.encode(claims, settings.SECRET_KEY, algorithm="HS256")

        self.assert_invalid(get_me(client, raw_key), "Access token is invalid.")

    def test_unsigned(self, client, demo, token):
        claims = jwt.decode(token, options={"verify_signature": False})

        unsigned = jwt.encode(claims, None, algorithm="none")

        self.assert_invalid(get_me(client, unsigned), "Access token is invalid.")

    @pytest.mark.parametrize(
        "change",
        [
            {"iss": "https://auth.ordercloud.io"},
            {"aud": "https://api.ordercloud.io"},
            {"aud": tokens.REFRESH_AUDIENCE},
            {"nbf": 4_000_000_000},
            {"jti": None},
            {"u": None},
            {"role": None},
            {"role": [1, 2]},
            {"u": 12},
        ],
        ids=lambda change: repr(change),
    )
    def test_our_key_but_bad_claims(self, client, demo, token, change):
        claims = jwt.decode(token, options={"verify_signature": False})
        claims.update(change)
        claims = {k: v for k, v in claims.items() if v is not None}

        raw = jwt.encode(claims, tokens.signing_key(), algorithm="HS256")

        self.assert_invalid(get_me(client, raw), "Access token is invalid.")

    def test_user_deleted(self, client, demo, token):
        demo.admin.delete()

        response = get_me(client, token)

        self.assert_invalid(response, "Access token's user no longer exists or is inactive.")

    def test_user_inactive(self, client, demo, token):
        User.objects.filter(pk=demo.admin.pk).update(active=False)

        response = get_me(client, token)

        self.assert_invalid(response, "Access token's user no longer exists or is inactive.")

    def test_user_type_changed(self, client, demo, token):
        User.objects.filter(pk=demo.admin.pk).update(user_type=User.Type.BUYER)

        response = get_me(client, token)

        self.assert_invalid(response, "Access token's user no longer exists or is inactive.")

    def test_client_deleted(self, client, demo, token):
        ApiClient.objects.all().delete()

        response = get_me(client, token)

        self.assert_invalid(response, "Access token's API client no longer exists or is inactive.")

    def test_client_inactive(self, client, demo, token):
        ApiClient.objects.update(active=False)

        response = get_me(client, token)

        self.assert_invalid(response, "Access token's API client no longer exists or is inactive.")


class TestRoutes:
    @pytest.mark.parametrize(
        "path",
        # /sandbox/ itself is the landing page (test_served.py).
        ["/sandbox/v1/", "/sandbox/v1/me/", "/sandbox/v1/nothing", "/sandbox/x"],
    )
    @pytest.mark.parametrize("method", ["get", "post", "delete"])
    def test_unknown_paths_are_orderclouds_not_found(self, client, db, path, method):
        response = getattr(client, method)(path)

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == {
            "Errors": [{"ErrorCode": "NotFound", "Message": f"No such route: {path}", "Data": None}]
        }

    def test_an_unexpected_failure_is_a_json_500(self, client, demo, token, monkeypatch):
        def broken(user):
            raise RuntimeError("boom")

        monkeypatch.setattr("sandbox.resources.me.available_roles", broken)

        response = get_me(client, token)

        assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
        assert response.json() == {
            "Errors": [
                {
                    "ErrorCode": "InternalServerError",
                    "Message": "The sandbox failed to handle this request.",
                    "Data": None,
                }
            ]
        }
