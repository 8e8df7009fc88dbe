"""A composed request as code: curl, Python requests, JavaScript fetch, and the SDK calls.

Pure functions of (environment, composed request, operation): nothing is sent. The request
comes from `history.safe_composed` (no secret in it) and the token is always a placeholder,
the environment variable ORDERCLOUD_TOKEN, never its value.

The SDK calls need the OrderCloud operation (`Me.Get`, `Buyers.List` ...): `operation_for`
matches method and path against the operation templates of the environment's catalog
(its OpenAPI document, `console.catalog`).
"""

import json
import keyword
import re
import shlex
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlencode

from console.catalog import store as catalog_store

TOKEN_VARIABLE = "ORDERCLOUD_TOKEN"
# The OrderCloud SDKs' list options; any other query parameter the operation does not
# declare is a filter.
_LIST_OPTIONS = ("search", "searchOn", "sortBy", "page", "pageSize")
_NUMERIC = ("page", "pageSize")


@dataclass(frozen=True)
class Operation:
    id: str  # "Buyers.Get"
    method: str
    template: str  # "/v1/buyers/{buyerID}", relative to the environment's base URL
    query: tuple[str, ...] = ()  # declared query parameters
    has_body: bool = False

    @property
    def resource(self):
        return self.id.partition(".")[0]

    @property
    def action(self):
        return self.id.partition(".")[2]

    @property
    def path_params(self):
        return tuple(re.findall(r"\{([^}]+)\}", self.template))

    @property
    def is_list(self):
        return "page" in self.query

    def match(self, method, path):
        """{path parameter: value} when method and path are this operation's, else None."""
        if method != self.method:
            return None
        pattern = re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(self.template))
        found = re.fullmatch(pattern, path)
        if not found:
            return None
        return {
            name: unquote(value)
            for name, value in zip(self.path_params, found.groups(), strict=True)
        }


# --- Operations from the environment's catalog ---------------------------------------------


def operations(env, fetch=True):
    """env's operations, from its catalog (console.catalog: the environment's OpenAPI
    document, fetched and kept); () when there is none (with fetch=False: none kept yet)."""
    loaded = catalog_store.get(env) if fetch else catalog_store.cached(env)
    if loaded is None or loaded.catalog is None:
        return ()
    return operations_of(loaded.catalog)


def operations_of(catalog):
    """A catalog's operations as templates relative to the environment, literal first."""
    found = [
        Operation(
            op.operation_id,
            op.method,
            catalog.base_path + op.path,
            tuple(p.name for p in op.query_params),
            op.body is not None,
        )
        for op in catalog.operations
    ]
    # Literal segments before parameters: /me/products is not /me/{addressID}.
    return tuple(sorted(found, key=lambda op: (len(op.path_params), op.template)))


def operation_for(env, method, path, fetch=True):
    """(Operation, {path parameter: value}) for this request on env, or (None, {})."""
    for operation in operations(env, fetch):
        if (params := operation.match(method, path)) is not None:
            return operation, params
    return None, {}


# --- Snippets ---------------------------------------------------------------------------------

FORMATS = {
    "curl": "curl",
    "python": "Python (requests)",
    "javascript": "JavaScript (fetch)",
    "python-sdk": "Python (ordercloud-python)",
    "javascript-sdk": "JavaScript (ordercloud-javascript-sdk)",
}
SDK_FORMATS = ("python-sdk", "javascript-sdk")


def snippet(fmt, env, composed, operation=None, path_params=None):
    """The request as code in `fmt` (a FORMATS key)."""
    if fmt in SDK_FORMATS:
        if operation is None:
            return None
        build = python_sdk if fmt == "python-sdk" else javascript_sdk
        return build(env, composed, operation, path_params or {})
    return {"curl": curl, "python": python_requests, "javascript": javascript_fetch}[fmt](
        env, composed
    )


def _url(env, composed):
    url = env.base_url + composed.path
    if pairs := composed.query_pairs:
        url += "?" + urlencode(pairs, quote_via=quote, safe="!*,:")
    return url


def _headers(composed):
    """The headers a client must send: the token placeholder, Accept, Content-Type, the user's."""
    headers = {"Accept": "application/json"}
    if composed.has_body:
        headers["Content-Type"] = "application/json"
    for name, value in composed.header_pairs:
        headers = {k: v for k, v in headers.items() if k.lower() != name.lower()}
        headers[name] = value
    return headers


def curl(env, composed):
    lines = ["curl" + ("" if composed.method == "GET" else f" -X {composed.method}")]
    lines.append(shlex.quote(_url(env, composed)))
    lines.append(f'-H "Authorization: Bearer ${TOKEN_VARIABLE}"')
    lines += [f"-H {shlex.quote(f'{name}: {value}')}" for name, value in _headers(composed).items()]
    if composed.has_body:
        lines.append(f"--data-raw {shlex.quote(composed.body)}")
    return " \\\n  ".join(lines) + "\n"


