"""Domain actions on a person's BYOK list, Secrets and API keys (keyword-only, view-agnostic)."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.views.decorators.debug import sensitive_variables

from accounts.models import MAX_BYOK_MODELS, EnabledModel, Secret, User
from accounts.picker import permitted_platform_models
from accounts.signals import byok
from catalog import caching
from catalog.platform import deployed_models
from catalog.providers import PROVIDERS, provider_of
from catalog.validation import (
    catalog_id,
    catalog_ids,
    check_compatibility,
    model_id_error,
    near_miss,
    tidy_model_id,
)

if TYPE_CHECKING:
    from orgs.models import Membership

MAX_SECRET_VALUE = 10_000


def resolve_model_id(raw: str, *, allow_uncatalogued: bool = False, suggest: bool = True) -> str:
    """The canonical id for `raw`, or ValidationError saying what is wrong and what to do."""
    model_id = _listable_id(raw)
    match = catalog_id(model_id)
    if match:
        return match
    if not allow_uncatalogued:
        raise _not_in_catalog(model_id, suggest=suggest)
    result = check_compatibility(model_id)
    if result.error:
        raise ValidationError(result.error, code="incompatible")
    return result.model_id


def _listable_id(raw: str) -> str:
    """`raw` trimmed, or ValidationError if no BYOK list can hold it, catalog or not."""
    model_id = tidy_model_id(raw)
    error = model_id_error(model_id)
    if error:
        raise ValidationError(error, code="invalid")
    if provider_of(model_id) == "dn":
        raise ValidationError(
            "dn/ models are platform models; your org's allowlist decides those, so they can't "
            "be added to your own list.",
            code="platform_model",
        )
    return model_id


def _not_in_catalog(model_id: str, *, suggest: bool) -> ValidationError:
    return ValidationError(
        f"“{model_id}” isn't in the catalog.{_suggestion(model_id) if suggest else ''} "
        "Check the spelling, or "
        "check it for LiteLLM compatibility and add it anyway.",
        code="not_in_catalog",
    )


def resolve_model_ids(raws: list[str]) -> list[str]:
    """resolve_model_id for a whole list in one catalog query (no suggestions); ValidationError
    lists every bad entry as "[index] what is wrong", duplicates included."""
    checked: list[str | ValidationError] = []
    for raw in raws:
        try:
            checked.append(_listable_id(raw))
        except ValidationError as exc:
            checked.append(exc)
    found = catalog_ids(m for m in checked if isinstance(m, str))
    canonical: list[str] = []
    seen: set[str] = set()
    errors = []
    for index, item in enumerate(checked):
        model_id = found.get(item.lower()) if isinstance(item, str) else None
        if model_id is None:
            refusal = _not_in_catalog(item, suggest=False) if isinstance(item, str) else item
            errors.append(ValidationError(f"[{index}] {refusal.messages[0]}", code=refusal.code))
            continue
        if model_id in seen:
            errors.append(
                ValidationError(f"[{index}] {model_id} is listed twice.", code="duplicate")
            )
        seen.add(model_id)
        canonical.append(model_id)
    if errors:
        raise ValidationError(errors)
    return canonical


def _suggestion(model_id: str) -> str:
    """A "Did you mean X?" hint for a near miss such as anthropic/claude-opus-4.5."""
    best = near_miss(model_id)
    return f" Did you mean {best}?" if best else ""


def _listed(model_id: str) -> ValidationError:
    return ValidationError(f"{model_id} is already in your models.", code="duplicate")


def _not_listed(model_id: str) -> ValidationError:
    return ValidationError(f"{model_id} is not in your models.", code="missing")


def _lock_user(user: User) -> None:
    # Serialises one person's list edits (PostgreSQL row lock; SQLite locks the file).
    User.objects.select_for_update().filter(pk=user.pk).exists()


def add_model(*, user: User, model_id: str, allow_uncatalogued: bool = False) -> str:
    model_id = resolve_model_id(model_id, allow_uncatalogued=allow_uncatalogued)
    with transaction.atomic():
        _lock_user(user)
        rows = EnabledModel.objects.filter(user=user)
        if rows.filter(model_id=model_id).exists():
            raise _listed(model_id)
        if rows.count() >= MAX_BYOK_MODELS:
            raise ValidationError(
                f"Your list is full ({MAX_BYOK_MODELS} models). Remove one to add another.",
                code="full",
            )
        position = (rows.aggregate(m=Max("position"))["m"] or 0) + 1
        try:
            with transaction.atomic():
                EnabledModel.objects.create(user=user, model_id=model_id, position=position)
        except IntegrityError:
            raise _listed(model_id) from None
    return model_id


def _refuse_empty_picker(membership: Membership | None, remaining: int) -> None:
    if remaining == 0 and not permitted_platform_models(membership, deployed_models()):
        raise ValidationError(
            "That would leave you with no model at all: your org allows you no platform models. "
            "Add another model first, or ask your org owner for platform access.",
            code="empty_picker",
        )


def remove_model(*, user: User, model_id: str, membership: Membership | None) -> None:
    with transaction.atomic():
        _lock_user(user)
        rows = EnabledModel.objects.filter(user=user)
        if not rows.filter(model_id=model_id).exists():
            raise _not_listed(model_id)
        _refuse_empty_picker(membership, rows.count() - 1)
        rows.filter(model_id=model_id).delete()
        caching.bump(byok(user.pk))


def reset_models(*, user: User, membership: Membership | None) -> int:
    """Empty the BYOK list (the default). Returns how many models were removed."""
    with transaction.atomic():
        _lock_user(user)
        rows = EnabledModel.objects.filter(user=user)
        count = rows.count()
        if count:
            _refuse_empty_picker(membership, 0)
        rows.delete()
        caching.bump(byok(user.pk))
    return count


def _renumber(rows: list[EnabledModel]) -> list[EnabledModel]:
    """Number `rows` 1..n in their order; returns those whose position changed."""
    changed = []
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            changed.append(row)
    return changed


class StaleList(Exception):
    """The BYOK list changed since the client read the version it expects."""

    def __init__(self, current_version: str):
        super().__init__("Your models changed since you read them. Read them again and retry.")
        self.current_version = current_version


def list_version(model_ids: list[str]) -> str:
    """A version of an ordered BYOK list: it changes whenever the list or its order does."""
    return hashlib.sha256("\n".join(model_ids).encode()).hexdigest()[:32]


def set_models(
    *,
    user: User,
    model_ids: list[str],
    membership: Membership | None,
    expected_versions: Collection[str] | None = None,
) -> list[str]:
    """Replace the BYOK list (API PATCH), all ids validated first. With `expected_versions`,
    only if its version under the lock is one of them, else StaleList."""
    if len(model_ids) > MAX_BYOK_MODELS:
        raise ValidationError(f"At most {MAX_BYOK_MODELS} models.", code="full")
    canonical = resolve_model_ids(model_ids)
    with transaction.atomic():
        _lock_user(user)
        rows = {
            row.model_id: row
            for row in EnabledModel.objects.filter(user=user).only("user", "model_id", "position")
        }
        current = list(rows)
        if expected_versions is not None and list_version(current) not in expected_versions:
            raise StaleList(list_version(current))
        if current and not canonical:
            _refuse_empty_picker(membership, 0)
        removed, _ = EnabledModel.objects.filter(user=user).exclude(model_id__in=canonical).delete()
        # A fixed number of statements whatever the length: kept rows (their ids and added_at
        # stay) move in one UPDATE, new ones arrive in one INSERT.
        added = [EnabledModel(user=user, model_id=i) for i in canonical if i not in rows]
        new = {row.model_id: row for row in added}
        moved = _renumber([rows.get(i) or new[i] for i in canonical])
        EnabledModel.objects.bulk_update([row for row in moved if row.pk], ["position"])
        EnabledModel.objects.bulk_create(added)
        if removed or moved:  # bulk writes and the list's deletes send no signals
            caching.bump(byok(user.pk))
    return canonical


# Secrets ---------------------------------------------------------------------------------


def clean_secret_name(raw: str) -> str:
    """The name as stored (trimmed, upper case), checked by the model field's own rules."""
    name = (raw or "").strip().upper()
    if not name:
        raise ValidationError("Enter a name, like ANTHROPIC_API_KEY.", code="required")
    Secret._meta.get_field("name").run_validators(name)
    return name


