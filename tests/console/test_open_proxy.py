"""The console is not an open proxy: hostile input is refused before anything is sent, and
a redirect to elsewhere is shown, never followed.

Two witnesses that nothing went anywhere else: a listener on another local port (the
"trap", where the hostile inputs point), and the interpreter's own audit events, which
record every socket connection and name lookup this process makes.
"""

import contextlib
import socket
import sys
import threading
from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.console.test_views import compose_data, sign_in_to, text_of, urlencoded

pytestmark = pytest.mark.django_db

_recorders = []


def _audit(event, args):
    if _recorders and event in ("socket.connect", "socket.getaddrinfo"):
        for record in _recorders:
            record.append((event, args[1] if event == "socket.connect" else args[:2]))


sys.addaudithook(_audit)  # hooks cannot be removed: it records only while a test asks


@pytest.fixture
def network():
    """Every connection and name lookup of this process while the test runs."""
    seen = []
    _recorders.append(seen)
    yield seen
    _recorders.remove(seen)


class Trap:
    """Listeners on one port of 127.0.0.1 (and ::1): whatever connects is counted."""

    def __init__(self):
        self.connections = []
        self.listeners = [socket.create_server(("127.0.0.1", 0))]
        self.port = self.listeners[0].getsockname()[1]
        with contextlib.suppress(OSError):  # unless there is no IPv6 loopback here
            self.listeners.append(socket.create_server(("::1", self.port), family=socket.AF_INET6))
        for listener in self.listeners:
            listener.settimeout(0.05)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stop.is_set():
            for listener in self.listeners:
                try:
                    conn, address = listener.accept()
                except TimeoutError:
                    continue
                self.connections.append(address)
                conn.close()

    def close(self):
        self.stop.set()
        self.thread.join()
        for listener in self.listeners:
            listener.close()


@pytest.fixture
def trap():
    trap = Trap()
    yield trap
    trap.close()


def elsewhere(faulty, where):
    return (
        f"This URL is on {where}, not on Faulty server ({faulty.url}): the console only "
        "calls the selected environment. Enter a path like /v1/me."
    )


NOT_A_URL = "Enter a path like /v1/me, not a URL: the host comes from the environment."
MUST_START = "The path must start with /, e.g. /v1/me."
BACKSLASH = "The path cannot contain a backslash."
CONTROL = "The path cannot contain control characters or line breaks."
DOTS = "The path cannot contain . or .. segments."
EMPTY = "The path cannot contain empty segments (//, or %2F next to a /)."
USERINFO = (
    "This URL has a user name or password (before @), which is never sent: the console "
    "only calls the selected environment. Enter a path like /v1/me."
)
HEADER_CONTROL = "Header names and values cannot contain line breaks or control characters."
UNREADABLE = "This is not a URL or path the console can read."
URL_CONTROL = "The URL cannot contain control characters or line breaks."
NO_ENVIRONMENT = "Choose an environment to send to."
NO_METHOD = "Choose one of GET, POST, PUT, PATCH, DELETE."


def managed(header):
    return f"{header} is set by the console; it cannot be set here."


