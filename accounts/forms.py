from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from accounts.models import ENV_VAR_NAME_PATTERN, MAX_SECRET_NAME, User
from accounts.services import MAX_SECRET_VALUE, clean_secret_name, clean_secret_value


class ModelIdForm(forms.Form):
    # No max_length here: the service's validator explains an over-long id.
    model_id = forms.CharField(
        strip=True,
        error_messages={"required": "Enter a model id, like anthropic/claude-opus-4-5."},
    )
    force = forms.BooleanField(required=False)


class SecretValueForm(forms.Form):
    # Room for pasted whitespace around a full-length value: the service trims, then checks.
    value = forms.CharField(
        max_length=MAX_SECRET_VALUE * 2,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        error_messages={"required": "Enter the value to store."},
    )

    def clean_value(self) -> str:
        return clean_secret_value(self.cleaned_data["value"])


# Said beside the field and in the browser's own message for the pattern ("Please match the
# requested format: …"), so a refused name is explained before the server sees it.
SECRET_NAME_RULE = (
    "An environment variable name: letters, digits and underscores, not starting with a "
    "digit (e.g. ANTHROPIC_API_KEY). Saved in upper case."
)


class SecretForm(SecretValueForm):
    name = forms.CharField(
        max_length=MAX_SECRET_NAME,
        help_text=SECRET_NAME_RULE,
        widget=forms.TextInput(
            attrs={
                "placeholder": "ANTHROPIC_API_KEY",
                "autocomplete": "off",
                "pattern": ENV_VAR_NAME_PATTERN,
                "title": SECRET_NAME_RULE,
                "data-pattern-message": SECRET_NAME_RULE,
            }
        ),
        error_messages={"required": "Enter a name."},
    )

    field_order = ["name", "value"]

    def clean_name(self) -> str:
        return clean_secret_name(self.cleaned_data["name"])


class ApiKeyForm(forms.Form):
    """A new key's name, unique among the person's active keys (the list tells them apart)."""

    name = forms.CharField(
        max_length=100, strip=True, error_messages={"required": "Name the key, e.g. “laptop”."}
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if self.user.api_keys.filter(revoked_at__isnull=True, name__iexact=name).exists():
            raise forms.ValidationError(
                f"You already have a key named “{name}”. Choose another name, or revoke that "
                "key first.",
                code="duplicate",
            )
        return name


class LoginForm(AuthenticationForm):
    # Django's own says both fields "may be case-sensitive"; the email is not.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "Enter a correct email and password. The password is case-sensitive; the email is not."
        ),
    }
