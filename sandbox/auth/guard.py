"""Guessing a developer account's password at speed: django-axes' lockout, the same as
the console's own login (the AXES_* settings: AXES_FAILURE_LIMIT failed sign-ins of one
username from one address lock it for AXES_COOLOFF_TIME). The failures are rows in the
database, so every instance sees them.

Every check of an account's password goes through `checked`: the dashboard's sign-in
page, its JSON token operation, and the password grant with DevCenterImpersonate.
Accounts are not Django users, so axes' handler is called here rather than through
Django's authenticate(); the usernames it records start with "dashboard:", apart from
the console's own users (`manage.py axes_reset_username dashboard:name@example.com`).
"""

from collections.abc import Callable
from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sandbox.models import Account

PREFIX = "dashboard:"


class Locked(Exception):
    """Too many failures: `message` says until when."""

    def __init__(self, until: datetime):
        self.until = until
        self.message = (
            f"Too many failed sign-ins with this email address: try again after {until:%H:%M} UTC."
        )
        super().__init__(self.message)

    def retry_after(self) -> str:
        """The Retry-After header's seconds."""
        return str(max(1, int((self.until - timezone.now()).total_seconds()) + 1))


def checked[T](request, username: str, check: Callable[[], T | None]) -> T | None:
    """`check()` (the account for the right password, else None) unless `username` is
    locked out from this address; raises Locked then, and on the failure that locks it."""
    # Axes keeps 255 characters of a username; no account's is longer than 100.
    credentials = {"username": PREFIX + (username or "").strip().lower()[:200]}
    with transaction.atomic():
        # The checks of one account's password take turns (its row locked on PostgreSQL;
        # SQLite's IMMEDIATE transactions take turns anyway), each seeing the failures
        # counted before it: a burst of concurrent guesses checks no more than the limit,
        # and a burst of right passwords all get in. A check costs about a millisecond.
        _lock(username)
        if not AxesProxyHandler.is_allowed(request, credentials):
            raise Locked(_until(request, credentials))
        found = check()
        if found is not None:
            AxesProxyHandler.reset_attempts(
                username=credentials["username"], ip_address=request.axes_ip_address
            )
            return found
        AxesProxyHandler.user_login_failed(__name__, credentials, request)
        locked = AxesProxyHandler.get_failures(request, credentials) >= settings.AXES_FAILURE_LIMIT
    # The lockout is answered by the caller (a page, JSON, an OAuth error); axes'
    # middleware would put the console's page in its place.
    request.axes_locked_out = False
    if locked:
        raise Locked(_until(request, credentials))
    return None


def _lock(username: str) -> None:
    """Lock the account's row until the transaction ends (none: an unknown address)."""
    name = (username or "").strip()
    list(Account.objects.select_for_update().filter(username__in={name, name.lower()}))


def _until(request, credentials) -> datetime:
    """The lockout ends AXES_COOLOFF_TIME after the last attempt counted."""
    last = AccessAttempt.objects.filter(
        username=credentials["username"], ip_address=request.axes_ip_address
    ).aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + settings.AXES_COOLOFF_TIME
