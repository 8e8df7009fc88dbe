import pytest
from django.http import QueryDict

from console import compose, environments
from console.compose import Composed, Row, validate
from console.views.send import display_rows

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJ1c3IiOiJkZW1vIn0.abcdefghijklmnopqrstuvwx9Qk"


@pytest.fixture
def env(settings):
    settings.CONSOLE_ENVIRONMENTS = [
        {"id": "based", "name": "Based", "base_url": "https://api.example.com:8443/oc"}
    ]
    return environments.get("based")


def composed(**fields):
    return Composed(environment_id="sandbox", **fields)


class TestValidate:
    def test_the_default_request_is_valid(self):
        assert validate(composed()) == {}

    def test_a_full_request_is_valid(self):
        request = composed(
            method="PATCH",
            path="/v1/products/p%201",
            query=(Row("filters", "xp.a=>5"), Row("", ""), Row("page", "2")),
            headers=(
                Row(" X-Trace ", " abc "),
                Row("Content-Type", "application/json; charset=utf-8"),
            ),
            body='{"Name": "x"}',
        )

        assert validate(request) == {}

    @pytest.mark.parametrize("method", ["TRACE", "get", "", "CONNECT", "OPTIONS"])
    def test_unknown_method(self, method):
        assert validate(composed(method=method)) == {
            "method": "Choose one of GET, POST, PUT, PATCH, DELETE."
        }

    @pytest.mark.parametrize(
        ("path", "message"),
        [
            ("", "Enter a path, e.g. /v1/me."),
            ("v1/me", "The path must start with /, e.g. /v1/me."),
            (
                "https://evil.example/v1/me",
                "Enter a path like /v1/me, not a URL: the host comes from the environment.",
            ),
            (
                "http:/v1/me",
                "Enter a path like /v1/me, not a URL: the host comes from the environment.",
            ),
            (
                "javascript:alert(1)",
                "Enter a path like /v1/me, not a URL: the host comes from the environment.",
            ),
            (
                "//evil.example/v1/me",
                "Enter a path like /v1/me, not a URL: the host comes from the environment.",
            ),
            ("/\\evil.example", "The path cannot contain a backslash."),
            ("/v1/%5Cevil", "The path cannot contain a backslash."),
            ("/v1/me\r\nHost: evil", "The path cannot contain control characters or line breaks."),
            ("/v1/me%0d%0aX: y", "The path cannot contain control characters or line breaks."),
            ("/v1/\x00", "The path cannot contain control characters or line breaks."),
            ("/v1/my products", "The path cannot contain spaces: write them as %20."),
            ("/v1/me?x=1", "Put query parameters in the Query parameters rows, not in the path."),
            ("/v1/me#top", "Put query parameters in the Query parameters rows, not in the path."),
            ("/v1/%zz", "The path has a % that is not followed by two hex digits."),
            ("/v1/../../admin", "The path cannot contain . or .. segments."),
            ("/v1/%2e%2e/admin", "The path cannot contain . or .. segments."),
            ("/v1/./me", "The path cannot contain . or .. segments."),
            ("/..", "The path cannot contain . or .. segments."),
            ("/" + "a" * 2048, "The path is too long (over 2048 characters)."),
        ],
    )
    def test_bad_path(self, path, message):
        assert validate(composed(path=path)) == {"path": message}

    def test_query_row_without_a_name(self):
        request = composed(query=(Row("page", "1"), Row("", "2")))

        assert validate(request) == {"query-1": "Enter a name for this query parameter."}

    def test_blank_rows_are_ignored(self):
        request = composed(query=(Row("", ""), Row(" ", "")), headers=(Row("", " "),))

        assert validate(request) == {}

    @pytest.mark.parametrize(
        ("name", "value", "message"),
        [
            ("", "x", "Enter a header name."),
            (
                "X-A",
                "1\r\nHost: evil",
                "Header names and values cannot contain line breaks or control characters.",
            ),
            (
                "X-A",
                "1\nX-B: 2",
                "Header names and values cannot contain line breaks or control characters.",
            ),
            (
                "X-A\r\nX-B",
                "1",
                "Header names and values cannot contain line breaks or control characters.",
            ),
            (
                "X-A",
                "a\x00b",
                "Header names and values cannot contain line breaks or control characters.",
            ),
            (
                "X A",
                "1",
                "'X A' is not a valid header name (letters, digits and !#$%&'*+-.^_`|~).",
            ),
            (
                "X-A:",
                "1",
                "'X-A:' is not a valid header name (letters, digits and !#$%&'*+-.^_`|~).",
            ),
            (
                "Authorization",
                "Bearer x",
                "Authorization is set by the console from your sign-in; it cannot be set here.",
            ),
            (
                "authorization",
                "Bearer x",
                "Authorization is set by the console from your sign-in; it cannot be set here.",
            ),
            ("host", "evil.example", "Host is set by the console; it cannot be set here."),
            ("Content-Length", "5", "Content-Length is set by the console; it cannot be set here."),
            (
                "transfer-encoding",
                "chunked",
                "Transfer-Encoding is set by the console; it cannot be set here.",
            ),
            ("Connection", "close", "Connection is set by the console; it cannot be set here."),
            (
                "Proxy-Authorization",
                "x",
                "Proxy-Authorization is set by the console; it cannot be set here.",
            ),
            ("Upgrade", "h2c", "Upgrade is set by the console; it cannot be set here."),
            (
                "Accept-Encoding",
                "br",
                "Accept-Encoding is set by the console; it cannot be set here.",
            ),
            ("X-Name", "café", "Header values must be plain ASCII text."),
        ],
    )
    def test_bad_header(self, name, value, message):
        assert validate(composed(headers=(Row("X-Ok", "1"), Row(name, value)))) == {
            "header-1": message
        }

    def test_a_header_twice(self):
        request = composed(headers=(Row("X-A", "1"), Row("x-a", "2")))

        assert validate(request) == {"header-1": "x-a is already set in an earlier row."}

    def test_a_tab_in_a_header_value_is_fine(self):
        assert validate(composed(headers=(Row("X-A", "a\tb"),))) == {}

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            (
                '{"a": 1 "b": 2}',
                "The Body is not valid JSON: Expecting ',' delimiter (line 1, column 9).",
            ),
            (
                '{"a": "b',
                "The Body is not valid JSON: Unterminated string starting at (line 1, column 7).",
            ),
            (
                "{\n  'a': 1\n}",
                "The Body is not valid JSON: Expecting property name enclosed in "
                "double quotes (line 2, column 3).",
            ),
            ("Name=x", "The Body is not valid JSON: Expecting value (line 1, column 1)."),
            ('{"a": 1} {"b": 2}', "The Body is not valid JSON: Extra data (line 1, column 10)."),
        ],
    )
    def test_body_must_be_json(self, body, message):
        assert validate(composed(method="POST", body=body)) == {"body": message}

    @pytest.mark.parametrize("method", ["GET", "DELETE"])
    def test_no_body_on_get_and_delete(self, method):
        assert validate(composed(method=method, body="{}")) == {
            "body": f"A {method} request has no body: clear the Body."
        }

    def test_a_whitespace_body_is_no_body(self):
        assert validate(composed(method="GET", body=" \n ")) == {}

    def test_body_needs_a_json_content_type(self):
        request = composed(method="PUT", body="{}", headers=(Row("Content-Type", "text/plain"),))

        assert validate(request) == {
            "body": "The Body is JSON but the Content-Type header says 'text/plain': "
            "use application/json or leave it out."
        }

    @pytest.mark.parametrize(
        "content_type",
        ["application/json", "APPLICATION/JSON; charset=utf-8", "application/merge-patch+json"],
    )
    def test_json_content_types(self, content_type):
        request = composed(method="PATCH", body="{}", headers=(Row("Content-Type", content_type),))

        assert validate(request) == {}

    def test_every_error_at_once(self):
        request = composed(
            method="TRACE",
            path="//evil",
            query=(Row("", "1"),),
            headers=(Row("Host", "x"),),
            body="{",
        )

        assert set(validate(request)) == {"method", "path", "query-0", "header-0", "body"}


