"""What the console's views share: the htmx request type, page-or-fragment answers, and
the one context processor (the auth contexts, and the environments to choose from)."""

from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from console import contexts, environments

PAGE = "console/page.html"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def render_page(request, fragment, context, *, status=HTTPStatus.OK):
    """htmx swaps in `fragment` ("template#partial"); without JavaScript the whole page.

    Only the whole page carries `status` (422 for bad input, say): htmx swaps 2xx only.
    """
    if request.htmx:
        return render(request, fragment, context)
    return render(request, PAGE, context, status=status)


def shared_context(request):
    """Context processor: the active context and the others, and the environments."""
    from console.views.history import panel_context  # (imports the views that import this)

    return {
        "login_required": settings.CONSOLE_LOGIN_REQUIRED,
        "auth": contexts.get_auth(request.session),
        "contexts": contexts.all_contexts(request.session),
        "environment_groups": environments.grouped(),
        **panel_context(request),
    }
