"""Untrusted content stays inert: an upstream that puts script payloads everywhere it can
(JSON strings and keys, HTML and SVG bodies, header names and values, the reason phrase,
error messages, token claims, its OpenAPI document), and every view that shows them.

Chromium runs with the Content-Security-Policy bypassed, so that escaping alone is what is
tested: a payload that ran would set `window.__xss`, one that became an element would be
found in the DOM. The policy itself is tested with it on (no violation in normal use).
"""

import base64
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Each would set top.__xss to its number if it ran; those that make an element give it
# the id xss-<number>.
PAYLOADS = [
    "<script>top.__xss=1</script>",
    "<img id=xss-2 src=x onerror=top.__xss=2>",
    "<svg id=xss-3 onload=top.__xss=3>",
    '"><script>top.__xss=4</script>',
    "'><img id=xss-5 src=x onerror=top.__xss=5>",
    "</pre><script>top.__xss=6</script><pre>",
    "</textarea><img id=xss-7 src=x onerror=top.__xss=7>",
    '<iframe id=xss-8 srcdoc="<script>parent.__xss=8</script>"></iframe>',
    '<a id=xss-9 href="javascript:top.__xss=9">link</a>',
    "<body onload=top.__xss=10>",
    "<details id=xss-11 open ontoggle=top.__xss=11>",
    "<input id=xss-12 autofocus onfocus=top.__xss=12>",
    "<math><mtext><table><mglyph><style><img id=xss-13 src=x onerror=top.__xss=13>",
    '<noscript><p title="</noscript><img id=xss-14 src=x onerror=top.__xss=14>">',
    '<div id=xss-15 hx-get="/signout/all" hx-trigger="load" hx-swap="none">htmx</div>',
    '<div id=xss-16 hx-on:htmx:load="top.__xss=16">htmx</div>',
    '<object id=xss-17 data="javascript:top.__xss=17"></object>',
    '<embed id=xss-18 src="javascript:top.__xss=18">',
    '<meta http-equiv="refresh" content="0;url=javascript:top.__xss=19">',
    '<base href="javascript:top.__xss=20//">',
    '<form id=xss-21 action="javascript:top.__xss=21"><button>go</button></form>',
    '" onmouseover="top.__xss=22" x="',
    "' autofocus onfocus='top.__xss=23' x='",
    "javascript:top.__xss=24",
    "<svg><animate id=xss-25 onbegin=top.__xss=25 attributeName=x dur=1s>",
    "<video id=xss-26><source onerror=top.__xss=26></video>",
    '<!--<img src="--><img id=xss-27 src=x onerror=top.__xss=27//">',
    "<template><script>top.__xss=28</script></template>",
    "{{constructor.constructor('top.__xss=29')()}}",
    '<style>@import "javascript:top.__xss=30";</style>',
    "<x id=xss-31 contenteditable onblur=top.__xss=31>x</x>",
    "<svg><script href=data:,top.__xss=32 />",
]
# Header names cannot hold spaces; these can.
HEADER_NAMES = ["X-<svg/onload=top.__xss=40>", 'X-"><img/src/onerror=top.__xss=41>']
REASON = "<img id=xss-42 src=x onerror=top.__xss=42>"
# Parameter and role names cannot hold spaces or slashes either: attribute breakouts.
NAMES = ['"onmouseover="top.__xss=43', "'onfocus='top.__xss=44'autofocus='"]
USERS = {  # username -> the `usr` claim of the token it gets
    "a": "<img id=xss-50 src=x onerror=top.__xss=50>",
    "b": '"><svg id=xss-51 onload=top.__xss=51>',
}
GARBAGE = b"<img id=xss-52 src=x onerror=top.__xss=52>\r\n\r\n"


def test_there_are_enough_payloads():
    assert len(PAYLOADS) + len(HEADER_NAMES) + len(NAMES) + len(USERS) + 2 >= 25


def jwt(claims):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


def claims_of(authorization):
    token = authorization.removeprefix("Bearer ")
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}