def clean_secret_value(raw: str) -> str:
    value = (raw or "").strip()
    if not value:
        raise ValidationError("Enter the value to store.", code="required")
    if len(value) > MAX_SECRET_VALUE:
        raise ValidationError(
            f"Values are at most {MAX_SECRET_VALUE} characters.", code="max_length"
        )
    return value


def provider_for_env_var(name: str) -> str:
    for provider in PROVIDERS.values():
        if name in provider.keys.names:
            return provider.slug
    return ""


@sensitive_variables("value")
def save_secret(*, user: User, name: str, value: str, replace: bool = True) -> Secret:
    """Create `name`, or replace its value (when `replace`)."""
    name, value = clean_secret_name(name), clean_secret_value(value)
    with transaction.atomic():
        secret = Secret.objects.select_for_update().filter(user=user, name=name).first()
        if secret and not replace:
            raise ValidationError(
                f"You already have {name}. Replace its value instead.", code="duplicate"
            )
        secret = secret or Secret(user=user, name=name, provider=provider_for_env_var(name))
        secret.set_value(value)
        secret.save()
    return secret


@sensitive_variables("value")
def replace_secret_value(*, secret: Secret, value: str) -> Secret:
    secret.set_value(clean_secret_value(value))
    secret.save(update_fields=["encrypted_value", "masked_value", "updated_at"])
    return secret


# Order of the BYOK list --------------------------------------------------------------------

MOVES = {"up": -1, "down": 1}


def move_model(*, user: User, model_id: str, direction: str) -> None:
    """Swap `model_id` with its neighbour above ("up") or below ("down") in the BYOK list."""
    if direction not in MOVES:
        raise ValidationError("Move a model up or down.", code="invalid")
    with transaction.atomic():
        _lock_user(user)
        rows = list(EnabledModel.objects.filter(user=user).only("user", "position", "model_id"))
        index = next((i for i, row in enumerate(rows) if row.model_id == model_id), None)
        if index is None:
            raise _not_listed(model_id)
        other = index + MOVES[direction]
        if not 0 <= other < len(rows):
            where = "first" if direction == "up" else "last"
            raise ValidationError(f"{model_id} is already {where} in your models.", code="bounds")
        rows[index], rows[other] = rows[other], rows[index]
        # Only the rows whose position changes: two, unless older rows share a position.
        EnabledModel.objects.bulk_update(_renumber(rows), ["position"])
        caching.bump(byok(user.pk))  # bulk writes send no signals


def replace_model(*, user: User, old_id: str, new_id: str) -> str:
    """Put catalog model `new_id` in `old_id`'s place in the BYOK list; returns its canonical id."""
    new_id = resolve_model_id(new_id, suggest=False)
    with transaction.atomic():
        _lock_user(user)
        rows = EnabledModel.objects.filter(user=user)
        row = rows.filter(model_id=old_id).first()
        if row is None:
            raise _not_listed(old_id)
        if rows.filter(model_id=new_id).exists():
            raise _listed(new_id)
        row.model_id = new_id
        row.save(update_fields=["model_id"])
    return new_id
