"""The developer dashboard's guards: failed sign-ins lock an account out from an address
(django-axes, the console's own settings), on every path that checks its password; a
code's tries are counted before they are compared; expired sign-ups are purged."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http import HTTPStatus

import pytest
import requests
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from sandbox.auth import passwords
from sandbox.dashboard import accounts
from sandbox.dashboard.views import SESSION_KEY
from sandbox.models import Account, Signup
from tests.sandbox.conftest import post_token
from tests.sandbox.test_dashboard import (
    API,
    DASH,
    EMAIL,
    PASSWORD,
    api_post,
    create_account,
    sent_code,
    signed_up,
    verify,
    wrong,
)

LIMIT = 5
COOLOFF = timedelta(minutes=15)
INCORRECT = "Email or password is incorrect."
LOCKED = "Too many failed sign-ins with this email address: try again after"
THREADS = 8
TIMEOUT = 30


def sign_in(client, password, email=EMAIL):
    return client.post(f"{DASH}signin", {"email": email, "password": password})


def attempt() -> AccessAttempt:
    return AccessAttempt.objects.get(username=f"dashboard:{EMAIL}")


def locked_message() -> str:
    until = attempt().attempt_time + COOLOFF
    return f"{LOCKED} {until:%H:%M} UTC."


@pytest.fixture
def account(client):
    """A verified account, signed out of the dashboard."""
    account = signed_up(client)
    client.post(f"{DASH}signout")
    return account


def test_the_lockout_is_the_consoles():
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME == COOLOFF


@pytest.mark.django_db
class TestSignInLockout:
    def test_the_fifth_failure_locks_out_even_the_right_password(self, client, account):
        for _ in range(LIMIT - 1):
            response = sign_in(client, "wrong password")
            assert response.status_code == HTTPStatus.BAD_REQUEST
            assert INCORRECT in response.content.decode()

        fifth = sign_in(client, "wrong password")
        right = sign_in(client, PASSWORD)

        for response in (fifth, right):
            assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
            page = response.content.decode()
            assert locked_message() in page
            assert INCORRECT not in page
            assert f'value="{EMAIL}"' in page  # the typed email stays in the form
            assert 0 < int(response["Retry-After"]) <= 15 * 60 + 1
        assert SESSION_KEY not in client.session
        assert attempt().failures_since_start == LIMIT  # refused unchecked: not counted
        assert PASSWORD not in attempt().post_data

    def test_the_lockout_holds_in_another_session_and_letter_case(self, client, account):
        for _ in range(LIMIT):
            sign_in(client, "wrong password")

        other = Client()
        response = sign_in(other, PASSWORD, email="  NewComer@Example.com ")

        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert locked_message() in response.content.decode()
        assert SESSION_KEY not in other.session

    def test_it_ends_after_the_cool_off(self, client, account):
        for _ in range(LIMIT):
            sign_in(client, "wrong password")
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))

        response = sign_in(client, PASSWORD)

        assert response.status_code == HTTPStatus.FOUND
        assert client.session[SESSION_KEY] == account.pk

    def test_another_address_is_not_locked_out(self, client, account):
        for _ in range(LIMIT):
            sign_in(client, "wrong password")

        response = Client(REMOTE_ADDR="192.0.2.7").post(
            f"{DASH}signin", {"email": EMAIL, "password": PASSWORD}
        )

        assert response.status_code == HTTPStatus.FOUND

    def test_a_success_resets_the_failures(self, client, account):
        for _ in range(LIMIT - 1):
            sign_in(client, "wrong password")

        assert sign_in(client, PASSWORD).status_code == HTTPStatus.FOUND
        assert not AccessAttempt.objects.exists()
        client.post(f"{DASH}signout")
        for _ in range(LIMIT - 1):
            assert sign_in(client, "wrong password").status_code == HTTPStatus.BAD_REQUEST
        assert sign_in(client, PASSWORD).status_code == HTTPStatus.FOUND

    def test_an_unknown_address_locks_out_the_same(self, client):
        for _ in range(LIMIT):
            sign_in(client, "wrong password")

        response = sign_in(client, "wrong password")

        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert locked_message() in response.content.decode()

    def test_a_very_long_email_is_refused_plainly(self, client):
        response = sign_in(client, "wrong password", email="a" * 5000 + "@example.com")

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert INCORRECT in response.content.decode()
        assert AccessAttempt.objects.get().username == "dashboard:" + "a" * 200

    def test_the_json_token_shares_the_count_and_answers_429(self, client, account):
        for _ in range(LIMIT - 2):
            sign_in(client, "wrong password")
        fourth = api_post(client, "/token", {"Email": EMAIL, "Password": "wrong password"})

        fifth = api_post(client, "/token", {"Email": EMAIL, "Password": "wrong password"})
        right = api_post(client, "/token", {"Email": EMAIL, "Password": PASSWORD})

        assert fourth.status_code == HTTPStatus.BAD_REQUEST
        assert fourth.json()["Errors"][0]["Message"] == INCORRECT
        until = attempt().attempt_time + COOLOFF
        for response in (fifth, right):
            assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
            assert response.json() == {
                "Errors": [
                    {
                        "ErrorCode": "TooManyFailedSignIns",
                        "Message": locked_message(),
                        "Data": {"RetryAfter": until.isoformat(timespec="milliseconds")},
                    }
                ]
            }
            assert "access_token" not in response.json()
        assert sign_in(client, PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS

    def test_the_password_grant_with_dev_center_impersonate_is_guarded_too(self, client, account):
        client_id = account.marketplaces.get().api_clients.get().oc_id

        def grant(password):
            return post_token(
                client,
                grant_type="password",
                client_id=client_id,
                username=EMAIL,
                password=password,
                client_secret="not-kept-anywhere",
                scope="DevCenterImpersonate FullAccess",
            )

        for _ in range(LIMIT - 1):
            assert grant("wrong password").json()["error_description"] == (
                "Username or password is incorrect."
            )
        fifth = grant("wrong password")
        right = grant(PASSWORD)

        for response in (fifth, right):
            assert response.status_code == HTTPStatus.BAD_REQUEST
            assert response.json() == {
                "error": "invalid_grant",
                "error_description": locked_message(),
            }
        assert sign_in(client, PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS
        stored = attempt().post_data
        assert "not-kept-anywhere" not in stored and "wrong password" not in stored
        assert "client_secret=********************" in stored


@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_check_no_more_passwords_than_the_limit(live_server):
    """Twenty wrong passwords at once: at most LIMIT - 1 are answered "incorrect" (the
    LIMIT-th checked one locks); every other one is refused unchecked."""
    Account.objects.create(username=EMAIL, password=passwords.hash_password(PASSWORD))

    def guess(n):
        return requests.post(
            f"{live_server.url}{API}/token",
            json={"Email": EMAIL, "Password": f"guess {n}"},
            timeout=TIMEOUT,
        )

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(guess, range(20)))

    statuses = [answer.status_code for answer in answers]
    incorrect = statuses.count(HTTPStatus.BAD_REQUEST)
    assert incorrect <= LIMIT - 1
    assert statuses.count(HTTPStatus.TOO_MANY_REQUESTS) == 20 - incorrect
    right = requests.post(
        f"{live_server.url}{API}/token", json={"Email": EMAIL, "Password": PASSWORD}, timeout=30
    )
    assert right.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_concurrent_right_passwords_all_get_in(live_server):
    """Twenty right passwords at once (a team signing in to the demo through one console):
    each is checked in turn, none is taken for a guess."""
    Account.objects.create(username=EMAIL, password=passwords.hash_password(PASSWORD))

    start = threading.Barrier(20)

    def sign_in_at_once(_):
        start.wait()
        return requests.post(
            f"{live_server.url}{API}/token",
            json={"Email": EMAIL, "Password": PASSWORD},
            timeout=TIMEOUT,
        ).status_code

    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(sign_in_at_once, range(20)))

    assert statuses == [HTTPStatus.OK] * 20
    assert not AccessAttempt.objects.filter(username=f"dashboard:{EMAIL}").exists()


@pytest.mark.django_db
class TestCodeTries:
    def test_a_code_takes_five_tries_then_a_new_code_takes_five_more(self, client):
        create_account(client)
        code = sent_code()
        for _ in range(accounts.MAX_WRONG_CODES):
            response = verify(client, wrong(code))
            assert response.status_code == HTTPStatus.BAD_REQUEST
            assert "The code is wrong." in response.content.decode()
        assert Signup.objects.get().wrong_codes == accounts.MAX_WRONG_CODES

        refused = verify(client, code)
        create_account(client)  # a new code: five new tries
        assert Signup.objects.get().wrong_codes == 0
        for _ in range(accounts.MAX_WRONG_CODES - 1):
            verify(client, wrong(sent_code()))
        made = verify(client, sent_code())

        assert refused.status_code == HTTPStatus.BAD_REQUEST
        assert "Too many wrong codes" in refused.content.decode()
        assert Signup.objects.filter(email=EMAIL).exists() is False
        assert made.status_code == HTTPStatus.FOUND
        assert Account.objects.filter(username=EMAIL).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_code_guesses_take_five_tries_in_all(live_server):
    """Twenty wrong codes at once: exactly five are compared ("The code is wrong."); the
    others find the tries taken."""
    accounts.start_signup(EMAIL, PASSWORD)
    code = sent_code()

    def guess(n):
        return requests.post(
            f"{live_server.url}{API}/accounts/verify",
            json={"Email": EMAIL, "Code": f"{(int(code) + 1 + n) % 10**6:06d}"},
            timeout=TIMEOUT,
        )

    with ThreadPoolExecutor(THREADS) as pool:
        messages = [answer.json()["Errors"][0]["Message"] for answer in pool.map(guess, range(20))]

    assert messages.count("The code is wrong.") == accounts.MAX_WRONG_CODES
    assert (
        messages.count("Too many wrong codes: create the account again for a new code.")
        == 20 - accounts.MAX_WRONG_CODES
    )
    assert Signup.objects.get().wrong_codes == accounts.MAX_WRONG_CODES
    assert not Account.objects.exists()


@pytest.mark.django_db
class TestExpiredSignupsPurged:
    def test_a_new_sign_up_deletes_the_expired_ones(self, client):
        for email in ("old@example.com", "older@example.com", "fresh@example.com"):
            create_account(client, email)
        now = timezone.now()
        Signup.objects.filter(email="old@example.com").update(code_expires_at=now)
        Signup.objects.filter(email="older@example.com").update(
            code_expires_at=now - timedelta(days=30)
        )

        response = create_account(client)

        assert response.status_code == HTTPStatus.FOUND
        assert sorted(Signup.objects.values_list("email", flat=True)) == [
            "fresh@example.com",
            EMAIL,
        ]

    def test_an_expired_address_signs_up_afresh(self, client):
        for _ in range(accounts.MAX_CODES_SENT):
            create_account(client)
        Signup.objects.update(code_expires_at=timezone.now() - timedelta(seconds=1))

        response = create_account(client)

        assert response.status_code == HTTPStatus.FOUND
        signup = Signup.objects.get()
        assert (signup.codes_sent, signup.wrong_codes) == (1, 0)
        assert len(mail.outbox) == accounts.MAX_CODES_SENT + 1
        assert verify(client, sent_code()).status_code == HTTPStatus.FOUND

    def test_an_expired_code_purged_answers_no_code_waiting(self, client):
        create_account(client)
        Signup.objects.update(code_expires_at=timezone.now() - timedelta(seconds=1))
        create_account(client, "someone@example.com")

        response = verify(client, sent_code(0))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "No code is waiting for this address: it was used already, it expired" in (
            response.content.decode()
        )
        assert list(Signup.objects.values_list("email", flat=True)) == ["someone@example.com"]
