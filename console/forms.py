"""The sign-in form (the composer's post is read by `compose`)."""

import re

from django import forms

from console import catalog, environments

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

    @classmethod
    def prefilled(cls, auth, env=None):
        """Unbound, for env (else where the user signed in, else the default environment):
        its Client ID and Roles, and the signed-in user's own client and name."""
        env = env or (auth and auth.environment) or environments.get(environments.DEFAULT_ID)
        same = auth is not None and auth.environment_id == env.id
        return cls(
            initial={
                "environment": env.id,
                "client_id": auth.client_id if same else env.client_id,
                "username": auth.username if auth else "",
                "roles": env.roles,
            }
        )

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

    @property
    def selected_environment(self):
        """The environment chosen in the form, else the default one."""
        chosen = environments.get(self["environment"].value())
        return chosen or environments.get(environments.DEFAULT_ID)

    @property
    def known_roles(self):
        """Suggested in the Roles field: from the selected environment's document."""
        return catalog.known_roles(self.selected_environment)

    @property
    def shown(self):
        """What each field shows when the form is shown (again): never a secret."""
        return {
            name: "" if name in self.SECRET_FIELDS else self[name].value() or ""
            for name in self.fields
        }

    @property
    def first_errors(self):
        """{field: its first error}; none for an unbound form."""
        return {name: errors[0] for name, errors in self.errors.items()}
