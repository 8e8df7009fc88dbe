"""Real local servers that misbehave on purpose, configured as console environments."""

import base64
import contextlib
import functools
import gzip
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from console import environments

# A JWT (unsigned for the console's purposes) with one role as a string, as OrderCloud does.
ACCESS_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    + base64.urlsafe_b64encode(
        json.dumps({"usr": "admin-1", "cid": "C1", "role": "MeAdmin", "exp": 4102444800}).encode()
    )
    .decode()
    .rstrip("=")
    + ".c2lnbmF0dXJlLW5vdC1jaGVja2VkLWJ5LXRoZS1jb25zb2xl"
)


@functools.cache
def list_page(size, page=1):
    """A ListPage body of at least `size` bytes, compact JSON as OrderCloud sends it."""
    item = {
        "ID": "",
        "Name": "Product",
        "Description": "A product of the demo catalog, with a description of some length.",
        "QuantityMultiplier": 1,
        "Active": True,
        "xp": {"Color": "Blue", "Sizes": ["S", "M", "L"], "Rating": 4.5, "Discontinued": None},
    }
    one = len(json.dumps(item, separators=(",", ":"))) + 1
    count = max(1, size // one + 1)
    items = [{**item, "ID": f"p{i:07d}", "Name": f"Product {i}"} for i in range(count)]
    meta = {
        "Page": page,
        "PageSize": count,
        "TotalCount": count * 3,
        "TotalPages": 3,
        "ItemRange": [(page - 1) * count + 1, page * count],
    }
    return json.dumps({"Meta": meta, "Items": items}, separators=(",", ":")).encode()


@functools.cache
def gzip_bomb(mib=1024):
    """`mib` MiB of zeros as gzip: one member of a compressed MiB, repeated (a gzip body may
    hold several members, decoded one after the other)."""
    return gzip.compress(bytes(1 << 20), compresslevel=9) * mib


class FaultyHandler(BaseHTTPRequestHandler):
    """Each path under /base/ is one kind of (mis)behaviour."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def handle(self):
        # The console hangs up on what it has read enough of (a body over the cap).
        with contextlib.suppress(ConnectionError):
            super().handle()

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def do_PATCH(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def _dispatch(self):
        path = self.path.split("?")[0]
        self.server.hits.append(f"{self.command} {self.path}")
        if path.startswith("/base/moved/"):  # an environment whose every answer redirects
            return self._moved(path.removeprefix("/base/moved"))
        if path == "/base/oauth/token":
            return self._token()
        handler = getattr(self, "_" + path.removeprefix("/base/").replace("-", "_"), None)
        if handler is None:
            self._send(404, b'{"Errors": [{"ErrorCode": "NotFound"}]}')
        else:
            handler()

    def _send(self, status, body, content_type="application/json", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self):
        self._send(200, b'{"ID":"x","Items":[1,2],"xp":{"a":"\xc3\xa9"}}')

    def _echo(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        echoed = {
            "method": self.command,
            "path": self.path,
            "headers": [[name, value] for name, value in self.headers.items()],
            "body": body,
            "client_port": self.client_address[1],
        }
        self._send(200, json.dumps(echoed).encode())

    def _html(self):
        self._send(200, b"<h1>Hello</h1><script>alert(1)</script>", "text/html; charset=utf-8")

    def _not_json(self):
        self._send(200, b"{this is not json", "application/json")

    def _unauthorized(self):
        self._send(
            401, b'{"Errors":[{"ErrorCode":"InvalidToken","Message":"Access token has expired."}]}'
        )

    def _revoked(self):
        self._send(
            401,
            b'{"Errors":[{"ErrorCode":"InvalidToken","Message":"Access token has been revoked."}]}',
        )

    def _server_error(self):
        self._send(500, b'{"Errors":[{"ErrorCode":"InternalServerError","Message":"boom"}]}')

    def _big(self):
        self._send(200, b"[" + b"1," * 50_000 + b"1]")

    def _list(self):
        """An OrderCloud ListPage of about `?bytes=N` bytes (products with xp), page `?page=`."""
        query = dict(pair.split("=", 1) for pair in self.path.partition("?")[2].split("&") if pair)
        self._send(200, list_page(int(query.get("bytes", 100_000)), int(query.get("page", 1))))

    def _redirect(self):
        self._send(302, b"", "text/plain", [("Location", "http://example.invalid/stolen")])

    def _moved(self, rest):
        """`server.moved` = (status, where): a redirect to where + the rest of the path."""
        status, where = self.server.moved
        self._send(status, b"", "text/plain", [("Location", where + rest)])

    def _cookies(self):
        self._send(
            200,
            b"{}",
            headers=[("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2; Path=/"), ("X-Dup", "1")],
        )

    def _gzip(self):
        self._send(200, gzip.compress(b'{"zipped": true}'), headers=[("Content-Encoding", "gzip")])

    def _binary(self):
        self._send(200, b"\x89PNG\r\n\x1a\n\x00\x00", "image/png")

    def _token(self):
        """A token endpoint: password "wrong" fails; the form it got is echoed back."""
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length).decode()
        if "password=wrong" in form:
            error = {"error": "invalid_grant", "error_description": "Wrong password.", "form": form}
            return self._send(400, json.dumps(error).encode())
        token = {
            "access_token": ACCESS_TOKEN,
            "expires_in": 600,
            "token_type": "bearer",
            "refresh_token": "refresh-secret-0123456789",
            "form": form,
        }
        self._send(200, json.dumps(token).encode())

    def _slow(self):
        time.sleep(3)
        self._send(200, b"{}")

    def _trickle(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(30):
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.1)

    def _drip_then_stall(self):
        """A byte every 0.1 s for 1.6 s, then nothing (the connection left open)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(16):
                self.wfile.write(b"x")
                time.sleep(0.1)
            time.sleep(5)
        self.close_connection = True

    def _short(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b'{"cut": "here')
        self.close_connection = True

    def _reset(self):
        """Headers and part of the body, then a TCP reset (not a clean close)."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b'{"Items": ["' + b"x" * 5000)
        time.sleep(0.05)  # the client has read it
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _gzip_bomb(self):
        """1 GiB of zeros in about 1 MB of gzip (one compressed MiB, repeated)."""
        self._send(
            200, gzip_bomb(), headers=[("Content-Encoding", "gzip")], content_type="text/plain"
        )

    def _bad_utf8(self):
        body = b'{"Name": "caf\xe9 \xff\xfe", "ok": "\xc3\xa9"}'
        self._send(200, body, headers=[("X-Bad", "\xff\xfe latin-1")])

    def _endless(self):
        """A chunked body that never ends, as fast as the client reads."""
        self._chunked(b"0" * 65536, pause=0)

    def _endless_slow(self):
        """A chunked body that never ends, 16 bytes every 0.1 s."""
        self._chunked(b"0" * 16, pause=0.1)

    def _chunked(self, data, pause):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        frame = b"%x\r\n%s\r\n" % (len(data), data)
        deadline = time.monotonic() + 60  # never past the test run, whatever happens
        with contextlib.suppress(OSError):
            while time.monotonic() < deadline:
                self.wfile.write(frame)
                time.sleep(pause)
        self.close_connection = True

    def _garbage(self):
        self.wfile.write(b"THIS IS NOT HTTP\r\n\r\n")
        self.close_connection = True

    def _hang_up(self):
        self.close_connection = True


@dataclass
class Faulty:
    env: environments.Environment
    url: str
    hits: list  # "METHOD /path?query" of every request the server got
    server: ThreadingHTTPServer = None
    settings: object = None

    @property
    def env_address(self):
        return ("127.0.0.1", self.env.port)

    def moved(self, status, where):
        """The environment `moved`, {url}/moved: every path under it answers `status` with
        Location: where + the rest of the path."""
        self.server.moved = (status, where)
        return _configure(self.settings, "moved", "Moved server", f"{self.url}/moved")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, *args):
        super().__init__(*args)
        self.hits = []


def _configure(settings, env_id, name, base_url):
    settings.CONSOLE_ENVIRONMENTS = [
        *settings.CONSOLE_ENVIRONMENTS,
        {"id": env_id, "name": name, "base_url": base_url},
    ]
    return environments.get(env_id)


@contextlib.contextmanager
def faulty_server():
    """A misbehaving HTTP server on 127.0.0.1 (FaultyHandler): (server, its base URL)."""
    server = _Server(("127.0.0.1", 0), FaultyHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_port}/base"
    finally:
        server.shutdown()
        server.server_close()


def refusing_port():
    """A local port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def silent_server():
    """A port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()


@contextlib.contextmanager
def unreachable_server():
    """A port whose accept queue is full: connecting times out (no SYN-ACK comes back)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port))
    try:
        yield port
    finally:
        filler.close()
        listener.close()


