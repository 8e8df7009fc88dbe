"""The API environments the console may call: the only hosts it ever talks to.

The embedded sandbox, OrderCloud's regions x Sandbox/Staging/Production, and the ones an
administrator adds with the CONSOLE_ENVIRONMENTS setting. Users pick one by id; a user
never supplies a host, and every URL is checked to be on its environment
(`check_on_environment`) when it is built and again when it is sent.
"""

import functools
import ipaddress
import json
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SANDBOX_ID = "sandbox"
SANDBOX_ROLES = "DevCenterImpersonate FullAccess"
ORDERCLOUD_ROLES = "FullAccess"

# (region name, id prefix, hosts for Sandbox / Staging / Production)
_REGIONS = [
    ("US West", "uswest", "sandboxapi", "stagingapi", "api"),
    *(
        (name, prefix, f"{prefix}-sandbox", f"{prefix}-staging", f"{prefix}-production")
        for name, prefix in [
            ("US East", "useast"),
            ("Australia East", "australiaeast"),
            ("Europe West", "westeurope"),
            ("Japan East", "japaneast"),
        ]
    ),
]
_STAGES = ["Sandbox", "Staging", "Production"]
_ID = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,62})\Z")
_CONFIG_KEYS = {"id", "name", "base_url", "client_id"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Environment:
    id: str
    name: str
    base_url: str  # scheme://host[:port][/base/path], no trailing slash
    group: str
    client_id: str = ""  # pre-filled in the sign-in form when this environment is chosen
    roles: str = ORDERCLOUD_ROLES  # the Roles pre-filled with it

    @property
    def scheme(self):
        return urlsplit(self.base_url).scheme

    @property
    def host(self):
        """The Host header value: hostname, plus the port when it is not the default."""
        return urlsplit(self.base_url).netloc

    @property
    def hostname(self):
        return urlsplit(self.base_url).hostname

    @property
    def port(self):
        parts = urlsplit(self.base_url)
        return parts.port or (443 if parts.scheme == "https" else 80)

    @property
    def base_path(self):
        return urlsplit(self.base_url).path


class OutsideEnvironment(Exception):
    """A URL that is not on its environment's scheme, host, port and base path."""


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


def check_base_url(url, what="base_url"):
    """The URL, normalised (no trailing slash), or ImproperlyConfigured saying what is wrong."""
    if not isinstance(url, str) or not url:
        raise ImproperlyConfigured(f"{what} must be a non-empty string, got {url!r}.")
    if re.search(r"[\x00-\x20\x7f\\]", url):
        raise ImproperlyConfigured(
            f"{what} {url!r} must not contain spaces, control characters or backslashes."
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise ImproperlyConfigured(f"{what} {url!r} is not a valid URL: {e}.") from None
    if parts.scheme not in ("http", "https"):
        raise ImproperlyConfigured(f"{what} {url!r} must start with https:// or http://.")
    if not parts.hostname:
        raise ImproperlyConfigured(f"{what} {url!r} has no host.")
    if "@" in parts.netloc:
        raise ImproperlyConfigured(f"{what} {url!r} must not contain a user name or password.")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ImproperlyConfigured(
            f"{what} {url!r} must use https://: http:// is allowed only on this machine "
            "(localhost, 127.0.0.0/8 or [::1]), where nothing travels over a network."
        )
    if port == 0:
        raise ImproperlyConfigured(f"{what} {url!r} has an invalid port.")
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise ImproperlyConfigured(f"{what} {url!r} must not have a query or fragment.")
    path = parts.path.rstrip("/")
    segments = path.split("/")[1:]
    if "%" in path or any(s in ("", ".", "..") for s in segments):
        raise ImproperlyConfigured(
            f"{what} {url!r} has a path with empty, '.', '..' or %-encoded segments."
        )
    netloc = parts.netloc.lower()
    if port == {"http": 80, "https": 443}[parts.scheme]:
        netloc = netloc.rsplit(":", 1)[0]  # the Host header leaves a default port out
    return f"{parts.scheme}://{netloc}{path}"


def is_loopback(hostname):
    """localhost, or an IP address of this machine's loopback interface (as written: a
    name that merely resolves to one is not)."""
    if hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def _sandbox(base_url, client_id):
    return Environment(
        id=SANDBOX_ID,
        name="Embedded sandbox",
        base_url=check_base_url(base_url, "SANDBOX_BASE_URL"),
        group="Embedded",
        client_id=client_id,
        roles=SANDBOX_ROLES,
    )


def _ordercloud():
    for region, prefix, *hosts in _REGIONS:
        for stage, host in zip(_STAGES, hosts, strict=True):
            yield Environment(
                id=f"{prefix}-{stage.lower()}",
                name=f"{region} · {stage}",
                base_url=f"https://{host}.ordercloud.io",
                group=f"OrderCloud {region}",
            )


def _configured(config, builtin_ids):
    if isinstance(config, str):
        try:
            config = json.loads(config or "[]")
        except ValueError as e:
            raise ImproperlyConfigured(f"CONSOLE_ENVIRONMENTS is not valid JSON: {e}.") from None
    if not isinstance(config, list):
        raise ImproperlyConfigured(
            'CONSOLE_ENVIRONMENTS must be a JSON list of {"id", "name", "base_url"} objects.'
        )
    seen = set(builtin_ids)
    for i, item in enumerate(config):
        where = f"CONSOLE_ENVIRONMENTS[{i}]"
        if not isinstance(item, dict):
            raise ImproperlyConfigured(f'{where} must be an object with "id", "name", "base_url".')
        if missing := sorted({"id", "name", "base_url"} - item.keys()):
            raise ImproperlyConfigured(f"{where} is missing {', '.join(missing)}.")
        if unknown := sorted(item.keys() - _CONFIG_KEYS):
            raise ImproperlyConfigured(f"{where} has unknown keys: {', '.join(unknown)}.")
        env_id, name = item["id"], item["name"]
        if not isinstance(env_id, str) or not _ID.match(env_id):
            raise ImproperlyConfigured(
                f"{where}.id {env_id!r} must be 1-63 lowercase letters, digits, - or _."
            )
        if env_id in seen:
            raise ImproperlyConfigured(f"{where}.id {env_id!r} is already used.")
        seen.add(env_id)
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            raise ImproperlyConfigured(f"{where}.name must be a non-empty string.")
        client_id = item.get("client_id", "")
        if not isinstance(client_id, str):
            raise ImproperlyConfigured(f"{where}.client_id must be a string.")
        yield Environment(
            id=env_id,
            name=name.strip(),
            base_url=check_base_url(item["base_url"], f"{where}.base_url"),
            group="Configured",
            client_id=client_id,
        )


def all_environments():
    """Every environment, in picker order; raises ImproperlyConfigured on bad settings."""
    return list(_catalog(*_settings_key())[0])


def get(env_id):
    """The environment with this id, or None: nothing outside the list can be called."""
    return _catalog(*_settings_key())[1].get(env_id)


def default():
    """The environment chosen until the user chooses: the embedded sandbox, else (switched
    off) the first of OrderCloud's."""
    return all_environments()[0]


def _settings_key():
    config = settings.CONSOLE_ENVIRONMENTS
    if not isinstance(config, str):
        try:
            config = json.dumps(config, sort_keys=True)
        except (TypeError, ValueError):
            config = repr(config)  # not JSON at all: _configured says what is wrong
    sandbox = (settings.SANDBOX_BASE_URL, settings.SANDBOX_CLIENT_ID)
    return (*sandbox, config) if settings.SANDBOX_ENABLED else (None, None, config)


@functools.lru_cache(maxsize=16)
def _catalog(sandbox_url, sandbox_client_id, config):
    """(environments in order, {id: environment}), built once per configuration; without
    the sandbox when its URL is None (SANDBOX_ENABLED=0)."""
    sandbox = [_sandbox(sandbox_url, sandbox_client_id)] if sandbox_url is not None else []
    builtin = [*sandbox, *_ordercloud()]
    envs = (*builtin, *_configured(config, [env.id for env in builtin]))
    return envs, {env.id: env for env in envs}


def grouped():
    """[(group, [environments])] for an <optgroup>ed picker."""
    groups = {}
    for env in all_environments():
        groups.setdefault(env.group, []).append(env)
    return list(groups.items())
