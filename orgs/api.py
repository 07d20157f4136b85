"""JSON API: organization members and their model access."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.db import transaction
from ninja import Field, Query, Router, Schema
from ninja.schema import DjangoGetter
from pydantic import model_validator

from orgs import services
from orgs.access import (
    PER_PAGE,
    get_membership,
    get_owner_membership,
    member_page,
    target_membership,
)
from orgs.models import Membership, ModelAccessEvent

router = Router(tags=["organizations"])
VIA = ModelAccessEvent.Via.API


class MemberOut(Schema):
    user_id: UUID
    user_email: str
    user_name: str
    role: str
    allowed_model_ids: list[str] | None
    joined_at: datetime

    @staticmethod
    def from_membership(m: Membership) -> dict:
        return {
            "user_id": m.user_id,
            "user_email": m.user.email,
            "user_name": m.user.name,
            "role": m.role,
            "allowed_model_ids": m.allowed_model_ids,
            "joined_at": m.joined_at,
        }


class MemberPage(Schema):
    members: list[MemberOut]
    total: int
    page: int
    page_size: int


class ModelAccessIn(Schema):
    allowed_model_ids: list[str] | None = Field(
        ...,
        max_length=services.MAX_ALLOWLIST * 2,
        description="null = all platform models, [] = none, a list = exactly those",
    )


class ModelAccessOut(Schema):
    allowed_model_ids: list[str] | None


class MemberUpdateIn(Schema):
    role: Literal["owner", "contributor", "reader"] | None = None
    allowed_model_ids: list[str] | None = Field(None, max_length=services.MAX_ALLOWLIST * 2)

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        # Every field is optional: without this, a JSON array or number would read as {}.
        # Ninja hands its own validators' DjangoGetter wrapper on; the JSON value is inside.
        if not isinstance(data._obj if isinstance(data, DjangoGetter) else data, dict):
            raise ValueError("Send a JSON object.")
        return data


class MembersQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    query: str = Field("", max_length=200)


@router.get("/org/{slug}/members", response=MemberPage)
def list_members(request, slug: str, params: Query[MembersQuery]):
    me = get_membership(request, slug)
    members = member_page(me, params.query.strip(), params.page)
    return {
        "members": [MemberOut.from_membership(m) for m in members],
        "total": members.paginator.count,
        "page": members.number,
        "page_size": PER_PAGE,
    }


@router.put("/org/{slug}/members/{user_id}/model-access", response=ModelAccessOut)
def put_model_access(request, slug: str, user_id: UUID, body: ModelAccessIn):
    me = get_owner_membership(request, slug)
    member = services.set_model_access(
        membership=target_membership(me, user_id),
        allowed_model_ids=body.allowed_model_ids,
        actor=request.user,
        via=VIA,
    )
    return {"allowed_model_ids": member.allowed_model_ids}


@router.put("/org/{slug}/members/{user_id}", response=MemberOut)
def put_member(request, slug: str, user_id: UUID, body: MemberUpdateIn):
    me = get_owner_membership(request, slug)
    member = target_membership(me, user_id)
    with transaction.atomic():
        if body.role is not None:
            member = services.set_role(
                membership=member, role=body.role, actor=request.user, via=VIA
            )
        if "allowed_model_ids" in body.model_fields_set:
            member = services.set_model_access(
                membership=member,
                allowed_model_ids=body.allowed_model_ids,
                actor=request.user,
                via=VIA,
            )
    member.refresh_from_db()
    return MemberOut.from_membership(member)
