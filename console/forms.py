"""The sign-in form, and the composer's rows as the page shows them."""

import re

from django import forms

from console import environments
from console.compose import Row

MIN_ROWS = 2
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
