"""The JSON API router (SPEC 6): NinjaAPI with the platform SDK's paths and error envelope."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="Chat Models API", version="1", urls_namespace="api")
