"""Developer accounts: a sign-up, its emailed verification code, then the account.

A code is six digits, kept only as a keyed digest; it expires after
DASHBOARD_CODE_MINUTES, works once (the sign-up goes when it is used), and after
MAX_WRONG_CODES wrong tries it is void: a new one must be asked for. At most
MAX_CODES_SENT codes go to one address while the last one is valid. Expired sign-ups are
deleted whenever a code is sent.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.debug import sensitive_variables

from sandbox.auth import guard, passwords
from sandbox.dashboard import organizations
from sandbox.models import Account, Signup

MAX_WRONG_CODES = 5
MAX_CODES_SENT = 5
MIN_PASSWORD = 8
MAX_PASSWORD = 200
FIRST_ORGANIZATION = "My Seller Organization"
TOKEN_SALT = "sandbox.dashboard.token"
TOKEN_SECONDS = 60 * 60


class Refused(Exception):
    """What the developer gets told; `field` names the input at fault."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def normal_email(email: str) -> str:
    email = (email or "").strip().lower()
    if len(email) > Signup._meta.get_field("email").max_length:
        raise Refused("The email address is too long (100 characters at most).", "email")
    try:
        validate_email(email)
    except ValidationError:
        raise Refused("Enter a valid email address.", "email") from None
    return email


@sensitive_variables("password", "code")
def start_signup(email: str, password: str) -> Signup:
    """A sign-up for `email`, its code emailed; asking again sends a new code."""
    email = normal_email(email)
    if not MIN_PASSWORD <= len(password or "") <= MAX_PASSWORD:
        raise Refused(
            f"The password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters.", "password"
        )
    if Account.objects.filter(username=email).exists():
        raise Refused("An account with this email address exists: sign in instead.", "email")
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    # The expired sign-ups go here, one DELETE by their indexed expiry.
    Signup.objects.filter(code_expires_at__lte=now).delete()
    with transaction.atomic():
        signup = Signup.objects.select_for_update().filter(email=email).first()
        if signup and signup.codes_sent >= MAX_CODES_SENT and now < signup.code_expires_at:
            raise Refused(
                f"{MAX_CODES_SENT} codes were sent to this address already: use the last one,"
                f" or ask again after it expires ({signup.code_expires_at:%H:%M} UTC).",
                "email",
            )
        sent_before = signup.codes_sent if signup and now < signup.code_expires_at else 0
        values = {
            "password": passwords.hash_password(password),
            "code_digest": _digest(email, code),
            "code_expires_at": now + timedelta(minutes=settings.DASHBOARD_CODE_MINUTES),
            "wrong_codes": 0,
            "codes_sent": sent_before + 1,
        }
        try:
            signup, _ = Signup.objects.update_or_create(email=email, defaults=values)
        except IntegrityError:  # the same address, signing up twice at once
            raise Refused("A code was just sent to this address: use it.", "email") from None
    send_mail(
        "Your OrderCloud sandbox verification code",
        f"Your verification code is {code}.\n\n"
        f"It expires in {settings.DASHBOARD_CODE_MINUTES} minutes and works once.\n",
        None,
        [email],
    )
    return signup


@sensitive_variables("code")
def verify(email: str, code: str) -> Account:
    """The new account, with its first seller organization, for the right code."""
    email = normal_email(email)
    code = (code or "").strip()
    signup = Signup.objects.filter(email=email).first()
    if signup is None:
        raise Refused(
            "No code is waiting for this address: it was used already, it expired, or it"
            " was never sent. Create the account first.",
            "code",
        )
    too_many = Refused("Too many wrong codes: create the account again for a new code.", "code")
    if signup.wrong_codes >= MAX_WRONG_CODES:
        raise too_many
    if timezone.now() >= signup.code_expires_at:
        raise Refused("The code has expired: create the account again for a new one.", "code")
    # Each try takes one of the code's MAX_WRONG_CODES first (the right one then deletes the
    # sign-up): concurrent guesses cannot all pass a check made before any was counted.
    tries = Signup.objects.filter(pk=signup.pk, wrong_codes__lt=MAX_WRONG_CODES)
    if not tries.update(wrong_codes=F("wrong_codes") + 1):
        raise too_many
    digest = _digest(email, code)
    if not constant_time_compare(digest, signup.code_digest):
        raise Refused("The code is wrong.", "code")
    with transaction.atomic():
        # Only one use: whoever deletes the sign-up first gets the account.
        if not Signup.objects.filter(pk=signup.pk, code_digest=digest).delete()[0]:
            raise Refused("This code was used already.", "code")
        account = Account.objects.create(username=email, password=signup.password)
        organizations.new_organization(account, FIRST_ORGANIZATION)
    return account


def _digest(email: str, code: str) -> str:
    return salted_hmac("sandbox.dashboard.code", f"{email}\n{code}", algorithm="sha256").hexdigest()


@sensitive_variables("password")
def authenticate(request, username: str, password: str) -> Account | None:
    """The account for these credentials (an email address, or the demo's username);
    raises guard.Locked after too many failures (see sandbox.auth.guard)."""
    username = (username or "").strip()

    def check() -> Account | None:
        account = Account.objects.filter(username__in={username, username.lower()}).first()
        if account is None:
            passwords.burn_time(password or "")
            return None
        return account if passwords.check_password(password or "", account.password) else None

    return guard.checked(request, username, check)


def token_for(account: Account) -> str:
    """A dashboard token (the JSON operations' bearer token): signed, an hour long."""
    return signing.dumps({"account": account.pk}, salt=TOKEN_SALT)


def account_for_token(token: str) -> Account | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_SECONDS)
    except signing.BadSignature:
        return None
    return Account.objects.filter(pk=data.get("account")).first()
