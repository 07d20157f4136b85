from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from catalog.models import CatalogModel, PlatformModel, PlatformModelEvent, SyncRun
from catalog.platform_events import change_of, record


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
    # Kept by the proxy sync and by saving here; as text, not the admin's split date and time
    # inputs, which have no labels (axe: critical).
    readonly_fields = ["first_seen_at", "last_seen_at", "retired_at"]

    # Every deployment change made here is recorded with who made it (the audit log's
    # platform section), in the admin's own transaction.

    def save_model(self, request, obj, form, change):
        now = timezone.now()
        was_active = (
            PlatformModel.objects.filter(pk=obj.pk).values_list("is_active", flat=True).first()
            if change
            else None
        )
        if not change:
            obj.first_seen_at = obj.first_seen_at or now
        kind = change_of(was_active, obj.is_active)
        if kind == PlatformModelEvent.Kind.REMOVED:
            obj.retired_at = now
        elif kind == PlatformModelEvent.Kind.REACTIVATED:
            obj.retired_at = None
        super().save_model(request, obj, form, change)
        record([(obj, kind)], via=PlatformModelEvent.Via.ADMIN, actor=request.user, at=now)

    def delete_model(self, request, obj):
        self._record_removed(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._record_removed(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _record_removed(self, request, models):
        removed = [(m, PlatformModelEvent.Kind.REMOVED) for m in models if m.is_active]
        record(removed, via=PlatformModelEvent.Via.ADMIN, actor=request.user)


class RecordAdmin(admin.ModelAdmin):
    """Records the app writes: staff read them, never add or edit them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(PlatformModelEvent)
class PlatformModelEventAdmin(RecordAdmin):
    list_display = ["at", "model_id", "kind", "via", "actor"]
    list_filter = ["kind", "via"]
    search_fields = ["model_id"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(SyncRun)
class SyncRunAdmin(RecordAdmin):
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
