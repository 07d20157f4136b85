from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from orgs import services
from orgs.models import Membership, ModelAccessEvent, Organization, Role


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["org", "user", "role", "allowed_model_ids", "invited_by"]
        help_texts = {
            "allowed_model_ids": "Empty or null = all platform models; [] = none; "
            '["dn/..."] = exactly those.'
        }

    def clean(self):
        data = super().clean()
        allowed = data.get("allowed_model_ids")
        if data.get("role") == Role.OWNER and allowed is not None:
            self.add_error("allowed_model_ids", "Owners always have every platform model.")
            return data
        if (
            self.instance.pk
            and self.instance.role == Role.OWNER
            and data.get("role") != Role.OWNER
            and not Membership.objects.filter(org=self.instance.org_id, role=Role.OWNER)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("role", "This is the org's last owner. Make someone else owner first.")
        keep = self.instance.allowed_model_ids if self.instance.pk else None
        try:
            data["allowed_model_ids"] = services.clean_allowlist(allowed, keep=keep)
        except ValidationError as exc:
            self.add_error("allowed_model_ids", exc)
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "org"
    form = MembershipForm
    raw_id_fields = ["user", "invited_by"]
    extra = 0
    show_change_link = True
    can_delete = False


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
        return obj.access_summary

    def save_model(self, request, obj, form, change):
        """Route changes through the services so they are audited (via=admin)."""
        if not change:
            obj.invited_by = obj.invited_by or request.user
            super().save_model(request, obj, form, change)
            services.record_event(
                membership=obj,
                actor=request.user,
                kind="added",
                before=None,
                after=obj.role,
                via="admin",
            )
            return
        current = Membership.objects.get(pk=obj.pk)
        if "role" in form.changed_data:
            services.set_role(membership=current, role=obj.role, actor=request.user, via="admin")
        if "allowed_model_ids" in form.changed_data or (
            current.allowed_model_ids != obj.allowed_model_ids
        ):
            services.set_model_access(
                membership=current,
                allowed_model_ids=obj.allowed_model_ids,
                actor=request.user,
                via="admin",
            )

    def delete_model(self, request, obj):
        try:
            services.remove_member(membership=obj, actor=request.user, via="admin")
        except ValidationError as exc:
            self.message_user(request, exc.messages[0], level=messages.ERROR)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("org", "user"):
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
