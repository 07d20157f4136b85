"""Per-org bearer tokens of an identity provider, and the SCIM attributes it keeps on a
member that the app itself has no field for."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from accounts.models import ApiKey
from orgs.models import Membership, Organization


class ScimToken(models.Model):
    """An identity provider's bearer token for one org; only its SHA-256 is stored."""

    PREFIX = "dns_"

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="scim_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, help_text="First characters, for recognising it")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "SCIM token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.org}"

    hash = staticmethod(ApiKey.hash)

    @classmethod
    def issue(cls, *, org: Organization, name: str, created_by=None) -> tuple[ScimToken, str]:
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            org=org, name=name, prefix=raw[:12], key_hash=cls.hash(raw), created_by=created_by
        )
        return token, raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ScimProfile(models.Model):
    """What the identity provider says of a provisioned member beyond the email and the
    state the app keeps (name parts, display name, emails), returned as it was sent."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, primary_key=True, related_name="scim_profile"
    )
    attributes = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"SCIM profile of {self.membership}"
