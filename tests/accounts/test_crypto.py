"""Secrets are encrypted at rest with Fernet; rotation keeps old values readable."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from accounts import crypto
from accounts.models import Secret
from accounts.services import save_secret

pytestmark = pytest.mark.django_db
PLAINTEXT = "sk-proj-abcdefghijklmnop789"


def test_ciphertext_in_the_database_never_contains_the_plaintext(contributor):
    save_secret(user=contributor, name="OPENAI_API_KEY", value=PLAINTEXT)
    with connection.cursor() as cursor:
        cursor.execute("SELECT encrypted_value, masked_value FROM accounts_secret")
        ((raw, masked),) = cursor.fetchall()
    raw = bytes(raw)
    assert PLAINTEXT.encode() not in raw
    assert b"abcdefghij" not in raw
    assert masked == "sk••••89"
    assert Secret.objects.get().reveal() == PLAINTEXT


def test_short_values_are_fully_masked():
    assert crypto.mask("short") == "••••••••"
    assert "short" not in crypto.mask("short")


def test_old_values_still_decrypt_after_prepending_a_key(settings, contributor):
    old_key = settings.SECRETS_ENCRYPTION_KEYS[0]
    secret = save_secret(user=contributor, name="OPENAI_API_KEY", value=PLAINTEXT)
    settings.SECRETS_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    assert Secret.objects.get(pk=secret.pk).reveal() == PLAINTEXT


def test_a_rotated_value_is_readable_without_the_old_key(settings, contributor):
    old_key = settings.SECRETS_ENCRYPTION_KEYS[0]
    secret = save_secret(user=contributor, name="OPENAI_API_KEY", value=PLAINTEXT)
    new_key = Fernet.generate_key().decode()
    settings.SECRETS_ENCRYPTION_KEYS = [new_key, old_key]
    secret.encrypted_value = crypto.rotate(secret.encrypted_value)
    secret.save()
    settings.SECRETS_ENCRYPTION_KEYS = [new_key]
    assert Secret.objects.get(pk=secret.pk).reveal() == PLAINTEXT


def test_a_value_from_an_unknown_key_is_a_configuration_error(settings, contributor):
    secret = save_secret(user=contributor, name="OPENAI_API_KEY", value=PLAINTEXT)
    settings.SECRETS_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured, match="can't be decrypted with any key in SECRETS_"):
        Secret.objects.get(pk=secret.pk).reveal()
