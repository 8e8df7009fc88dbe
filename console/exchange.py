"""Exchange: one request and its response as raw HTTP text, with every secret redacted.

Every call the console makes, the OAuth token request included, is recorded here from
what `compose` built and what `transport` received, and every `Exchange` is rendered by
the same templates. Nothing leaves this module with a token, password or secret in it.
"""

import json
import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote, quote_plus, urlsplit

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from console.compose import JSON_TYPE
from console.contexts import redact

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

_SECRET_KEY = re.compile(
    rb'"(?i:%s)"' % b"|".join(re.escape(name.encode()) for name in sorted(SECRET_FIELDS))
)
# How much of a response body the page shows as text (the viewer fetches the rest).
PREVIEW_BYTES = 64 * 1024


@dataclass(frozen=True)
class Exchange:
    """One request and its response as raw HTTP text, secrets redacted: what the panes show."""

    environment_name: str
    method: str
    url: str
    request_text: str
    response_head: str  # status line and headers ("" when nothing came back)
    body: bytes  # the response body as received (up to the cap), secrets redacted
    content_type: str
    status: int | None
    reason: str
    elapsed_ms: float
    size: int
    truncated: bool
    error: str
    notice: str = ""

    @cached_property
    def response_text(self):
        """The whole raw response: head, blank line, the body as text (JSON pretty-printed)."""
        if not self.response_head:
            return ""
        text = self.response_head
        if self.body:
            text += "\n" + display_body(self.body, self.content_type, self.truncated)
            if self.truncated:
                text += f"\n… [truncated after {len(self.body):,} bytes]"
        return text

    @cached_property
    def response_preview(self):
        """The raw response as the page shows it: whole when small, else the head and the
        first PREVIEW_BYTES of the body, never pretty-printed (nothing unbounded in a page)."""
        if self.size <= PREVIEW_BYTES:
            return self.response_text
        shown = self.body[:PREVIEW_BYTES]
        text = display_body(shown, self.content_type, truncated=True)
        if text.startswith("[") and text.endswith("not shown]"):  # binary: summarise it whole
            text = display_body(self.body, self.content_type, truncated=True)
            return f"{self.response_head}\n{text}"
        return (
            f"{self.response_head}\n{text.rstrip(chr(0xFFFD))}\n"
            f"… [the first {len(shown):,} of {self.size:,} bytes]"
        )

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
    head = _response_head(received)
    return Exchange(
        environment_name=env.name,
        method=outgoing.method,
        url=_scrub(outgoing.url, secrets),
        request_text=_replace(_scrub(_request_text(outgoing, received), secrets), fields),
        response_head=_replace(_scrub(head, secrets), fields),
        body=scrub_body(received.body, secrets, fields) if head else b"",
        content_type=received.content_type,
        status=received.status,
        reason=received.reason,
        elapsed_ms=received.elapsed_ms,
        size=len(received.body),
        truncated=received.truncated,
        error=received.error,
        notice=notice,
    )


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


def _response_head(received):
    if received.status is None:
        return ""
    lines = [f"{received.version} {received.status} {received.reason}".rstrip()]
    lines += [f"{name}: {value}" for name, value in received.headers]
    return "\n".join(lines) + "\n"


def scrub_body(body, secrets, fields):
    """The body's bytes with every secret and secret JSON field replaced (as in the panes)."""
    replacements = {}
    for secret, shown in secrets.items():
        if len(secret) >= _MIN_SCRUB:
            forms = {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]}
            replacements.update(dict.fromkeys(forms, shown))
    replacements.update(fields)
    for literal, shown in sorted(replacements.items(), key=lambda item: -len(item[0])):
        body = body.replace(literal.encode(), shown.encode())
    return body


BINARY_TYPES = re.compile(
    r"(image|audio|video|font)/|application/(octet-stream|pdf|zip|gzip|x-protobuf)", re.I
)


def display_body(body, content_type="", truncated=False):
    """The body as text: JSON pretty-printed, binary summarised, anything else decoded."""
    if BINARY_TYPES.match(content_type):
        return f"[{len(body):,} bytes of {content_type.split(';')[0]} not shown]"
    charset = re.search(r"charset=\"?([\w.:-]+)", content_type, re.I)
    try:
        text = body.decode(charset.group(1) if charset else "utf-8", errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    if "\x00" in text:
        return f"[{len(body):,} bytes of binary content not shown]"
    is_json = JSON_TYPE.match(content_type) or (
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
    if not body or not _SECRET_KEY.search(body):
        return {}  # a cheap scan first: parsing a 20 MB list for nothing takes a while
    try:
        data = json.loads(body)
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


def redact_text(text, secrets):
    """text (something the user typed) with the secrets and secret JSON fields redacted."""
    return _replace(_scrub(text, secrets), _secret_fields(text.encode()))
