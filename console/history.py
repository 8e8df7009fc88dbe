"""Exchanges kept per browser session (HistoryEntry), permalinks, and ListPage paging.

A session's rows are found by `owner`, the SHA-256 of a random key that lives only in the
server-side session data: another session (another cookie) has another key or none, so no
query it can make reaches these rows. Sign-in cycles the session key but keeps the data;
sign-out flushes the session but carries the history key over (`flush_keeping_history`);
the session's end loses the key, and the rows expire with it (HISTORY_MAX_AGE).

Everything stored is already redacted: the exchange as the panes show it, and the composed
request with every credential masked (`safe_composed`).
"""

import hashlib
import json
import re
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import unquote, urlencode, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from console import compose, environments
from console.catalog import forms as catalog_forms
from console.compose import Composed, Row
from console.exchange import PASSWORD_MASK, Exchange, redact_text
from console.models import HistoryEntry

SESSION_KEY = "console.history"
STATUS_FILTERS = {"2xx": (200, 299), "3xx": (300, 399), "4xx": (400, 499), "5xx": (500, 599)}
_DEFERRED = ("body", "request_text", "response_head", "composed")


def owner_of(session, create=False):
    """The digest that keys this session's rows; None when it has no history yet."""
    key = session.get(SESSION_KEY)
    if not isinstance(key, str) or not key:
        if not create:
            return None
        key = session[SESSION_KEY] = secrets.token_urlsafe(32)
    return hashlib.sha256(key.encode()).hexdigest()


def flush_keeping_history(session):
    """Sign-out: a new, empty session that still reaches the history of the old one."""
    key = session.get(SESSION_KEY)
    session.flush()
    if key:
        session[SESSION_KEY] = key


def clear(session):
    if owner := owner_of(session):
        HistoryEntry.objects.filter(owner=owner).delete()


def is_token_request(exchange):
    return urlsplit(exchange.url).path.endswith("/oauth/token")


def _environment_of(url):
    """The environment a (checked) URL is on, the longest base URL first."""
    found = [env for env in environments.all_environments() if _on(env, url)]
    return max(found, key=lambda env: len(env.base_url), default=None)


def _on(env, url):
    try:
        environments.check_on_environment(env, url)
    except environments.OutsideEnvironment:
        return False
    return True


def record(session, exchange, composed=None, secrets=None):
    """Keep `exchange` (and the composed request it came from) in the session's history."""
    owner = owner_of(session, create=True)
    env = _environment_of(exchange.url)
    path = urlsplit(exchange.url).path
    if env and env.base_path and path.startswith(env.base_path):
        path = path[len(env.base_path) :]
    entry = HistoryEntry(
        owner=owner,
        kind=HistoryEntry.SEND if composed else HistoryEntry.TOKEN,
        environment_id=env.id if env else "",
        environment_name=exchange.environment_name,
        method=exchange.method,
        path=path,
        url=exchange.url,
        composed=_to_json(safe_composed(composed, secrets)) if composed else None,
        request_text=exchange.request_text,
        response_head=exchange.response_head,
        body=exchange.body,
        content_type=exchange.content_type[:200],
        status=exchange.status,
        reason=exchange.reason[:200],
        elapsed_ms=exchange.elapsed_ms,
        size=exchange.size,
        truncated=exchange.truncated,
        error=exchange.error,
        notice=exchange.notice,
        stored_bytes=len(exchange.body) + len(exchange.request_text) + len(exchange.response_head),
    )
    with transaction.atomic():
        entry.save()
        _expire(owner)
    return entry


def _expire(owner):
    """Drop what is past the limits: everyone's rows past the age, this owner's past the
    count or the bytes (the newest row always stays)."""
    cutoff = timezone.now() - timedelta(seconds=settings.HISTORY_MAX_AGE)
    HistoryEntry.objects.filter(created__lt=cutoff).delete()
    total, drop = 0, []
    rows = HistoryEntry.objects.filter(owner=owner).order_by("-id")
    for kept, (entry_id, size) in enumerate(rows.values_list("id", "stored_bytes"), 1):
        total += size
        over = kept > settings.HISTORY_MAX_ENTRIES or total > settings.HISTORY_MAX_BYTES
        if over and kept > 1:
            drop.append(entry_id)
    if drop:
        HistoryEntry.objects.filter(owner=owner, id__in=drop).delete()


