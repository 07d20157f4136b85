"""JSON API: organization members and their model access."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from ninja import Field, HeaderEx, P, Query, Router, Schema
from ninja import Path as PathParam
from ninja.errors import HttpError
from ninja.schema import DjangoGetter
from pydantic import model_validator

from orgs import access_io, invitations, requests, services
from orgs.access import get_membership, get_owner_membership, target_membership
from orgs.matrix import has_groups
from orgs.models import Group, Membership, ModelAccessEvent
from orgs.selectors import PER_PAGE, QUERY_MAX_LENGTH, member_page
from settings_app.etags import if_match_tags
from settings_app.middleware import error_body
from settings_app.openapi import ApiError
from settings_app.types import AuthedRequest

router = Router(tags=["organizations"])
VIA = ModelAccessEvent.Via.API


class MemberOut(Schema):
    user_id: UUID
    user_email: str = Field(alias="user.email")
    user_name: str = Field(alias="user.name")
    role: str
    allowed_model_ids: list[str] | None = Field(description="Their own allowlist")
    joined_at: datetime
    groups: list[str] = Field(description="The names of the groups they are in")
    effective_model_ids: list[str] | None = Field(
        description="What they may use: their own allowlist combined with their groups' "
        "(null = every platform model)"
    )

    @staticmethod
    def resolve_groups(member: Membership) -> list[str]:
        return [group.name for group in member.groups.all()]


def with_member_groups(org_id: int, members: list[Membership]) -> list[Membership]:
    """Their groups in one query; in an org without groups, none (an empty prefetch)."""
    groups = Group.objects.all() if has_groups(org_id) else Group.objects.none()
    prefetch_related_objects(members, Prefetch("groups", queryset=groups))
    return members


class GroupOut(Schema):
    name: str
    allowed_model_ids: list[str] | None = Field(
        description="null = every platform model, [] = none, a list = those"
    )
    provisioned: bool = Field(description="Kept in sync by the identity provider (SCIM)")
    members: list[str] = Field(description="Members' emails")

    @staticmethod
    def resolve_members(group: Group) -> list[str]:
        return [member.user.email for member in group.members.all()]


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


class ObjectBody(Schema):
    """A body whose fields are all optional: without this check a JSON array, number or null
    would read as {} and succeed."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        # Ninja hands its own validators' DjangoGetter wrapper on; the JSON value is inside.
        if not isinstance(data._obj if isinstance(data, DjangoGetter) else data, dict):
            raise ValueError("Send a JSON object.")
        return data


class MemberUpdateIn(ObjectBody):
    role: Literal["owner", "contributor", "reader"] | None = None
    allowed_model_ids: list[str] | None = Field(None, max_length=services.MAX_ALLOWLIST * 2)


class MembersQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    query: str = Field("", max_length=QUERY_MAX_LENGTH)


@router.get("/org/{slug}/members", response=MemberPage)
def list_members(request: AuthedRequest, slug: str, params: Query[MembersQuery]):
    me = get_membership(request, slug)
    members = member_page(me, params.query.strip(), params.page)
    return {
        "members": with_member_groups(me.org_id, list(members)),
        "total": members.paginator.count,
        "page": members.number,
        "page_size": PER_PAGE,
    }


def _etag(member: Membership) -> str:
    return f'"{member.access_version}"'


IfMatch = HeaderEx[
    str | None,
    P(
        alias="If-Match",
        description="The ETag from GET …/model-access: the save is refused (412) if the "
        "member's access changed since. Without it the save always applies.",
    ),
]


def _expected_version(header: str | None, member: Membership) -> int | None:
    """The access version `If-Match` holds the save to (None: no condition). The service
    re-checks it under the row lock, so a change in between is still refused."""
    tags = if_match_tags(header)
    if tags is None:
        return None
    if str(member.access_version) in tags:
        return member.access_version
    raise HttpError(412, _stale(member))


def _stale(member: Membership) -> str:
    return (
        f"This member's model access has changed since you read it (ETag now {_etag(member)}). "
        "Read it again with GET …/model-access, then send its ETag in If-Match."
    )


@router.get("/org/{slug}/members/{user_id}/model-access", response=ModelAccessOut)
def get_model_access(request: AuthedRequest, response: HttpResponse, slug: str, user_id: UUID):
    member = target_membership(get_owner_membership(request, slug), user_id)
    response["ETag"] = _etag(member)
    return {"allowed_model_ids": member.allowed_model_ids}


