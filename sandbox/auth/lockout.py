"""The PasswordConfig lockout of the password grant: after AllowedFailedAttempts wrong
passwords in a row the user is locked for LockoutDuration minutes, whatever password it
then gives; a successful sign-in resets the count, and the first failure after a lock has
run out starts a new one.

The PasswordConfig is that of the user's security profiles (`roles.profile_assignments`);
when several set one, the strictest applies (the fewest attempts, the longest lock).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from sandbox.api.errors import OAuthError
from sandbox.api.wire import timestamp
from sandbox.auth.roles import profile_assignments
from sandbox.models import User

# When a PasswordConfig sets AllowedFailedAttempts but no LockoutDuration: the shortest
# lock OrderCloud's reference allows.
DEFAULT_LOCKOUT_MINUTES = 2


@dataclass(frozen=True)
class Policy:
    allowed_failed_attempts: int
    lockout_minutes: int


def policy(user: User) -> Policy | None:
    """The strictest lockout of the user's security profiles; None when none sets one."""
    configs = profile_assignments(user).values_list("security_profile__password_config", flat=True)
    attempts, minutes = [], []
    for config in configs:
        if isinstance(config, dict) and config.get("AllowedFailedAttempts"):
            attempts.append(config["AllowedFailedAttempts"])
            minutes.append(config.get("LockoutDuration") or DEFAULT_LOCKOUT_MINUTES)
    if not attempts:
        return None
    return Policy(min(attempts), max(minutes))


def locked_error(until: datetime) -> OAuthError:
    return OAuthError(
        "invalid_grant",
        f"The user is locked after too many failed sign-in attempts, until {timestamp(until)}.",
    )


def record(user: User, password_ok: bool) -> None:
    """Count the sign-in attempt whose password was checked (`password_ok`); raise the
    locked error when the user is locked, whether the password was right or not."""
    if password_ok and not user.failed_login_attempts and user.locked_until is None:
        return  # nothing to reset: no write (most sign-ins)
    now = timezone.now()
    refusal = None
    with transaction.atomic():
        # Concurrent attempts of one user count one after the other.
        row = User.objects.select_for_update().only("failed_login_attempts", "locked_until")
        row = row.get(pk=user.pk)
        if row.locked_until is not None and row.locked_until > now:
            refusal = locked_error(row.locked_until)
        elif password_ok:
            if row.failed_login_attempts or row.locked_until:
                User.objects.filter(pk=user.pk).update(failed_login_attempts=0, locked_until=None)
        else:
            expired = row.locked_until is not None
            attempts = (0 if expired else row.failed_login_attempts) + 1
            limit = policy(user)
            locked_until = None
            if limit is not None and attempts >= limit.allowed_failed_attempts:
                locked_until = now + timedelta(minutes=limit.lockout_minutes)
            User.objects.filter(pk=user.pk).update(
                failed_login_attempts=attempts, locked_until=locked_until
            )
    if refusal is not None:
        raise refusal
