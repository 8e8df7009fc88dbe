import json

import pytest

from console import compose, environments
from console.compose import Composed
from console.contexts import redact
from console.exchange import display_body, record
from console.transport import Received

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJ1c3IiOiJkZW1vIn0.abcdefghijklmnopqrstuvwx9Qk"


@pytest.fixture
def env(settings):
    settings.CONSOLE_ENVIRONMENTS = [
        {"id": "based", "name": "Based", "base_url": "https://api.example.com:8443/oc"}
    ]
    return environments.get("based")


class TestRedact:
    def test_first_six_and_last_four(self):
        assert redact(TOKEN) == "eyJhbG…x9Qk"

    def test_short_secrets_are_hidden_entirely(self):
        assert redact("abcdefghijklmno") == "…"
        assert redact("") == ""


def _received(**fields):
    base = {
        "status": 200,
        "reason": "OK",
        "headers": [("Content-Type", "application/json")],
        "body": b'{"b":1,"a":[1,2]}',
        "elapsed_ms": 12.3,
        "request_target": "/oc/v1/me",
        "request_headers": [
            ("Host", "api.example.com:8443"),
            ("User-Agent", "ordercloud-console/0.1"),
            ("Authorization", f"Bearer {TOKEN}"),
        ],
    }
    return Received(**{**base, **fields})


class TestRecord:
    def test_raw_request_and_response_text(self, env):
        outgoing = compose.prepare(env, Composed(environment_id="based"), TOKEN)

        exchange = record(env, outgoing, _received())

        assert exchange.request_text == (
            "GET /oc/v1/me HTTP/1.1\n"
            "Host: api.example.com:8443\n"
            "User-Agent: ordercloud-console/0.1\n"
            "Authorization: Bearer eyJhbG…x9Qk\n"
        )
        assert exchange.response_text == (
            'HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\n  "b": 1,\n  "a": [\n'
            "    1,\n    2\n  ]\n}"
        )
        assert TOKEN not in exchange.request_text + exchange.response_text
        assert (exchange.status, exchange.status_text, exchange.status_class) == (
            200,
            "200 OK",
            "success",
        )
        assert (exchange.size, exchange.size_text, exchange.elapsed_text) == (17, "17 B", "12 ms")
        assert (exchange.error, exchange.notice, exchange.truncated) == ("", "", False)
        assert exchange.url == "https://api.example.com:8443/oc/v1/me"
        assert exchange.environment_name == "Based"

    def test_request_body_follows_a_blank_line(self, env):
        composed = Composed(environment_id="based", method="PUT", path="/v1/x", body='{"a": 1}')
        outgoing = compose.prepare(env, composed)

        exchange = record(env, outgoing, _received(request_target="/oc/v1/x"))

        assert exchange.request_text.startswith("PUT /oc/v1/x HTTP/1.1\n")
        assert exchange.request_text.endswith('Authorization: Bearer eyJhbG…x9Qk\n\n{"a": 1}')

    def test_credentials_in_json_bodies_are_shown_redacted(self, env):
        composed = Composed(
            environment_id="based",
            method="POST",
            path="/v1/users",
            body='{"Username": "ada", "Password": "abc", "xp": {"NewPassword": "pässwörd"}}',
        )
        outgoing = compose.prepare(env, composed, TOKEN)
        other = "eyJhbGciOiJIUzI1NiJ9.eyJ1c3IiOiJidXllciJ9.zyxwvutsrqponmlkjihgfedcbaQ7Rz"
        body = json.dumps(
            {
                "access_token": other,
                "refresh_token": "r-0123456789abcdef",
                "Items": [{"ID": "c1", "ClientSecret": "s3cret"}],
                "Password": None,
            }
        ).encode()

        exchange = record(env, outgoing, _received(body=body))

        assert exchange.request_text.endswith(
            '\n\n{"Username": "ada", "Password": "********", "xp": {"NewPassword": "********"}}'
        )
        assert '"access_token": "eyJhbG…Q7Rz"' in exchange.response_text
        assert '"refresh_token": "r-0123…cdef"' in exchange.response_text
        assert '"ClientSecret": "********"' in exchange.response_text
        assert '"Password": null' in exchange.response_text
        shown = exchange.request_text + exchange.response_text
        for secret in (other, "r-0123456789abcdef", "s3cret", '"abc"', "pässwörd", TOKEN):
            assert secret not in shown

    def test_repeated_headers_are_kept_in_order(self, env):
        headers = [("Set-Cookie", "a=1"), ("X-A", "1"), ("Set-Cookie", "b=2")]
        outgoing = compose.prepare(env, Composed(environment_id="based"))

        exchange = record(env, outgoing, _received(headers=headers, body=b""))

        assert exchange.response_text == (
            "HTTP/1.1 200 OK\nSet-Cookie: a=1\nX-A: 1\nSet-Cookie: b=2\n"
        )

    def test_truncated_body_is_marked_and_not_pretty_printed(self, env, settings):
        settings.UPSTREAM_MAX_BYTES = 8
        outgoing = compose.prepare(env, Composed(environment_id="based"))

        exchange = record(env, outgoing, _received(body=b'{"b":1,"', truncated=True))

        assert exchange.response_text.endswith('\n\n{"b":1,"\n… [truncated after 8 bytes]')
        assert exchange.notice == (
            "The response is larger than the 8\xa0bytes limit: only its first 8\xa0bytes is shown."
        )
        assert exchange.truncated is True

    @pytest.mark.parametrize(
        ("status", "css"),
        [
            (200, "success"),
            (204, "success"),
            (302, "redirect"),
            (404, "client-error"),
            (500, "error"),
            (503, "error"),
            (None, "error"),
        ],
    )
    def test_status_class(self, env, status, css):
        outgoing = compose.prepare(env, Composed(environment_id="based"))

        exchange = record(env, outgoing, _received(status=status))

        assert exchange.status_class == css

    def test_no_response(self, env):
        outgoing = compose.prepare(env, Composed(environment_id="based"))
        received = Received(error="No response from Based (…): connection refused.")

        exchange = record(env, outgoing, received)

        assert exchange.response_text == ""
        assert exchange.status_text == "No response"
        assert exchange.request_text == (
            "GET /oc/v1/me HTTP/1.1\n"
            "Host: api.example.com:8443\n"
            "User-Agent: ordercloud-console/0.1\n"
            "Accept: application/json\n"
            "Accept-Encoding: gzip, deflate\n"
            "Connection: keep-alive\n"
        )

    def test_secrets_are_scrubbed_in_every_encoding(self, env):
        outgoing = compose.prepare(env, Composed(environment_id="based"))
        body = b'{"echo": "p@ss \\"word\\"", "form": "p%40ss+%22word%22", "raw": "p@ss \\"word\\""}'

        exchange = record(env, outgoing, _received(body=body), {'p@ss "word"': "********"})

        assert exchange.response_text.endswith(
            '{\n  "echo": "********",\n  "form": "********",\n  "raw": "********"\n}'
        )

    def test_short_secrets_are_not_scrubbed_from_free_text(self, env):
        outgoing = compose.prepare(env, Composed(environment_id="based"))

        exchange = record(env, outgoing, _received(body=b'{"a": 1}'), {"a": "***"})

        assert exchange.response_text.endswith('{\n  "a": 1\n}')


class TestDisplayBody:
    def test_json_is_pretty_printed_unicode_kept(self):
        assert display_body('{"a":"é"}'.encode(), "application/json; charset=utf-8") == (
            '{\n  "a": "é"\n}'
        )

    def test_json_by_suffix_and_by_shape(self):
        assert display_body(b"[1]", "application/problem+json") == "[\n  1\n]"
        assert display_body(b"[1]", "") == "[\n  1\n]"

    def test_invalid_json_is_shown_as_is(self):
        assert display_body(b"{nope", "application/json") == "{nope"

    def test_text_is_decoded_with_its_charset(self):
        assert display_body("café".encode("latin-1"), "text/plain; charset=latin-1") == ("café")
        assert display_body(b"\xff", "text/plain; charset=nonsense") == "\ufffd"

    def test_text_that_looks_like_json_is_left_alone(self):
        assert display_body(b'{"a":1}', "text/plain") == '{"a":1}'

    def test_binary_is_summarised(self):
        assert display_body(b"\x89PNG\x00", "image/png") == "[5 bytes of image/png not shown]"
        assert display_body(b"a\x00b", "") == "[3 bytes of binary content not shown]"
