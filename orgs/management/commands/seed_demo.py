from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from catalog.models import PlatformModel, PlatformModelEvent
from catalog.platform_events import change_of, record
from orgs.models import Group, Membership, Organization, Role

PASSWORD = "demo-password"
# What every demo platform model shares; each entry below adds its own PlatformModel fields.
PLATFORM_DEFAULTS: dict[str, Any] = {
    "supports_vision": True,
    "supports_reasoning": True,
    "supports_function_calling": True,
    "modalities_input": ["text", "image"],
    "modalities_output": ["text"],
}
PLATFORM_MODELS: list[dict[str, Any]] = [
    {
        "model_id": "dn/claude-opus-4-6",
        "display_name": "Claude Opus 4.6",
        "litellm_model": "anthropic/claude-opus-4-6",
        "context_window": 1_000_000,
        "max_output": 128_000,
        "cost_input": 5.0,
        "cost_output": 25.0,
    },
    {
        "model_id": "dn/gpt-5.2",
        "display_name": "GPT-5.2",
        "litellm_model": "openai/gpt-5.2",
        "context_window": 272_000,
        "max_output": 128_000,
        "cost_input": 1.75,
        "cost_output": 14.0,
    },
    {
        "model_id": "dn/gemini-3-pro",
        "display_name": "Gemini 3 Pro",
        "litellm_model": "gemini/gemini-3-pro-preview",
        "context_window": 1_048_576,
        "max_output": 65_536,
        "cost_input": 2.0,
        "cost_output": 12.0,
    },
]
ORGS = {"acme": "Acme Corp", "globex": "Globex"}


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    org: str | None = None  # slug of the org they belong to, if any
    role: str = Role.CONTRIBUTOR
    allowed_model_ids: list[str] | None = None
    staff: bool = False


USERS = [
    DemoUser("owner@example.com", "Olivia Owner", org="acme", role=Role.OWNER),
    DemoUser("member@example.com", "Max Member", org="acme"),
    DemoUser(
        "restricted@example.com",
        "Rita Restricted",
        org="acme",
        allowed_model_ids=["dn/claude-opus-4-6"],
    ),
    DemoUser("reader@example.com", "Reed Reader", org="acme", role=Role.READER),
    DemoUser("outsider@example.com", "Oscar Outsider", org="globex", role=Role.OWNER),
    DemoUser("admin@example.com", "Ada Admin", staff=True),
]


DEMO = PlatformModelEvent.Via.DEMO
RESEARCH = "Research"


class Command(BaseCommand):
    help = "Create the demo orgs, users and platform models (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        created = 0
        # With a LiteLLM proxy the platform models are its deployments, never invented ones.
        seeded_models = [] if settings.LITELLM_PROXY_URL else PLATFORM_MODELS
        for position, fields in enumerate(seeded_models):
            model, new = PlatformModel.objects.get_or_create(
                model_id=fields["model_id"],
                defaults={**PLATFORM_DEFAULTS, **fields, "position": position},
            )
            record([(model, change_of(None, model.is_active) if new else None)], via=DEMO)
            created += new
        orgs = {}
        for slug, name in ORGS.items():
            orgs[slug], new = Organization.objects.get_or_create(slug=slug, defaults={"name": name})
            created += new
        for demo in USERS:
            user = User.objects.filter(email=demo.email).first()
            if user is None:
                user = User.objects.create_user(
                    demo.email,
                    PASSWORD,
                    name=demo.name,
                    is_staff=demo.staff,
                    is_superuser=demo.staff,
                )
                created += 1
            if demo.org:
                _, new = Membership.objects.get_or_create(
                    org=orgs[demo.org],
                    user=user,
                    defaults={"role": demo.role, "allowed_model_ids": demo.allowed_model_ids},
                )
                created += new
        created += self._research_group(orgs["acme"])
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} objects created)."))

    def _research_group(self, acme: Organization) -> int:
        """A group in acme with two platform models and no members yet, so the demo people
        keep exactly the access described. Demo data, like the memberships above, not an
        owner's action: nothing is audited."""
        if Group.objects.filter(org=acme, name__iexact=RESEARCH).exists():
            return 0
        wanted = ["dn/gpt-5.2", "dn/gemini-3-pro"]  # those a LiteLLM proxy deploys, if one does
        models = PlatformModel.objects.filter(model_id__in=wanted).values_list(
            "model_id", flat=True
        )
        Group.objects.create(org=acme, name=RESEARCH, allowed_model_ids=sorted(models))
        return 1
