"""Failed logins are throttled per account and per client address, through the cache."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def attempt(email: str, password: str, address: str):
    return Client().post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def fail(email: str, address: str, times: int = 10) -> list[int]:
    return [attempt(email, "wrong-password", address).status_code for _ in range(times)]


def assert_locked_out(response) -> None:
    assert response.status_code == 429
    html = response.content.decode()
    assert "Try again in 15 minutes" in html and 'class="auth-card"' in html
    assert response["Retry-After"] == "900"


def test_ten_wrong_passwords_lock_the_account_and_the_address(owner, contributor):
    assert fail(owner.email, "10.0.0.1", times=9) == [200] * 9
    assert attempt(owner.email, PASSWORD, "10.0.0.1").status_code == 302  # 9 failures: still in
    assert fail(owner.email, "10.0.0.1", times=10) == [200] * 9 + [429]  # the 10th locks
    assert_locked_out(attempt(owner.email, PASSWORD, "10.0.0.1"))
    assert_locked_out(attempt(owner.email, PASSWORD, "10.0.0.2"))  # the account, anywhere
    assert_locked_out(attempt(contributor.email, PASSWORD, "10.0.0.1"))  # the address
    assert attempt(contributor.email, PASSWORD, "10.0.0.2").status_code == 302


def test_spraying_many_accounts_from_one_address_locks_the_address(owner, contributor):
    for i in range(10):
        fail(f"nobody{i}@example.com", "10.0.0.9", times=1)
    assert_locked_out(attempt(owner.email, PASSWORD, "10.0.0.9"))
    assert attempt(contributor.email, PASSWORD, "10.0.0.8").status_code == 302


def test_one_account_from_many_addresses_locks_the_account_whatever_the_case(owner):
    for i in range(10):
        fail(owner.email.upper() if i % 2 else owner.email, f"10.0.1.{i}", times=1)
    assert_locked_out(attempt(owner.email, PASSWORD, "10.0.2.1"))


def test_the_lockout_lapses_after_the_cool_off(owner, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    fail(owner.email, "10.0.0.1")
    assert attempt(owner.email, PASSWORD, "10.0.0.1").status_code == 429
    time.sleep(1.1)
    assert attempt(owner.email, PASSWORD, "10.0.0.1").status_code == 302


def test_the_admin_login_is_throttled_too(staff):
    for _ in range(10):
        Client().post("/admin/login/", {"username": staff.email, "password": "nope"})
    response = Client().post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert_locked_out(response)


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(owner, contributor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(10):  # whatever the client claims on the left, the proxy's entry counts
        Client().post(
            LOGIN,
            {"username": f"nobody{i}@example.com", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 203.0.113.7",
            REMOTE_ADDR="10.0.0.1",
        )
    locked = Client().post(
        LOGIN,
        {"username": owner.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        REMOTE_ADDR="10.0.0.1",
    )
    assert_locked_out(locked)
    other = Client().post(
        LOGIN,
        {"username": contributor.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.8",
        REMOTE_ADDR="10.0.0.1",  # the same proxy, another client
    )
    assert other.status_code == 302
