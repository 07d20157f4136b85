from __future__ import annotations

from django import forms

from accounts.services import MAX_SECRET_VALUE, clean_secret_name, clean_secret_value


class ModelIdForm(forms.Form):
    # No max_length here: the service's validator explains an over-long id.
    model_id = forms.CharField(
        strip=True,
        error_messages={"required": "Enter a model id, like anthropic/claude-opus-4-5."},
    )
    force = forms.BooleanField(required=False)


class SecretValueForm(forms.Form):
    value = forms.CharField(
        max_length=MAX_SECRET_VALUE * 2,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        error_messages={"required": "Enter the value to store."},
    )

    def clean_value(self) -> str:
        return clean_secret_value(self.cleaned_data["value"])


class SecretForm(SecretValueForm):
    name = forms.CharField(max_length=512, error_messages={"required": "Enter a name."})

    field_order = ["name", "value"]

    def clean_name(self) -> str:
        return clean_secret_name(self.cleaned_data["name"])


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100, strip=True, error_messages={"required": "Name the key, e.g. “laptop”."}
    )