@router.put("/org/{slug}/members/{user_id}/model-access", response=ModelAccessOut)
def put_model_access(
    request: AuthedRequest,
    response: HttpResponse,
    slug: str,
    user_id: UUID,
    body: ModelAccessIn,
    if_match: IfMatch = None,
):
    member = target_membership(get_owner_membership(request, slug), user_id)
    try:
        member = services.set_model_access(
            membership=member,
            allowed_model_ids=body.allowed_model_ids,
            actor=request.user,
            via=VIA,
            expected_version=_expected_version(if_match, member),
        )
    except services.AccessConflict as conflict:
        raise HttpError(412, _stale(conflict.current)) from None
    response["ETag"] = _etag(member)
    return {"allowed_model_ids": member.allowed_model_ids}


@router.put("/org/{slug}/members/{user_id}", response=MemberOut)
def put_member(request: AuthedRequest, slug: str, user_id: UUID, body: MemberUpdateIn):
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
    return with_member_groups(me.org_id, [member])[0]


@router.get("/org/{slug}/groups", response=list[GroupOut])
def list_groups(request: AuthedRequest, slug: str):
    """The org's groups with their allowlists and members (owners only)."""
    me = get_owner_membership(request, slug)
    members = Membership.objects.select_related("user").order_by("user__email")
    return Group.objects.filter(org=me.org).prefetch_related(Prefetch("members", members))


# Model access as a file: see orgs/access_io.py for the formats.

ACCESS_ROW_SCHEMA = {
    "type": "object",
    "properties": {
        "email": {"type": "string"},
        "role": {"type": "string"},
        "allowed_model_ids": {
            "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]
        },
    },
    "required": ["email", "allowed_model_ids"],
}
ACCESS_FILE_SCHEMA = {
    "type": "object",
    "properties": {"members": {"type": "array", "items": ACCESS_ROW_SCHEMA}},
    "required": ["members"],
}
ACCESS_FILE_CONTENT = {
    "application/json": {"schema": ACCESS_FILE_SCHEMA},
    "text/csv": {"schema": {"type": "string"}},
}


class ExportQuery(Schema):
    format: Literal["json", "csv"] = "json"


class ImportQuery(Schema):
    dry_run: bool = Field(True, description="true (the default): only say what would change")


class AccessChange(Schema):
    email: str
    before: list[str] | None
    after: list[str] | None


class ImportOut(Schema):
    dry_run: bool
    applied: int = Field(description="How many members' access was changed (0 on a dry run)")
    changes: list[AccessChange]


def _refused(errors: list[dict[str, Any]]) -> JsonResponse:
    """422 naming every bad row; each error also carries the envelope's loc and msg."""
    detail = (
        f"{len(errors)} row{'s' if len(errors) != 1 else ''} refused: nothing was applied. "
        "Fix them and import again."
    )
    items = [{"loc": ["body", e["row"]], "msg": e["error"], **e} for e in errors]
    return JsonResponse(error_body(422, detail, items), status=422)


@router.get(
    "/org/{slug}/model-access/export",
    openapi_extra={
        "responses": {
            200: {
                "description": "Every member's model access: JSON, or CSV with the columns "
                "email,role,allowed_model_ids (`*` = all platform models, empty = none, "
                "else ids separated by spaces).",
                "content": ACCESS_FILE_CONTENT,
            }
        }
    },
)
def export_model_access(request: AuthedRequest, slug: str, params: Query[ExportQuery]):
    me = get_owner_membership(request, slug)
    return access_io.file_response(me.org, params.format)


@router.post(
    "/org/{slug}/model-access/import",
    response={200: ImportOut, 409: ApiError},
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The export's format, chosen by Content-Type: application/json or "
            "text/csv. Members the file doesn't name keep their access; roles aren't changed.",
            "content": ACCESS_FILE_CONTENT,
        }
    },
)
def import_model_access(request: AuthedRequest, slug: str, params: Query[ImportQuery]):
    me = get_owner_membership(request, slug)
    content_type = (request.content_type or "").lower()
    body = request.read(access_io.MAX_BYTES + 1)
    if len(body) > access_io.MAX_BYTES:
        raise HttpError(413, f"The file is too large: at most {access_io.MAX_BYTES} bytes.")
    try:
        result = access_io.plan(
            me.org, access_io.parse(body, "csv" if content_type == "text/csv" else "json")
        )
    except access_io.FileError as exc:
        raise DjangoValidationError(str(exc)) from None
    if result.errors:
        return _refused(result.errors)
    applied = 0
    if not params.dry_run:
        try:
            applied = access_io.apply(me.org, result, actor=request.user)
        except access_io.ImportConflict as exc:
            raise HttpError(409, str(exc)) from None
    return 200, {"dry_run": params.dry_run, "applied": applied, "changes": result.diff}


class OrgOut(Schema):
    slug: str
    name: str
    default_allowed_model_ids: list[str] | None


class OrgUpdateIn(Schema):
    default_allowed_model_ids: list[str] | None = Field(
        ...,
        max_length=services.MAX_ALLOWLIST * 2,
        description="Model access for people who join: null = all, [] = none, a list = those",
    )