def python_requests(env, composed):
    headers = {"Authorization": None, **_headers(composed)}
    header_lines = [
        f'        "Authorization": f"Bearer {{os.environ[{TOKEN_VARIABLE!r}]}}",'
        if name == "Authorization"
        else f"        {_py(name)}: {_py(value)},"
        for name, value in headers.items()
    ]
    lines = [
        "import os",
        "",
        "import requests",
        "",
        "response = requests.request(",
        f"    {_py(composed.method)},",
        f"    {_py(env.base_url + composed.path)},",
    ]
    if pairs := composed.query_pairs:
        names = [name for name, _ in pairs]
        params = dict(pairs) if len(set(names)) == len(names) else pairs
        lines.append(f"    params={_py(params, 4)},")
    lines += ["    headers={", *header_lines, "    },"]
    if composed.has_body:
        lines.append(f"    data={_py(composed.body)}.encode(),")
    lines += [
        "    timeout=30,",
        ")",
        "print(response.status_code, response.reason)",
        "print(response.text)",
    ]
    return "\n".join(lines) + "\n"


def javascript_fetch(env, composed):
    headers = _headers(composed)
    lines = [
        f"const {TOKEN_VARIABLE} = process.env.{TOKEN_VARIABLE}; // an access token",
        "",
        f"const response = await fetch({_js(_url(env, composed))}, {{",
        f"  method: {_js(composed.method)},",
        "  headers: {",
        f"    Authorization: `Bearer ${{{TOKEN_VARIABLE}}}`,",
        *[f"    {_js(name)}: {_js(value)}," for name, value in headers.items()],
        "  },",
    ]
    if composed.has_body:
        lines.append(f"  body: {_js(composed.body)},")
    lines += [
        "});",
        "console.log(response.status, response.statusText);",
        "console.log(await response.text());",
    ]
    return "\n".join(lines) + "\n"


def _sdk_arguments(composed, operation, path_params):
    """(path values in order, body or None, list options, filters) for an SDK call.

    The SDKs take query parameters on list operations only (list options and filters)."""
    values = [path_params[name] for name in operation.path_params]
    body = json.loads(composed.body) if composed.has_body else None
    options, filters = {}, {}
    for name, value in composed.query_pairs:
        if name in _LIST_OPTIONS or name in operation.query:
            options[name] = int(value) if name in _NUMERIC and value.isdigit() else value
        else:
            filters[name] = value
    return values, body, options, filters


def python_sdk(env, composed, operation, path_params):
    values, body, options, filters = _sdk_arguments(composed, operation, path_params)
    args = [_py(value) for value in values]
    if body is not None:
        args.append(_py(body, 4))
    if operation.is_list:
        args += [f"{_py_name(_snake(name))}={_py(value)}" for name, value in options.items()]
        if filters:
            args.append(f"filters={_py(filters, 4)}")
    call = f"client.{_snake(operation.resource)}.{_snake(operation.action)}({', '.join(args)})"
    return (
        "\n".join(
            [
                "import os",
                "",
                "from ordercloud import SyncOrderCloudClient",
                "from ordercloud.auth import AccessToken",
                "",
                "with SyncOrderCloudClient.create(",
                '    client_id=os.environ.get("ORDERCLOUD_CLIENT_ID", ""),',
                '    client_secret="",',
                f"    base_url={_py(env.base_url + '/v1')},",
                f"    auth_url={_py(env.base_url + '/oauth/token')},",
                ") as client:",
                "    # The SDK has no public way to take a token it did not fetch itself: give it",
                f"    # ${TOKEN_VARIABLE} (it asks for a new one only when this one expires).",
                "    client._async_client._token_manager._token = AccessToken(",
                f"        os.environ[{TOKEN_VARIABLE!r}], expires_in=3600",
                "    )",
                f"    result = {call}",
                "",
                "if result is not None:",
                "    print(result.model_dump_json(by_alias=True, exclude_unset=True, indent=2))",
            ]
        )
        + "\n"
    )


def javascript_sdk(env, composed, operation, path_params):
    values, body, options, filters = _sdk_arguments(composed, operation, path_params)
    args = [_js(value) for value in values]
    if body is not None:
        args.append(json.dumps(body, indent=2, ensure_ascii=False))
    if operation.is_list:
        list_options = dict(options)
        if filters:
            list_options["filters"] = filters
        args.append(json.dumps(list_options, indent=2, ensure_ascii=False))
    call = f"{operation.resource}.{operation.action}({', '.join(args)})"
    return (
        "\n".join(
            [
                f"import {{ Configuration, Tokens, {operation.resource} }} "
                'from "ordercloud-javascript-sdk";',
                "",
                f'Configuration.Set({{ baseApiUrl: {_js(env.base_url)}, apiVersion: "v1" }});',
                f"Tokens.SetAccessToken(process.env.{TOKEN_VARIABLE}); // an access token",
                "",
                f"const result = await {call};",
                "console.log(JSON.stringify(result, null, 2));",
            ]
        )
        + "\n"
    )


# --- Literals -----------------------------------------------------------------------------------


def _snake(name):
    """ListAddresses -> list_addresses, buyerID -> buyer_id, XpIndices -> xp_indices."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _py_name(name):
    return f"{name}_" if keyword.iskeyword(name) else name


def _py(value, indent=0):
    """A Python literal for a JSON value (true -> True, null -> None), indented like code."""
    pad = " " * indent
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None or isinstance(value, bool):
        return {None: "None", True: "True", False: "False"}[value]
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{pad}    {_py(k)}: {_py(v, indent + 4)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = [f"{pad}    {_py(v, indent + 4)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    raise TypeError(type(value))


def _js(value):
    return json.dumps(value, ensure_ascii=False)
