"""Presentation mode (`?present=1`): larger type, a compact composer, the result arranged
for a projector, and every token, secret and ID masked in what the page shows.

The mode lives in the URL. A post, an htmx request or the viewer's fetch comes from a
page whose URL says it (Referer, HX-Current-URL), so it answers in the same mode, and its
redirects (post/redirect/get) keep `present=1`.
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

PARAM = "present"
MASK = "••••••••"
# The pages a link may land on without the parameter: they get it back by a redirect.
PAGES = {"index", "tour"}

_UUID = re.compile(
    r"\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b"
)
_REDACTED_TOKEN = re.compile(r"eyJ[\w-]*…[\w-]*")
_FORM_FIELD = re.compile(r"\b(client_id|client_secret)=[^&\s]+")
_JSON_FIELD = re.compile(r'("(?:ClientID|ClientSecret|access_token|refresh_token)"\s*:\s*)"[^"]*"')


def mask(text: str) -> str:
    """text with what an audience should not copy down masked: tokens, secrets, IDs."""
    text = _REDACTED_TOKEN.sub(MASK, text)
    text = _FORM_FIELD.sub(lambda m: f"{m.group(1)}={MASK}", text)
    text = _JSON_FIELD.sub(lambda m: f'{m.group(1)}"{MASK}"', text)
    return _UUID.sub(MASK, text)


_PARAM = re.compile(rf"(?:^|&){PARAM}=([^&]*)")


def _param(query: str) -> str | None:
    """`present` in a query string, read without parsing the whole of it (a request with
    too many parameters gets the API's own 400 from whoever serves it)."""
    found = _PARAM.search(query)
    return found.group(1) if found else None


def _says_present(url: str) -> bool:
    return _param(urlsplit(url).query) == "1"


def is_presenting(request) -> bool:
    if (asked := _param(request.META.get("QUERY_STRING", ""))) is not None:
        return asked == "1"
    origin = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
    return url_has_allowed_host_and_scheme(origin, {request.get_host()}) and _says_present(origin)


def with_param(url: str, on: bool) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PARAM]
    if on:
        query.append((PARAM, "1"))
    return urlunsplit(parts._replace(query=urlencode(query)))


class PresentationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.presenting = is_presenting(request)
        response = self.get_response(request)
        location = response.get("Location", "")
        if (
            request.presenting
            and 300 <= response.status_code < 400
            and location.startswith("/")
            and not location.startswith("/sandbox/")
            and not _says_present(location)
        ):
            response["Location"] = with_param(location, True)
        return response

    def process_view(self, request, view, args, kwargs):
        """A link followed from a presenting page lands presenting, with the URL saying so."""
        match = request.resolver_match
        if (
            request.method == "GET"
            and request.presenting
            and _param(request.META.get("QUERY_STRING", "")) is None
            and not request.headers.get("HX-Request")
            and match is not None
            and match.url_name in PAGES
        ):
            return HttpResponseRedirect(with_param(request.get_full_path(), True))
        return None


def context(request):
    """Context processor: the mode, and the URL of this page in the other mode."""
    presenting = getattr(request, "presenting", False)
    return {
        "presenting": presenting,
        "presentation_toggle": "0" if presenting else "1",
    }
