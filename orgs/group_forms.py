"""What the groups pages post: a group's name and the emails of members to add. Which names
and members are allowed is orgs/groups.py's to say."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from orgs.groups import MAX_NAME

MAX_EMAILS = 1000
# Room for MAX_EMAILS addresses of ordinary length: a paste of a team, not of an archive.
MAX_EMAILS_TEXT = 100_000


class GroupNameForm(forms.Form):
    name = forms.CharField(
        max_length=MAX_NAME,
        error_messages={
            "required": "Give the group a name.",
            "max_length": f"A group name has at most {MAX_NAME} characters.",
            "null_characters_not_allowed": "A group name can't contain NUL characters.",
        },
    )


class GroupMembersForm(forms.Form):
    """One or more emails of the org's members, separated by commas, spaces or new lines."""

    emails = forms.CharField(
        max_length=MAX_EMAILS_TEXT,
        widget=forms.TextInput(
            attrs={
                "placeholder": "someone@example.com, another@example.com",
                "aria-describedby": "add-emails-help",
            }
        ),
        error_messages={
            "required": "Enter the email of a member to add.",
            "max_length": f"Add at most {MAX_EMAILS} members at a time.",
            "null_characters_not_allowed": "Emails can't contain NUL characters.",
        },
    )

    def clean_emails(self) -> list[str]:
        text: str = self.cleaned_data["emails"]
        emails = list(dict.fromkeys(e.lower() for e in re.split(r"[\s,;]+", text) if e))
        if len(emails) > MAX_EMAILS:
            raise ValidationError(f"Add at most {MAX_EMAILS} members at a time.", code="too_many")
        return emails
