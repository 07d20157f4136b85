"""Users and Groups as SCIM resources (RFC 7643 §4), and a resource's attributes, as a PUT
body or a patched state gives them, checked and normalised before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import validate_email

from orgs.models import Group, Membership
from scim.documents import GROUP, USER
from scim.errors import invalid_value
from scim.patch import Kinds

MAX_TEXT = 200
MAX_EMAILS = 20
MAX_MEMBERS = 50_000
# RFC 7643's User attributes this provider doesn't keep: identity providers send them, and
# they are accepted and ignored (as are the readOnly id and meta).
NOT_KEPT = frozenset(
    [
        "nickname",
        "profileurl",
        "title",
        "usertype",
        "preferredlanguage",
        "locale",
        "timezone",
        "password",
        "phonenumbers",
        "ims",
        "photos",
        "addresses",
        "groups",
        "entitlements",
        "roles",
        "x509certificates",
        "id",
        "meta",
        "schemas",
    ]
)
USER_KINDS = Kinds(
    USER, ("userName", "externalId", "displayName", "active"), ("name",), ("emails",), NOT_KEPT
)
GROUP_KINDS = Kinds(
    GROUP, ("displayName", "externalId"), (), ("members",), frozenset({"id", "meta", "schemas"})
)
NAME_PARTS = ("formatted", "familyName", "givenName")


def text(value: Any, what: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise invalid_value(f"{what} is a string.")
    if len(value) > limit:
        raise invalid_value(f"{what} has at most {limit} characters.")
    return value


def boolean(value: Any, what: str) -> bool:
    """A boolean, or Entra's "True" / "False" strings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise invalid_value(f"{what} is true or false.")


def profile_of(membership: Membership) -> dict[str, Any] | None:
    try:
        return membership.scim_profile.attributes
    except ObjectDoesNotExist:
        return None


def user_state(membership: Membership) -> dict[str, Any]:
    """Their attributes as a PUT would give them."""
    user = membership.user
    profile = profile_of(membership)
    if profile is None:  # a member the identity provider hasn't written to yet
        profile = {"emails": [{"value": user.email, "type": "work", "primary": True}]}
        if user.name:
            profile["displayName"] = user.name
    state = {"userName": user.email, "active": membership.is_active, **profile}
    if membership.external_id:
        state["externalId"] = membership.external_id
    return state


def user_resource(membership: Membership, base: str) -> dict[str, Any]:
    location = f"{base}/Users/{membership.user_id}"
    try:
        modified = membership.scim_profile.updated_at
    except ObjectDoesNotExist:
        modified = membership.joined_at
    return {
        "schemas": [USER],
        "id": str(membership.user_id),
        **user_state(membership),
        "meta": {
            "resourceType": "User",
            "created": membership.joined_at.isoformat(),
            "lastModified": max(modified, membership.joined_at).isoformat(),
            "location": location,
        },
    }


def group_state(group: Group, member_ids: list[Any] | None) -> dict[str, Any]:
    state: dict[str, Any] = {"displayName": group.name}
    if group.external_id:
        state["externalId"] = group.external_id
    if member_ids:
        state["members"] = [{"value": str(user_id)} for user_id in member_ids]
    return state


def group_resource(group: Group, member_ids: list[Any] | None, base: str) -> dict[str, Any]:
    """`member_ids` None leaves members out (excludedAttributes=members)."""
    state = group_state(group, member_ids)
    for member in state.get("members", []):
        member["$ref"] = f"{base}/Users/{member['value']}"
    return {
        "schemas": [GROUP],
        "id": str(group.pk),
        **state,
        "meta": {
            "resourceType": "Group",
            "created": group.created_at.isoformat(),
            # Groups keep no modification time: their audit log has each change.
            "lastModified": group.created_at.isoformat(),
            "location": f"{base}/Groups/{group.pk}",
        },
    }


@dataclass(frozen=True)
class UserFields:
    user_name: str
    external_id: str
    active: bool | None
    attributes: dict[str, Any]

    @property
    def display_name(self) -> str:
        name = self.attributes.get("name", {})
        given = " ".join(name.get(part, "") for part in ("givenName", "familyName")).strip()
        return (self.attributes.get("displayName") or name.get("formatted") or given)[:150]


def _lookup(data: dict[str, Any], name: str) -> Any:
    """An attribute by name in any letter case (RFC 7643 §2.1), or with its schema's URN."""
    for key, value in data.items():
        if isinstance(key, str) and key.rsplit(":", 1)[-1].lower() == name.lower():
            return value
    return None


def clean_user(data: Any) -> UserFields:
    if not isinstance(data, dict):
        raise invalid_value("A User is a JSON object.")
    user_name = text(_lookup(data, "userName"), "userName", 254).strip()
    try:
        validate_email(user_name)
    except ValidationError:
        raise invalid_value("userName is the person's email address (their login).") from None
    external_id = _lookup(data, "externalId")
    active = _lookup(data, "active")
    attributes: dict[str, Any] = {}
    display = _lookup(data, "displayName")
    if display is not None:
        attributes["displayName"] = text(display, "displayName")
    name = _lookup(data, "name")
    if name is not None:
        if not isinstance(name, dict):
            raise invalid_value("name is an object (givenName, familyName, formatted).")
        parts = {part: _lookup(name, part) for part in NAME_PARTS}
        attributes["name"] = {k: text(v, f"name.{k}") for k, v in parts.items() if v is not None}
    emails = _lookup(data, "emails")
    if emails is not None:
        attributes["emails"] = _clean_emails(emails)
    return UserFields(
        user_name=user_name,
        external_id="" if external_id is None else text(external_id, "externalId"),
        active=None if active is None else boolean(active, "active"),
        attributes={k: v for k, v in attributes.items() if v not in ({}, [])},
    )


def _clean_emails(emails: Any) -> list[dict[str, Any]]:
    if not isinstance(emails, list) or len(emails) > MAX_EMAILS:
        raise invalid_value(f"emails is a list of at most {MAX_EMAILS} objects.")
    cleaned = []
    for email in emails:
        if not isinstance(email, dict):
            raise invalid_value("Each of emails is an object with a value.")
        item: dict[str, Any] = {}
        for part in ("value", "type"):
            if (found := _lookup(email, part)) is not None:
                item[part] = text(found, f"emails.{part}", 254)
        if (primary := _lookup(email, "primary")) is not None:
            item["primary"] = boolean(primary, "emails.primary")
        cleaned.append(item)
    return cleaned


@dataclass(frozen=True)
class GroupFields:
    name: Any
    external_id: str
    member_ids: list[str]


def clean_group(data: Any) -> GroupFields:
    if not isinstance(data, dict):
        raise invalid_value("A Group is a JSON object.")
    external_id = _lookup(data, "externalId")
    members = _lookup(data, "members")
    if members is None:
        members = []
    if not isinstance(members, list) or len(members) > MAX_MEMBERS:
        raise invalid_value(f"members is a list of at most {MAX_MEMBERS} objects.")
    ids = []
    for member in members:
        value = _lookup(member, "value") if isinstance(member, dict) else None
        ids.append(text(value, "Each member's value (a User id)", 64))
    return GroupFields(
        name=text(_lookup(data, "displayName"), "displayName", 1000),
        external_id="" if external_id is None else text(external_id, "externalId"),
        member_ids=list(dict.fromkeys(ids)),
    )