class TestComposedFromPost:
    def test_rows_in_order_and_blank_ones_kept(self):
        data = QueryDict(mutable=True)
        data.update({"environment": "sandbox", "method": "POST", "path": "/v1/x"})
        data.setlist("query_name", ["a", "", "c"])
        data.setlist("query_value", ["1", "", "3"])
        data.setlist("header_name", ["X-A"])
        data.setlist("header_value", ["v", "extra"])
        data["body"] = '{\r\n"a": 1\r\n}'

        result = compose.composed_from(data)

        assert result == Composed(
            environment_id="sandbox",
            method="POST",
            path="/v1/x",
            query=(Row("a", "1"), Row("", ""), Row("c", "3")),
            headers=(Row("X-A", "v"), Row("", "extra")),
            body='{\n"a": 1\n}',
        )
        assert result.query_pairs == [("a", "1"), ("c", "3")]
        assert result.header_pairs == [("X-A", "v"), ("", "extra")]

    def test_nothing_posted(self):
        assert compose.composed_from(QueryDict()) == Composed(environment_id="", method="", path="")

    def test_add_and_remove_rows(self):
        data = QueryDict(mutable=True)
        data.setlist("query_name", ["a", "b"])
        data.setlist("query_value", ["1", "2"])
        start = compose.composed_from(data)

        added, edited = compose.edit_rows(start, {"add_row": "header"})
        removed, edited_too = compose.edit_rows(start, {"remove_row": "query-0"})
        untouched, not_edited = compose.edit_rows(start, {"remove_row": "query-9"})
        bogus, bogus_edited = compose.edit_rows(start, {"add_row": "body"})

        assert (edited, added.headers, added.query) == (True, (Row(),), start.query)
        assert (edited_too, removed.query) == (True, (Row("b", "2"),))
        assert (not_edited, untouched) == (True, start)
        assert (bogus_edited, bogus) == (False, start)

    def test_display_rows_pad_with_blank_ones(self):
        errors = {"query-1": "Enter a name for this query parameter."}

        assert display_rows((), errors, "query") == [
            {"index": 0, "name": "", "value": "", "error": ""},
            {
                "index": 1,
                "name": "",
                "value": "",
                "error": "Enter a name for this query parameter.",
            },
        ]
        assert [r["name"] for r in display_rows((Row("a"), Row("b")), {}, "q")] == [
            "a",
            "b",
            "",
        ]
        assert len(display_rows((Row("a"), Row()), {}, "q")) == 2