def entries(session, method="", status="", path=""):
    """The session's entries, newest first, filtered; the big fields are left unloaded."""
    owner = owner_of(session)
    if owner is None:
        return HistoryEntry.objects.none()
    rows = HistoryEntry.objects.filter(owner=owner).defer(*_DEFERRED).order_by("-id")
    if method:
        rows = rows.filter(method=method)
    if status == "none":
        rows = rows.filter(status__isnull=True)
    elif status in STATUS_FILTERS:
        rows = rows.filter(status__range=STATUS_FILTERS[status])
    elif status.isdigit():
        rows = rows.filter(status=int(status))
    if path:
        rows = rows.filter(path__icontains=path)
    return rows


def get(session, entry_id, *, with_body=True):
    """The session's entry with this id, or None (also for another session's id)."""
    owner = owner_of(session)
    if owner is None:
        return None
    rows = HistoryEntry.objects.filter(owner=owner, id=entry_id)
    if not with_body:
        rows = rows.defer("body")
    return rows.first()


def last(session):
    owner = owner_of(session)
    if owner is None:
        return None
    return HistoryEntry.objects.filter(owner=owner).order_by("-id").first()


def exchange_of(entry):
    return Exchange(
        environment_name=entry.environment_name,
        method=entry.method,
        url=entry.url,
        request_text=entry.request_text,
        response_head=entry.response_head,
        body=bytes(entry.body),
        content_type=entry.content_type,
        status=entry.status,
        reason=entry.reason,
        elapsed_ms=entry.elapsed_ms,
        size=entry.size,
        truncated=entry.truncated,
        error=entry.error,
        notice=entry.notice,
    )


# --- The composed request, kept without secrets ------------------------------------------


def safe_composed(composed, secrets=None):
    """composed with every credential masked: token-like values, secret headers, query
    parameters and JSON fields. What history, permalinks and snippets start from."""
    secrets = secrets or {}

    def clean(text):
        return redact_text(text, secrets)

    def value(row):
        return PASSWORD_MASK if compose.SECRET_NAME.search(row.name) else clean(row.value)

    def rows(kind_rows):
        return tuple(Row(clean(row.name), value(row)) for row in kind_rows if not row.blank)

    return replace(
        composed,
        path=clean(composed.path),
        query=rows(composed.query),
        headers=rows(composed.headers),
        body=clean(composed.body),
    )


def _to_json(composed):
    return {
        "operation": composed.operation,
        "environment": composed.environment_id,
        "method": composed.method,
        "path": composed.path,
        "query": [[row.name, row.value] for row in composed.query],
        "headers": [[row.name, row.value] for row in composed.headers],
        "body": composed.body,
    }


def composed_of(entry):
    """The Composed an entry was sent from (None for a token request)."""
    data = entry.composed
    if not isinstance(data, dict):
        return None
    return Composed(
        environment_id=data.get("environment", ""),
        method=data.get("method", ""),
        path=data.get("path", ""),
        query=tuple(Row(*pair) for pair in data.get("query", [])),
        headers=tuple(Row(*pair) for pair in data.get("headers", [])),
        body=data.get("body", ""),
        operation=data.get("operation", ""),
    )


# --- Permalinks ----------------------------------------------------------------------------


def permalink_query(composed):
    """The query string of a link that opens the console with this request composed.

    `composed` must come from `safe_composed` (no token, no secret), its generated form
    filled in (`console.catalog.forms.fill`). Opening it sends nothing.
    """
    params = [("environment", composed.environment_id), ("method", composed.method)]
    if composed.operation:
        params.append(("operation", composed.operation))
    params.append(("path", composed.path))
    params += [("query", f"{row.name}={row.value}") for row in composed.query if not row.blank]
    params += [("header", f"{row.name}: {row.value}") for row in composed.headers if not row.blank]
    if composed.has_body:
        params.append(("body", composed.body))
    return urlencode(params)


