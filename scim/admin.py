from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from scim.models import ScimToken


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    """Tokens are shown once, so they are made on the org settings page or with
    create_scim_token; staff see them and may revoke (set revoked at)."""

    list_display = ["name", "org", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "org__name", "org__slug", "prefix"]
    readonly_fields = ["org", "name", "prefix", "created_at", "created_by", "last_used_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
