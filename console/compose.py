"""What the user typed in the composer -> a validated request, ready to send (no HTTP here).

`composed_from` reads the form post as typed, `validate` says what is wrong with it, and
`prepare` turns a valid one into an `Outgoing`: URL built and checked on its environment,
final headers, the user's token. `transport` sends it; `exchange` records it.
"""

import json
import re
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from django.http import QueryDict
from requests.structures import CaseInsensitiveDict

from console.contexts import token_secrets
from console.environments import OutsideEnvironment, check_on_environment

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
JSON_TYPE = re.compile(r"application/([\w.+-]+\+)?json\s*(;|\Z)", re.IGNORECASE)
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")  # RFC 9110 header field name
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
MAX_PATH = 2048
# How much of a too-large form post is read to give the user back what they composed.
PREFIX_BYTES = 64 * 1024
ROW_KINDS = ("query", "header", "filter")
# The generated form of an operation (console.catalog.forms) posts its inputs as "op.*".
PARAM_PREFIX = "op."
# Header and query names whose values are credentials: redacted in the panes, masked in
# history, permalinks and snippets.
SECRET_NAME = re.compile(r"auth|token|secret|passw|api-?key|cookie|session", re.I)


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
    # Chosen from the catalog: the operation, its generated inputs ("op.path.buyerID",
    # "op.query.sortBy", ...) and its filter rows; console.catalog.forms.fill reads them.
    operation: str = ""
    params: tuple[Row, ...] = ()
    filters: tuple[Row, ...] = ()

    @property
    def query_pairs(self):
        return [(row.name, row.value) for row in self.query if not row.blank]

    @property
    def header_pairs(self):
        return [(row.name.strip(), row.value.strip()) for row in self.headers if not row.blank]

    @property
    def has_body(self):
        return bool(self.body.strip())


# --- Read the form post ----------------------------------------------------------------


def composed_from(data):
    """The composer's fields as the user typed them, rows in order, blank rows included."""
    return Composed(
        environment_id=data.get("environment", ""),
        method=data.get("method", ""),
        path=data.get("path", ""),
        query=_rows(data, "query"),
        headers=_rows(data, "header"),
        body=data.get("body", "").replace("\r\n", "\n"),
        operation=data.get("operation", ""),
        params=tuple(
            Row(name, value)
            for name in data
            if name.startswith(PARAM_PREFIX)
            for value in data.getlist(name)
        ),
        filters=_rows(data, "filter"),
    )


def composed_from_prefix(prefix):
    """The composer's fields from the start of a post too large to parse, without the body.

    Only complete `name=value` pairs are kept; the body (last, and what made the post too
    large) is dropped, truncated or not.
    """
    data = QueryDict(prefix.rpartition(b"&")[0], mutable=True)
    data.pop("body", None)
    return composed_from(data)


def _rows(data, kind):
    names, values = data.getlist(f"{kind}_name"), data.getlist(f"{kind}_value")
    count = max(len(names), len(values))
    names += [""] * (count - len(names))
    values += [""] * (count - len(values))
    return tuple(Row(name, value) for name, value in zip(names, values, strict=True))


def edit_rows(composed, data):
    """Apply a no-JavaScript "Add row" / "Remove" button: (composed, True) when one was pressed."""
    if (kind := data.get("add_row")) in ROW_KINDS:
        rows = (*getattr(composed, kind_field(kind)), Row())
        return _with_rows(composed, kind, rows), True
    kind, _, index = data.get("remove_row", "").partition("-")
    if kind in ROW_KINDS and index.isdigit():
        rows = list(getattr(composed, kind_field(kind)))
        if int(index) < len(rows):
            del rows[int(index)]
        return _with_rows(composed, kind, tuple(rows)), True
    return composed, False


def kind_field(kind):
    return {"query": "query", "header": "headers", "filter": "filters"}[kind]


def _with_rows(composed, kind, rows):
    return replace(composed, **{kind_field(kind): rows})


def split_pasted(composed, env):
    """A URL of env, or a path with a query string, pasted into the path: (the composed
    request with path and query rows split, ""), or (as it was, why not) for another host.
    The path that comes out is validated like a typed one."""
    path = composed.path.strip()
    if not (_SCHEME.match(path) or path.startswith("//") or "?" in path or "#" in path):
        return composed, ""
    if _CONTROL.search(path):  # urlsplit would quietly drop line breaks and tabs
        return composed, "The URL cannot contain control characters or line breaks."
    try:
        parts = urlsplit(path)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        return composed, "This is not a URL or path the console can read."
    if parts.scheme or parts.netloc:
        if why := _not_on(env, parts):
            return composed, f"{why}: the console only calls the selected environment. " + (
                "Enter a path like /v1/me."
            )
        path = parts.path.removeprefix(env.base_path)
    else:
        path = parts.path
    pasted = tuple(Row(n, v) for n, v in parse_qsl(parts.query, keep_blank_values=True))
    query = (*(row for row in composed.query if not row.blank), *pasted)
    return replace(composed, path=path, query=query), ""


def _not_on(env, parts):
    """Why a pasted URL (split) is not on env: a user name, another origin or base path."""
    if "@" in parts.netloc:
        return "This URL has a user name or password (before @), which is never sent"
    try:
        check_on_environment(env, f"{parts.scheme}://{parts.netloc}{env.base_path}/")
    except OutsideEnvironment:
        # The host when it differs, else the origin (the scheme or the port differs).
        if not parts.netloc:
            where = parts.scheme  # javascript:..., mailto:...
        elif parts.hostname != env.hostname:
            where = parts.hostname
        else:
            where = f"{parts.scheme}:" * bool(parts.scheme) + f"//{parts.netloc}"
        return f"This URL is on {where}, not on {env.name} ({env.base_url})"
    if not parts.path.startswith(env.base_path + "/"):
        return f"This URL is not under {env.name}'s base URL ({env.base_url})"
    return ""


# --- Validate --------------------------------------------------------------------------


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
        elif content_type is not None and not JSON_TYPE.match(content_type):
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
    decoded = _decodings(path)  # as typed, and decoded once, twice... (%252e is %2e is .)
    if any("\\" in form for form in decoded):
        return "The path cannot contain a backslash."
    if any(_CONTROL.search(form) for form in decoded):
        return "The path cannot contain control characters or line breaks."
    if " " in path:
        return "The path cannot contain spaces: write them as %20."
    if "?" in path or "#" in path:
        return "Put query parameters in the Query parameters rows, not in the path."
    if _BAD_ESCAPE.search(path):
        return "The path has a % that is not followed by two hex digits."
    if any(segment in (".", "..") for form in decoded for segment in form.split("/")):
        return "The path cannot contain . or .. segments."
    # An ID may hold an encoded slash (b%2Fx); an empty segment is never an API path, and
    # //host is how a URL names another host.
    if any("//" in form for form in decoded):
        return "The path cannot contain empty segments (//, or %2F next to a /)."
    return None


def _decodings(path, most=4):
    """path and its successive percent-decodings, until one changes nothing."""
    forms = [path]
    while len(forms) < most and (decoded := unquote(forms[-1])) != forms[-1]:
        forms.append(decoded)
    return forms


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


# --- Build -----------------------------------------------------------------------------


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
        secrets=token_secrets(
            token, *[v for n, v in composed.header_pairs if SECRET_NAME.search(n)]
        ),
    )
