from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from catalog.models import CatalogModel, PlatformModel, SyncRun


class RowLabelledForm(forms.ModelForm):
    """A changelist row whose editable cells say what they edit: the admin renders them in the
    table without a <label>, so a screen reader would announce only "checkbox"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label} of {self.instance}"


class LabelledListEditableAdmin(admin.ModelAdmin):
    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=RowLabelledForm, **kwargs)


@admin.register(CatalogModel)
class CatalogModelAdmin(LabelledListEditableAdmin):
    list_display = [
        "model_id",
        "display_name",
        "provider",
        "context_window",
        "cost_input",
        "cost_output",
        "featured",
        "open_weights",
        "is_active",
    ]
    list_filter = [
        "is_active",
        "featured",
        "open_weights",
        "mode",
        "supports_vision",
        "supports_reasoning",
        "supports_function_calling",
        "provider",
    ]
    search_fields = ["model_id", "display_name"]
    list_editable = ["featured"]
    readonly_fields = ["synced_at"]
    show_full_result_count = False


@admin.register(PlatformModel)
class PlatformModelAdmin(LabelledListEditableAdmin):
    list_display = [
        "model_id",
        "display_name",
        "litellm_model",
        "context_window",
        "cost_input",
        "cost_output",
        "position",
        "is_active",
        "last_seen_at",
    ]
    list_filter = ["is_active", "supports_vision", "supports_reasoning"]
    search_fields = ["model_id", "display_name", "litellm_model"]
    list_editable = ["position", "is_active"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.first_seen_at = obj.first_seen_at or timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "started_at",
        "finished_at",
        "ok",
        "created",
        "updated",
        "retired",
        "unchanged",
    ]
    list_filter = ["kind", "ok"]
    search_fields = ["source", "error"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SyncRun | None = None) -> bool:
        return False
