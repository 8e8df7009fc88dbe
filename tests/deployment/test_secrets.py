"""Secrets never leave the server-side session: sign in (and fail to), impersonate,
refresh, send (and fail), export, look at the history, meet error pages; then search every
log line of the server (both pools, at DEBUG), every answer it gave, every history entry
kept, every permalink and snippet, for the passwords, the client secret and every access
and refresh token the sessions ever held: zero hits."""

import re
from urllib.parse import quote, quote_plus

from django.core import signing

from tests.deployment.conftest import DEMO, DEMO_ROLES
from tests.deployment.served import (
    Browser,
    SandboxAdmin,
    fresh_database,
    serving,
    start,
    user_body,
)

# Characters that URL and JSON encoding change, so that encoded leaks are found too.
AVERY_PASSWORD = "Avery+pass/word=1!"
JANE_PASSWORD = "Jane&pass word%2"
WRONG_PASSWORD = 'Wrong-pass"987?'
CLIENT_SECRET = "client+secret/for=the&sweep-0123456789"
SNIPPETS = ("link", "curl", "python", "javascript", "python-sdk", "javascript-sdk")


def test_no_secret_anywhere_but_the_session(tmp_path, static_root, secret_key):
    with fresh_database(tmp_path) as database:
        app = start(database, static_root, tmp_path / "serve.log", secret_key, LOG_LEVEL="DEBUG")
        with serving(app):
            clients = set_up(SandboxAdmin(app.sandbox, **DEMO, roles=DEMO_ROLES))
            held = set()  # every token any session held, after each step

            def snapshot():
                held.update(tokens_in_sessions(database, secret_key))

            user = Browser(app.console)
            user.open()
            # A failed sign-in, then avery with the client secret kept for refresh.
            avery = {"client_id": clients["secret-app"], "username": "avery"}
            failed = user.sign_in(grant="elevated", **avery, password=WRONG_PASSWORD,
                                  client_secret=CLIENT_SECRET)  # fmt: skip
            assert "Sign-in failed" in failed.text
            signed_in = user.sign_in(grant="elevated", **avery, password=AVERY_PASSWORD,
                                     client_secret=CLIENT_SECRET, keep_secret="on",
                                     roles="FullAccess", name="Avery")  # fmt: skip
            assert "Signed in as" in signed_in.text
            snapshot()
            avery_id = re.search(r'<option value="(\w+)" selected>Avery<', signed_in.text)[1]
            # Jane, with her own password; then avery impersonates her.
            user.sign_in(client_id=clients["storefront"], username="jane",
                         password=JANE_PASSWORD, name="Jane")  # fmt: skip
            snapshot()
            user.post("/contexts/switch", data={"context": avery_id})
            impersonated = user.post(
                "/impersonate",
                data={"buyer": "b1", "user": "jane", "client_id": clients["storefront"],
                      "roles": "Shopper MeAdmin", "name": "Impersonated"},
                headers={"HX-Request": "true"},
            )  # fmt: skip
            assert "impersonated by Avery" in impersonated.text
            snapshot()
            before = set(held)
            refreshed = user.post(
                "/contexts/refresh", data={"context": avery_id}, headers={"HX-Request": "true"}
            )
            assert refreshed.status_code == 200
            snapshot()
            assert len(held - before) >= 1  # avery's new access token
            # Sends: as each context, without a token (401), refused (422), a 404.
            for context in contexts_of(user.get("/").text):
                sent = user.send_composed("/v1/me", context=context)
                assert ">200 OK<" in sent.text
            assert ">401 Unauthorized<" in user.send_composed("/v1/me", context="").text
            assert user.send_composed("https://elsewhere.example/v1/me").status_code == 200
            assert ">404 Not Found<" in user.send_composed("/v1/buyers/nope", context=avery_id).text
            assert ">200 OK<" in user.send_composed("/v1/me", htmx=False).text  # whole page
            snapshot()
            # Exports, the history, downloads, a permalink opened, error pages.
            composed = {"environment": "sandbox", "method": "GET", "path": "/v1/me",
                        "header_name": "X-Api-Key", "header_value": CLIENT_SECRET}  # fmt: skip
            for fmt in SNIPPETS:
                exported = user.post(f"/export/{fmt}", data=composed)
                assert exported.status_code == 200, (fmt, exported.text)
            link = user.pages[-len(SNIPPETS)].strip()
            user.get(link)
            user.get("/history")
            for entry in re.findall(r'href="/history/(\d+)"', user.get("/").text):
                user.get(f"/history/{entry}")
                user.get(f"/history/{entry}/edit", headers={"HX-Request": "true"})
                user.get(f"/history/{entry}/body")
            for status, call in (
                (404, lambda: user.get("/history/999999")),
                (404, lambda: user.get("/no/such/page")),
                (405, lambda: user.get("/send")),
                (403, lambda: Browser(app.console).post("/send", data={"path": "/v1/me"})),
            ):
                assert call().status_code == status
            user.post("/signout/all")
            log = app.log
            entries = database.rows("SELECT * FROM console_historyentry")

        secrets = {AVERY_PASSWORD, JANE_PASSWORD, WRONG_PASSWORD, CLIENT_SECRET, DEMO["password"]}
        assert len(held - {CLIENT_SECRET}) >= 5  # avery (twice, and refresh), jane, impersonated
        secrets |= held
        forms = {form for secret in secrets for form in (secret, quote(secret), quote_plus(secret))}
        kept = "\n".join(str(value) for row in entries for value in decoded(row))
        for where, text in (("log", log), ("history", kept), *(("page", p) for p in user.pages)):
            leaked = [form[:12] for form in forms if form in text]
            assert leaked == [], f"{where} holds {leaked}"
        assert "Starting new HTTP connection" in log  # urllib3 at DEBUG: the level holds
        print(
            f"\n{len(secrets)} secrets ({len(held)} tokens) in {len(log.splitlines())} log "
            f"lines, {len(user.pages)} answers and {len(entries)} history entries: 0 found"
        )