def document(base_url):
    """An OpenAPI document with payloads wherever the catalog shows text."""
    p = PAYLOADS
    paths = {
        f"/p{i}": {
            "get": {
                "operationId": f"Hostile.P{i}",
                "tags": [payload],
                "summary": payload,
                "description": payload,
                "security": [{"OAuth2": ["FullAccess"]}],
                "responses": {"200": {"description": payload}},
            }
        }
        for i, payload in enumerate(p)
    }
    paths["/json"] = {
        "get": {
            "operationId": "Hostile.Json",
            "tags": ["Hostile"],
            "summary": "payloads in " + p[1],
            "description": p[2],
            "parameters": [
                {"name": "mode", "in": "query", "description": p[3],
                 "schema": {"type": "string", "enum": p[:12]}},
                {"name": "kinds", "in": "query", "description": p[4],
                 "schema": {"type": "array", "items": {"type": "string", "enum": p[12:20]}}},
                *({"name": name, "in": "query", "description": p[5], "schema": {"type": "string"}}
                  for name in NAMES),
            ],
            "security": [{"OAuth2": [*p[20:24], *NAMES]}],
            "responses": {"200": {"description": "ok"}},
        }
    }  # fmt: skip
    paths["/json/{itemID}"] = {
        "patch": {
            "operationId": "Hostile.Patch",
            "tags": ["Hostile"],
            "summary": p[6],
            "parameters": [
                {"name": "itemID", "in": "path", "required": True, "description": p[7],
                 "schema": {"type": "string"}}
            ],
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object",
                "properties": {
                    payload: {"type": "string", "description": payload, "enum": [payload, p[0]]}
                    for payload in p[:10]
                },
                "example": {payload: payload for payload in p[:10]},
            }}}},
            "security": [{"OAuth2": ["FullAccess"]}],
            "responses": {"200": {"description": "ok"}},
        }
    }  # fmt: skip
    return {
        "openapi": "3.0.1",
        "info": {"title": p[8], "version": p[9], "description": p[10]},
        "servers": [{"url": f"{base_url}/v1"}],
        "tags": [{"name": payload, "description": payload} for payload in p],
        "paths": paths,
        "components": {"schemas": {"ApiRole": {"type": "string", "enum": ["FullAccess", *NAMES]}}},
    }


class HostileHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.route()

    def do_POST(self):
        self.route()

    def do_PATCH(self):
        self.route()

    def route(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.form = self.rfile.read(length).decode()
        path = self.path.split("?")[0]
        handler = {
            "/oauth/token": self.token,
            "/v1/openapi/v3": lambda: self.json(document(self.server.url)),
            "/v1/json": self.everywhere,
            "/v1/html": lambda: self.send(200, "".join(PAYLOADS).encode(), "text/html"),
            "/v1/svg": lambda: self.send(200, self.svg(), "image/svg+xml"),
            "/v1/who": self.who,
            "/v1/garbage": self.garbage,
            "/v1/moved": lambda: self.send(302, b"", headers=[("Location", PAYLOADS[23])]),
            "/v1/buyers": lambda: self.json(self.page([{"ID": "b1", "Name": p} for p in PAYLOADS])),
            "/v1/buyers/b1/users": lambda: self.json(self.page(
                [{"ID": f"u{i}", "Username": p, "FirstName": p, "LastName": p}
                 for i, p in enumerate(PAYLOADS)])),
            "/v1/impersonationconfig": lambda: self.json(self.page(
                [{"ID": "c1", "ClientID": PAYLOADS[1], "BuyerID": "b1"}])),
        }.get(path)  # fmt: skip
        if handler is None and path.startswith("/v1/errors/"):
            return self.error(path.rsplit("/", 1)[1])
        if handler is None:
            return self.send(404, b'{"Errors": [{"ErrorCode": "NotFound"}]}')
        handler()

    def send(self, status, body, content_type="application/json", headers=(), reason=None):
        self.send_response(status, reason)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def json(self, data, status=200, **kwargs):
        self.send(status, json.dumps(data).encode(), **kwargs)

    @staticmethod
    def page(items):
        meta = {"Page": 1, "PageSize": 100, "TotalCount": len(items), "TotalPages": 1,
                "ItemRange": [1, len(items)]}  # fmt: skip
        return {"Meta": meta, "Items": items}

    def token(self):
        username = re.search(r"username=(\w+)", self.form)
        username = username.group(1) if username else ""
        if username not in USERS:
            return self.json({"error": "invalid_grant", "error_description": PAYLOADS[1]}, 400)
        claims = {
            "usr": USERS[username],
            "cid": PAYLOADS[2],
            "usrtype": "admin",
            "role": [PAYLOADS[3], "FullAccess"],
            "xp": PAYLOADS[4],
            "exp": 4102444800,
        }
        self.json({"access_token": jwt(claims), "expires_in": 3600, "token_type": "bearer"})

    def everywhere(self):
        """JSON keys and values, \\u-escaped ones, header names and values, the reason."""
        data = {"Items": [{"ID": p, p: p} for p in PAYLOADS], "Escaped": "ESCAPED"}
        body = json.dumps(data).replace(
            '"ESCAPED"', json.dumps(PAYLOADS[1]).replace("<", "\\u003c").replace(">", "\\u003e")
        )
        headers = [(f"X-Payload-{i}", p) for i, p in enumerate(PAYLOADS)]
        headers += [(name, "1") for name in HEADER_NAMES]
        self.send(200, body.encode(), headers=headers, reason=REASON)

    def who(self):
        """What differs by token: for Compare as."""
        usr = claims_of(self.headers.get("Authorization", "")).get("usr", "")
        self.json({"ID": "same", "Who": usr, "Items": [{"ID": p, "Name": usr} for p in PAYLOADS]})

    @staticmethod
    def svg():
        return (b'<svg xmlns="http://www.w3.org/2000/svg" onload="top.__xss=60">'
                b"<script>top.__xss=61</script></svg>")  # fmt: skip

    def error(self, kind):
        message = PAYLOADS[5]
        found = {
            "validation": (400, "ValidationFailure", {"Field": PAYLOADS[6]}),
            "notfound": (404, "NotFound", {"ObjectType": PAYLOADS[7], "ObjectID": PAYLOADS[8]}),
            "roles": (403, "Auth.InsufficientRoles", {"SufficientRoles": PAYLOADS[9:12]}),
            "refused": (401, "InvalidToken", {}),
        }
        status, code, data = found[kind]
        self.json({"Errors": [{"ErrorCode": code, "Message": message, "Data": data}]}, status)

    def garbage(self):
        self.wfile.write(GARBAGE)
        self.close_connection = True


@pytest.fixture
def hostile(settings, live_server, transactional_db):
    """The hostile upstream, as the console's environment `hostile`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), HostileHandler)
    server.daemon_threads = True
    server.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    settings.CONSOLE_ENVIRONMENTS = [
        {"id": "hostile", "name": "Hostile server", "base_url": server.url}
    ]
    yield live_server.url
    server.shutdown()
    server.server_close()


@pytest.fixture
def bare_page(browser):
    """A page with the Content-Security-Policy bypassed: only escaping stands in the way."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


INERT = """() => {
  const handlers = [...document.querySelectorAll("*")].filter(
    (e) => [...e.attributes].some((a) => a.name.startsWith("on")));
  const foreign = document.querySelectorAll(
    "[id^=xss-], iframe, object, embed, base, img, video, math, meta[http-equiv], " +
    "template:not(#page-title)");  // the page's own title, as an attribute (escaped)
  const scripts = [...document.scripts].filter((s) => !s.src.includes("/static/"));
  return { flag: window.__xss ?? null, handlers: handlers.map((e) => e.outerHTML.slice(0, 80)),
           foreign: [...foreign].map((e) => e.outerHTML.slice(0, 80)),
           scripts: scripts.map((e) => e.outerHTML.slice(0, 80)) };
}"""


def assert_inert(page, where):
    page.wait_for_timeout(100)  # what would run on load or a timer has had its chance
    assert page.evaluate(INERT) == {"flag": None, "handlers": [], "foreign": [], "scripts": []}, (
        where
    )


def text_of(page, selector):
    return page.locator(selector).evaluate("(e) => e.textContent")


def sign_in(page, base, username):
    page.goto(f"{base}/?environment=hostile")
    again = page.locator("#signin-again")  # signed in already: the form is folded away
    if again.count() and again.get_attribute("open") is None:
        page.locator("#signin-again > summary").click()
    page.get_by_label("Client ID").fill("C1")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill("pw-0123456789")
    page.get_by_role("button", name="Add context").click()


def send(page, path, method="GET"):
    page.get_by_label("Method").select_option(method)
    page.get_by_label("Path", exact=True).fill(path)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#raw-request")).to_contain_text(f"{method} {path} HTTP/1.1")


def test_result_viewer_history_and_identities(hostile, bare_page):
    page = bare_page
    sign_in(page, hostile, "nobody")  # refused: the error description is a payload
    expect(page.locator("#signin-error")).to_contain_text(PAYLOADS[1])
    assert_inert(page, "a failed sign-in")

    sign_in(page, hostile, "a")
    expect(page.locator("#auth-summary")).to_contain_text(USERS["a"])
    page.get_by_text("Token inspector").click()
    assert PAYLOADS[4] in text_of(page, "#token-inspector")
    assert_inert(page, "the token inspector")

    send(page, "/v1/json")
    expect(page.locator("#result-status")).to_have_text(f"200 {REASON}")
    expect(page.locator("#json-viewer")).to_have_attribute("data-ready", "yes")
    response = text_of(page, "#result")
    for payload in [*PAYLOADS, *HEADER_NAMES]:
        assert payload in response
    assert_inert(page, "the result and the viewer")
    page.get_by_label("Search response").fill("onerror")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Raw").click()
    page.get_by_role("button", name="Pretty").click()
    assert_inert(page, "the viewer, searched")

    for path in ("/v1/html", "/v1/svg", "/v1/moved", "/v1/garbage"):
        send(page, path)
        assert_inert(page, path)
    expect(page.locator("#result-error")).to_contain_text("not an HTTP status line")
    assert "onerror=top.__xss=52" in text_of(page, "#result-error")
    for kind in ("validation", "notfound", "roles", "refused"):
        send(page, f"/v1/errors/{kind}")
        expect(page.locator("#result-explanation")).to_be_visible()
        assert_inert(page, f"the explanation of {kind}")

    # The SVG's own download: an attachment, never rendered on the console's origin.
    svg = page.locator("#history-list a", has_text="/v1/svg").first
    svg.click()
    expect(page.locator("#result-url")).to_contain_text("/v1/svg")
    body_url = page.locator("#download-body").get_attribute("href")
    download = page.request.get(f"{hostile}{body_url}")
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert download.headers["x-content-type-options"] == "nosniff"

    # The history: every entry shown again, then the page reloaded (the last exchange).
    entries = page.locator("#history-list a.history-item")
    for i in range(entries.count()):
        entries.nth(i).click()
        expect(entries.nth(i)).to_have_attribute("aria-current", "true")
        assert_inert(page, f"history entry {i}")
    page.get_by_label("Filter by URL").fill("json")
    expect(entries).to_have_count(1)
    entries.first.click()
    expect(page.locator("#json-viewer")).to_have_attribute("data-ready", "yes")
    page.reload()
    expect(page.locator("#json-viewer")).to_have_attribute("data-ready", "yes")
    assert_inert(page, "the page reloaded")

    # Impersonation lists the upstream's buyers and users.
    page.goto(f"{hostile}/impersonation?buyer=b1")
    expect(page.get_by_label("User", exact=True)).to_be_visible()
    assert PAYLOADS[13] in text_of(page, "#impersonation")
    assert_inert(page, "the impersonation panel")


def test_compare(hostile, bare_page):
    page = bare_page
    for username in USERS:
        sign_in(page, hostile, username)
        expect(page.locator("#auth-summary")).to_contain_text(USERS[username])
    page.get_by_label("Path", exact=True).fill("/v1/who")

    page.get_by_role("button", name="Compare as").click()

    expect(page.locator("#compare-differences")).to_be_visible()
    differences = text_of(page, "#compare-differences")
    assert USERS["a"] in differences and USERS["b"] in differences
    assert_inert(page, "compare")


def test_catalog(hostile, bare_page):
    page = bare_page
    sign_in(page, hostile, "a")
    expect(page.locator("#catalog details.tag").first).to_be_visible()
    for tag in page.locator("#catalog details.tag summary").all()[:12]:
        tag.click()
    assert PAYLOADS[0] in text_of(page, "#catalog")
    assert_inert(page, "the operations tree")

    page.get_by_label("Search operations").fill("onerror")
    expect(page.locator("#catalog-results a.op-link").first).to_be_visible()
    assert_inert(page, "search results")

    page.goto(f"{hostile}/op/Hostile.Json?environment=hostile")
    expect(page.locator("#op-id")).to_have_text("Hostile.Json")
    page.get_by_label("mode").select_option(PAYLOADS[2])
    assert_inert(page, "an operation with enum parameters")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#raw-request")).to_contain_text("GET /v1/json?mode=")
    assert_inert(page, "sent from the operation")

    page.goto(f"{hostile}/op/Hostile.Patch?environment=hostile")
    page.get_by_label("Form", exact=True).check()
    expect(page.locator("#body-form")).to_be_visible()
    assert PAYLOADS[3] in text_of(page, "#body-form")
    page.get_by_label("Roles").focus()
    assert_inert(page, "an operation's body form")


def test_the_policy_header_holds_the_console_in_normal_use(hostile, page):
    """With the policy on, the console's own pages need nothing it forbids."""
    page.add_init_script(
        "window.__violations = [];"
        'document.addEventListener("securitypolicyviolation",'
        " (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    sign_in(page, hostile, "a")
    send(page, "/v1/json")
    expect(page.locator("#json-viewer")).to_have_attribute("data-ready", "yes")
    page.goto(f"{hostile}/op/Hostile.Patch?environment=hostile")
    page.get_by_label("Form", exact=True).check()

    assert page.evaluate("window.__violations") == []
