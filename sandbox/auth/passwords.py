"""Password hashes of sandbox accounts and users (never the console's own)."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password


class SandboxPasswordHasher(PBKDF2PasswordHasher):
    # Sandbox passwords guard throwaway data; Django's 1M+ iterations (~0.5 s) would
    # blow the token grant's 30 ms budget, so far fewer iterations are used here.
    algorithm = "sandbox_pbkdf2_sha256"
    iterations = 1000


_hasher = SandboxPasswordHasher()
# Verified when the user is unknown, so that a miss costs as much as a wrong password.
_DUMMY = make_password("not a password", hasher=_hasher)


def hash_password(raw: str) -> str:
    return make_password(raw, hasher=_hasher)


def check_password(raw: str, encoded: str) -> bool:
    """Whether raw matches encoded; False for an empty or foreign hash."""
    if not encoded.startswith(f"{_hasher.algorithm}$"):
        _hasher.verify(raw, _DUMMY)
        return False
    return _hasher.verify(raw, encoded)


def burn_time(raw: str) -> None:
    """Spend a verification's time when there is no hash to check raw against."""
    _hasher.verify(raw, _DUMMY)
