"""Models the app knows about: the BYOK catalog, the platform (dn/) models, and sync records."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Length, Lower
from django.utils import timezone

from catalog.providers import get_provider

# How long a newly deployed platform model is marked "New" in the access editors.
NEW_FOR = timedelta(days=14)
# How long before its deprecation date a model is announced as "Retiring on <date>".
RETIRING_WITHIN = timedelta(days=90)


class Lifecycle:
    """Where a model stands against its provider's deprecation date."""

    CURRENT = ""
    RETIRING = "retiring"
    RETIRED = "retired"


def lifecycle(deprecation_date: date | None, today: date | None = None) -> str:
    """Retired from its deprecation date on (the provider stops serving it that day),
    retiring in the RETIRING_WITHIN days before it, current otherwise."""
    if deprecation_date is None:
        return Lifecycle.CURRENT
    today = today or timezone.localdate()
    if deprecation_date <= today:
        return Lifecycle.RETIRED
    if deprecation_date - today <= RETIRING_WITHIN:
        return Lifecycle.RETIRING
    return Lifecycle.CURRENT


# Capability name -> label. Each name has a `supports_<name>` field on ModelSpecs (and in
# LiteLLM's model data); the order is the display order.
CAPABILITIES = {
    "vision": "Vision",
    "function_calling": "Tools",
    "reasoning": "Reasoning",
    "web_search": "Web search",
    "prompt_caching": "Caching",
    "pdf_input": "PDF",
    "audio_input": "Audio in",
    "audio_output": "Audio out",
    "response_schema": "JSON schema",
    "computer_use": "Computer use",
}


class ModelSpecs(models.Model):
    """What every model row carries: name, limits, prices and capabilities."""

    display_name = models.CharField(max_length=255)
    context_window = models.PositiveIntegerField(null=True, blank=True)
    max_output = models.PositiveIntegerField(null=True, blank=True)
    cost_input = models.FloatField(null=True, blank=True, help_text="USD per 1M input tokens")
    cost_output = models.FloatField(null=True, blank=True, help_text="USD per 1M output tokens")
    supports_vision = models.BooleanField(default=False)
    supports_function_calling = models.BooleanField(default=False)
    supports_reasoning = models.BooleanField(default=False)
    supports_web_search = models.BooleanField(default=False)
    supports_prompt_caching = models.BooleanField(default=False)
    supports_pdf_input = models.BooleanField(default=False)
    supports_audio_input = models.BooleanField(default=False)
    supports_audio_output = models.BooleanField(default=False)
    supports_response_schema = models.BooleanField(default=False)
    supports_computer_use = models.BooleanField(default=False)
    modalities_input = models.JSONField(default=list, blank=True)
    modalities_output = models.JSONField(default=list, blank=True)

    model_id: str  # each concrete model's own field

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.model_id

    @property
    def capabilities(self) -> list[str]:
        return [cap for cap in CAPABILITIES if getattr(self, f"supports_{cap}")]


class CatalogModel(ModelSpecs):
    """A published model that can be added to a BYOK list (from LiteLLM's cost map or
    OpenRouter's price list: `source`)."""

    class Source(models.TextChoices):
        LITELLM = "litellm", "LiteLLM cost map"
        OPENROUTER = "openrouter", "OpenRouter (genai-prices)"

    model_id = models.CharField(max_length=255, unique=True, help_text="Canonical provider/model")
    provider = models.CharField(max_length=64, db_index=True)
    mode = models.CharField(max_length=32, default="chat")
    knowledge_cutoff = models.DateField(null=True, blank=True)
    deprecation_date = models.DateField(null=True, blank=True)
    open_weights = models.BooleanField(default=False)
    featured = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True, help_text="False once a sync no longer sees it")
    # Search support: see catalog/search.py.
    search_text = models.TextField(default="", editable=False)
    name_norm = models.CharField(max_length=255, default="", editable=False)
    tail_norm = models.CharField(max_length=255, default="", editable=False)
    # The same for every host's id of one model (catalog.names.model_key): search groups by it.
    model_key = models.CharField(max_length=255, default="", editable=False, db_index=True)
    version_key = models.FloatField(default=0, editable=False)
    provider_tier = models.PositiveSmallIntegerField(default=1, editable=False)
    synced_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.LITELLM)
    # Not columns: set by catalog.grouping on the rows a grouped search shows.
    other_hosts: list[CatalogModel]
    successor: CatalogModel | None

    class Meta:
        ordering = ["model_id"]
        indexes = [
            models.Index(
                fields=["provider_tier"],
                name="catalog_featured_idx",
                condition=models.Q(featured=True, is_active=True),
            ),
            # The search's tie-break order (catalog/search.py STATIC_ORDER).
            models.Index(
                "provider_tier",
                models.F("version_key").desc(),
                Length("model_id"),
                "model_id",
                name="catalog_rank_idx",
                condition=models.Q(is_active=True),
            ),
            # Ids are looked up in any letter case (catalog/validation.py catalog_ids):
            # model_id__iexact compiles to UPPER(...) LIKE UPPER(...), which no index serves.
            models.Index(Lower("model_id"), name="catalog_model_id_lower_idx"),
        ]

    @property
    def provider_label(self) -> str:
        return get_provider(self.provider).label

    def lifecycle(self, today: date | None = None) -> str:
        return lifecycle(self.deprecation_date, today)


