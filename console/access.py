"""Who may use the console: with CONSOLE_LOGIN_REQUIRED=1, only people signed in with
Django's authentication (a shared deployment); otherwise anyone who reaches it."""

from http import HTTPStatus

from django.conf import settings
from django.contrib.auth import middleware
from django.shortcuts import render
from django_htmx.http import HttpResponseClientRedirect


class LoginRequiredMiddleware(middleware.LoginRequiredMiddleware):
    """Django's, switched by CONSOLE_LOGIN_REQUIRED. The embedded sandbox stays outside it:
    its API has tokens of its own (and the console's calls to its own pool carry no
    login), and views marked @login_not_required (the login page, the health check) too."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.CONSOLE_LOGIN_REQUIRED:
            return None
        if getattr(view_func, "__module__", "").partition(".")[0] == "sandbox":
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):
        """To the login page, and back here after; htmx is told to go there whole."""
        response = super().handle_no_permission(request, view_func)
        if request.htmx:
            return HttpResponseClientRedirect(response.url)
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once a username has failed too often from one address."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "username": (credentials or {}).get("username") or request.POST.get("username", ""),
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(
        request, "registration/locked_out.html", context, status=HTTPStatus.TOO_MANY_REQUESTS
    )
