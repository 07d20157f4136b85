from __future__ import annotations

from django.conf import settings
from django.db import models


class Organization(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    CONTRIBUTOR = "contributor", "Contributor"
    READER = "reader", "Reader"


class Membership(models.Model):
    """A user in an org. `allowed_model_ids`: None = all platform models, [] = none, [ids]."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CONTRIBUTOR)
    allowed_model_ids = models.JSONField(null=True, blank=True, default=None)
    access_version = models.PositiveIntegerField(
        default=0, help_text="Bumped on every access change; detects concurrent edits."
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint("org", "user", name="membership_unique_org_user"),
            models.CheckConstraint(
                condition=~models.Q(role="owner") | models.Q(allowed_model_ids__isnull=True),
                name="membership_owner_unrestricted",
                violation_error_message="Owners can always use every platform model.",
            ),
        ]
        indexes = [models.Index(fields=["org", "role"], name="membership_org_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} in {self.org} ({self.role})"

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER

    @property
    def is_restricted(self) -> bool:
        return self.allowed_model_ids is not None

    @property
    def access_summary(self) -> str:
        return access_summary(self.allowed_model_ids)


def access_summary(allowed: list[str] | None) -> str:
    if allowed is None:
        return "All platform models"
    if not allowed:
        return "No platform models"
    return f"{len(allowed)} platform model{'s' if len(allowed) != 1 else ''}"


class ModelAccessEvent(models.Model):
    """Audit: a change of a member's model access or role."""

    class Via(models.TextChoices):
        WEB = "web", "Web"
        API = "api", "API"
        ADMIN = "admin", "Admin"

    class Kind(models.TextChoices):
        ACCESS = "access", "Model access"
        ROLE = "role", "Role"
        ADDED = "added", "Member added"
        REMOVED = "removed", "Member removed"

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="access_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    member_email = models.EmailField(help_text="Kept when the user is deleted")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ACCESS)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    via = models.CharField(max_length=8, choices=Via.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org", "-created_at"], name="access_event_org_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.member_email} via {self.via}"

    def _describe(self, value) -> str:
        if self.kind == self.Kind.ACCESS:
            return access_summary(value) + (f" ({', '.join(value)})" if value else "")
        return "—" if value is None else str(value)

    @property
    def before_text(self) -> str:
        return self._describe(self.before)

    @property
    def after_text(self) -> str:
        return self._describe(self.after)
