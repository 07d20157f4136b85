"""What the provider publishes about itself (RFC 7643 §5-7): its configuration, its two
resource types, and the schemas of the attributes it keeps. An identity provider or a
checker reads these to know what it may send."""

from __future__ import annotations

from typing import Any

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
MAX_COUNT = 500


def attribute(
    name: str,
    kind: str = "string",
    *,
    multi: bool = False,
    required: bool = False,
    mutability: str = "readWrite",
    uniqueness: str = "none",
    sub: list[dict[str, Any]] | None = None,
    description: str = "",
    **extra: Any,
) -> dict[str, Any]:
    found = {
        "name": name,
        "type": kind,
        "multiValued": multi,
        "description": description or name,
        "required": required,
        "caseExact": False,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": uniqueness,
        **extra,
    }
    if sub is not None:
        found["subAttributes"] = sub
    return found


USER_ATTRIBUTES = [
    attribute(
        "userName",
        required=True,
        mutability="immutable",
        uniqueness="server",
        description="The person's email address, which is their login; fixed once created.",
    ),
    attribute(
        "name",
        "complex",
        sub=[attribute("formatted"), attribute("familyName"), attribute("givenName")],
    ),
    attribute("displayName"),
    attribute(
        "emails",
        "complex",
        multi=True,
        sub=[
            attribute("value"),
            attribute("type", canonicalValues=["work", "home", "other"]),
            attribute("primary", "boolean"),
        ],
    ),
    attribute(
        "active",
        "boolean",
        required=True,
        description="False ends their access in the organization at once; history is kept.",
    ),
]
GROUP_ATTRIBUTES = [
    attribute("displayName", required=True, uniqueness="server"),
    attribute(
        "members",
        "complex",
        multi=True,
        sub=[
            attribute("value", mutability="immutable"),
            attribute("$ref", "reference", mutability="immutable", referenceTypes=["User"]),
        ],
        description="People of the organization in the group (groups can't hold groups).",
    ),
]
SCHEMAS = {
    USER: ("User", "A person in the organization", USER_ATTRIBUTES),
    GROUP: (
        "Group",
        "A group of the organization; its models are set in the app",
        GROUP_ATTRIBUTES,
    ),
}
RESOURCE_TYPES = {"User": ("/Users", USER), "Group": ("/Groups", GROUP)}


def meta(resource_type: str, location: str) -> dict[str, str]:
    return {"resourceType": resource_type, "location": location}


def service_provider_config(base: str) -> dict[str, Any]:
    return {
        "schemas": [CONFIG],
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_COUNT},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        # No versions: a PUT or PATCH applies to the resource as it is.
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A token an owner creates on the organization's settings page.",
                "primary": True,
            }
        ],
        "meta": meta("ServiceProviderConfig", f"{base}/ServiceProviderConfig"),
    }


def resource_type(name: str, base: str) -> dict[str, Any]:
    endpoint, schema = RESOURCE_TYPES[name]
    return {
        "schemas": [RESOURCE_TYPE],
        "id": name,
        "name": name,
        "endpoint": endpoint,
        "description": SCHEMAS[schema][1],
        "schema": schema,
        "schemaExtensions": [],
        "meta": meta("ResourceType", f"{base}/ResourceTypes/{name}"),
    }


def schema(urn: str, base: str) -> dict[str, Any]:
    name, description, attributes = SCHEMAS[urn]
    return {
        "schemas": [SCHEMA],
        "id": urn,
        "name": name,
        "description": description,
        "attributes": attributes,
        "meta": meta("Schema", f"{base}/Schemas/{urn}"),
    }


def list_response(resources: list[dict[str, Any]], total: int, start: int) -> dict[str, Any]:
    return {
        "schemas": [LIST],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }
