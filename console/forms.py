"""Parsing and validation of the two forms: sign-in and the request composer."""

import re
from dataclasses import replace

from django import forms
from django.http import QueryDict

from console import environments
from console.upstream import Composed, Row

MIN_ROWS = 2
# How much of a too-large form post is read to give the user back what they composed.
PREFIX_BYTES = 64 * 1024
ROW_KINDS = ("query", "header")
_ROLE = re.compile(r"[^\s\x00-\x1f\x7f]+\Z")


class SignInForm(forms.Form):
    environment = forms.CharField(label="Environment")
    client_id = forms.CharField(label="Client ID", max_length=200)
    username = forms.CharField(label="Username", max_length=200)
    password = forms.CharField(label="Password", max_length=1000, strip=False)
    client_secret = forms.CharField(
        label="Client secret", max_length=1000, strip=False, required=False
    )
    roles = forms.CharField(label="Roles", max_length=4000, required=False)

    # The password and client secret are used once; re-rendering never shows them.
    SECRET_FIELDS = ("password", "client_secret")

    def clean_environment(self):
        env = environments.get(self.cleaned_data["environment"])
        if env is None:
            raise forms.ValidationError("Choose an environment from the list.")
        return env

    def clean_roles(self):
        roles = self.cleaned_data["roles"].split()
        if bad := next((role for role in roles if not _ROLE.match(role)), None):
            raise forms.ValidationError(f"{bad!r} is not a role name.")
        return " ".join(roles)

    def value(self, name):
        """What to put back in a field when the form is shown again (never a secret)."""
        if name in self.SECRET_FIELDS:
            return ""
        return self[name].value() or ""


def composed_from(data):
    """The composer's fields as the user typed them, rows in order, blank rows included."""
    return Composed(
        environment_id=data.get("environment", ""),
        method=data.get("method", ""),
        path=data.get("path", ""),
        query=_rows(data, "query"),
        headers=_rows(data, "header"),
        body=data.get("body", "").replace("\r\n", "\n"),
    )


def composed_from_prefix(prefix):
    """The composer's fields from the start of a post too large to parse, without the body.

    Only complete `name=value` pairs are kept; the body (last, and what made the post too
    large) is dropped, truncated or not.
    """
    data = QueryDict(prefix.rpartition(b"&")[0], mutable=True)
    data.pop("body", None)
    return composed_from(data)


def _rows(data, kind):
    names, values = data.getlist(f"{kind}_name"), data.getlist(f"{kind}_value")
    count = max(len(names), len(values))
    names += [""] * (count - len(names))
    values += [""] * (count - len(values))
    return tuple(Row(name, value) for name, value in zip(names, values, strict=True))


def edit_rows(composed, data):
    """Apply a no-JavaScript "Add row" / "Remove" button: (composed, True) when one was pressed."""
    if (kind := data.get("add_row")) in ROW_KINDS:
        rows = (*getattr(composed, kind_field(kind)), Row())
        return _replace(composed, kind, rows), True
    kind, _, index = data.get("remove_row", "").partition("-")
    if kind in ROW_KINDS and index.isdigit():
        rows = list(getattr(composed, kind_field(kind)))
        if int(index) < len(rows):
            del rows[int(index)]
        return _replace(composed, kind, tuple(rows)), True
    return composed, False


def kind_field(kind):
    return {"query": "query", "header": "headers"}[kind]


def _replace(composed, kind, rows):
    return replace(composed, **{kind_field(kind): rows})


def display_rows(rows, errors, kind):
    """Rows for the template: the user's rows, then blank ones (at least one, MIN_ROWS in all)."""
    padded = list(rows)
    if not padded or not padded[-1].blank:
        padded.append(Row())
    padded += [Row()] * (MIN_ROWS - len(padded))
    return [
        {"index": i, "name": row.name, "value": row.value, "error": errors.get(f"{kind}-{i}", "")}
        for i, row in enumerate(padded)
    ]
