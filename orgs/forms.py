"""Forms for the members pages: they parse and normalise what owners post; the domain rules
(allowlists, owners, the last owner) are the services' and are called from here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from accounts.models import User
from orgs import services
from orgs.models import Membership, Role
from orgs.selectors import QUERY_MAX_LENGTH

RELOAD = "This page is out of date. Reload it and try again."
MAX_BULK = 1000


def first_error(form: forms.Form) -> str:
    """The message shown for a refused form (its fields are few, one message is enough)."""
    return next(str(message) for errors in form.errors.values() for message in errors)


class RoleField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", Role.choices)
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Choose a role.",
                "invalid_choice": f"Role must be one of {', '.join(Role.values)}.",
            },
        )
        super().__init__(**kwargs)


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=QUERY_MAX_LENGTH,
        widget=forms.SearchInput(attrs={"placeholder": "Search by name or email"}),
    )

    @property
    def query(self) -> str:
        """The text to search for; a search we can't run (too long, NUL) lists everyone, next
        to the field's error."""
        return self.cleaned_data["q"] if self.is_valid() else ""


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        max_length=User._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"placeholder": "someone@example.com"}),
        error_messages={"required": "Enter the email of the person to invite."},
    )
    role = RoleField(initial=Role.CONTRIBUTOR)


class ResendForm(forms.Form):
    """The role a pending invitation is sent again with: changing it is this explicit step."""

    role = RoleField()


class RoleForm(forms.Form):
    """A new role. Making a restricted member an owner clears their allowlist for good, so
    it needs `clear_list` ticked: the form shows what will be lost next to that box."""

    role = RoleField()
    clear_list = forms.BooleanField(required=False)

    def __init__(self, *args: Any, member: Membership, **kwargs: Any) -> None:
        self.member = member
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("role") == Role.OWNER
            and not self.member.is_owner
            and self.member.is_restricted
            and not data.get("clear_list")
        ):
            self.add_error(
                "clear_list",
                ValidationError(
                    f"{self.member.owner_warning} Tick “Clear their list” to confirm.",
                    code="confirm_clear",
                ),
            )
        return data


def _posted_list(value: Any, max_items: int) -> list[str]:
    """The values of repeated inputs (checkboxes), held to the checks Django's CharField
    makes: at most `max_items` of them, no NUL characters."""
    if not value:
        return []
    if not isinstance(value, list | tuple):
        raise ValidationError(RELOAD, code="invalid")
    if len(value) > max_items:
        raise ValidationError(f"Choose at most {max_items}.", code="too_many")
    items = [str(item) for item in value]
    for item in items:
        ProhibitNullCharactersValidator()(item)
    return items


def member_versions(items: Iterable[str]) -> dict[UUID, int]:
    """`<user id>:<access version shown>` items as a map; anything else means the page
    that posted them was not ours or is out of date."""
    versions = {}
    for item in items:
        user_id, _, version = item.partition(":")
        try:
            versions[UUID(user_id)] = int(version)
        except ValueError:
            raise ValidationError(RELOAD, code="invalid") from None
    return versions


class ModelIdsField(forms.Field):
    """Ticked platform model ids; which ids are allowed is `clean_allowlist`'s to say."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        return _posted_list(value, services.MAX_ALLOWLIST * 2)


class MemberVersionsField(forms.Field):
    """Ticked members as `<user id>:<access version shown>`: the version lets a bulk change
    leave alone anyone whose access changed after the page was rendered."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> dict[UUID, int]:
        return member_versions(_posted_list(value, MAX_BULK))


class AllowlistForm(forms.Form):
    """ "Allow all platform models", or exactly the ticked ones (possibly none)."""

    allow_all = forms.BooleanField(required=False)
    models = ModelIdsField(required=False)

    def __init__(self, *args: Any, keep: list[str] | None = None, **kwargs: Any) -> None:
        self.keep = keep  # the current allowlist: its ids stay valid once undeployed
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "models" in data:
            allowed = None if data.get("allow_all") else data["models"]
            try:
                data["allowed_model_ids"] = services.clean_allowlist(allowed, keep=self.keep)
            except ValidationError as exc:
                self.add_error("models", exc)
        return data

    @property
    def ticked(self) -> list[str] | None:
        """What the owner posted, valid or not, so a refused form shows their choice again."""
        if self.data.get("allow_all"):
            return None
        return self.data.getlist("models") if hasattr(self.data, "getlist") else []


class VersionedAllowlistForm(AllowlistForm):
    """An allowlist saved only if it is still the version the owner opened."""

    version = forms.IntegerField(
        min_value=0, error_messages={"required": RELOAD, "invalid": RELOAD, "min_value": RELOAD}
    )


class ModelAccessForm(VersionedAllowlistForm):
    """One member's allowlist."""

    def __init__(self, *args: Any, member: Membership, **kwargs: Any) -> None:
        super().__init__(*args, keep=member.allowed_model_ids, **kwargs)


class BulkAccessForm(AllowlistForm):
    members = MemberVersionsField(
        error_messages={"required": "Select the members to change first."}
    )
