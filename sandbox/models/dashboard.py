"""The developer dashboard: sign-ups waiting for their emailed verification code.

An Account exists only once its code is entered; until then the sign-up holds the
password hash and the code's digest (never the code itself).
"""

from django.db import models
from django.utils import timezone


class Signup(models.Model):
    email = models.CharField(max_length=100, unique=True)
    password = models.CharField(max_length=200)  # a hash from sandbox.auth.passwords
    code_digest = models.CharField(max_length=64)
    code_expires_at = models.DateTimeField(db_index=True)  # expired ones are purged
    wrong_codes = models.PositiveIntegerField(default=0)  # tries taken (see accounts.verify)
    codes_sent = models.PositiveIntegerField(default=0)
    date_created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.email
