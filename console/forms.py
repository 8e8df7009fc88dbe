"""The sign-in form (every grant) and the impersonation form. The composer's post is read by
`compose`."""

import re

from django import forms

from console import catalog, environments, oauth

_ROLE = re.compile(r"[^\s\x00-\x1f\x7f]+\Z")
REQUIRED = "This field is required."


def _clean_roles(value):
    roles = value.split()
    if bad := next((role for role in roles if not _ROLE.match(role)), None):
        raise forms.ValidationError(f"{bad!r} is not a role name.")
    return " ".join(roles)


class SignInForm(forms.Form):
    """One form for every grant: the page shows the fields of the chosen one, and only
    those are used (oauth.GRANT_FIELDS)."""

    grant = forms.ChoiceField(label="Grant", choices=list(oauth.GRANTS.items()), required=False)
    environment = forms.CharField(label="Environment")
    client_id = forms.CharField(label="Client ID", max_length=200)
    username = forms.CharField(label="Username", max_length=200, required=False)
    password = forms.CharField(label="Password", max_length=1000, strip=False, required=False)
    client_secret = forms.CharField(
        label="Client secret", max_length=1000, strip=False, required=False
    )
    refresh_token = forms.CharField(label="Refresh token", max_length=8000, required=False)
    keep_secret = forms.BooleanField(label="Keep for refresh", required=False)
    roles = forms.CharField(label="Roles", max_length=4000, required=False)
    name = forms.CharField(label="Context name", max_length=100, required=False)

    # Used once; re-rendering never shows them, and they never reach a log or error page.
    SECRET_FIELDS = ("password", "client_secret", "refresh_token")
    grants = oauth.GRANTS
    flashed_errors = None

    @classmethod
    def prefilled(cls, auth, env=None, client_id="", username=""):
        """Unbound, for env (else where the active context signed in, else the default
        environment): its Client ID and Roles, and the active context's client and name;
        a link's `client_id` and `username` (the dashboard's "Use in console") go first."""
        env = env or (auth and auth.environment) or environments.default()
        same = auth is not None and auth.environment_id == env.id
        return cls(
            initial={
                "grant": "password",
                "environment": env.id,
                "client_id": client_id or (auth.client_id if same else env.client_id),
                "username": username
                or (auth.username if auth and auth.grant == "password" else ""),
                "roles": env.roles,
            }
        )

    @classmethod
    def restored(cls, flashed):
        """The form as a sign-in left it (post/redirect/get): what it showed, its errors."""
        form = cls(initial=flashed.get("shown", {}))
        form.flashed_errors = flashed.get("errors", {})
        return form

    def clean_grant(self):
        return self.cleaned_data["grant"] or "password"  # posted without one: a password

    def clean_environment(self):
        env = environments.get(self.cleaned_data["environment"])
        if env is None:
            raise forms.ValidationError("Choose an environment from the list.")
        return env

    def clean_roles(self):
        return _clean_roles(self.cleaned_data["roles"])

    def clean(self):
        data = super().clean()
        grant = data.get("grant")
        if grant is None:
            return data
        for name in oauth.REQUIRED_FIELDS[grant]:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, REQUIRED)
        # What the chosen grant does not use is dropped: a password typed before the
        # grant changed never goes anywhere.
        for name in {"username", "password", "client_secret", "refresh_token", "keep_secret"}:
            if name not in oauth.GRANT_FIELDS[grant]:
                data.pop(name, None)
        if "roles" not in oauth.GRANT_FIELDS[grant]:
            data["roles"] = ""
        return data

    def credentials(self):
        data = self.cleaned_data
        return oauth.Credentials(
            grant=data["grant"],
            client_id=data["client_id"],
            username=data.get("username", ""),
            password=data.get("password", ""),
            client_secret=data.get("client_secret", ""),
            refresh_token=data.get("refresh_token", ""),
            roles=data["roles"],
            name=data["name"],
            keep_secret=bool(data.get("keep_secret")),
        )

    @property
    def selected_environment(self):
        """The environment chosen in the form, else the default one."""
        chosen = environments.get(self["environment"].value())
        return chosen or environments.default()

    @property
    def known_roles(self):
        """Suggested in the Roles field: from the selected environment's document."""
        return catalog.known_roles(self.selected_environment)

    @property
    def selected_grant(self):
        grant = self["grant"].value()
        return grant if grant in oauth.GRANTS else "password"

    @property
    def shown(self):
        """What each field shows when the form is shown (again): never a secret."""
        return {
            name: "" if name in self.SECRET_FIELDS else self[name].value() or ""
            for name in self.fields
        }

    @property
    def first_errors(self):
        """{field: its first error}; none for an unbound form (but a restored one's)."""
        if self.flashed_errors is not None:
            return self.flashed_errors
        return {name: errors[0] for name, errors in self.errors.items()}


class ImpersonateForm(forms.Form):
    buyer = forms.CharField(label="Buyer", max_length=100)
    user = forms.CharField(label="User", max_length=100)
    client_id = forms.CharField(label="Client ID", max_length=200)
    roles = forms.CharField(label="Roles", max_length=4000)
    name = forms.CharField(label="Context name", max_length=100, required=False)

    def clean_roles(self):
        return _clean_roles(self.cleaned_data["roles"])

    @property
    def first_errors(self):
        return {name: errors[0] for name, errors in self.errors.items()}