@router.get("/org/{slug}", response=OrgOut)
def get_org(request: AuthedRequest, slug: str):
    return get_membership(request, slug).org


@router.put("/org/{slug}", response=OrgOut)
def put_org(request: AuthedRequest, slug: str, body: OrgUpdateIn):
    me = get_owner_membership(request, slug)
    return invitations.set_default_access(
        org=me.org,
        allowed_model_ids=body.default_allowed_model_ids,
        actor=request.user,
        via=VIA,
    )


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    status: str
    created_at: datetime
    expires_at: datetime


class InvitationIn(Schema):
    email: str = Field(..., max_length=254)
    role: Literal["owner", "contributor", "reader"] = "contributor"
    resend: bool = False


@router.get("/org/{slug}/invitations", response=list[InvitationOut])
def list_invitations(request: AuthedRequest, slug: str):
    me = get_owner_membership(request, slug)
    return invitations.org_pending(me.org)


@router.post("/org/{slug}/invitations", response={201: InvitationOut, 409: ApiError})
def create_invitation(request: AuthedRequest, slug: str, body: InvitationIn):
    """Invite an email; the answer is the same whether or not an account uses it. An email
    with a pending invitation answers 409 unless `"resend": true`, which sends it again
    with the role asked for (a role change is audited)."""
    me = get_owner_membership(request, slug)
    validate_email(body.email.strip())
    try:
        invitation = invitations.invite(
            org=me.org,
            email=body.email,
            role=body.role,
            actor=request.user,
            via=VIA,
            link=request.build_absolute_uri(reverse("invitations:list")),
            resend=body.resend,
        )
    except DjangoValidationError as exc:
        if exc.code != "invited":
            raise
        email = body.email.strip().lower()
        raise HttpError(
            409,
            f"{email} is already invited. To send the invitation again, with the role in "
            'this request, post it again with "resend": true.',
        ) from None
    return 201, invitation


# Access requests: see orgs/requests.py.


class AccessRequestIn(Schema):
    model_id: str = Field(..., max_length=200)
    reason: str = Field("", max_length=500)


class DenyIn(ObjectBody):
    note: str = Field("", max_length=500)


class AccessRequestOut(Schema):
    id: int
    model_id: str
    member_email: str = Field(alias="member.email")
    reason: str
    status: str
    note: str
    created_at: datetime
    decided_at: datetime | None


class AccessRequestsQuery(Schema):
    status: Literal["pending", "approved", "denied", "closed"] | None = None


RequestId = Annotated[int, PathParam(ge=1, le=2_147_483_647)]


@router.get("/org/{slug}/access-requests", response=list[AccessRequestOut])
def list_access_requests(request: AuthedRequest, slug: str, params: Query[AccessRequestsQuery]):
    """Owners see every request of the org, members their own (newest first, at most 500)."""
    me = get_membership(request, slug)
    return requests.visible_requests(me, params.status)[:500]


@router.post(
    "/org/{slug}/access-requests",
    response={200: AccessRequestOut, 201: AccessRequestOut, 404: ApiError, 409: ApiError},
)
def create_access_request(request: AuthedRequest, slug: str, body: AccessRequestIn):
    """Ask the org's owners for a platform model: 201 with the new request, or 200 with the
    member's pending request for that model if there already is one."""
    me = get_membership(request, slug)
    try:
        made, created = requests.request_access(
            membership=me,
            model_id=body.model_id,
            reason=body.reason,
            link=request.build_absolute_uri(reverse("orgs:requests", args=[slug])),
        )
    except requests.RequestRefused as exc:
        raise HttpError(exc.status, exc.message) from None
    return (201 if created else 200), made


def _decide(request: AuthedRequest, slug: str, request_id: int, approve: bool, note: str = ""):
    me = get_owner_membership(request, slug)
    try:
        return requests.decide(
            org=me.org,
            request_id=request_id,
            approve=approve,
            actor=request.user,
            via=VIA,
            note=note,
        )
    except requests.RequestRefused as exc:
        raise HttpError(exc.status, exc.message) from None
    except services.AccessConflict as conflict:
        raise HttpError(409, _stale(conflict.current)) from None


@router.post(
    "/org/{slug}/access-requests/{request_id}/approve",
    response={200: AccessRequestOut, 404: ApiError, 409: ApiError},
)
def approve_access_request(request: AuthedRequest, slug: str, request_id: RequestId):
    """Add the model to the member's allowlist. A member who has every platform model by
    now gets nothing added: the request is `closed` with a note."""
    return _decide(request, slug, request_id, approve=True)


@router.post(
    "/org/{slug}/access-requests/{request_id}/deny",
    response={200: AccessRequestOut, 404: ApiError, 409: ApiError},
)
def deny_access_request(request: AuthedRequest, slug: str, request_id: RequestId, body: DenyIn):
    return _decide(request, slug, request_id, approve=False, note=body.note)
