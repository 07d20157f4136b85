from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from orgs import groups, services
from orgs.models import (
    Group,
    Membership,
    ModelAccessEvent,
    Organization,
    Role,
    access_summary,
)

VIA = ModelAccessEvent.Via.ADMIN


class MembershipForm(forms.ModelForm):
    """Staff edits obey the app's rules: the allowlist is validated like the editor's, an
    owner is never restricted (promoting clears the allowlist), the last owner stays, and a
    membership can't move to another org or user (those fields are read-only on change)."""

    class Meta:
        model = Membership
        fields = ["org", "user", "role", "allowed_model_ids", "invited_by"]
        help_texts = {
            "allowed_model_ids": "Empty or null = all platform models; [] = none; "
            '["dn/..."] = exactly those. Promoting to owner clears it.'
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("org", "user"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role is None or "allowed_model_ids" not in data:
            return data
        current = self.instance if self.instance.pk else None
        was_owner = current is not None and current.role == Role.OWNER
        if current is not None and was_owner and role != Role.OWNER:
            try:
                services.check_keeps_an_owner(current)
            except ValidationError as exc:
                self.add_error("role", exc)
        if role == Role.OWNER and not was_owner and "allowed_model_ids" not in self.changed_data:
            data["allowed_model_ids"] = None  # as in the app: a new owner is unrestricted
        try:
            allowed = services.clean_allowlist(
                data["allowed_model_ids"], keep=current.allowed_model_ids if current else None
            )
            services.check_owner_unrestricted(role, allowed)
            data["allowed_model_ids"] = allowed
        except ValidationError as exc:
            self.add_error("allowed_model_ids", exc)
        return data


def refuse_ownerless(
    request: HttpRequest, model_admin: admin.ModelAdmin, orgs: list[Organization]
) -> list[str]:
    """For `get_deleted_objects`: a deletion that would leave orgs without an owner lists
    them as protected, which makes the admin's confirmation page refuse it."""
    if not orgs:
        return []
    model_admin.message_user(request, services.left_without_owner(orgs).message, messages.ERROR)
    return [f"{org.name}: its last owner" for org in orgs]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "org", "role", "access", "joined_at"]
    list_filter = ["role", "org"]
    search_fields = ["user__email", "org__slug", "org__name"]
    list_select_related = ["user", "org"]
    raw_id_fields = ["user", "invited_by"]

    @admin.display(description="Model access")
    def access(self, obj: Membership) -> str:
        return access_summary(obj.allowed_model_ids)

    def save_model(self, request, obj, form, change):
        """Through the services, so staff changes are locked, checked and audited (via=admin)
        like the app's."""
        if not change:
            obj.invited_by = obj.invited_by or request.user
            obj.save()
            services.record_event(obj, request.user, services.Kind.ADDED, None, obj.role, VIA)
            return
        current = Membership.objects.select_related("user", "org").get(pk=obj.pk)
        if obj.role != current.role:
            current = services.set_role(
                membership=current, role=obj.role, actor=request.user, via=VIA
            )
        if obj.allowed_model_ids != current.allowed_model_ids:
            services.set_model_access(
                membership=current,
                allowed_model_ids=obj.allowed_model_ids,
                actor=request.user,
                via=VIA,
            )
        if obj.invited_by_id != current.invited_by_id:
            Membership.objects.filter(pk=obj.pk).update(invited_by=obj.invited_by_id)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        leaving = defaultdict(list)
        for membership in objs:
            leaving[membership.org].append(membership.user_id)
        orgs = [
            ownerless
            for org, users in leaving.items()
            for ownerless in services.ownerless_orgs(leaving=users, org=org)
        ]
        return deleted, counts, perms_needed, [*protected, *refuse_ownerless(request, self, orgs)]

    def delete_model(self, request, obj):
        try:
            services.remove_member(membership=obj, actor=request.user, via=VIA)
        except ValidationError as exc:
            self.message_user(request, exc.messages[0], level=messages.ERROR)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("org", "user"):
            self.delete_model(request, obj)


class GroupForm(forms.ModelForm):
    """Names and allowlists checked like the Groups page's; the org is fixed once created."""

    class Meta:
        model = Group
        fields = ["org", "name", "allowed_model_ids"]
        help_texts = {
            "allowed_model_ids": 'null = all platform models; [] = none; ["dn/..."] = exactly '
            "those. Members get their own access combined with their groups'."
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "org" in self.fields:
            self.fields["org"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        current = self.instance if self.instance.pk else None
        if data.get("org") is not None and "name" in data:
            try:
                data["name"] = groups.clean_name(data["org"], data["name"], group=current)
            except ValidationError as exc:
                self.add_error("name", exc)
        if "allowed_model_ids" in data:
            try:
                data["allowed_model_ids"] = services.clean_allowlist(
                    data["allowed_model_ids"], keep=current.allowed_model_ids if current else None
                )
            except ValidationError as exc:
                self.add_error("allowed_model_ids", exc)
        return data


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    """Staff see and fix groups; members are managed on the org's Groups page (or by SCIM),
    where each change is audited."""

    form = GroupForm
    list_display = ["name", "org", "access", "member_count", "provisioned", "created_at"]
    list_filter = ["provisioned", "org"]
    search_fields = ["name", "org__slug", "org__name"]
    list_select_related = ["org"]
    readonly_fields = ["member_count", "provisioned", "external_id", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Group]:
        return super().get_queryset(request).annotate(members_count=Count("members"))

    @admin.display(description="Model access")
    def access(self, obj: Group) -> str:
        return access_summary(obj.allowed_model_ids)

    @admin.display(description="Members", ordering="members_count")
    def member_count(self, obj: Group) -> int:
        count = getattr(obj, "members_count", None)
        return obj.members.count() if count is None else count

    def save_model(self, request, obj, form, change):
        """Through orgs/groups.py, so staff changes are audited (via=admin) like the app's."""
        if not change:
            created = groups.create_group(
                org=obj.org,
                name=obj.name,
                allowed_model_ids=obj.allowed_model_ids,
                actor=request.user,
                via=VIA,
            )
            obj.pk, obj.created_at = created.pk, created.created_at
            return
        current = Group.objects.select_related("org").get(pk=obj.pk)
        groups.rename_group(group=current, name=obj.name, actor=request.user, via=VIA)
        groups.set_group_models(
            group=current, allowed_model_ids=obj.allowed_model_ids, actor=request.user, via=VIA
        )

    def delete_model(self, request, obj):
        groups.delete_group(group=obj, actor=request.user, via=VIA)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("org"):
            self.delete_model(request, obj)


@admin.register(ModelAccessEvent)
class ModelAccessEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "org", "actor", "member_email", "kind", "before", "after", "via"]
    list_filter = ["kind", "via", "org"]
    search_fields = ["member_email", "actor__email", "org__slug"]
    list_select_related = ["org", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
