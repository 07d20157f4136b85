from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils import timezone

from accounts.models import ApiKey, EnabledModel, Secret, User
from accounts.signals import person
from catalog import caching
from orgs.admin import refuse_ownerless
from orgs.services import left_without_owner, ownerless_orgs


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.is_active and data.get("is_active") is False:
            orgs = ownerless_orgs(leaving=[self.instance.pk])
            if orgs:
                self.add_error("is_active", left_without_owner(orgs))
        return data


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    # Set by logging in and signing up, and shown as text: the admin's split date and time
    # inputs have no labels, and its two-box selector's search icons carry a prohibited
    # aria-label (axe: critical and serious); plain multiple selects are labelled.
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ()

    def get_deleted_objects(self, objs, request):
        """Refuse deleting an org's last owner (page and "delete selected" both ask this)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        orgs = ownerless_orgs(leaving=[user.pk for user in objs])
        return deleted, counts, perms_needed, [*protected, *refuse_ownerless(request, self, orgs)]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # keys are shown once: create them on the API keys page or the CLI

    @admin.action(description="Revoke selected keys")
    def revoke(self, request, queryset):
        keys = queryset.filter(revoked_at__isnull=True)
        holders = set(keys.values_list("user_id", flat=True))
        keys.update(revoked_at=timezone.now())
        caching.bump(*map(person, holders))  # an update sends no signals


@admin.register(Secret)
class SecretAdmin(admin.ModelAdmin):
    """Metadata only: neither the value nor its ciphertext is ever shown."""

    list_display = ["name", "user", "provider", "created_at", "updated_at"]
    list_filter = ["provider"]
    search_fields = ["name", "user__email"]
    fields = readonly_fields = ("user", "name", "provider", "created_at", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EnabledModel)
class EnabledModelAdmin(admin.ModelAdmin):
    list_display = ["model_id", "user", "position", "added_at"]
    search_fields = ["model_id", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
