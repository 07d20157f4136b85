"""Fernet encryption for Secrets; several keys for rotation, the first one encrypts."""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    # settings.py has refused keys that aren't Fernet keys.
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.SECRETS_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> bytes:
    return fernet().encrypt(plaintext.encode())


def decrypt(token: bytes | memoryview) -> str:
    try:
        return fernet().decrypt(bytes(token)).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A Secret can't be decrypted with any key in SECRETS_ENCRYPTION_KEYS."
        ) from None


def rotate(token: bytes | memoryview) -> bytes:
    """Re-encrypt with the first key (run after prepending a new key)."""
    return fernet().rotate(bytes(token))


def mask(value: str) -> str:
    """`sk-proj-abc...789` -> `sk••••89`: at most 4 characters and never more than a quarter of
    the value, so no mask narrows a guess much; values under 12 characters are fully masked."""
    if len(value) < 12:
        return "••••••••"
    shown = min(4, len(value) // 4)
    head = shown // 2
    return f"{value[:head]}••••{value[head - shown :]}"
