"""The console's own tables: the history of exchanges, kept per browser session."""

from django.db import models
from django.utils import timezone


class HistoryEntry(models.Model):
    """One exchange as the console showed it: secrets already redacted, nothing to re-redact.

    `owner` is a digest of a random key kept in the server-side session (history.owner_of),
    so rows are reachable from that session only; every query filters on it.
    """

    SEND, TOKEN = "send", "token"

    owner = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=8, default=SEND)
    environment_id = models.CharField(max_length=64)
    environment_name = models.CharField(max_length=200)
    method = models.CharField(max_length=16)
    path = models.TextField()
    url = models.TextField()
    # What the composer held (environment, method, path, query, headers, body), secrets
    # masked: "Edit and resend", permalinks, snippets and paging start from it. None for a
    # token request, which the composer cannot make.
    composed = models.JSONField(null=True)
    request_text = models.TextField()
    response_head = models.TextField()
    body = models.BinaryField()
    content_type = models.CharField(max_length=200)
    status = models.IntegerField(null=True)
    reason = models.CharField(max_length=200)
    elapsed_ms = models.FloatField()
    size = models.BigIntegerField()
    truncated = models.BooleanField()
    error = models.TextField()
    notice = models.TextField()
    stored_bytes = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-id"], name="console_history_owner"),
            models.Index(fields=["created"], name="console_history_created"),
        ]

    @property
    def status_class(self):
        if self.status is None or self.status >= 500:
            return "error"
        return {2: "success", 3: "redirect", 4: "client-error"}.get(self.status // 100, "error")
