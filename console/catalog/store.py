"""Each environment's catalog, fetched through the guarded transport and kept per process.

`{base}/v1/openapi/v3` is fetched like any request (same environment check, timeouts
and size cap, no redirects), without the user's token: the catalog is the same for
everyone, so it is shared by every session of the process. It is parsed once and kept
for `MAX_AGE` (a failure for `RETRY_AFTER`, so that a down environment is not asked on
every page); "Refresh" fetches it again. Another worker process keeps its own copy: a
refresh is stamped in the user's session (`refreshed_at`), and any worker whose copy is
older fetches again for that user.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from requests.structures import CaseInsensitiveDict

from console import compose, transport
from console.catalog import search
from console.catalog.document import Catalog, DocumentError, parse
from console.environments import OutsideEnvironment

DOCUMENT_PATH = "/v1/openapi/v3"
MAX_AGE = 60 * 60
RETRY_AFTER = 30
MAX_ENVIRONMENTS = 8
REFRESHED_KEY = "console.catalog.refreshed"


@dataclass(frozen=True)
class Loaded:
    """An environment's catalog, or why there is none."""

    environment_id: str
    url: str
    catalog: Catalog | None
    error: str
    fetched_at: float
    fetch_ms: float = 0.0
    parse_ms: float = 0.0

    @property
    def fresh(self):
        age = time.time() - self.fetched_at
        return age < (MAX_AGE if self.catalog else RETRY_AFTER)


_cache: OrderedDict = OrderedDict()  # (env id, base URL) -> Loaded, least recently used first
_cache_lock = threading.Lock()
_fetch_locks: dict = {}  # one fetch at a time per environment; the others wait for it


def cached(env):
    """The catalog kept for env, fresh or not, without fetching; None when there is none."""
    with _cache_lock:
        loaded = _cache.get(_key(env))
        if loaded is not None:
            _cache.move_to_end(_key(env))
        return loaded


def current(env, session=None):
    """The kept catalog while it is fresh and not older than the user's last Refresh, else
    None (nothing is fetched)."""
    loaded = cached(env)
    if loaded and loaded.fresh and loaded.fetched_at >= refreshed_at(session, env):
        return loaded
    return None


def get(env, session=None):
    """env's catalog: the current one, else fetched now."""
    if loaded := current(env, session):
        return loaded
    with _fetch_lock(env):
        # Another thread may have fetched it while this one waited.
        return current(env, session) or _store(env, fetch(env))


def refresh(env, session=None):
    """Fetch env's catalog again, and have every worker do so for this session."""
    with _fetch_lock(env):
        loaded = _store(env, fetch(env))
    if session is not None:
        stamps = session.get(REFRESHED_KEY)
        stamps = dict(stamps) if isinstance(stamps, dict) else {}
        stamps[env.id] = loaded.fetched_at
        session[REFRESHED_KEY] = stamps
    return loaded


def refreshed_at(session, env):
    stamps = session.get(REFRESHED_KEY) if session is not None else None
    stamp = stamps.get(env.id) if isinstance(stamps, dict) else None
    return stamp if isinstance(stamp, int | float) else 0.0


def fetch(env):
    """Fetch and parse env's document now: a Loaded with the catalog or the reason."""
    start = time.time()
    try:
        url = compose.build_url(env, DOCUMENT_PATH)
    except OutsideEnvironment as e:  # a base URL the path cannot be added to
        return Loaded(env.id, env.base_url + DOCUMENT_PATH, None, str(e), start)
    outgoing = compose.Outgoing(
        method="GET", url=url, headers=CaseInsensitiveDict(compose.DEFAULT_HEADERS)
    )
    received = transport.send(env, outgoing)
    error = _fetch_error(received, url)
    if error:
        return Loaded(env.id, url, None, error, start, received.elapsed_ms)
    parse_start = time.perf_counter()
    try:
        catalog = parse(received.body, env.base_path)
        search.index(catalog)  # so that the first search is as quick as the next
    except DocumentError as e:
        catalog, error = None, str(e)
    parse_ms = (time.perf_counter() - parse_start) * 1000
    return Loaded(env.id, url, catalog, error, start, received.elapsed_ms, parse_ms)


def _fetch_error(received, url):
    if received.error:
        return received.error
    if received.status != 200:
        return f"{url} answered {received.status} {received.reason}".rstrip() + "."
    if received.truncated:
        limit = filesizeformat(settings.UPSTREAM_MAX_BYTES)
        return f"The document is larger than the console's {limit} limit (UPSTREAM_MAX_BYTES)."
    return ""


def _key(env):
    return env.id, env.base_url


def _fetch_lock(env):
    with _cache_lock:
        return _fetch_locks.setdefault(_key(env), threading.Lock())


def _store(env, loaded):
    with _cache_lock:
        _cache[_key(env)] = loaded
        _cache.move_to_end(_key(env))
        while len(_cache) > MAX_ENVIRONMENTS:
            _cache.popitem(last=False)
    return loaded


def clear():
    """Forget every kept catalog (tests start from nothing)."""
    with _cache_lock:
        _cache.clear()
        _fetch_locks.clear()
