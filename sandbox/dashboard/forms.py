"""The "New" application form: what OrderCloud's dashboard asks for a seller application."""

from django import forms

from sandbox.dashboard.organizations import NewApplication


class NewApplicationForm(forms.Form):
    app_name = forms.CharField(label="Name", max_length=100)
    roles = forms.CharField(
        label="Roles it may grant",
        required=False,
        max_length=4000,
        help_text="Space-separated; empty: every role the signed-in user has.",
    )
    access_token_duration = forms.IntegerField(
        label="Access token duration (minutes)", min_value=10, max_value=600, initial=600
    )
    refresh = forms.BooleanField(label="Refresh tokens", required=False)
    refresh_token_duration = forms.IntegerField(
        label="Refresh token duration (minutes)", min_value=1, max_value=43200, initial=1440
    )
    client_secret = forms.BooleanField(label="Client secret", required=False)
    default_context_username = forms.CharField(
        label="Default context user", max_length=100, required=False
    )
    is_anon_buyer = forms.BooleanField(label="Anonymous buyer", required=False)
    allow_seller = forms.BooleanField(label="Admin users may sign in", required=False, initial=True)
    allow_any_buyer = forms.BooleanField(label="Any buyer user may sign in", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    def new_application(self) -> NewApplication:
        data = self.cleaned_data
        return NewApplication(
            app_name=data["app_name"],
            roles=tuple(dict.fromkeys(data["roles"].split())),
            access_token_duration=data["access_token_duration"],
            refresh_token_duration=data["refresh_token_duration"] if data["refresh"] else 0,
            client_secret=data["client_secret"],
            default_context_username=data["default_context_username"].strip(),
            is_anon_buyer=data["is_anon_buyer"],
            allow_seller=data["allow_seller"],
            allow_any_buyer=data["allow_any_buyer"],
        )
