"""The proxy: compose a request, send it to an environment, record the Exchange.

Nothing else in the console talks HTTP. Every call, the OAuth token request included,
goes through `transmit` and comes back as an `Exchange` that the templates render.
"""

import http.client
import json
import re
import socket
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.cookiejar import CookiePolicy
from urllib.parse import quote, quote_plus, unquote, urlencode, urlsplit

import requests
import urllib3.exceptions
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from requests.structures import CaseInsensitiveDict

from console.contexts import redact

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
METHODS_WITHOUT_BODY = ("GET", "DELETE")
USER_AGENT = "ordercloud-console/0.1"
DEFAULT_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "application/json",
    "Accept-Encoding": "gzip, deflate",
    "Connection": "keep-alive",
}
# Headers the console sets itself (or that would let a user smuggle a second request).
MANAGED_HEADERS = {
    name.lower(): name
    for name in [
        "Host",
        "Content-Length",
        "Transfer-Encoding",
        "Connection",
        "Keep-Alive",
        "Proxy-Authorization",
        "Proxy-Connection",
        "TE",
        "Trailer",
        "Upgrade",
        "Expect",
        "Accept-Encoding",
    ]
}
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")  # RFC 9110 header field name
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_JSON_TYPE = re.compile(r"application/([\w.+-]+\+)?json\s*(;|\Z)", re.IGNORECASE)
MAX_PATH = 2048
_CHUNK = 64 * 1024
# Secrets shorter than this are not scrubbed from free text: it would mangle the text.
_MIN_SCRUB = 6
PASSWORD_MASK = "********"
# JSON fields whose values are credentials (compared in lower case): wherever they come
# back from upstream (an impersonation token, an API client's secret) or go out in a
# composed body (a new user's password), the panes show them redacted.
SECRET_FIELDS = frozenset(
    {
        "access_token",
        "refresh_token",
        "id_token",
        "clientsecret",
        "client_secret",
        "password",
        "newpassword",
        "currentpassword",
    }
)


class OutsideEnvironment(Exception):
    """A URL that is not on its environment's scheme, host, port and base path."""


# --- Compose -------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str = ""
    value: str = ""

    @property
    def blank(self):
        return not self.name.strip() and not self.value.strip()


@dataclass(frozen=True)
class Composed:
    """What the user typed in the composer, as typed (rows included, blank ones too)."""

    environment_id: str
    method: str = "GET"
    path: str = "/v1/me"
    query: tuple[Row, ...] = ()
    headers: tuple[Row, ...] = ()
    body: str = ""

    @property
    def query_pairs(self):
        return [(row.name, row.value) for row in self.query if not row.blank]

    @property
    def header_pairs(self):
        return [(row.name.strip(), row.value.strip()) for row in self.headers if not row.blank]

    @property
    def has_body(self):
        return bool(self.body.strip())


def validate(composed):
    """{field: message} for everything wrong with the composed request; {} when it can go.

    Fields: "method", "path", "body", "query-<row index>", "header-<row index>".
    """
    errors = {}
    if composed.method not in METHODS:
        errors["method"] = f"Choose one of {', '.join(METHODS)}."
    if message := _path_error(composed.path):
        errors["path"] = message
    for i, row in enumerate(composed.query):
        if not row.blank and not row.name:
            errors[f"query-{i}"] = "Enter a name for this query parameter."
    seen = {}
    content_type = None
    for i, row in enumerate(composed.headers):
        if row.blank:
            continue
        name, value = row.name.strip(), row.value.strip()
        if message := _header_error(name, value):
            errors[f"header-{i}"] = message
        elif name.lower() in seen:
            errors[f"header-{i}"] = f"{name} is already set in an earlier row."
        else:
            seen[name.lower()] = value
            if name.lower() == "content-type":
                content_type = value
    if composed.has_body:
        if composed.method in METHODS_WITHOUT_BODY:
            errors["body"] = f"A {composed.method} request has no body: clear the Body."
        elif message := _json_error(composed.body):
            errors["body"] = message
        elif content_type is not None and not _JSON_TYPE.match(content_type):
            errors["body"] = (
                f"The Body is JSON but the Content-Type header says {content_type!r}: "
                "use application/json or leave it out."
            )
    return errors


def _path_error(path):
    if not path:
        return "Enter a path, e.g. /v1/me."
    if len(path) > MAX_PATH:
        return f"The path is too long (over {MAX_PATH} characters)."
    if _SCHEME.match(path) or path.startswith("//"):
        return "Enter a path like /v1/me, not a URL: the host comes from the environment."
    if not path.startswith("/"):
        return "The path must start with /, e.g. /v1/me."
    if "\\" in path or "\\" in unquote(path):
        return "The path cannot contain a backslash."
    if _CONTROL.search(path) or _CONTROL.search(unquote(path)):
        return "The path cannot contain control characters or line breaks."
    if " " in path:
        return "The path cannot contain spaces: write them as %20."
    if "?" in path or "#" in path:
        return "Put query parameters in the Query parameters rows, not in the path."
    if _BAD_ESCAPE.search(path):
        return "The path has a % that is not followed by two hex digits."
    if any(segment in (".", "..") for segment in unquote(path).split("/")):
        return "The path cannot contain . or .. segments."
    return None