# The columns a picker entry shows: what `select_related(...).only(...)` reads of a catalog
# row, never the search columns.
ENTRY_FIELDS = (
    *(f.name for f in ModelSpecs._meta.local_fields),
    "knowledge_cutoff",
    "deprecation_date",
)


class PlatformModel(ModelSpecs):
    """A dn/ model deployed on the platform's LiteLLM proxy (or managed by staff in admin)."""

    model_id = models.CharField(max_length=255, unique=True, help_text="dn/<name>")
    litellm_model = models.CharField(max_length=255, blank=True, help_text="Underlying model")
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True, help_text="Deployed right now")
    last_seen_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(
        null=True, blank=True, help_text="First deployed (empty: before this was recorded)"
    )
    retired_at = models.DateTimeField(
        null=True, blank=True, help_text="When it stopped being deployed (empty while deployed)"
    )

    class Meta:
        ordering = ["position", "model_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(model_id__startswith="dn/"), name="platform_model_id_dn"
            )
        ]

    def is_new(self, now: datetime | None = None) -> bool:
        """Deployed in the last NEW_FOR: editors mark it so owners notice it is on no list."""
        if self.first_seen_at is None:
            return False
        return (now or timezone.now()) - self.first_seen_at < NEW_FOR


class PlatformModelEvent(models.Model):
    """One change in what the platform deploys, with when and by what: the audit log's
    platform section. Written where the change happens (the proxy sync, the admin, demo
    data), never derived from a model's dates, which a later change overwrites."""

    class Kind(models.TextChoices):
        DEPLOYED = "deployed", "Deployed"
        REMOVED = "removed", "No longer deployed"
        REACTIVATED = "reactivated", "Deployed again"

    class Via(models.TextChoices):
        PROXY = "proxy", "Proxy sync"
        ADMIN = "admin", "Admin"
        DEMO = "demo", "Demo data"
        DATES = "dates", "Recorded dates"  # from first_seen_at/retired_at, before events

    model_id = models.CharField(max_length=255)  # kept when the row is deleted
    display_name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    via = models.CharField(max_length=16, choices=Via.choices)
    # Who, in the admin (catalog knows no app's user model but the configured one).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["-at", "-id"], name="platformevent_at_idx")]

    def __str__(self) -> str:
        return f"{self.model_id} {self.get_kind_display().lower()} ({self.get_via_display()})"


class SyncRun(models.Model):
    class Kind(models.TextChoices):
        CATALOG = "catalog", "Catalog"
        PLATFORM = "platform", "Platform models"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    source = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    retired = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["kind", "ok", "-started_at"], name="syncrun_kind_idx")]

    def __str__(self) -> str:
        state = "ok" if self.ok else "failed"
        return f"{self.get_kind_display()} sync {self.started_at:%Y-%m-%d %H:%M} ({state})"

    @classmethod
    def record_failure(cls, kind: str, source: str, error: str) -> SyncRun:
        finished_at = timezone.now()
        return cls.objects.create(
            kind=kind, source=source[:500], ok=False, error=error, finished_at=finished_at
        )
