"""transport.send (recorded as an Exchange) against real local servers that misbehave on
purpose (no mocks)."""

import json
import time
import tracemalloc

import pytest

from console import compose, exchange, transport
from console.compose import Composed, Row


def send(env, path="/v1/me", token="", **fields):
    composed = Composed(environment_id=env.id, path=path, **fields)
    assert compose.validate(composed) == {}
    outgoing = compose.prepare(env, composed, token)
    return exchange.record(env, outgoing, transport.send(env, outgoing))


class TestWellBehaved:
    def test_json_is_pretty_printed_under_the_status_and_headers(self, faulty):
        exchange = send(faulty.env, "/json")

        head, body = exchange.response_text.split("\n\n", 1)
        assert head.startswith("HTTP/1.1 200 OK\nServer: BaseHTTP/")
        assert "\nContent-Type: application/json\nContent-Length: 40" in head
        assert (
            body
            == '{\n  "ID": "x",\n  "Items": [\n    1,\n    2\n  ],\n  "xp": {\n    "a": "é"\n  }\n}'
        )
        assert (exchange.status, exchange.size, exchange.error) == (200, 40, "")
        assert 0 < exchange.elapsed_ms < 1000

    def test_what_is_sent_is_what_is_shown(self, faulty):
        token = "eyJhbGciOiJIUzI1NiJ9.eyJ1c3IiOiJkZW1vIn0.signature-part-1234"

        exchange = send(
            faulty.env,
            "/echo",
            token=token,
            method="POST",
            query=(Row("search", "red shoes"), Row("sortBy", "!Name")),
            headers=(Row("X-Trace", "t-1"),),
            body='{"Name": "x"}',
        )

        echoed = json.loads(exchange.response_text.split("\n\n", 1)[1])
        port = faulty.url.split(":")[2].split("/")[0]
        assert echoed["method"] == "POST"
        assert echoed["path"] == "/base/echo?search=red%20shoes&sortBy=!Name"
        assert echoed["body"] == '{"Name": "x"}'
        assert echoed["headers"] == [
            ["Host", f"127.0.0.1:{port}"],
            ["User-Agent", "ordercloud-console/0.1"],
            ["Accept", "application/json"],
            ["Accept-Encoding", "gzip, deflate"],
            ["Connection", "keep-alive"],
            ["X-Trace", "t-1"],
            ["Content-Type", "application/json"],
            ["Authorization", "Bearer eyJhbG…1234"],  # scrubbed on the way back too
            ["Content-Length", "13"],
        ]
        assert exchange.request_text == (
            "POST /base/echo?search=red%20shoes&sortBy=!Name HTTP/1.1\n"
            f"Host: 127.0.0.1:{port}\n"
            "User-Agent: ordercloud-console/0.1\n"
            "Accept: application/json\n"
            "Accept-Encoding: gzip, deflate\n"
            "Connection: keep-alive\n"
            "X-Trace: t-1\n"
            "Content-Type: application/json\n"
            "Authorization: Bearer eyJhbG…1234\n"
            "Content-Length: 13\n"
            "\n"
            '{"Name": "x"}'
        )
        assert token not in exchange.request_text + exchange.response_text

    def test_gzip_is_decoded(self, faulty):
        exchange = send(faulty.env, "/gzip")

        assert "\nContent-Encoding: gzip\n" in exchange.response_text
        assert exchange.response_text.endswith('\n\n{\n  "zipped": true\n}')
        assert exchange.size == len(b'{"zipped": true}')

    def test_html_stays_text(self, faulty):
        exchange = send(faulty.env, "/html")

        assert exchange.response_text.endswith("\n\n<h1>Hello</h1><script>alert(1)</script>")