def _header_error(name, value):
    if not name:
        return "Enter a header name."
    if _CONTROL.search(name) or _CONTROL.search(value.replace("\t", "")):
        return "Header names and values cannot contain line breaks or control characters."
    if not _TOKEN.match(name):
        return f"{name!r} is not a valid header name (letters, digits and !#$%&'*+-.^_`|~)."
    if name.lower() == "authorization":
        return "Authorization is set by the console from your sign-in; it cannot be set here."
    if managed := MANAGED_HEADERS.get(name.lower()):
        return f"{managed} is set by the console; it cannot be set here."
    if not value.isascii():
        return "Header values must be plain ASCII text."
    return None


def _json_error(body):
    try:
        json.loads(body)
    except ValueError as e:
        if isinstance(e, json.JSONDecodeError):
            return f"The Body is not valid JSON: {e.msg} (line {e.lineno}, column {e.colno})."
        return f"The Body is not valid JSON: {e}."
    return None


# --- Build ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    """A request ready to go: URL checked, headers final, body bytes and how to display it."""

    method: str
    url: str
    headers: CaseInsensitiveDict
    body: bytes | None = None
    display_body: str = ""  # the body as shown in the raw request (secrets redacted)
    secrets: dict = field(default_factory=dict, repr=False)  # secret -> what to show instead


def build_url(env, path, query=()):
    """{base_url}{path}?{query}, checked to still be on the environment."""
    url = env.base_url + path
    if query:
        url += "?" + urlencode(list(query), quote_via=quote, safe="!*,:")
    check_on_environment(env, url)
    return url


def check_on_environment(env, url):
    """Raise OutsideEnvironment unless url is on env's scheme, host, port and base path."""
    parts = urlsplit(url)
    base = urlsplit(env.base_url)
    try:
        port = parts.port
    except ValueError:
        raise OutsideEnvironment(f"{url!r} has an invalid port.") from None
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    if (
        parts.scheme != base.scheme
        or parts.username is not None
        or parts.password is not None
        or parts.hostname != base.hostname
        or (port or default_port) != env.port
        or parts.fragment
        or "\\" in url
        or _CONTROL.search(url)
    ):
        raise OutsideEnvironment(f"{url!r} is not on {env.name} ({env.base_url}).")
    path = parts.path
    if not (path.startswith(base.path + "/") or (not base.path and path == "")):
        raise OutsideEnvironment(f"{url!r} is not under {env.base_url}.")
    if any(segment in (".", "..") for segment in unquote(path).split("/")):
        raise OutsideEnvironment(f"{url!r} has . or .. segments.")


def prepare(env, composed, token=""):
    """The Outgoing for a validated Composed, with the user's token when there is one."""
    headers = CaseInsensitiveDict(DEFAULT_HEADERS)
    headers.update(composed.header_pairs)
    body = None
    if composed.has_body:
        body = composed.body.encode()
        headers.setdefault("Content-Type", "application/json")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return Outgoing(
        method=composed.method,
        url=build_url(env, composed.path, composed.query_pairs),
        headers=headers,
        body=body,
        display_body=composed.body if body else "",
        secrets=token_secrets(token),
    )


def token_secrets(*tokens):
    return {token: redact(token) for token in tokens if token}


# --- Send ----------------------------------------------------------------------------


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


def transmit(env, outgoing):
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
        # read1: one socket read at a time, so the deadline holds against a trickling body.
        while chunk := response.raw.read1(_CHUNK, decode_content=True):
            body += chunk
            if len(body) > cap:
                del body[cap:]
                received.truncated = True
                break
            if time.perf_counter() > deadline:
                received.error = _failure(
                    env,
                    f"timed out reading the response (over {connect_timeout + read_timeout:g} s)",
                    partial=True,
                )
                break
        received.body = bytes(body)
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as e:
        received.body = bytes(body)
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


# --- Record --------------------------------------------------------------------------


