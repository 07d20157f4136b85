from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import ngettext


class Organization(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    default_allowed_model_ids = models.JSONField(
        null=True,
        blank=True,
        default=None,
        help_text="Model access given to people who join: null = all platform models, [] = none.",
    )

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
    is_active = models.BooleanField(
        default=True,
        help_text="False once the identity provider deactivates them (SCIM active: false): "
        "no access, history kept.",
    )
    provisioned = models.BooleanField(
        default=False, help_text="Created or claimed by the identity provider (SCIM)."
    )
    external_id = models.CharField(max_length=200, blank=True, help_text="SCIM externalId")
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
    def is_restricted_by_own(self) -> bool:
        """Their own allowlist restricts them (owners never are): groups may add to it."""
        return not self.is_owner and self.allowed_model_ids is not None

    @property
    def effective_model_ids(self) -> list[str] | None:
        """What they may run: their own allowlist combined with every group's they are in
        (None anywhere = every platform model); owners always every model. Reads
        `groups.all()`, which the access paths prefetch."""
        if not self.is_restricted_by_own:
            return None
        effective = list(self.allowed_model_ids or [])
        for group in self.groups.all():
            if group.allowed_model_ids is None:
                return None
            effective += [m for m in group.allowed_model_ids if m not in effective]
        return effective

    @property
    def is_restricted(self) -> bool:
        return self.effective_model_ids is not None

    def access(self, deployed_ids: Collection[str]) -> Access:
        return Access.of(self.effective_model_ids, deployed_ids)

    def sources_of(self, model_id: str) -> list[str]:
        """Where their access to `model_id` comes from: "own" and/or group names (an
        unrestricted member's is their own, whatever their groups give)."""
        if not self.is_restricted_by_own:
            return ["own"]
        own = model_id in (self.allowed_model_ids or [])
        return (["own"] if own else []) + [
            group.name
            for group in self.groups.all()
            if group.allowed_model_ids is None or model_id in group.allowed_model_ids
        ]

    @property
    def role_phrase(self) -> str:
        """The role as a sentence says it: "an owner", "a reader"."""
        label = self.get_role_display().lower()
        return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"

    @property
    def owner_warning(self) -> str:
        """What making this member an owner does to their allowlist, said before it happens."""
        count = len(self.allowed_model_ids or [])
        cleared = (
            ngettext(
                "their current list of %(count)d model will be cleared",
                "their current list of %(count)d models will be cleared",
                count,
            )
            % {"count": count}
            if count
            else "their current list, which gives them no platform models, will be cleared"
        )
        return (
            f"Owners always have every platform model: {cleared}. If they stop being an owner "
            "later, they keep every platform model."
        )


class Group(models.Model):
    """People in an org who get the same platform models. `allowed_model_ids` means what a
    member's does (None = all, [] = none, [ids]); a member gets the union of their own and
    their groups'. A group with `external_id` is kept in sync by the identity provider (SCIM)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=100)
    allowed_model_ids = models.JSONField(null=True, blank=True, default=list)
    members = models.ManyToManyField(Membership, related_name="groups", blank=True)
    access_version = models.PositiveIntegerField(
        default=0, help_text="Bumped on every change of its models; detects concurrent edits."
    )
    provisioned = models.BooleanField(
        default=False,
        help_text="Created by the identity provider (SCIM), which keeps its "
        "name and members in sync.",
    )
    external_id = models.CharField(max_length=200, blank=True, help_text="SCIM externalId")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "org",
                name="group_unique_org_name",
                violation_error_message=("This organization already has a group with that name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} in {self.org}"


def platform_models_text(count: int) -> str:
    if not count:
        return "No platform models"
    return ngettext("%(count)d platform model", "%(count)d platform models", count) % {
        "count": count
    }


def access_summary(allowed: list[str] | None) -> str:
    """An allowlist as stored: every id counts, deployed or not."""
    return "All platform models" if allowed is None else platform_models_text(len(allowed))


@dataclass(frozen=True)
class Access:
    """What an allowlist gives a member now. Ids of models no longer deployed stay in the
    list (they come back if redeployed) but give nothing today, so they are counted apart."""

    allowed: list[str] | None
    usable: int
    retired: int

    @classmethod
    def of(cls, allowed: list[str] | None, deployed_ids: Collection[str]) -> Access:
        if allowed is None:
            return cls(None, 0, 0)
        usable = sum(1 for model_id in allowed if model_id in deployed_ids)
        return cls(allowed, usable, len(allowed) - usable)

    @property
    def level(self) -> str:
        """all, some or none: how the badge is coloured."""
        if self.allowed is None:
            return "all"
        return "some" if self.usable else "none"

    @property
    def retired_text(self) -> str:
        return f"{self.retired} no longer deployed" if self.retired else ""

    def __str__(self) -> str:
        return "All platform models" if self.allowed is None else platform_models_text(self.usable)

    @property
    def sentence(self) -> str:
        """For messages: "2 platform models (and 1 no longer deployed)"."""
        return f"{self} (and {self.retired_text})" if self.retired else str(self)


class ModelAccessEvent(models.Model):
    """Audit: a change of a member's model access or role."""

    class Via(models.TextChoices):
        WEB = "web", "Web"
        API = "api", "API"
        ADMIN = "admin", "Admin"
        IMPORT = "import", "Import"
        SCIM = "scim", "Identity provider (SCIM)"

    class Kind(models.TextChoices):
        ACCESS = "access", "Model access"
        ROLE = "role", "Role"
        ADDED = "added", "Member added"
        REMOVED = "removed", "Member removed"
        INVITED = "invited", "Invited"
        JOINED = "joined", "Joined"
        UNINVITED = "uninvited", "Invitation revoked"
        DECLINED = "declined", "Invitation declined"
        DEFAULT_ACCESS = "default_access", "Default access"
        DEACTIVATED = "deactivated", "Deactivated"
        REACTIVATED = "reactivated", "Reactivated"
        GROUP_CREATED = "group_created", "Group created"
        GROUP_RENAMED = "group_renamed", "Group renamed"
        GROUP_DELETED = "group_deleted", "Group deleted"
        GROUP_ACCESS = "group_access", "Group model access"
        GROUP_JOINED = "group_joined", "Added to group"
        GROUP_LEFT = "group_left", "Removed from group"

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="access_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    member_email = models.EmailField(
        blank=True, help_text="Kept when the user is deleted; empty for a group's own changes"
    )
    group = models.CharField(max_length=100, blank=True, help_text="The group's name then")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ACCESS)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    via = models.CharField(max_length=8, choices=Via.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org", "-created_at"], name="access_event_org_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.member_email or self.group} via {self.via}"

    def _describe(self, value) -> str:
        if self.kind in (self.Kind.ACCESS, self.Kind.DEFAULT_ACCESS, self.Kind.GROUP_ACCESS):
            return access_summary(value) + (f" ({', '.join(value)})" if value else "")
        return "—" if value is None else str(value)

    @property
    def before_text(self) -> str:
        return self._describe(self.before)

    @property
    def after_text(self) -> str:
        return self._describe(self.after)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An owner's invitation to join an org, sent to an email whether or not an account
    uses it; only accepting it creates the membership."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        REVOKED = "revoked", "Revoked"

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(help_text="Stored lower-case; matched to accounts ignoring case")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CONTRIBUTOR)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "org",
                "email",
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_email",
            )
        ]
        indexes = [models.Index(fields=["email", "status"], name="invitation_email_idx")]

    def __str__(self) -> str:
        return f"{self.email} to {self.org} ({self.status})"

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def role_phrase(self) -> str:
        label = self.get_role_display().lower()
        return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


class AccessRequest(models.Model):
    """A restricted member's request for one platform model; an owner approves or denies it."""

    # The model's display name, set by the pages that list requests (orgs/views/requests.py).
    model_name: str = ""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DENIED = "denied", "Denied"
        # Approved when the member no longer needed it (became unrestricted or owner).
        CLOSED = "closed", "Closed"

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="access_requests")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests"
    )
    model_id = models.CharField(max_length=200)
    reason = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "org",
                "member",
                "model_id",
                condition=models.Q(status="pending"),
                name="access_request_one_pending",
            )
        ]
        indexes = [models.Index(fields=["org", "status"], name="access_request_org_status_idx")]

    def __str__(self) -> str:
        return f"{self.member} asks {self.org} for {self.model_id} ({self.status})"