def composed_from_link(data):
    """The Composed a permalink describes (`data` is request.GET), or None when it has no path.

    Only environments the console knows are taken; what is typed is validated when sent.
    """
    if "path" not in data:
        return None
    env = environments.get(data.get("environment", ""))
    query = [Row(*item.partition("=")[::2]) for item in data.getlist("query")]
    headers = []
    for item in data.getlist("header"):
        name, _, value = item.partition(":")
        headers.append(Row(name.strip(), value.strip()))
    return Composed(
        environment_id=env.id if env else environments.default().id,
        method=data.get("method", "GET").upper(),
        path=data.get("path", "")[: compose.MAX_PATH + 1],
        query=tuple(query),
        headers=tuple(row for row in headers if row.name.lower() != "authorization"),
        body=data.get("body", "").replace("\r\n", "\n"),
        operation=data.get("operation", "")[:200],
    )


def in_operation_form(composed, catalog):
    """A plain request (kept, or from a link) back in its operation's generated form: the
    path as documented, path and query parameters in their inputs. Unchanged when the
    catalog does not have that operation for this method and path."""
    op = catalog.get(composed.operation) if catalog and composed.operation else None
    if op is None or op.method != composed.method:
        return replace(composed, operation="")
    template = catalog.base_path + op.path
    pattern = re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template))
    found = re.fullmatch(pattern, composed.path)
    if not found:
        return replace(composed, operation="")
    names = [p.name for p in op.path_params]
    params = [
        Row(catalog_forms.input_name("path", name), unquote(value))
        for name, value in zip(names, found.groups(), strict=True)
    ]
    declared = {p.name for p in op.query_params}
    params += [
        Row(catalog_forms.input_name("query", row.name), row.value)
        for row in composed.query
        if row.name in declared
    ]
    rest = tuple(row for row in composed.query if row.name not in declared)
    return replace(composed, path=template, params=tuple(params), query=rest)


# --- ListPage paging ------------------------------------------------------------------------

_META = re.compile(rb'\A\s*\{\s*"Meta"\s*:\s*')
PAGE_SIZES = (20, 50, 100)


@dataclass(frozen=True)
class Paging:
    """A ListPage's Meta, and the query rows that ask for another page of it."""

    page: int
    page_size: int
    total_pages: int
    total_count: int
    first: int
    last: int
    query: tuple  # the entry's query rows without page and pageSize

    @property
    def summary(self):
        if not self.total_count:
            return "0 of 0"
        return f"{self.first:,}-{self.last:,} of {self.total_count:,}"

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.total_pages

    def rows(self, page, page_size=None):
        size = page_size or self.page_size
        return (*self.query, Row("page", str(page)), Row("pageSize", str(size)))

    @property
    def previous_rows(self):
        return self.rows(self.page - 1)

    @property
    def next_rows(self):
        return self.rows(self.page + 1)

    @property
    def page_sizes(self):
        return sorted({*PAGE_SIZES, self.page_size})

    def page_for_size(self, page_size):
        """The page of the new size that holds the first item shown now."""
        return max(self.first - 1, 0) // page_size + 1


def paging(entry, composed):
    """Paging for an entry whose body is an OrderCloud ListPage ({"Meta": ..., "Items": [...]}),
    else None. Reads Meta only, so a 20 MB list costs no more than a small one."""
    if composed is None or entry.status != 200 or entry.truncated:
        return None
    body = bytes(entry.body)
    match = _META.match(body)
    if not match:
        return None
    try:
        meta, _ = json.JSONDecoder().raw_decode(body[match.end() : match.end() + 4096].decode())
    except (ValueError, UnicodeDecodeError):
        return None
    try:
        page, size = int(meta["Page"]), int(meta["PageSize"])
        total_pages, total_count = int(meta["TotalPages"]), int(meta["TotalCount"])
        first, last = (int(n) for n in meta.get("ItemRange") or (0, 0))
    except (KeyError, TypeError, ValueError):
        return None
    query = tuple(row for row in composed.query if row.name.lower() not in ("page", "pagesize"))
    return Paging(page, size, total_pages, total_count, first, last, query)
