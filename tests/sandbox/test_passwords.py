import time

from sandbox.auth.passwords import burn_time, check_password, hash_password


def test_round_trip():
    encoded = hash_password("s3cret")

    assert encoded.startswith("sandbox_pbkdf2_sha256$1000$")
    assert check_password("s3cret", encoded)
    assert not check_password("s3cret ", encoded)


def test_salted():
    assert hash_password("same") != hash_password("same")


def test_no_hash_or_a_foreign_hash_never_matches():
    assert not check_password("", "")
    assert not check_password("x", "pbkdf2_sha256$1000000$salt$hash")
    assert not check_password("x", "!unusable")


def test_fast_enough_for_the_token_budget():
    encoded = hash_password("s3cret")

    start = time.perf_counter()
    for _ in range(20):
        check_password("s3cret", encoded)
        burn_time("s3cret")
    per_check = (time.perf_counter() - start) / 40

    assert per_check < 0.005  # seconds; Django's default hasher takes ~100x longer