def corpus(faulty, trap):
    """(what is posted, the field refused, the message): {A} the environment's port, {T}
    the trap's. The environment is http://127.0.0.1:{A}/base."""
    a, t = faulty.url.split(":")[2].split("/")[0], trap.port
    env = f"http://127.0.0.1:{a}/base"
    not_under = (
        f"This URL is not under Faulty server's base URL ({faulty.url}): the console only "
        "calls the selected environment. Enter a path like /v1/me."
    )

    def path(value, message):
        return ({"path": value}, "path", message)

    def header(name, value, message):
        return ({"header_name": [name, ""], "header_value": [value, ""]}, "header", message)

    return [
        # Absolute and scheme-relative URLs, every spelling of the trap's address.
        path(f"http://127.0.0.1:{t}/v1/me", elsewhere(faulty, f"http://127.0.0.1:{t}")),
        path(f"https://127.0.0.1:{t}/v1/me", elsewhere(faulty, f"https://127.0.0.1:{t}")),
        path(f"//127.0.0.1:{t}/v1/me", elsewhere(faulty, f"//127.0.0.1:{t}")),
        path(f"HTTP://127.0.0.1:{t}/v1/me", elsewhere(faulty, f"http://127.0.0.1:{t}")),
        path(f"http://localhost:{t}/v1/me", elsewhere(faulty, "localhost")),
        path(f"http://2130706433:{t}/v1/me", elsewhere(faulty, "2130706433")),  # decimal
        path(f"http://0x7f000001:{t}/v1/me", elsewhere(faulty, "0x7f000001")),  # hex
        path(f"http://0x7f.0.0.1:{t}/v1/me", elsewhere(faulty, "0x7f.0.0.1")),
        path(f"http://0177.0.0.1:{t}/v1/me", elsewhere(faulty, "0177.0.0.1")),  # octal
        path(f"http://017700000001:{t}/v1/me", elsewhere(faulty, "017700000001")),
        path(f"http://127.1:{t}/v1/me", elsewhere(faulty, "127.1")),
        path(f"http://0.0.0.0:{t}/v1/me", elsewhere(faulty, "0.0.0.0")),
        path(f"http://[::1]:{t}/v1/me", elsewhere(faulty, "::1")),
        path(f"http://[::ffff:127.0.0.1]:{t}/v1/me", elsewhere(faulty, "::ffff:127.0.0.1")),
        path(f"http://[::ffff:7f00:1]:{t}/v1/me", elsewhere(faulty, "::ffff:7f00:1")),
        path(f"http://127.0.0.1.nip.io:{t}/v1/me", elsewhere(faulty, "127.0.0.1.nip.io")),
        # Cloud metadata services.
        path("http://169.254.169.254/latest/meta-data/", elsewhere(faulty, "169.254.169.254")),
        path("http://[fd00:ec2::254]/latest/meta-data/", elsewhere(faulty, "fd00:ec2::254")),
        path(
            "http://metadata.google.internal/computeMetadata/v1/",
            elsewhere(faulty, "metadata.google.internal"),
        ),
        # Unicode hosts.
        path("http://ⓔⓥⓘⓛ.example/v1/me", elsewhere(faulty, "ⓔⓥⓘⓛ.example")),
        path("http://evil。example/v1/me", elsewhere(faulty, "evil。example")),
        path("https://ｓandboxapi.ordercloud.io/", elsewhere(faulty, "ｓandboxapi.ordercloud.io")),
        path("／／evil.example/v1/me", MUST_START),  # fullwidth solidus
        # Other schemes.
        path("javascript:alert(document.domain)", elsewhere(faulty, "javascript")),
        path("file:///etc/passwd", elsewhere(faulty, "file")),
        path(f"gopher://127.0.0.1:{t}/_GET", elsewhere(faulty, f"gopher://127.0.0.1:{t}")),
        path(f"http:127.0.0.1:{t}/v1/me", elsewhere(faulty, "http")),
        # User info: what looks like the environment is the user name.
        path(f"http://127.0.0.1:{a}@127.0.0.1:{t}/v1/me", USERINFO),
        path(f"http://user:pass@127.0.0.1:{a}/base/v1/me", USERINFO),
        path(f"http://127.0.0.1:{a}\\@127.0.0.1:{t}/v1/me", USERINFO),
        # The environment's own URL, bent: another port, scheme or base path, traversal.
        path(f"http://127.0.0.1:{a}.evil.example/v1/me", UNREADABLE),
        path(f"https://127.0.0.1:{a}/base/v1/me", elsewhere(faulty, f"https://127.0.0.1:{a}")),
        path(f"http://127.0.0.1:{a}/other/v1/me", not_under),
        path(f"http://127.0.0.1:{a}#@127.0.0.1:{t}/", not_under),
        path(f"{env}/../../v1/me", DOTS),
        path(f"{env}/%2e%2e/%2e%2e/v1/me", DOTS),
        path(f"{env}/v1/me\r\nHost: 127.0.0.1:{t}", URL_CONTROL),
        # Paths: no leading slash, backslashes, traversal, encoded slashes, control bytes.
        path(f"127.0.0.1:{t}/v1/me", MUST_START),
        path(f"@127.0.0.1:{t}/v1/me", MUST_START),
        path(f"\\\\127.0.0.1:{t}\\v1\\me", MUST_START),
        path(f"/\\127.0.0.1:{t}/v1/me", BACKSLASH),
        path(f"/%5C%5C127.0.0.1:{t}/v1/me", BACKSLASH),
        path(f"/%255c%255c127.0.0.1:{t}/v1/me", BACKSLASH),  # encoded twice
        path("/v1/../../../admin", DOTS),
        path("/v1/%2e%2e/%2E%2E/admin", DOTS),
        path("/v1/..%2F..%2F..%2Fetc/passwd", DOTS),
        path("/v1/%252e%252e/%252e%252e/admin", DOTS),  # encoded twice
        path(f"/%2F%2F127.0.0.1:{t}/v1/me", EMPTY),
        path(f"/v1/%2f%2F127.0.0.1:{t}", EMPTY),
        path(f"//%2F127.0.0.1:{t}/v1/me", elsewhere(faulty, "%2F127.0.0.1")),
        path("/v1/me%00.json", CONTROL),
        path(f"/v1/me%0d%0aHost:%20127.0.0.1:{t}", CONTROL),
        path("/v1/me%250d%250aX-Injected:%20yes", CONTROL),  # encoded twice
        path(f"/v1/me\r\nHost: 127.0.0.1:{t}", CONTROL),
        path("/v1/me\tx", CONTROL),
        # Headers that would reroute or smuggle a request.
        header("Host", f"127.0.0.1:{t}", managed("Host")),
        header("X-Trace", f"1\r\nHost: 127.0.0.1:{t}", HEADER_CONTROL),
        header(f"X-Trace\r\nHost: 127.0.0.1:{t}\r\nX-B", "1", HEADER_CONTROL),
        header("Content-Length", "0", managed("Content-Length")),
        header("Transfer-Encoding", "chunked", managed("Transfer-Encoding")),
        header("Connection", "Upgrade", managed("Connection")),
        header("Upgrade", "h2c", managed("Upgrade")),
        header("Proxy-Authorization", "Basic eDp5", managed("Proxy-Authorization")),
        # Another environment than the configured ones.
        ({"environment": f"http://127.0.0.1:{t}"}, "environment-target", NO_ENVIRONMENT),
        ({"environment": "../faulty"}, "environment-target", NO_ENVIRONMENT),
        ({"environment": f"faulty@127.0.0.1:{t}"}, "environment-target", NO_ENVIRONMENT),
        # Methods that would turn the console into a tunnel.
        ({"method": "CONNECT", "path": f"/127.0.0.1:{t}"}, "method", NO_METHOD),
        ({"method": "TRACE"}, "method", NO_METHOD),
    ]  # fmt: skip


