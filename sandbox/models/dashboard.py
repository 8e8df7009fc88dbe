"""The developer dashboard: sign-ups waiting for their emailed verification code.

An Account exists only once its code is entered; until then the sign-up holds the
password hash and the code's digest (never the code itself).
"""

from django.db import models
from django.utils import timezone


class Signup(models.Model):
    email = models.CharField(max_length=100, unique=True)
    password = models.CharField(max_length=200)  # a hash from sandbox.auth.passwords
    code_digest = models.CharField(max_length=64)  # "" once the code may no longer be used
    code_expires_at = models.DateTimeField()
    wrong_codes = models.PositiveIntegerField(default=0)
    codes_sent = models.PositiveIntegerField(default=0)
    date_created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.email
