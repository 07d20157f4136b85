from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from catalog.models import PlatformModel
from orgs.models import Membership, Organization, Role

PASSWORD = "demo-password"
PLATFORM_MODELS = [
    # model_id, name, underlying, context, max output, $/1M in, $/1M out, vision, reasoning
    (
        "dn/claude-opus-4-6",
        "Claude Opus 4.6",
        "anthropic/claude-opus-4-6",
        1_000_000,
        128_000,
        5.0,
        25.0,
        True,
        True,
    ),
    ("dn/gpt-5.2", "GPT-5.2", "openai/gpt-5.2", 272_000, 128_000, 1.75, 14.0, True, True),
    (
        "dn/gemini-3-pro",
        "Gemini 3 Pro",
        "gemini/gemini-3-pro-preview",
        1_048_576,
        65_536,
        2.0,
        12.0,
        True,
        True,
    ),
]
USERS = [
    # email, name, org, role, allowlist, staff
    ("owner@example.com", "Olivia Owner", "acme", Role.OWNER, None, False),
    ("member@example.com", "Max Member", "acme", Role.CONTRIBUTOR, None, False),
    (
        "restricted@example.com",
        "Rita Restricted",
        "acme",
        Role.CONTRIBUTOR,
        ["dn/claude-opus-4-6"],
        False,
    ),
    ("reader@example.com", "Reed Reader", "acme", Role.READER, None, False),
    ("outsider@example.com", "Oscar Outsider", "globex", Role.OWNER, None, False),
    ("admin@example.com", "Ada Admin", None, None, None, True),
]


class Command(BaseCommand):
    help = "Create the demo orgs, users and platform models (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        created = 0
        # With a LiteLLM proxy the platform models are its deployments, never invented ones.
        seeded_models = [] if settings.LITELLM_PROXY_URL else PLATFORM_MODELS
        for position, (
            model_id,
            name,
            underlying,
            ctx,
            out,
            cin,
            cout,
            vision,
            reasoning,
        ) in enumerate(seeded_models):
            _, new = PlatformModel.objects.get_or_create(
                model_id=model_id,
                defaults={
                    "display_name": name,
                    "litellm_model": underlying,
                    "context_window": ctx,
                    "max_output": out,
                    "cost_input": cin,
                    "cost_output": cout,
                    "supports_vision": vision,
                    "supports_reasoning": reasoning,
                    "supports_function_calling": True,
                    "modalities_input": ["text", "image"],
                    "modalities_output": ["text"],
                    "position": position,
                },
            )
            created += new
        orgs = {}
        for slug, name in (("acme", "Acme Corp"), ("globex", "Globex")):
            orgs[slug], new = Organization.objects.get_or_create(slug=slug, defaults={"name": name})
            created += new
        for email, name, slug, role, allowlist, staff in USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email, PASSWORD, name=name, is_staff=staff, is_superuser=staff
                )
                created += 1
            if slug:
                _, new = Membership.objects.get_or_create(
                    org=orgs[slug],
                    user=user,
                    defaults={"role": role, "allowed_model_ids": allowlist},
                )
                created += new
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} objects created)."))