def set_up(admin):
    """avery (an admin user), buyer b1 with user jane, and the API clients: secret-app
    (a client secret, refresh tokens) and storefront (any buyer, impersonation)."""
    admin.call("POST", "/adminusers", user_body("avery", AVERY_PASSWORD))
    admin.call("POST", "/buyers", {"ID": "b1", "Name": "B1", "Active": True})
    admin.call("POST", "/buyers/b1/users", user_body("jane", JANE_PASSWORD))
    shopper = {"ID": "b1-shopper", "Name": "B1 shopper", "Roles": ["Shopper", "MeAdmin"]}
    admin.call("POST", "/securityprofiles", shopper)
    admin.call(
        "POST",
        "/securityprofiles/assignments",
        {"SecurityProfileID": "b1-shopper", "BuyerID": "b1"},
    )

    def client(name, **fields):
        body = {"AppName": name, "Active": True, "AccessTokenDuration": 600, **fields}
        return admin.call("POST", "/apiclients", body)["ID"]

    clients = {
        "secret-app": client("Secret app", ClientSecret=CLIENT_SECRET, AllowSeller=True,
                             RefreshTokenDuration=60),
        "storefront": client("Storefront", AllowAnyBuyer=True),
    }  # fmt: skip
    admin.call(
        "POST",
        "/impersonationconfig",
        {"ID": "imp", "BuyerID": "b1", "SecurityProfileID": "b1-shopper",
         "ClientID": clients["storefront"]},
    )  # fmt: skip
    return clients


def tokens_in_sessions(database, secret_key):
    """Every access and refresh token (and kept client secret) of every stored session."""
    found = set()
    for (data,) in database.rows("SELECT session_data FROM django_session"):
        session = signing.loads(
            data,
            key=secret_key,
            salt="django.contrib.sessions.SessionStore",
            serializer=signing.JSONSerializer,
        )
        for item in session.get("console.contexts", {}).get("items", []):
            found |= {item.get(k) for k in ("access_token", "refresh_token", "client_secret")}
    return {token for token in found if token}


def contexts_of(page):
    select = page.split('id="id_send_as"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="(\w+)"', select)


def decoded(row):
    for value in row:
        yield bytes(value).decode("latin-1") if isinstance(value, bytes | memoryview) else value
