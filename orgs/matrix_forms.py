"""What the members × models matrix posts: a change (ticked cells, or allow / disallow one
model for selected members or everyone matching a search) and, on Confirm, the versions the
preview saw."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.core.exceptions import ValidationError

from orgs.forms import RELOAD, MemberVersionsField, _posted_list, member_versions
from orgs.matrix import Change
from orgs.selectors import QUERY_MAX_LENGTH

MAX_CELLS = 10_000
MAX_VERSIONS = 20_000


class CellsField(forms.Field):
    """Ticked cells as `<user id> <model id>`: the models ticked in each member's row."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> dict[UUID, frozenset[str]]:
        ticked: dict[UUID, set[str]] = {}
        for item in _posted_list(value, MAX_CELLS):
            user_id, _, model_id = item.partition(" ")
            try:
                ticked.setdefault(UUID(user_id), set()).add(model_id)
            except ValueError:
                raise ValidationError(RELOAD, code="invalid") from None
        return {user_id: frozenset(models) for user_id, models in ticked.items()}


class MatrixChangeForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("cells", "cells"), ("allow", "allow"), ("disallow", "disallow")],
        error_messages={"required": RELOAD, "invalid_choice": RELOAD},
    )
    model = forms.CharField(required=False, max_length=255)
    scope = forms.ChoiceField(
        required=False,
        choices=[("selected", "selected"), ("search", "search")],
        error_messages={"invalid_choice": RELOAD},
    )
    q = forms.CharField(required=False, max_length=QUERY_MAX_LENGTH)
    members = MemberVersionsField(required=False)
    rows = MemberVersionsField(required=False)
    cell = CellsField(required=False)

    def __init__(self, *args: Any, deployed: list[str], **kwargs: Any) -> None:
        self.deployed = deployed
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in ("allow", "disallow") and data.get("model") not in self.deployed:
            self.add_error("model", ValidationError("Choose a deployed model.", code="model"))
        elif kind in ("allow", "disallow") and data.get("scope") != "search":
            if not data.get("members"):
                self.add_error(
                    "members",
                    ValidationError(
                        "Select members first, or choose everyone matching the search.",
                        code="required",
                    ),
                )
        elif kind == "cells" and not data.get("rows"):
            self.add_error("rows", ValidationError("No member on this page can be changed."))
        return data

    @property
    def change(self) -> Change:
        data = self.cleaned_data
        return Change(data["kind"], data.get("model") or "", data.get("cell") or {})

    @property
    def seen(self) -> dict[UUID, int]:
        """The members shown and the access version each was shown with."""
        return self.cleaned_data["rows" if self.cleaned_data["kind"] == "cells" else "members"]


class MatrixApplyForm(MatrixChangeForm):
    """The change again, for the members the preview said would change (`versions`)."""

    versions = forms.CharField(required=True, error_messages={"required": RELOAD})

    def clean_versions(self) -> dict[UUID, int]:
        items = self.cleaned_data["versions"].split()
        if len(items) > MAX_VERSIONS:
            raise ValidationError(RELOAD, code="too_many")
        return member_versions(items)

    def clean(self) -> dict[str, Any]:
        # The members to change are `versions` now, whatever was selected for the preview.
        data = forms.Form.clean(self) or {}
        if data.get("kind") in ("allow", "disallow") and data.get("model") not in self.deployed:
            self.add_error("model", ValidationError("Choose a deployed model.", code="model"))
        return data


MAX_PAGE_FILE = 200 * 1024  # the file travels back in the Confirm form, under the POST limit


class ImportFileForm(forms.Form):
    file = forms.FileField(error_messages={"required": "Choose a JSON or CSV file to import."})

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PAGE_FILE:
            raise ValidationError(
                f"Files over {MAX_PAGE_FILE // 1024} kB can't be imported here: use the API "
                "(POST …/model-access/import) or `manage.py import_model_access`.",
                code="too_big",
            )
        return upload

    @property
    def format(self) -> str:
        upload = self.cleaned_data["file"]
        is_csv = upload.name.lower().endswith(".csv") or upload.content_type == "text/csv"
        return "csv" if is_csv else "json"


class ImportApplyForm(forms.Form):
    format = forms.ChoiceField(choices=[("json", "json"), ("csv", "csv")])
    content = forms.CharField(strip=False, max_length=MAX_PAGE_FILE)
    versions = forms.CharField(required=False)
