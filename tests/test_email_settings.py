"""Outgoing mail: the console in development, EMAIL_URL in production."""

from __future__ import annotations

from tests.test_settings_env import run_manage

SHOW = (
    "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT,"
    " s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL)"
)


def show(**env: str) -> str:
    result = run_manage("shell", "-c", SHOW, DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_development_prints_mail_to_the_console():
    assert show().startswith("django.core.mail.backends.console.EmailBackend ")


def test_email_url_configures_smtp():
    assert show(EMAIL_URL="smtp://mailer:p%40ss@smtp.example.com:587?tls=1") == (
        "django.core.mail.backends.smtp.EmailBackend smtp.example.com 587 mailer p@ss True False"
    )
    assert show(EMAIL_URL="smtps://smtp.example.com").endswith("smtp.example.com 465   False True")


def test_bad_email_url_is_a_clear_error():
    result = run_manage("check", DEBUG="1", EMAIL_URL="http://nope")
    assert result.returncode != 0
    assert "EMAIL_URL must look like smtp://user:password@host:port." in result.stderr
