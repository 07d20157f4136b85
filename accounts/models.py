from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone

from accounts import crypto

MAX_BYOK_MODELS = 200
# A Secret is injected as an environment variable, so its name must be a valid one. The one
# rule for the model, the form (and its HTML `pattern`), the services and the API schema.
MAX_SECRET_NAME = 128
ENV_VAR_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
validate_env_var_name = RegexValidator(
    re.compile(ENV_VAR_NAME_PATTERN),
    "Use an environment variable name: letters, digits and underscores, not starting with a digit.",
    code="invalid_secret_name",
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def by_email(self, email: str | None) -> models.QuerySet[User]:
        """The user with this email in any letter case, compared with lower() as
        user_email_ci_unique is, so its index serves it (email__iexact's UPPER LIKE can't)."""
        return self.alias(email_lower=Lower("email")).filter(email_lower=Lower(Value(email)))

    def get_by_natural_key(self, username: str | None) -> User:
        return self.by_email(username).get()


class User(AbstractBaseUser, PermissionsMixin):
    """A person; the email address is the login (unique, case-insensitive)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # The org last chosen in the switcher (its slug), so the next session starts there; read
    # against their memberships, so a stale one is ignored. A slug, not a key: accounts
    # doesn't know orgs.
    last_org = models.SlugField(max_length=50, blank=True, default="", editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email.split("@")[0]


class ApiKey(models.Model):
    """A personal key for the JSON API; only its SHA-256 is stored."""

    PREFIX = "dnk_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, help_text="First characters, for recognising it")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple[ApiKey, str]:
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        key = cls.objects.create(user=user, name=name, prefix=raw[:12], key_hash=cls.hash(raw))
        return key, raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Secret(models.Model):
    """A named value (env var) encrypted at rest; never shown again after saving."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="secrets")
    name = models.CharField(max_length=MAX_SECRET_NAME, validators=[validate_env_var_name])
    provider = models.CharField(max_length=64, blank=True)
    encrypted_value = models.BinaryField(editable=False)
    masked_value = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("user", "name", name="secret_unique_name_per_user")]

    def __str__(self) -> str:
        return self.name

    def set_value(self, plaintext: str) -> None:
        self.encrypted_value = crypto.encrypt(plaintext)
        self.masked_value = crypto.mask(plaintext)

    def reveal(self) -> str:
        """Plaintext for injection into remote runs; never for display."""
        return crypto.decrypt(self.encrypted_value)


class EnabledModel(models.Model):
    """One row per model in a user's BYOK list, so concurrent edits never lose each other."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enabled_models")
    model_id = models.CharField(max_length=255)
    position = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(auto_now_add=True)
    # The catalog row of the same id, if any: read with the list in one query (no column,
    # no constraint: a list may hold ids the catalog doesn't have, or no longer has).
    catalog = models.ForeignObject(
        "catalog.CatalogModel",
        on_delete=models.DO_NOTHING,
        from_fields=["model_id"],
        to_fields=["model_id"],
        related_name="+",
        null=True,
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint("user", "model_id", name="enabled_model_unique_per_user"),
            models.CheckConstraint(
                condition=~models.Q(model_id__startswith="dn/"), name="enabled_model_not_platform"
            ),
        ]

    def __str__(self) -> str:
        return self.model_id