class TestBuildUrl:
    def test_base_url_plus_path_plus_query(self, env):
        url = compose.build_url(
            env, "/v1/products", [("search", "red shoes"), ("sortBy", "!Name"), ("xp.a", "é&b")]
        )

        assert url == (
            "https://api.example.com:8443/oc/v1/products"
            "?search=red%20shoes&sortBy=!Name&xp.a=%C3%A9%26b"
        )

    def test_repeated_query_keys_are_kept(self, env):
        url = compose.build_url(env, "/v1/orders", [("xp.n", ">1"), ("xp.n", "<5")])

        assert url.endswith("/v1/orders?xp.n=%3E1&xp.n=%3C5")

    def test_ordercloud_root_base(self):
        env = environments.get("uswest-sandbox")

        assert compose.build_url(env, "/v1/me") == "https://sandboxapi.ordercloud.io/v1/me"

    @pytest.mark.parametrize(
        "path",
        [
            "@evil.example/v1",  # https://api.example.com:8443/oc@evil.example/v1
            ".evil.example/v1",
            ":1/v1",
            "/../../v1",
            "/%2e%2e/v1",
            "/\\evil",
            "/v1#frag",
            "",
            "/v1/\r\nHost: evil",
        ],
    )
    def test_leaving_the_environment_is_refused(self, env, path):
        with pytest.raises(environments.OutsideEnvironment):
            compose.build_url(env, path)

    @pytest.mark.parametrize(
        "url",
        [
            "http://api.example.com:8443/oc/v1/me",  # scheme
            "https://api.example.com/oc/v1/me",  # port
            "https://api.example.com:8444/oc/v1/me",
            "https://evil.example:8443/oc/v1/me",  # host
            "https://user@api.example.com:8443/oc/v1/me",  # userinfo
            "https://api.example.com:8443/other/v1/me",  # base path
            "https://api.example.com:8443/ocx/v1/me",
            "https://api.example.com:8443/oc",
            "https://api.example.com:8443:99/oc/v1",
        ],
    )
    def test_check_on_environment(self, env, url):
        with pytest.raises(environments.OutsideEnvironment):
            environments.check_on_environment(env, url)

    def test_check_on_environment_passes_its_own_urls(self, env):
        environments.check_on_environment(env, "https://api.example.com:8443/oc/v1/me?x=1")
        environments.check_on_environment(env, "https://API.example.com:8443/oc/")


class TestPrepare:
    def test_headers_body_and_token(self, env):
        composed = Composed(
            environment_id="based",
            method="POST",
            path="/v1/products",
            query=(Row("page", "2"),),
            headers=(Row("X-Trace", "t1"), Row("accept", "text/plain")),
            body='{"ID": "p1"}',
        )

        outgoing = compose.prepare(env, composed, TOKEN)

        assert outgoing.url == "https://api.example.com:8443/oc/v1/products?page=2"
        assert list(outgoing.headers.items()) == [
            ("User-Agent", "ordercloud-console/0.1"),
            ("accept", "text/plain"),
            ("Accept-Encoding", "gzip, deflate"),
            ("Connection", "keep-alive"),
            ("X-Trace", "t1"),
            ("Content-Type", "application/json"),
            ("Authorization", f"Bearer {TOKEN}"),
        ]
        assert outgoing.body == b'{"ID": "p1"}'
        assert outgoing.display_body == '{"ID": "p1"}'
        assert outgoing.secrets == {TOKEN: "eyJhbG…x9Qk"}

    def test_no_token_no_authorization(self, env):
        outgoing = compose.prepare(env, Composed(environment_id="based"))

        assert "Authorization" not in outgoing.headers
        assert outgoing.body is None
        assert outgoing.secrets == {}
