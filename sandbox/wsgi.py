"""WSGI entry of the sandbox's own pool (`bin/serve` runs it on SANDBOX_PORT).

The sandbox answers at the root of its host, as an OrderCloud host does:
`{sandbox}/oauth/token`, `{sandbox}/v1/me`, `{sandbox}/v1/openapi/v3`. The project's
settings are the console's (one project, one database); only the URL patterns differ:
the console's pool (`console.wsgi`) serves the same sandbox under `/sandbox/`.
"""

import os

import django
from django.core.handlers.wsgi import WSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")

URLCONF = "sandbox.pool_urls"


class SandboxHandler(WSGIHandler):
    """Django's handler, resolving every request against the sandbox's URL patterns."""

    def get_response(self, request):
        request.urlconf = URLCONF  # Django's per-request URLconf, before any middleware
        return super().get_response(request)


django.setup(set_prefix=False)
application = SandboxHandler()