def error_of(html, field):
    """The message shown under a field of the composer."""
    return text_of(html, "header-error-0" if field == "header" else f"{field}-error")


def test_the_corpus_is_large(faulty, trap):
    assert len(corpus(faulty, trap)) >= 50


def test_every_hostile_input_is_refused_and_nothing_goes_anywhere(client, faulty, trap, network):
    refused = []
    for fields, field, message in corpus(faulty, trap):
        response = client.post(reverse("send"), **urlencoded(compose_data(**fields)))

        html = response.content.decode()
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, fields
        assert error_of(html, field) == message, fields
        refused.append(fields)

    assert len(refused) == len(corpus(faulty, trap))
    assert faulty.hits == []
    assert trap.connections == []
    assert network == []


def test_the_same_inputs_through_htmx_are_refused_too(client, faulty, trap, network):
    for fields, field, message in corpus(faulty, trap):
        response = client.post(
            reverse("send"), **urlencoded(compose_data(**fields)), HTTP_HX_REQUEST="true"
        )

        # htmx swaps 2xx answers only: the composer comes back, retargeted, with the error.
        assert (response.status_code, response["HX-Retarget"]) == (200, "#composer-card"), fields
        assert error_of(response.content.decode(), field) == message, fields

    assert (faulty.hits, trap.connections, network) == ([], [], [])