class TestMisbehaving:
    def test_non_json_body_with_a_json_content_type(self, faulty):
        exchange = send(faulty.env, "/not-json")

        assert exchange.response_text.endswith("\n\n{this is not json")
        assert (exchange.status, exchange.status_class, exchange.error) == (200, "success", "")

    def test_500(self, faulty):
        exchange = send(faulty.env, "/server-error")

        assert exchange.response_text.startswith("HTTP/1.1 500 Internal Server Error\n")
        assert exchange.response_text.endswith(
            '\n\n{\n  "Errors": [\n    {\n      "ErrorCode": "InternalServerError",\n'
            '      "Message": "boom"\n    }\n  ]\n}'
        )
        assert (exchange.status_text, exchange.status_class, exchange.error) == (
            "500 Internal Server Error",
            "error",
            "",
        )

    def test_oversize_body_is_cut_at_the_cap(self, faulty, settings):
        settings.UPSTREAM_MAX_BYTES = 1000

        exchange = send(faulty.env, "/big")

        assert exchange.size == 1000
        assert exchange.truncated is True
        assert exchange.response_text.endswith(
            "\n\n[" + "1," * 499 + "1\n… [truncated after 1,000 bytes]"
        )
        assert exchange.notice == (
            "The response is larger than the 1000\xa0bytes limit: "
            "only its first 1000\xa0bytes is shown."
        )
        assert "\nContent-Length: 100003\n" in exchange.response_text

    def test_a_redirect_is_shown_not_followed(self, faulty):
        exchange = send(faulty.env, "/redirect")

        assert exchange.response_text.startswith("HTTP/1.1 302 Found\n")
        assert "\nLocation: http://example.invalid/stolen\n" in exchange.response_text
        assert (exchange.status, exchange.status_class, exchange.error) == (302, "redirect", "")

    def test_repeated_set_cookie_headers_are_all_shown_and_never_kept(self, faulty):
        exchange = send(faulty.env, "/cookies")
        echo = send(faulty.env, "/echo")

        assert "\nSet-Cookie: a=1; Path=/\nSet-Cookie: b=2; Path=/\nX-Dup: 1\n" in (
            exchange.response_text
        )
        sent = json.loads(echo.response_text.split("\n\n", 1)[1])["headers"]
        assert "cookie" not in [name.lower() for name, _ in sent]
        assert not transport._session.cookies

    def test_binary_body_is_summarised(self, faulty):
        exchange = send(faulty.env, "/binary")

        assert exchange.response_text.endswith("\n\n[10 bytes of image/png not shown]")

    def test_garbage_instead_of_http(self, faulty):
        exchange = send(faulty.env, "/garbage")

        assert exchange.status is None
        assert exchange.error == (
            f"No response from Faulty server ({faulty.url}): "
            "invalid response (not an HTTP status line: 'THIS IS NOT HTTP\\r\\n')."
        )
        assert exchange.response_text == ""
        assert exchange.request_text.startswith("GET /base/garbage HTTP/1.1\n")

    def test_a_body_cut_short(self, faulty):
        exchange = send(faulty.env, "/short")

        assert exchange.error == (
            f"Incomplete response from Faulty server ({faulty.url}): invalid response "
            "(the connection closed mid-body: 13 bytes read, 987 more expected)."
        )
        assert exchange.status == 200
        assert exchange.response_text.endswith('\n\n{"cut": "here')

    def test_hang_up_without_answering(self, faulty):
        exchange = send(faulty.env, "/hang-up")

        assert exchange.error == (
            f"No response from Faulty server ({faulty.url}): "
            "invalid response (the server closed the connection without answering)."
        )


class TestHostile:
    """Upstreams that attack the console's time or memory: each stops at a limit, with a
    clear message, within the timeouts plus a second."""

    def test_a_reset_mid_body(self, faulty):
        exchange = send(faulty.env, "/reset")

        assert exchange.error == (
            f"Incomplete response from Faulty server ({faulty.url}): "
            "the connection was reset (by the server, or on the way)."
        )
        assert (exchange.status, exchange.size) == (200, 5012)
        assert exchange.response_text.endswith('\n\n{"Items": ["' + "x" * 5000)

    def test_a_gzip_bomb_is_decoded_only_up_to_the_cap(self, faulty, settings):
        settings.UPSTREAM_MAX_BYTES = 1 << 20
        tracemalloc.start()
        start = time.monotonic()

        exchange = send(faulty.env, "/gzip-bomb")

        elapsed, peak = time.monotonic() - start, tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert (exchange.status, exchange.size, exchange.truncated) == (200, 1 << 20, True)
        assert exchange.notice.startswith("The response is larger than the 1.0\xa0MB limit")
        assert "\nContent-Encoding: gzip\nContent-Length: 1076224\n" in exchange.response_text
        assert peak < 16 << 20  # 1 GiB once decoded: never held, not even a chunk of it
        assert elapsed < 1

    def test_invalid_utf8_is_shown_with_replacement_characters(self, faulty):
        exchange = send(faulty.env, "/bad-utf8")

        assert (exchange.status, exchange.error) == (200, "")
        assert "\nX-Bad: \xff\xfe latin-1\n" in exchange.response_text  # as HTTP reads it
        assert exchange.response_text.endswith(
            '\n\n{\n  "Name": "caf\ufffd \ufffd\ufffd",\n  "ok": "é"\n}'
        )
        assert exchange.body == b'{"Name": "caf\xe9 \xff\xfe", "ok": "\xc3\xa9"}'  # kept as is

    def test_an_endless_chunked_stream_is_cut_at_the_cap(self, faulty, settings):
        settings.UPSTREAM_MAX_BYTES = 1 << 20
        start = time.monotonic()

        exchange = send(faulty.env, "/endless")

        assert (exchange.status, exchange.size, exchange.truncated) == (200, 1 << 20, True)
        assert "\nTransfer-Encoding: chunked\n" in exchange.response_text
        assert time.monotonic() - start < 1

    def test_an_endless_slow_chunked_stream_hits_the_deadline(self, faulty, small_timeouts):
        start = time.monotonic()

        exchange = send(faulty.env, "/endless-slow")

        assert exchange.error == (
            f"Incomplete response from Faulty server ({faulty.url}): "
            "timed out reading the response (over 0.8 s)."
        )
        assert exchange.status == 200 and 0 < exchange.size < 300
        assert 0.8 <= time.monotonic() - start < 1.8


