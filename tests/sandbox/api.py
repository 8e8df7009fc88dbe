"""A test client for the sandbox's API: JSON bodies, a bearer token, `/sandbox/v1` paths."""

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from sandbox.models import User
from tests.sandbox import factories

V1 = "/sandbox/v1"


@dataclass
class Api:
    client: object
    token: str

    def call(self, method, path, body=None, *, query=None, content_type="application/json"):
        kwargs = {"headers": {"Authorization": f"Bearer {self.token}"}}
        if body is not None:
            kwargs["data"] = body if isinstance(body, str | bytes) else json.dumps(body)
            kwargs["content_type"] = content_type
        elif query is not None:
            kwargs["data"] = query
        return getattr(self.client, method.lower())(f"{V1}{path}", **kwargs)

    def get(self, path, **query):
        return self.call("GET", path, query=query)

    def post(self, path, body=None, **kw):
        return self.call("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.call("PUT", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.call("PATCH", path, body, **kw)

    def delete(self, path, **query):
        # Django's test client sends a DELETE's data as its body: the query goes in the URL.
        return self.call("DELETE", f"{path}?{urlencode(query)}" if query else path)


def api_for(client, marketplace, roles=("FullAccess",), *, user=None, api_client=None):
    """An Api whose token has `roles` (a marketplace's admin user unless `user`)."""
    api_client = api_client or factories.api_client(
        marketplace, f"{marketplace.oc_id}-client-{'-'.join(roles) or 'none'}"
    )
    if user is None:
        user = User.objects.filter(marketplace=marketplace, oc_id="admin").first()
        user = user or factories.user(marketplace, "admin", user_type=User.Type.ADMIN)
    return Api(client, factories.access_token(api_client, user, roles))


def error(code, message, data=None):
    return {"Errors": [{"ErrorCode": code, "Message": message, "Data": data}]}
