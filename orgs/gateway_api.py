"""JSON API: the model gateway asks which `dn/` aliases a personal API key may run.

gateway/litellm_auth.py calls this with the key a member sent to the gateway (the same key
the CLI/TUI uses). It is a hot path: a warm answer costs no database query (the key's holder
and memberships are kept in the cache, orgs/access.py; the deployed list in memory).

The answer is the picker's own rule (accounts.picker.permitted_platform_models), so the
gateway refuses exactly what the pages and the API say a member can't use.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from ninja import Field, Query, Router, Schema

from accounts.picker import permitted_platform_models
from catalog.platform import deployed_models
from orgs import gateway
from orgs.access import active_membership
from settings_app.responses import fast_json
from settings_app.types import AuthedRequest

router = Router(tags=["gateway"])


class GatewayUser(Schema):
    id: UUID
    email: str


class GatewayOrg(Schema):
    slug: str
    name: str
    role: str


class GatewayAccessOut(Schema):
    user: GatewayUser
    org: GatewayOrg | None = Field(description="The org whose allowlist decides; null: none")
    all_models: bool = Field(
        description="true: every platform model the gateway serves, including aliases "
        "deployed after this app last read the list (owners, and an allowlist of null)"
    )
    models: list[str] = Field(
        description="The deployed `dn/` aliases the caller may run now; [] = none"
    )
    ttl: int = Field(description="Seconds the gateway may keep this answer")


@router.get(
    "/gateway/access",
    response=GatewayAccessOut,
    summary="Which platform models the key's holder may run now (for the model gateway)",
    description="The org is `?org=<slug>` when given (404 if the caller isn't a member), "
    "else the caller's first org by name, as for every other operation.",
)
def gateway_access(request: AuthedRequest, org: str | None = Query(None, max_length=50)):
    membership = active_membership(request, org)
    models = [m.model_id for m in permitted_platform_models(membership, deployed_models())]
    if membership is not None:
        gateway.mark_asked(membership.org_id)
    user = request.user
    return fast_json(
        {
            "user": {"id": str(user.pk), "email": user.email},
            "org": None
            if membership is None
            else {
                "slug": membership.org.slug,
                "name": membership.org.name,
                "role": membership.role,
            },
            "all_models": membership is not None and membership.effective_model_ids is None,
            "models": models,
            "ttl": settings.GATEWAY_ACCESS_TTL,
        }
    )
