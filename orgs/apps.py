from __future__ import annotations

from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = "Organizations"

    def ready(self) -> None:
        from orgs import invitations  # noqa: F401 - connects the login signal
