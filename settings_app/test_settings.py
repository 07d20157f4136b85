"""Test configuration: the real settings with test-only tweaks."""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRETS_ENCRYPTION_KEYS", "pQ4fuhOxxvqj5XpIRBX7tm4h4nxAu1dyjr5W3aULQ9s=")

from settings_app.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LITELLM_PROXY_URL = ""
LITELLM_API_KEY = ""
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# django-axes logs every login at INFO (force_login included): quiet in test output.
LOGGING["loggers"] = {"axes": {"level": "WARNING"}}  # noqa: F405
