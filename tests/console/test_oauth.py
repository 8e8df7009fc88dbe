import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from console import environments, oauth
from tests.console.conftest import ACCESS_TOKEN


def grant(env, **fields):
    args = {
        "client_id": "C1",
        "username": "dev",
        "password": "s3cret p@ss&word",
        "roles": "MeAdmin FullAccess",
        **fields,
    }
    return oauth.password_grant(env, **args)


class TestAgainstALocalTokenEndpoint:
    def test_success_gives_an_auth_context(self, faulty):
        before = datetime.now(UTC)

        result = grant(faulty.env)

        auth = result.auth
        assert result.error == ""
        assert (auth.environment_id, auth.client_id, auth.username, auth.user) == (
            "faulty",
            "C1",
            "dev",
            "admin-1",
        )
        assert auth.roles == ("MeAdmin",)  # the granted role claim, a string here
        assert auth.access_token == ACCESS_TOKEN
        assert auth.refresh_token == "refresh-secret-0123456789"
        assert before + timedelta(seconds=600) <= auth.expires_at
        assert auth.expires_at <= datetime.now(UTC) + timedelta(seconds=600)

    def test_the_form_sent_and_the_form_shown(self, faulty):
        result = grant(faulty.env, client_secret="client-secret-xyz")

        request = result.exchange.request_text
        response = result.exchange.response_text
        port = faulty.url.split(":")[2].split("/")[0]
        assert request == (
            "POST /base/oauth/token HTTP/1.1\n"
            f"Host: 127.0.0.1:{port}\n"
            "User-Agent: ordercloud-console/0.1\n"
            "Accept: application/json\n"
            "Accept-Encoding: gzip, deflate\n"
            "Connection: keep-alive\n"
            "Content-Type: application/x-www-form-urlencoded\n"
            "Content-Length: 132\n"
            "\n"
            "grant_type=password&username=dev&password=********&client_id=C1"
            "&scope=MeAdmin+FullAccess&client_secret=********"
        )
        # The server got the real values; the echo of them is scrubbed on the way back.
        sent = json.loads(response.split("\n\n", 1)[1])["form"]
        assert sent == (
            "grant_type=password&username=dev&password=********&client_id=C1"
            "&scope=MeAdmin+FullAccess&client_secret=********"
        )
        assert faulty.hits == ["POST /base/oauth/token"]

    def test_tokens_are_redacted_in_the_response(self, faulty):
        result = grant(faulty.env)

        body = json.loads(result.exchange.response_text.split("\n\n", 1)[1])
        assert body["access_token"] == f"{ACCESS_TOKEN[:6]}…{ACCESS_TOKEN[-4:]}"
        assert body["refresh_token"] == "refres…6789"
        text = result.exchange.request_text + result.exchange.response_text
        assert ACCESS_TOKEN not in text
        assert "refresh-secret-0123456789" not in text
        assert "s3cret" not in text

    def test_no_roles_means_no_scope(self, faulty):
        result = grant(faulty.env, roles="")

        assert result.exchange.request_text.endswith(
            "\n\ngrant_type=password&username=dev&password=********&client_id=C1"
        )

    def test_invalid_grant(self, faulty):
        result = grant(faulty.env, password="wrong")

        assert result.auth is None
        assert result.error == "Sign-in failed: Wrong password."
        assert result.exchange.status == 400
        assert result.exchange.status_class == "client-error"

    def test_a_non_token_response(self, faulty):
        # /base/json is not a token endpoint, but /oauth/token below a base that serves JSON:
        faulty.env = environments.Environment(
            id="faulty", name="Faulty server", base_url=faulty.url + "/json", group="Configured"
        )

        result = grant(faulty.env)

        assert result.auth is None
        assert result.error == "Sign-in failed: 404 Not Found"

    def test_unreachable(self, refusing):
        result = grant(refusing)

        assert result.auth is None
        assert result.error == (
            f"No response from Refusing server ({refusing.base_url}): connection refused."
        )
        assert result.exchange.request_text.startswith("POST /oauth/token HTTP/1.1\n")


class TestClaims:
    def test_roles_of(self):
        assert oauth.roles_of({"role": "FullAccess"}) == ("FullAccess",)
        assert oauth.roles_of({"role": ["A", "B"]}) == ("A", "B")
        assert oauth.roles_of({}) == ()
        assert oauth.roles_of({"role": 3}) == ()

    def test_decode_claims_does_not_verify(self):
        token = jwt.encode({"usr": "u", "exp": 1}, "some-key-we-do-not-know-0123456789")

        assert oauth.decode_claims(token) == {"usr": "u", "exp": 1}
        assert oauth.decode_claims("not-a-jwt") == {}


@pytest.mark.django_db(transaction=True)
class TestAgainstTheEmbeddedSandbox:
    def test_dev_center_impersonate(self, sandbox):
        env = environments.get("sandbox")

        result = oauth.password_grant(
            env,
            client_id=sandbox.client_id,
            username=sandbox.username,
            password=sandbox.password,
            roles="DevCenterImpersonate FullAccess",
        )

        assert result.error == ""
        assert result.auth.environment_id == "sandbox"
        assert result.auth.username == sandbox.username
        assert result.auth.roles == ("DevCenterImpersonate", "FullAccess")
        assert result.auth.expires_at > datetime.now(UTC)
        assert result.exchange.status == 200
        assert result.exchange.request_text.startswith("POST /sandbox/oauth/token HTTP/1.1\n")
        assert sandbox.password not in result.exchange.request_text
        assert result.auth.access_token not in result.exchange.response_text

    def test_wrong_password(self, sandbox):
        result = oauth.password_grant(
            environments.get("sandbox"),
            client_id=sandbox.client_id,
            username=sandbox.username,
            password="not-the-password",
            roles="DevCenterImpersonate FullAccess",
        )

        assert result.auth is None
        assert result.exchange.status == 400
        assert result.error.startswith("Sign-in failed: ")
        assert "not-the-password" not in result.exchange.request_text
