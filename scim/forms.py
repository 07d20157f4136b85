from __future__ import annotations

from django import forms


class ScimTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        required=False,
        error_messages={"max_length": "Name the token in at most 100 characters."},
    )

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip() or "Identity provider"
