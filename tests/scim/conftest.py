from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from scim.models import ScimToken

SCIM_JSON = "application/scim+json"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


class Scim:
    """An identity provider talking to /scim/v2/<org>/ with its bearer token."""

    def __init__(self, slug: str, token: str):
        self.base = f"/scim/v2/{slug}"
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def call(self, method: str, path: str, body: Any = None, **extra: Any):
        data = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
        return self.client.generic(
            method, self.base + path, data=data or b"", content_type=SCIM_JSON, **extra
        )

    def get(self, path: str, **params: Any):
        return self.client.get(self.base + path, params)

    def post(self, path: str, body: Any):
        return self.call("POST", path, body)

    def put(self, path: str, body: Any):
        return self.call("PUT", path, body)

    def patch(self, path: str, *operations: dict[str, Any]):
        return self.call("PATCH", path, {"schemas": [PATCH_OP], "Operations": list(operations)})

    def delete(self, path: str):
        return self.call("DELETE", path)


def assert_scim_error(response, status: int, scim_type: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(SCIM_JSON)
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    if scim_type:
        assert body["scimType"] == scim_type
    return body


@pytest.fixture
def token(org) -> str:
    return ScimToken.issue(org=org, name="Okta")[1]


@pytest.fixture
def scim(org, token) -> Scim:
    return Scim(org.slug, token)