class TestUnreachable:
    def test_connection_refused(self, refusing):
        exchange = send(refusing, "/v1/me")

        assert exchange.error == (
            f"No response from Refusing server ({refusing.base_url}): connection refused."
        )
        assert (exchange.status, exchange.status_text, exchange.status_class) == (
            None,
            "No response",
            "error",
        )
        assert exchange.request_text.startswith("GET /v1/me HTTP/1.1\nHost: 127.0.0.1:")

    def test_read_timeout(self, silent, small_timeouts):
        start = time.monotonic()

        exchange = send(silent, "/v1/me")

        assert exchange.error == (
            f"No response from Silent server ({silent.base_url}): "
            "timed out waiting for the response (read timeout 0.5 s)."
        )
        assert 0.5 <= time.monotonic() - start < 2
        assert 500 <= exchange.elapsed_ms < 2000

    def test_slow_response_is_a_read_timeout(self, faulty, small_timeouts):
        exchange = send(faulty.env, "/slow")

        assert exchange.error.endswith("timed out waiting for the response (read timeout 0.5 s).")

    def test_connect_timeout(self, unreachable, small_timeouts):
        start = time.monotonic()

        exchange = send(unreachable, "/v1/me")

        assert exchange.error == (
            f"No response from Unreachable server ({unreachable.base_url}): "
            "timed out connecting (connect timeout 0.3 s)."
        )
        assert 0.3 <= time.monotonic() - start < 2

    def test_a_trickling_body_hits_the_total_deadline(self, faulty, small_timeouts):
        start = time.monotonic()

        exchange = send(faulty.env, "/trickle")

        assert exchange.error == (
            f"Incomplete response from Faulty server ({faulty.url}): "
            "timed out reading the response (over 0.8 s)."
        )
        assert exchange.status == 200
        assert 0 < exchange.size < 20
        assert time.monotonic() - start < 2

    def test_a_body_that_stalls_near_the_deadline_still_ends_there(self, faulty, settings):
        """Each read is allowed only the time left: not a whole read timeout past it."""
        settings.UPSTREAM_CONNECT_TIMEOUT, settings.UPSTREAM_READ_TIMEOUT = 0.2, 1.5
        start = time.monotonic()

        exchange = send(faulty.env, "/drip-then-stall")

        assert exchange.error == (
            f"Incomplete response from Faulty server ({faulty.url}): "
            "timed out reading the response (over 1.7 s)."
        )
        # Well before 3.2 s, where a whole read timeout past the stall would end.
        assert 1.7 <= time.monotonic() - start < 2.8
        assert 10 <= exchange.size <= 16  # what had dripped in (a busy server drips slower)

    def test_dns_failure(self, settings):
        settings.CONSOLE_ENVIRONMENTS = [
            {"id": "nowhere", "name": "Nowhere", "base_url": "https://nowhere.invalid"}
        ]
        from console import environments

        env = environments.get("nowhere")

        exchange = send(env, "/v1/me")

        assert exchange.error == (
            "No response from Nowhere (https://nowhere.invalid): "
            "DNS lookup failed for nowhere.invalid."
        )


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_every_method_goes_through(faulty, method):
    body = "" if method == "DELETE" else '{"a": 1}'

    exchange = send(faulty.env, "/echo", method=method, body=body)

    echoed = json.loads(exchange.response_text.split("\n\n", 1)[1])
    assert (echoed["method"], echoed["body"]) == (method, body)


def test_connections_are_pooled_and_shared_between_threads(faulty):
    from concurrent.futures import ThreadPoolExecutor

    first = send(faulty.env, "/echo")
    second = send(faulty.env, "/echo")
    with ThreadPoolExecutor(8) as pool:
        many = list(pool.map(lambda _: send(faulty.env, "/echo"), range(32)))

    def port(exchange):
        return json.loads(exchange.response_text.split("\n\n", 1)[1])["client_port"]

    assert port(first) == port(second)
    assert all(e.status == 200 for e in many)
    assert len({port(e) for e in many}) <= 8
