"""Big JSON responses through the console: server time, DOM nodes, time to interactive.

A local HTTP server (in this process) answers `/base/list?bytes=N` with an OrderCloud
ListPage of about N bytes; it is configured as a console environment of the served
project (both gunicorn pools, as `make run`). For 100 KB, 1 MB, 5 MB and 20 MB:

- server: the console's `/send` (htmx, as the page posts it: proxy, redact, keep in the
  history, render) against a direct GET of the same body, median of ROUNDS, interleaved,
  each size in a browser session of its own; and the size of the page fragment sent back;
- browser (headless Chromium, 1400x900): from "Send" to the response shown and usable
  (the viewer ready, or the bounded preview past VIEWER_MAX_BYTES), and from the htmx swap
  to that; the page's DOM node count then; and the keyboard: each key typed in the
  composer's Body afterwards, from keydown to the next frame (p95 of 40 keys).
"""

import contextlib
import json
import os
import shutil
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from bench.server import interleave, percentile, served

SIZES = {"100KB": 100_000, "1MB": 1_000_000, "5MB": 5_000_000, "20MB": 20_000_000}
ROUNDS = 10
WARMUP = 2
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
LATENCY = """() => {
  window.latencies = [];
  document.addEventListener("keydown", (event) => {
    const start = event.timeStamp;
    requestAnimationFrame(() => setTimeout(() => latencies.push(performance.now() - start)));
  }, true);
  document.addEventListener("htmx:afterSwap", () => (window.swappedAt = performance.now()));
}"""
READY = "#json-viewer[data-ready=yes], #viewer-big"


def body_of(size):
    item = {
        "ID": "",
        "Name": "Product",
        "Description": "A product of the demo catalog, with a description of some length.",
        "QuantityMultiplier": 1,
        "Active": True,
        "xp": {"Color": "Blue", "Sizes": ["S", "M", "L"], "Rating": 4.5, "Discontinued": None},
    }
    count = size // (len(json.dumps(item, separators=(",", ":"))) + 1) + 1
    items = [{**item, "ID": f"p{i:07d}", "Name": f"Product {i}"} for i in range(count)]
    meta = {"Page": 1, "PageSize": count, "TotalCount": count, "TotalPages": 1}
    meta["ItemRange"] = [1, count]
    return json.dumps({"Meta": meta, "Items": items}, separators=(",", ":")).encode()


@contextlib.contextmanager
def upstream():
    bodies = {size: body_of(size) for size in SIZES.values()}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            size = int(self.path.partition("bytes=")[2] or 0)
            body = bodies.get(size, b"{}")
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/base", bodies
    finally:
        server.shutdown()
        server.server_close()


def _fields(size):
    return {
        "environment": "bench",
        "method": "GET",
        "path": "/list",
        "query_name": ["bytes"],
        "query_value": [str(size)],
        "header_name": [],
        "header_value": [],
        "body": "",
    }


def run():
    figures = {}
    with upstream() as (base, bodies):
        environments = json.dumps([{"id": "bench", "name": "Bench", "base_url": base}])
        with served(extra_env={"CONSOLE_ENVIRONMENTS": environments}) as (console, _, _env):
            figures.update(_server_times(console, base))
            figures.update(_browser(console, bodies))
    return figures


def _session(console):
    """A browser session of its own (its own history), and the headers htmx sends."""
    session = requests.Session()
    session.get(f"{console}/")
    return session, {"X-CSRFToken": session.cookies["csrftoken"], "HX-Request": "true"}


def _server_times(console, base):
    direct = requests.Session()
    calls = {}
    for name, size in SIZES.items():
        session, headers = _session(console)
        calls[f"{name}_direct"] = lambda i, s=size: direct.get(f"{base}/list?bytes={s}").content
        calls[f"{name}_console"] = lambda i, s=size, c=session, h=headers: _check(
            c.post(f"{console}/send", data=_fields(s), headers=h)
        )
    timings = interleave(calls, ROUNDS, WARMUP)
    figures = {"rounds": ROUNDS}
    for name in SIZES:
        console_ms = statistics.median(timings[f"{name}_console"])
        direct_ms = statistics.median(timings[f"{name}_direct"])
        figures[f"{name}_server_ms"] = console_ms
        figures[f"{name}_server_p95_ms"] = percentile(timings[f"{name}_console"], 95)
        figures[f"{name}_direct_ms"] = direct_ms
        session, headers = _session(console)
        page = session.post(f"{console}/send", data=_fields(SIZES[name]), headers=headers)
        figures[f"{name}_page_bytes"] = len(page.content)
    return figures


def _check(response):
    response.raise_for_status()
    assert 'id="result-status"' in response.text
    return response


def _browser(console, bodies):
    from playwright.sync_api import sync_playwright

    figures = {}
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        for name, size in SIZES.items():
            shown, after_swap, nodes, typing = [], [], [], []
            for _ in range(3):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.goto(f"{console}/")
                # The operations pane loads in a request of its own: let it settle first.
                page.wait_for_load_state("networkidle")
                page.evaluate(LATENCY)
                page.get_by_label("Environment").select_option("bench")
                page.get_by_label("Path").fill("/list")
                page.get_by_label("Query parameter 1 name").fill("bytes")
                page.get_by_label("Query parameter 1 value").fill(str(size))
                start = time.perf_counter()
                page.get_by_role("button", name="Send", exact=True).click()
                page.wait_for_selector(READY, state="attached", timeout=60_000)
                page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")
                shown.append((time.perf_counter() - start) * 1000)
                after_swap.append(page.evaluate("performance.now() - swappedAt"))
                nodes.append(page.evaluate("document.getElementsByTagName('*').length"))
                page.evaluate("latencies.length = 0")
                page.get_by_label("Body").click()
                page.keyboard.type("x" * 40, delay=25)
                page.wait_for_timeout(200)
                typing.append(percentile(page.evaluate("latencies"), 95))
                context.close()
            figures[f"{name}_shown_ms"] = statistics.median(shown)
            figures[f"{name}_swap_to_interactive_ms"] = statistics.median(after_swap)
            figures[f"{name}_dom_nodes"] = max(nodes)
            figures[f"{name}_typing_p95_ms"] = max(typing)
        browser.close()
    figures["5MB_interactive_under_2_s"] = "yes" if figures["5MB_shown_ms"] < 2000 else "no"
    figures["typing_under_100_ms"] = (
        "yes" if all(figures[f"{n}_typing_p95_ms"] < 100 for n in SIZES) else "no"
    )
    return figures