@pytest.fixture
def faulty(settings):
    """An HTTP server on 127.0.0.1 whose paths misbehave, as the environment `faulty`."""
    with faulty_server() as (server, url):
        yield Faulty(
            env=_configure(settings, "faulty", "Faulty server", url),
            url=url,
            hits=server.hits,
            server=server,
            settings=settings,
        )


@pytest.fixture
def refusing(settings):
    """An environment on a local port nobody listens on."""
    url = f"http://127.0.0.1:{refusing_port()}"
    return _configure(settings, "refusing", "Refusing server", url)


@pytest.fixture
def silent(settings):
    """A server that accepts connections and never answers."""
    with silent_server() as port:
        yield _configure(settings, "silent", "Silent server", f"http://127.0.0.1:{port}")


@pytest.fixture
def unreachable(settings):
    """A server whose accept queue is full: connecting times out."""
    with unreachable_server() as port:
        yield _configure(settings, "unreachable", "Unreachable server", f"http://127.0.0.1:{port}")


@pytest.fixture
def small_timeouts(settings):
    settings.UPSTREAM_CONNECT_TIMEOUT = 0.3
    settings.UPSTREAM_READ_TIMEOUT = 0.5


class DocumentHandler(BaseHTTPRequestHandler):
    """Serves `server.document` at /base/v1/openapi/v3 with `server.status`."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def handle(self):
        # The console hangs up on a document over its size cap.
        with contextlib.suppress(ConnectionError):
            super().handle()

    def do_GET(self):
        self.server.hits.append(f"GET {self.path}")
        status, body = self.server.status, self.server.document
        if self.path != "/base/v1/openapi/v3":
            status, body = 404, b'{"Errors": [{"ErrorCode": "NotFound"}]}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@dataclass
class Documents:
    """An environment whose OpenAPI document (and its status) each test sets."""

    env: environments.Environment
    server: _Server

    def serve(self, document, status=200):
        self.server.document = document if isinstance(document, bytes) else document.encode()
        self.server.status = status

    @property
    def hits(self):
        return self.server.hits


@pytest.fixture
def documents(settings):
    server = _Server(("127.0.0.1", 0), DocumentHandler)
    server.document, server.status = b"{}", 200
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/base"
    yield Documents(env=_configure(settings, "docs", "Documents server", url), server=server)
    server.shutdown()
    server.server_close()
