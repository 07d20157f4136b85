"""Platform models that are no longer deployed but still named in an org's allowlists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from catalog.models import PlatformModel
from orgs.models import Membership, Organization

# How many affected members the page names per model; the rest are counted.
SHOWN_MEMBERS = 20


@dataclass
class Undeployed:
    model_id: str
    name: str
    retired_at: datetime | None
    members: list[Membership] = field(default_factory=list)
    emptied: int = 0  # members for whom it is the last model on their list

    @property
    def shown(self) -> list[Membership]:
        return self.members[:SHOWN_MEMBERS]

    @property
    def more(self) -> int:
        return max(0, len(self.members) - SHOWN_MEMBERS)


def undeployed_in_allowlists(org: Organization) -> list[Undeployed]:
    """Each model id some allowlist names that is not deployed now, with the members naming
    it. Three queries whatever the org's size: deployed ids, the lists, those models' rows."""
    deployed = set(PlatformModel.objects.filter(is_active=True).values_list("model_id", flat=True))
    found: dict[str, Undeployed] = {}
    # Only members with a list of their own: None allows every deployed model, so names none.
    restricted = (
        Membership.objects.filter(org=org, allowed_model_ids__isnull=False)
        .select_related("user")
        .only("user__email", "user_id", "role", "allowed_model_ids", "access_version", "org_id")
        .order_by("user__email")
    )
    for member in restricted:
        allowed = member.allowed_model_ids or []
        for model_id in allowed:
            if model_id not in deployed:
                entry = found.setdefault(model_id, Undeployed(model_id, model_id, None))
                entry.members.append(member)
                entry.emptied += len(allowed) == 1
    if found:
        for row in PlatformModel.objects.filter(model_id__in=list(found)).only(
            "model_id", "display_name", "retired_at"
        ):
            found[row.model_id].name = row.display_name or row.model_id
            found[row.model_id].retired_at = row.retired_at
    return sorted(found.values(), key=lambda u: u.model_id)
