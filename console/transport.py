"""The one pooled requests.Session: nothing else in the console talks HTTP.

`send` takes an `Outgoing` from `compose` to its environment and reads what comes back
within the configured time and size, never following a redirect; every failure becomes
a message in the `Received`, never an exception. `exchange.record` makes it displayable.
"""

import http.client
import socket
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.cookiejar import CookiePolicy
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from django.conf import settings

from console.environments import OutsideEnvironment, check_on_environment

_CHUNK = 64 * 1024


class _NoCookies(CookiePolicy):
    """The pooled session is shared by all users: it must never keep anyone's cookies."""

    netscape = True
    rfc2965 = hide_cookie2 = False

    def set_ok(self, cookie, request):
        return False

    def return_ok(self, cookie, request):
        return False

    def domain_return_ok(self, domain, request):
        return False

    def path_return_ok(self, path, request):
        return False


def _new_session():
    session = requests.Session()
    session.cookies.set_policy(_NoCookies())
    adapter = requests.adapters.HTTPAdapter(pool_connections=16, pool_maxsize=32)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


# One pool per process. Session.send is safe to share between threads: connection pools
# are thread-safe, cookies are refused, and requests are prepared without the session.
_session = _new_session()


@dataclass
class Received:
    """What came back: status and headers when they arrived, the body read within the cap."""

    status: int | None = None
    reason: str = ""
    version: str = "HTTP/1.1"
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    truncated: bool = False
    elapsed_ms: float = 0.0
    error: str = ""
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    request_target: str = ""

    @property
    def content_type(self):
        return next((v for k, v in self.headers if k.lower() == "content-type"), "")


def send(env, outgoing):
    """Send outgoing to env and read the response, within the configured time and size."""
    connect_timeout = settings.UPSTREAM_CONNECT_TIMEOUT
    read_timeout = settings.UPSTREAM_READ_TIMEOUT
    cap = settings.UPSTREAM_MAX_BYTES
    received = Received()
    body = bytearray()
    start = time.perf_counter()
    try:
        check_on_environment(env, outgoing.url)
        prepared = requests.Request(
            outgoing.method, outgoing.url, headers=outgoing.headers, data=outgoing.body
        ).prepare()
        check_on_environment(env, prepared.url)
        received.request_target = prepared.path_url
        received.request_headers = [("Host", urlsplit(prepared.url).netloc)]
        received.request_headers += list(prepared.headers.items())
        options = _session.merge_environment_settings(prepared.url, {}, True, None, None)
        response = _session.send(
            prepared,
            **options,
            timeout=(connect_timeout, read_timeout),
            allow_redirects=False,
        )
    except OutsideEnvironment as e:
        received.error = _failure(env, f"refused to send outside the environment ({e})")
        return received
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError) as e:
        received.error = _failure(env, _cause(env, e, connect_timeout, read_timeout))
        received.elapsed_ms = _ms_since(start)
        return received
    try:
        received.status = response.status_code
        received.reason = response.reason or _phrase(response.status_code)
        received.version = _version(response.raw.version)
        received.headers = list(response.raw.headers.items())
        deadline = start + connect_timeout + read_timeout
        too_slow = _failure(
            env,
            f"timed out reading the response (over {connect_timeout + read_timeout:g} s)",
            partial=True,
        )
        # One socket read at a time (read1), each allowed only the time left before the
        # deadline, so that a trickling or stalling body ends there.
        sock = getattr(response.raw.connection, "sock", None)
        while (left := deadline - time.perf_counter()) > 0:
            if sock is not None:
                sock.settimeout(min(read_timeout, left))
            chunk = response.raw.read1(_CHUNK, decode_content=True)
            if not chunk:
                break
            body += chunk
            if len(body) > cap:
                del body[cap:]
                received.truncated = True
                break
        else:
            received.error = too_slow
        received.body = bytes(body)
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as e:
        received.body = bytes(body)
        if time.perf_counter() >= deadline and _timed_out(e):
            received.error = too_slow
        else:
            cause = _cause(env, e, connect_timeout, read_timeout)
            received.error = _failure(env, cause, partial=True)
    finally:
        response.close()
    received.elapsed_ms = _ms_since(start)
    return received


def _ms_since(start):
    return (time.perf_counter() - start) * 1000


def _failure(env, cause, partial=False):
    """The error message: which environment, and what went wrong."""
    what = "Incomplete response" if partial else "No response"
    return f"{what} from {env.name} ({env.base_url}): {cause}."


def _phrase(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _version(number):
    return {9: "HTTP/0.9", 10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}.get(number, "HTTP/1.1")


def _chain(exc):
    """exc and every exception it wraps (args, .reason, __cause__, __context__)."""
    seen, queue = set(), [exc]
    while queue:
        e = queue.pop(0)
        if not isinstance(e, BaseException) or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        queue += [*e.args, getattr(e, "reason", None), e.__cause__, e.__context__]


def _timed_out(exc):
    return any(
        isinstance(e, TimeoutError | urllib3.exceptions.TimeoutError | requests.Timeout)
        for e in _chain(exc)
    )


def _cause(env, exc, connect_timeout, read_timeout):
    chain = list(_chain(exc))

    def find(*types):
        return next((e for e in chain if isinstance(e, types)), None)

    if find(urllib3.exceptions.NameResolutionError, socket.gaierror):
        return f"DNS lookup failed for {env.hostname}"
    if find(ConnectionRefusedError):
        return "connection refused"
    if find(urllib3.exceptions.ReadTimeoutError, requests.ReadTimeout):
        return f"timed out waiting for the response (read timeout {read_timeout:g} s)"
    if find(requests.ConnectTimeout) or any(
        isinstance(e, urllib3.exceptions.ConnectTimeoutError)
        and not isinstance(e, urllib3.exceptions.NewConnectionError)
        for e in chain
    ):
        return f"timed out connecting (connect timeout {connect_timeout:g} s)"
    if e := find(requests.exceptions.SSLError):
        return f"TLS error ({_last_words(e)})"
    if e := find(http.client.RemoteDisconnected):
        return "invalid response (the server closed the connection without answering)"
    if find(ConnectionResetError):
        return "the connection was reset (by the server, or on the way)"
    if e := find(http.client.IncompleteRead):
        read = e.partial if isinstance(e.partial, int) else len(e.partial)  # urllib3: an int
        return (
            f"invalid response (the connection closed mid-body: {read:,} bytes read, "
            f"{e.expected:,} more expected)"
        )
    if e := find(http.client.BadStatusLine):
        return f"invalid response (not an HTTP status line: {str(e)[:80]!r})"
    if e := find(
        http.client.HTTPException,
        urllib3.exceptions.ProtocolError,
        urllib3.exceptions.DecodeError,
        requests.exceptions.ChunkedEncodingError,
        requests.exceptions.ContentDecodingError,
        requests.exceptions.InvalidHeader,
    ):
        return f"invalid response ({_last_words(e)})"
    if (e := find(OSError)) and e.strerror:
        return e.strerror.lower()
    return _last_words(exc)


def _last_words(exc):
    """The innermost useful message of a wrapped exception, short."""
    innermost = list(_chain(exc))[-1]
    return (str(innermost) or type(innermost).__name__)[:200]
