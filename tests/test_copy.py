"""Issue 22, point 13: the words pages use. Reset says it removes every model, two active API
keys can't share a name, the login error doesn't call the email case-sensitive, staff find the
admin, "these models" for several, and "just now" rather than "0 minutes ago"."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from accounts.models import ApiKey, EnabledModel
from orgs.models import Membership
from settings_app.time_tags import ago_text

pytestmark = pytest.mark.django_db
CHAT = "/settings/chat-models/"
KEYS = "/settings/api-keys/"


def test_reset_says_it_removes_all_your_models(client, contributor):
    for model_id in ("openai/gpt-4o", "openai/gpt-4.1"):
        EnabledModel.objects.create(user=contributor, model_id=model_id)
    client.force_login(contributor)
    html = client.get(CHAT).content.decode()
    assert "Resetting removes all 2 of your models from your picker" in html
    assert ">Yes, remove all 2 of my models</button>" in html


def test_two_active_api_keys_cannot_share_a_name(client, contributor):
    client.force_login(contributor)
    client.post(KEYS, {"name": "laptop"})
    page = unescape(client.post(KEYS, {"name": "Laptop"}).content.decode())
    assert "You already have a key named “Laptop”. Choose another name, or revoke" in page
    assert ApiKey.objects.filter(user=contributor).count() == 1
    ApiKey.objects.update(revoked_at=timezone.now())  # a revoked key's name is free again
    client.post(KEYS, {"name": "laptop"})
    assert ApiKey.objects.filter(user=contributor).count() == 2


def test_the_login_error_does_not_call_the_email_case_sensitive(client, contributor):
    page = unescape(
        client.post(
            "/accounts/login/", {"username": "member@example.com", "password": "wrong"}
        ).content.decode()
    )
    assert "may be case-sensitive" not in page
    assert (
        "Enter a correct email and password. The password is case-sensitive; the email is not."
    ) in page
    # The email isn't: any case logs in.
    contributor.set_password("right-password")
    contributor.save()
    response = client.post(
        "/accounts/login/", {"username": "MEMBER@Example.com", "password": "right-password"}
    )
    assert response.status_code == 302


def test_staff_have_a_link_to_the_admin_and_others_do_not(client, staff, contributor):
    client.force_login(staff)
    assert '<a href="/admin/">Admin</a>' in client.get(CHAT).content.decode()
    client.force_login(contributor)
    assert '<a href="/admin/">Admin</a>' not in client.get(CHAT).content.decode()


@pytest.mark.parametrize(
    ("listed", "text"),
    [
        (["dn/claude-opus-4-6"], "your org's owners gave you this model."),
        (["dn/claude-opus-4-6", "dn/gpt-5.2"], "your org's owners gave you these models."),
    ],
)
def test_the_reason_agrees_with_the_number_of_models(
    client, restricted, platform_models, listed, text
):
    Membership.objects.filter(user=restricted).update(allowed_model_ids=listed)
    client.force_login(restricted)
    why = unescape(client.get(CHAT).content.decode()).split('id="platform-why">')[1]
    assert why.split("</p>")[0] == f"On your list: {text}"


def test_a_moment_ago_is_just_now():
    now = timezone.now()
    assert ago_text(now - timedelta(seconds=5)) == "just now"
    assert ago_text(now - timedelta(minutes=3)) == "3\xa0minutes ago"
    assert ago_text(None) == "never"
