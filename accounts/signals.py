"""Bump a person's versions (catalog/caching.py) when their rows change. Bulk writes and the
list's deletes (a receiver would cost a query per hundred rows) bump in accounts/services.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from accounts.models import ApiKey, EnabledModel, Secret, User
from catalog import caching


def person(user_id: object) -> str:
    """Who someone is: their account, live API keys and org memberships (orgs/signals.py)."""
    return f"person:{user_id}"


def byok(user_id: object) -> str:
    """Someone's BYOK list and the names of their saved secrets."""
    return f"byok:{user_id}"


OWNED: dict[type[models.Model], Callable[[object], str]] = {
    ApiKey: person,
    Secret: byok,
    EnabledModel: byok,
}


def _account_changed(instance: User, **kwargs: Any) -> None:
    caching.bump(person(instance.pk))


def _row_changed(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    caching.bump(OWNED[sender](instance.user_id))


def _row_moving(sender: type[models.Model], instance: Any, raw: bool, **kwargs: Any) -> None:
    """A row given to someone else leaves its old owner's list too."""
    fields = kwargs.get("update_fields")
    if raw or instance._state.adding or (fields is not None and "user" not in fields):
        return
    rows = sender._base_manager.using(kwargs.get("using")).filter(pk=instance.pk)
    old = rows.values_list("user_id", flat=True).first()
    if old is not None and old != instance.user_id:
        caching.bump(OWNED[sender](old))


post_save.connect(_account_changed, sender=User, dispatch_uid="accounts.user.saved")
post_delete.connect(_account_changed, sender=User, dispatch_uid="accounts.user.deleted")
for model in OWNED:
    post_save.connect(_row_changed, sender=model, dispatch_uid=f"accounts.{model.__name__}.s")
    pre_save.connect(_row_moving, sender=model, dispatch_uid=f"accounts.{model.__name__}.m")
    if model is not EnabledModel:
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"accounts.{model.__name__}.d")