@pytest.mark.parametrize("buyer", ["..", ".", "%2e%2e", "%252e%252e"])
def test_impersonation_ids_cannot_leave_their_path(client, faulty, trap, network, buyer):
    sign_in_to(client, faulty)
    network.clear()
    hits = len(faulty.hits)

    response = client.post(
        reverse("impersonate"),
        {"buyer": buyer, "user": "u1", "client_id": "C1", "roles": "Shopper"},
        HTTP_HX_REQUEST="true",
    )

    assert "Impersonation failed: that is not a valid ID." in response.content.decode()
    # What the panel lists again (its buyers, with the document's roles), and nothing else.
    assert not [hit for hit in faulty.hits[hits:] if not hit.startswith("GET ")]
    assert trap.connections == []
    assert {a for event, a in network if event == "socket.connect"} <= {faulty.env_address}


def test_a_pasted_url_of_the_environment_is_still_accepted(client, faulty, trap, network):
    """The corpus is refused for what it is, not because pasting is refused."""
    response = client.post(
        reverse("send"), **urlencoded(compose_data(path=f"{faulty.url}/json?a=1"))
    )

    assert response.status_code == HTTPStatus.OK
    assert faulty.hits == ["GET /base/json?a=1"]
    assert {a for event, a in network if event == "socket.connect"} == {faulty.env_address}
    assert trap.connections == []


class TestRedirects:
    @pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
    def test_a_redirect_to_another_host_is_shown_not_followed(
        self, client, faulty, trap, network, status
    ):
        moved = faulty.moved(status, f"http://127.0.0.1:{trap.port}/stolen")

        response = client.post(
            reverse("send"), **urlencoded(compose_data(env=moved.id, path="/v1/me"))
        )

        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert text_of(html, "result-status").startswith(f"{status} ")
        assert f"Location: http://127.0.0.1:{trap.port}/stolen/v1/me" in text_of(
            html, "raw-response"
        )
        assert faulty.hits == ["GET /base/moved/v1/me"]
        assert trap.connections == []
        connects = [address for event, address in network if event == "socket.connect"]
        assert connects == [("127.0.0.1", moved.port)]

    def test_a_token_endpoint_that_redirects_gets_no_password(self, client, faulty, trap):
        moved = faulty.moved(307, f"http://127.0.0.1:{trap.port}/steal")

        response = client.post(
            reverse("signin"),
            {"environment": moved.id, "client_id": "C1", "username": "u", "password": "pw-123456"},
            HTTP_HX_REQUEST="true",
        )

        html = response.content.decode()
        assert "Sign-in failed: 307 Temporary Redirect" in html
        assert f"Location: http://127.0.0.1:{trap.port}/steal/oauth/token" in html
        assert faulty.hits == ["POST /base/moved/oauth/token"]
        assert trap.connections == []

    def test_an_openapi_document_that_redirects_is_not_followed(self, client, faulty, trap):
        moved = faulty.moved(302, f"http://127.0.0.1:{trap.port}/document")

        response = client.get(reverse("catalog"), {"environment": moved.id})

        html = response.content.decode()
        assert f"could not be loaded. {faulty.url}/moved/v1/openapi/v3 answered 302 Found." in html
        assert faulty.hits == ["GET /base/moved/v1/openapi/v3"]
        assert trap.connections == []
