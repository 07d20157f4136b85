from __future__ import annotations

import json

import pytest
from django.test import Client

from accounts.models import ApiKey


class ApiClient:
    """A JSON client authenticated with a personal API key (X-API-Key)."""

    def __init__(self, user=None, key: str | None = None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            key = ApiKey.issue(user=user, name="tests")[1]
        if key is not None:
            self.headers["X-API-Key"] = key

    def call(self, method: str, path: str, body=None, raw: bytes | None = None, **params):
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs = {"headers": self.headers}
        if method == "get":
            return self.client.get("/api/v1" + path, params, **kwargs)
        url = (
            "/api/v1"
            + path
            + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
        )
        return getattr(self.client, method)(
            url, data=data, content_type="application/json", **kwargs
        )

    def get(self, path, **params):
        return self.call("get", path, **params)

    def post(self, path, body=None, **kw):
        return self.call("post", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.call("put", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.call("patch", path, body, **kw)

    def delete(self, path, **kw):
        return self.call("delete", path, **kw)


def assert_envelope(response, code: int) -> dict:
    assert response.status_code == code, response.content
    body = response.json()
    assert set(body) == {"code", "detail", "errors"}
    assert body["code"] == code and isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)
    return body


@pytest.fixture
def api():
    return ApiClient
