"""The PasswordConfig lockout of the password grant: AllowedFailedAttempts wrong passwords
lock the user for LockoutDuration minutes, a successful sign-in resets the count."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http import HTTPStatus

import pytest
import requests
from django.utils import timezone

from sandbox.api.wire import timestamp
from sandbox.models import SecurityProfile, User
from tests.sandbox import factories
from tests.sandbox.conftest import post_token

WRONG_CREDENTIALS = {
    "error": "invalid_grant",
    "error_description": "Username or password is incorrect.",
}


def locked(until):
    return {
        "error": "invalid_grant",
        "error_description": "The user is locked after too many failed sign-in attempts,"
        f" until {timestamp(until)}.",
    }


def sign_in(client, password="alice-password"):
    return post_token(
        client, grant_type="password", client_id="client-1", username="alice", password=password
    )


def alice():
    return User.objects.get(oc_id="alice")


@pytest.fixture
def mkt(db):
    """Admin alice, whose security profile locks after 3 failures for 10 minutes."""
    marketplace = factories.marketplace("mkt")
    factories.api_client(marketplace, "client-1")
    factories.user(marketplace, "alice", password="alice-password")
    profile = factories.profile(marketplace, "full", ["FullAccess"])
    profile.password_config = {"AllowedFailedAttempts": 3, "LockoutDuration": 10}
    profile.save()
    return marketplace


def test_the_allowed_failures_lock_the_user_for_the_duration(client, mkt):
    failures = [sign_in(client, "nope") for _ in range(3)]
    until = alice().locked_until

    assert [(r.status_code, r.json()) for r in failures] == [
        (HTTPStatus.BAD_REQUEST, WRONG_CREDENTIALS)
    ] * 3
    assert timedelta(minutes=9) < until - timezone.now() <= timedelta(minutes=10)
    # Locked: the right password is refused too, and nothing more is counted.
    for password in ("alice-password", "nope"):
        response = sign_in(client, password)
        assert (response.status_code, response.json()) == (HTTPStatus.BAD_REQUEST, locked(until))
    assert (alice().failed_login_attempts, alice().locked_until) == (3, until)


def test_after_the_lock_the_right_password_signs_in_and_resets(client, mkt):
    for _ in range(3):
        sign_in(client, "nope")
    User.objects.filter(oc_id="alice").update(locked_until=timezone.now() - timedelta(seconds=1))

    response = sign_in(client)

    assert response.status_code == HTTPStatus.OK
    assert (alice().failed_login_attempts, alice().locked_until) == (0, None)


def test_a_failure_after_the_lock_starts_a_new_count(client, mkt):
    for _ in range(3):
        sign_in(client, "nope")
    User.objects.filter(oc_id="alice").update(locked_until=timezone.now() - timedelta(seconds=1))

    response = sign_in(client, "nope")

    assert response.json() == WRONG_CREDENTIALS
    assert (alice().failed_login_attempts, alice().locked_until) == (1, None)
    assert sign_in(client).status_code == HTTPStatus.OK


def test_a_sign_in_resets_the_count(client, mkt):
    for password in ("nope", "nope", "alice-password", "nope", "nope"):
        sign_in(client, password)

    assert (alice().failed_login_attempts, alice().locked_until) == (2, None)
    assert sign_in(client).status_code == HTTPStatus.OK


def test_without_a_lockout_failures_are_only_counted(client, mkt):
    SecurityProfile.objects.update(password_config={"MinimumCharacterCount": 8})
    for _ in range(12):
        assert sign_in(client, "nope").json() == WRONG_CREDENTIALS

    assert alice().failed_login_attempts == 12
    assert sign_in(client).status_code == HTTPStatus.OK


def test_the_strictest_of_the_users_profiles_applies(client, mkt):
    """The fewest attempts, the longest lock; a lockout without a duration locks for 2
    minutes (the least OrderCloud allows)."""
    strict = factories.profile(mkt, "strict", ["MeAdmin"], user_id="alice")
    strict.password_config = {"AllowedFailedAttempts": 2}
    strict.save()

    for _ in range(2):
        sign_in(client, "nope")

    assert sign_in(client).json() == locked(alice().locked_until)
    remaining = alice().locked_until - timezone.now()
    assert timedelta(minutes=9) < remaining <= timedelta(minutes=10)


def test_another_users_profile_does_not_lock(client, mkt):
    factories.user(mkt, "bob", password="bob-password")
    other = factories.profile(mkt, "other", ["MeAdmin"], user_id="bob")
    other.password_config = {"AllowedFailedAttempts": 1, "LockoutDuration": 60}
    other.save()
    SecurityProfile.objects.filter(oc_id="full").update(password_config=None)

    sign_in(client, "nope")

    assert alice().locked_until is None
    assert sign_in(client).status_code == HTTPStatus.OK


def test_concurrent_failures_lock_after_exactly_the_allowed_number(sandbox, mkt):
    """8 wrong passwords at the same moment over HTTP: 3 are counted and answered as
    wrong, the rest find the user locked."""
    start = threading.Barrier(8)

    def attempt(_):
        start.wait()
        return requests.post(
            f"{sandbox.url}/oauth/token",
            data={
                "grant_type": "password",
                "client_id": "client-1",
                "username": "alice",
                "password": "nope",
            },
            timeout=30,
        ).json()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(attempt, range(8)))

    until = alice().locked_until
    assert sorted(answers, key=str) == sorted(
        [WRONG_CREDENTIALS] * 3 + [locked(until)] * 5, key=str
    )
    assert alice().failed_login_attempts == 3