@dataclass(frozen=True)
class Exchange:
    """One request and its response as raw HTTP text, secrets redacted: what the panes show."""

    environment_name: str
    method: str
    url: str
    request_text: str
    response_text: str
    status: int | None
    reason: str
    elapsed_ms: float
    size: int
    truncated: bool
    error: str
    notice: str = ""

    @property
    def status_class(self):
        """2xx success, 3xx redirect, 4xx client-error, 5xx (and no response) error."""
        if self.status is None or self.status >= 500:
            return "error"
        return {2: "success", 3: "redirect", 4: "client-error"}.get(self.status // 100, "error")

    @property
    def status_text(self):
        if self.status is None:
            return "No response"
        return f"{self.status} {self.reason}".strip()

    @property
    def elapsed_text(self):
        ms = self.elapsed_ms
        return f"{ms:.1f} ms" if ms < 10 else f"{ms:,.0f} ms"

    @property
    def size_text(self):
        if self.size < 10_000:
            return f"{self.size:,} B"
        if self.size < 10 * 1024 * 1024:
            return f"{self.size / 1024:,.1f} KB"
        return f"{self.size / 1024 / 1024:,.1f} MB"


def record(env, outgoing, received, secrets=None):
    """The Exchange for a sent request: raw texts built, then every secret scrubbed."""
    secrets = {**outgoing.secrets, **(secrets or {})}
    cap = settings.UPSTREAM_MAX_BYTES
    notice = ""
    if received.truncated:
        size = filesizeformat(cap)
        notice = f"The response is larger than the {size} limit: only its first {size} is shown."
    fields = {**_secret_fields(outgoing.body), **_secret_fields(received.body)}
    return Exchange(
        environment_name=env.name,
        method=outgoing.method,
        url=_scrub(outgoing.url, secrets),
        request_text=_replace(_scrub(_request_text(outgoing, received), secrets), fields),
        response_text=_replace(_scrub(_response_text(received), secrets), fields),
        status=received.status,
        reason=received.reason,
        elapsed_ms=received.elapsed_ms,
        size=len(received.body),
        truncated=received.truncated,
        error=received.error,
        notice=notice,
    )


def send(env, outgoing):
    """transmit + record: the one path every console request takes."""
    return record(env, outgoing, transmit(env, outgoing))


def _request_text(outgoing, received):
    parts = urlsplit(outgoing.url)
    target = received.request_target or parts.path + (f"?{parts.query}" if parts.query else "")
    headers = received.request_headers or [("Host", parts.netloc), *outgoing.headers.items()]
    lines = [f"{outgoing.method} {target} HTTP/1.1"]
    lines += [f"{name}: {_redact_credentials(name, value)}" for name, value in headers]
    text = "\n".join(lines) + "\n"
    if outgoing.display_body:
        text += "\n" + outgoing.display_body
    return text


def _redact_credentials(name, value):
    """Authorization is always redacted, whatever the secrets passed along say."""
    if name.lower() not in ("authorization", "proxy-authorization"):
        return value
    scheme, _, credentials = value.partition(" ")
    return f"{scheme} {redact(credentials)}" if credentials else redact(value)


def _response_text(received):
    if received.status is None:
        return ""
    lines = [f"{received.version} {received.status} {received.reason}".rstrip()]
    lines += [f"{name}: {value}" for name, value in received.headers]
    text = "\n".join(lines) + "\n"
    if received.body:
        text += "\n" + display_body(received.body, received.content_type, received.truncated)
        if received.truncated:
            text += f"\n… [truncated after {len(received.body):,} bytes]"
    return text


_BINARY_TYPES = re.compile(
    r"(image|audio|video|font)/|application/(octet-stream|pdf|zip|gzip|x-protobuf)", re.I
)


def display_body(body, content_type="", truncated=False):
    """The body as text: JSON pretty-printed, binary summarised, anything else decoded."""
    if _BINARY_TYPES.match(content_type):
        return f"[{len(body):,} bytes of {content_type.split(';')[0]} not shown]"
    charset = re.search(r"charset=\"?([\w.:-]+)", content_type, re.I)
    try:
        text = body.decode(charset.group(1) if charset else "utf-8", errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    if "\x00" in text:
        return f"[{len(body):,} bytes of binary content not shown]"
    is_json = _JSON_TYPE.match(content_type) or (
        not content_type and text.lstrip()[:1] in ("{", "[")
    )
    if is_json and not truncated:
        try:
            return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        except ValueError:
            pass
    return text


def _secret_fields(body):
    """{JSON literal of each SECRET_FIELDS value in a JSON body: the literal shown instead}.

    Replacing whole string literals (quotes included) is exact even for short values,
    which free-text scrubbing has to leave alone.
    """
    try:
        data = json.loads(body or b"")
    except (ValueError, RecursionError):
        return {}
    found, stack = {}, [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and value and key.lower() in SECRET_FIELDS:
                    mask = redact(value) if "token" in key.lower() else PASSWORD_MASK
                    shown = json.dumps(mask, ensure_ascii=False)
                    for escaped in (True, False):
                        found[json.dumps(value, ensure_ascii=escaped)] = shown
                else:
                    stack.append(value)
    return found


def _replace(text, literals):
    for literal, shown in sorted(literals.items(), key=lambda item: -len(item[0])):
        text = text.replace(literal, shown)
    return text


def _scrub(text, secrets):
    """Replace every secret (and its URL- and JSON-encoded forms) in text."""
    for secret, shown in sorted(secrets.items(), key=lambda item: -len(item[0])):
        if len(secret) < _MIN_SCRUB:
            continue
        forms = {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]}
        for form in sorted(forms, key=len, reverse=True):
            text = text.replace(form, shown)
    return text
