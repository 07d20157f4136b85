"""What a member's row says and where it puts the keyboard focus: role changes (with the
warning before an owner promotion clears an allowlist), the access badge, Cancel, Remove."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.template import Context, Template
from django.utils import timezone

from catalog.models import PlatformModel
from orgs.models import Access, Membership, ModelAccessEvent, access_summary

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
WARNING = (
    "Owners always have every platform model: their current list of 2 models will be cleared. "
    "If they stop being an owner later, they keep every platform model."
)


def m(user) -> Membership:
    return Membership.objects.get(user=user, org__slug="acme")


def role_url(user) -> str:
    return f"/orgs/acme/members/{user.pk}/role/"


@pytest.fixture
def restricted_to_two(restricted):
    Membership.objects.filter(user=restricted).update(
        allowed_model_ids=["dn/claude-opus-4-6", "dn/gpt-5.2"]
    )
    return restricted


def test_role_form_of_a_restricted_member_warns_before_promotion(
    client, owner, restricted_to_two, contributor
):
    client.force_login(owner)
    html = unescape(client.get("/orgs/acme/members/").content.decode())
    assert html.count(WARNING) == 1  # the unrestricted contributor's row has no warning
    assert f'aria-describedby="owner-warning-{restricted_to_two.pk}"' in html
    assert 'name="clear_list"' in html


@pytest.mark.parametrize("headers", [HTMX, {}])
def test_promotion_that_clears_a_list_needs_confirming(client, owner, restricted_to_two, headers):
    client.force_login(owner)
    response = client.post(
        role_url(restricted_to_two), {"role": "owner"}, follow=not headers, **headers
    )
    html = unescape(response.content.decode())
    assert f"{WARNING} Tick “Clear their list” to confirm." in html
    assert (m(restricted_to_two).role, len(m(restricted_to_two).allowed_model_ids)) == (
        "contributor",
        2,
    )
    assert not ModelAccessEvent.objects.exists()


def test_refused_promotion_keeps_owner_chosen_and_focuses_the_message(
    client, owner, restricted_to_two
):
    client.force_login(owner)
    html = client.post(role_url(restricted_to_two), {"role": "owner"}, **HTMX).content.decode()
    assert '<option value="owner" selected>' in html
    assert 'role="alert" tabindex="-1" autofocus>' in html


def test_confirmed_promotion_clears_the_list_and_says_so(client, owner, restricted_to_two):
    client.force_login(owner)
    data = {"role": "owner", "clear_list": "on"}
    html = client.post(role_url(restricted_to_two), data, **HTMX).content.decode()
    assert (
        "restricted@example.com is now an owner. Their list of 2 models was cleared: they "
        "have every platform model."
    ) in html
    assert 'role="status" tabindex="-1" autofocus>' in html
    assert m(restricted_to_two).allowed_model_ids is None


def test_promoting_an_unrestricted_member_needs_no_confirmation(client, owner, contributor):
    client.force_login(owner)
    html = client.post(role_url(contributor), {"role": "owner"}, **HTMX).content.decode()
    assert "member@example.com is now an owner." in html and "was cleared" not in html
    assert m(contributor).role == "owner"


@pytest.mark.parametrize(
    ("role", "phrase"), [("reader", "a reader"), ("contributor", "a contributor")]
)
def test_role_messages_read_as_sentences(client, owner, co_owner, role, phrase):
    client.force_login(owner)
    html = client.post(role_url(co_owner), {"role": role}, **HTMX).content.decode()
    assert f"co@example.com is now {phrase}." in html


def test_badge_counts_only_deployed_models(client, reader, restricted_to_two, platform_models):
    PlatformModel.objects.filter(model_id="dn/claude-opus-4-6").update(is_active=False)
    client.force_login(reader)
    html = client.get("/orgs/acme/members/").content.decode()
    assert '<span class="badge badge-warn">1 platform model</span>' in html
    assert "1 no longer deployed</span>" in html
    assert "2 platform models" not in html


def test_list_of_only_retired_models_is_no_platform_models(
    client, reader, restricted, platform_models
):
    PlatformModel.objects.filter(model_id="dn/claude-opus-4-6").update(is_active=False)
    client.force_login(reader)
    html = client.get("/orgs/acme/members/").content.decode()
    assert '<span class="badge badge-danger">No platform models</span>' in html
    assert "1 no longer deployed" in html


@pytest.mark.parametrize(
    ("allowed", "deployed", "text", "sentence"),
    [
        (None, set(), "All platform models", "All platform models"),
        ([], {"a"}, "No platform models", "No platform models"),
        (["a"], {"a"}, "1 platform model", "1 platform model"),
        (
            ["a", "b", "c"],
            {"a", "b"},
            "2 platform models",
            "2 platform models (and 1 no longer deployed)",
        ),
        (["b", "c"], {"a"}, "No platform models", "No platform models (and 2 no longer deployed)"),
    ],
)
def test_access_texts(allowed, deployed, text, sentence):
    access = Access.of(allowed, deployed)
    assert (str(access), access.sentence) == (text, sentence)


@pytest.mark.parametrize(
    ("allowed", "text"), [([], "No platform models"), (["a"] * 2, "2 platform models")]
)
def test_stored_allowlist_summary(allowed, text):
    assert access_summary(allowed) == text


def test_editor_in_a_row_focuses_its_first_control(client, owner, restricted):
    client.force_login(owner)
    html = client.get(f"/orgs/acme/members/{restricted.pk}/access/", **HTMX).content.decode()
    assert 'name="allow_all" value="on" autofocus>' in html
    assert f'hx-get="/orgs/acme/members/{restricted.pk}/"' in html  # Cancel swaps the row back


def test_editor_on_its_own_page_is_a_plain_form(client, owner, restricted):
    # Its page has no member row for htmx to swap: Save and Cancel work as plain links/forms.
    client.force_login(owner)
    html = client.get(f"/orgs/acme/members/{restricted.pk}/access/").content.decode()
    assert "<h1>Model access</h1>" in html
    assert "hx-post" not in html.split('class="access-editor"')[0].rsplit("<form", 1)[1]
    assert f'hx-get="/orgs/acme/members/{restricted.pk}/"' not in html


def test_cancel_swaps_the_row_back_with_focus_on_model_access(client, owner, restricted):
    client.force_login(owner)
    response = client.get(f"/orgs/acme/members/{restricted.pk}/", **HTMX)
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="member-{restricted.pk}">')
    assert f'aria-label="Model access for {restricted.email}" autofocus>' in html
    assert "HX-Request" in response["Vary"]


def test_row_url_without_htmx_goes_to_the_members_page(client, owner, restricted):
    client.force_login(owner)
    response = client.get(f"/orgs/acme/members/{restricted.pk}/")
    assert (response.status_code, response["Location"]) == (302, "/orgs/acme/members/")


def test_remove_is_confirmed_in_the_page_not_a_dialog(client, owner, contributor):
    client.force_login(owner)
    html = client.get("/orgs/acme/members/").content.decode()
    assert "hx-confirm" not in html
    assert (
        f'<summary class="btn btn-small btn-danger" aria-label="Remove {contributor.email}">'
        in html
    )
    assert (
        "Remove member@example.com from Acme Corp? They lose its platform models at once." in html
    )


def test_members_and_audit_show_relative_times_with_the_exact_time(client, owner, contributor):
    client.force_login(owner)
    client.post(role_url(contributor), {"role": "reader"})
    time = re.compile(
        r'<time datetime="\d{4}-\d\d-\d\dT[\d:.]+\+00:00" title="[^"]+ UTC">just now</time>'
    )
    for url in ("/orgs/acme/members/", "/orgs/acme/audit/"):
        assert time.search(client.get(url).content.decode()), url


@pytest.mark.parametrize(
    "moment", [None, timedelta(0), timedelta(minutes=90), timedelta(days=400, hours=5)]
)
def test_ago_shows_what_the_time_include_shows(moment):
    # The account pages still include settings/_time.html: both must say the same.
    t = None if moment is None else timezone.now() - moment
    include = Template('{% include "settings/_time.html" %}').render(Context({"t": t}))
    assert Template("{% load orgs_tags %}{% ago t %}").render(Context({"t": t})) == include.strip()


def test_audit_cells_carry_their_column_label(client, owner, contributor):
    client.force_login(owner)
    client.post(role_url(contributor), {"role": "reader"})
    html = client.get("/orgs/acme/audit/").content.decode()
    for label in ("When", "Who", "Member", "Change", "Via"):
        assert html.count(f'data-label="{label}"') == 1


def test_warning_for_a_list_of_no_models(restricted):
    Membership.objects.filter(user=restricted).update(allowed_model_ids=[])
    assert "their current list, which gives them no platform models, will be cleared." in (
        m(restricted).owner_warning
    )


def test_refused_unknown_role_keeps_the_current_role_selected(client, owner, contributor):
    client.force_login(owner)
    html = client.post(role_url(contributor), {"role": "boss"}, **HTMX).content.decode()
    assert '<option value="contributor" selected>' in html
