"""Configuration: production mode fails loudly and passes `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" + Fernet.generate_key().decode() * 2,
    "SECRETS_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "ALLOWED_HOSTS": "example.com",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    dropped = {
        "DEBUG",
        "SECRET_KEY",
        "SECRETS_ENCRYPTION_KEYS",
        "ALLOWED_HOSTS",
        "REDIS_URL",
        "DATABASE_CONN_MAX_AGE",
    }
    base = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_secret_key_refuses_to_start():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_without_encryption_keys_refuses_to_start():
    result = run_manage("check", DEBUG="0", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "SECRETS_ENCRYPTION_KEYS must be set" in result.stderr


def test_bad_boolean_is_a_clear_error():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_check_deploy_is_clean_in_production():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        # Login throttling counts in the cache: production shares it through Redis.
        **PRODUCTION | {"REDIS_URL": "redis://127.0.0.1:6379/0"},
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_check_deploy_warns_when_login_counts_are_per_process():
    result = run_manage("check", "--deploy", **PRODUCTION)
    assert "axes.W001" in result.stderr


def env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_the_env_example_secret_key_refuses_to_start():
    result = run_manage("check", **PRODUCTION | {"SECRET_KEY": env_example()["SECRET_KEY"]})
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is still the .env.example placeholder" in result.stderr


def test_malformed_encryption_key_refuses_to_start():
    good = Fernet.generate_key().decode()
    for keys in ("not-a-fernet-key", f"{good},{good[:-4]}"):
        result = run_manage("check", **PRODUCTION | {"SECRETS_ENCRYPTION_KEYS": keys})
        assert result.returncode != 0
        assert "ImproperlyConfigured: SECRETS_ENCRYPTION_KEYS must be" in result.stderr
        assert keys not in result.stderr


def conn_max_age(**env: str) -> int:
    code = "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    result = run_manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1])


def test_development_closes_database_connections_after_each_request():
    # runserver serves each request on a new thread: kept connections would pile up per thread.
    assert conn_max_age(DEBUG="1") == 0
    assert conn_max_age(**PRODUCTION) == 60
    assert conn_max_age(DEBUG="1", DATABASE_CONN_MAX_AGE="30") == 30


def test_development_checks_are_quiet_without_redis():
    result = run_manage("check", "--fail-level", "WARNING", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "axes.W001" not in result.stderr


def test_manage_commands_say_nothing_about_axes_starting():
    """django-axes announces itself ("AXES: BEGIN …") on every start unless told not to."""
    result = run_manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "AXES" not in result.stdout + result.stderr
