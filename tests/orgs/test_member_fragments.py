"""Member rows (kept with their page of members) and the bulk checklist (a fragment) come from
the cache: never stale, never someone else's view of a row, and with this request's CSRF token
in every form."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from accounts.models import User
from catalog import caching
from catalog.models import PlatformModel
from orgs import services
from orgs.models import Membership, Role
from orgs.signals import org as org_version
from orgs.views import rows
from settings_app import fragments
from settings_app.fragments import CSRF_PLACEHOLDER
from tests.helpers import outlast_the_cache

pytestmark = pytest.mark.django_db
# The members page with the test cache and as production runs without Redis (nothing shared).
SHARED_OR_NOT = pytest.mark.parametrize("cache_backend", ["locmem", "unshared"], indirect=True)
HTMX = {"HTTP_HX_REQUEST": "true"}
WEB = "web"


def membership(user) -> Membership:
    return Membership.objects.select_related("org", "user").get(user=user, org__slug="acme")


def row_of(html: str, user) -> str:
    """The member's <tr>, which must be on the page."""
    found = re.search(rf'<tr id="member-{user.pk}">.*?</tr>', html, re.S)
    assert found, f"no row for {user.email}"
    return found.group(0)


def page(client) -> str:
    return client.get("/orgs/acme/members/").content.decode()


@pytest.fixture
def rendered():
    """How many fragments were rendered (not served from the cache)."""
    with mock.patch.object(fragments, "render_to_string", wraps=render_to_string) as spy:
        yield spy


@pytest.fixture
def rendered_rows():
    """The member rows rendered (not served from the cache), by the user id in each."""
    with mock.patch.object(rows, "render_to_string", wraps=render_to_string) as spy:
        yield lambda: [c.args[1]["user_id"] for c in spy.call_args_list if c.args[0] == rows.ROW]


def without_tokens(html: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|"x-csrftoken": ")[^"]+', r"\1", html)


def test_a_second_view_renders_only_the_viewers_own_row(
    client, owner, contributor, rendered, rendered_rows
):
    # So the tests below see what the cache serves, not a fresh rendering.
    client.force_login(owner)
    first = page(client)
    # The search box, the invitation form and the bulk checklist; the two rows for any owner,
    # then the owner's own (the list around the rows, the invitations and the page's chrome
    # are rendered on every view).
    assert rendered.call_count == 3
    assert sorted(rendered_rows()) == sorted([str(owner.pk), str(contributor.pk), str(owner.pk)])
    rendered.reset_mock()
    assert without_tokens(page(client)) == without_tokens(first)
    assert rendered.call_count == 0
    assert rendered_rows()[3:] == [str(owner.pk)]


# (a) A change to what a row shows is on the very next view, however it was made.


@SHARED_OR_NOT
def test_changes_through_the_services_show_at_once(
    cache_backend, client, owner, contributor, platform_models
):
    client.force_login(owner)
    before = row_of(page(client), contributor)
    assert '<option value="contributor" selected>' in before
    assert "All platform models" in before

    services.set_role(membership=membership(contributor), role=Role.READER, actor=owner, via=WEB)
    services.set_model_access(
        membership=membership(contributor),
        allowed_model_ids=["dn/gpt-5.2"],
        actor=owner,
        via=WEB,
    )
    after = row_of(page(client), contributor)
    assert '<option value="reader" selected>' in after
    assert '<span class="badge badge-warn">1 platform model</span>' in after
    assert f'value="{contributor.pk}:1"' in after  # the access version the bulk form sends


@SHARED_OR_NOT
def test_changes_by_queryset_update_show_once_the_cache_bound_passed(
    cache_backend, client, owner, contributor, platform_models, time_machine
):
    # .update() sends no signal: the page's members are read again within caching.TTL.
    time_machine.move_to(timezone.now(), tick=True)
    client.force_login(owner)
    assert "member@example.com" in row_of(page(client), contributor)

    Membership.objects.filter(user=contributor).update(
        role=Role.READER, allowed_model_ids=[], access_version=7
    )
    User.objects.filter(pk=contributor.pk).update(email="renamed@example.com", name="Ren Amed")
    outlast_the_cache("update(", time_machine)
    after = row_of(page(client), contributor)
    assert '<option value="reader" selected>' in after
    assert '<span class="badge badge-danger">No platform models</span>' in after
    assert "renamed@example.com" in after and "Ren Amed" in after
    assert "member@example.com" not in after
    assert f'value="{contributor.pk}:7"' in after


def test_a_model_leaving_the_platform_shows_in_the_badge_at_once(
    client, owner, restricted, platform_models
):
    client.force_login(owner)
    assert "1 platform model</span>" in row_of(page(client), restricted)
    undeployed = PlatformModel.objects.get(model_id="dn/claude-opus-4-6")
    undeployed.is_active = False
    undeployed.save()
    after = row_of(page(client), restricted)
    assert '<span class="badge badge-danger">No platform models</span>' in after
    assert "1 no longer deployed</span>" in after


def test_the_joined_time_moves_on(client, owner, contributor, time_machine):
    time_machine.move_to(timezone.now(), tick=True)
    client.force_login(owner)
    assert "just now" in row_of(page(client), contributor)
    Membership.objects.filter(user=contributor).update(joined_at=timezone.now() - timedelta(days=3))
    outlast_the_cache("update(", time_machine)
    assert "3\xa0days ago" in row_of(page(client), contributor)


def checklist_label(html: str, model_id: str) -> str:
    bulk = html.split('id="bulk-form"')[1].split("</form>")[0]
    found = re.search(rf'<label data-model="{model_id} .*?</label>', bulk)
    return found.group(0) if found else ""


def test_the_bulk_checklist_follows_the_deployed_list(client, owner, platform_models):
    PlatformModel.objects.filter(model_id="dn/gemini-3-pro").update(
        first_seen_at=timezone.now() - timedelta(days=3)
    )
    client.force_login(owner)
    html = page(client)
    assert checklist_label(html, "dn/gpt-5.2")
    assert "New</span>" in checklist_label(html, "dn/gemini-3-pro")

    undeployed = PlatformModel.objects.get(model_id="dn/gpt-5.2")
    undeployed.is_active = False
    undeployed.save()
    PlatformModel.objects.filter(model_id="dn/gemini-3-pro").update(
        first_seen_at=timezone.now() - timedelta(days=15)
    )
    html = page(client)
    assert not checklist_label(html, "dn/gpt-5.2")
    assert "New</span>" not in checklist_label(html, "dn/gemini-3-pro")


# (b) The same row, seen by someone else, is that person's view of it.


def test_you_and_owner_controls_belong_to_the_viewer(client, owner, co_owner, contributor):
    client.force_login(owner)
    as_owner = page(client)
    client.force_login(contributor)
    as_contributor = page(client)
    client.force_login(co_owner)
    as_co_owner = page(client)

    assert 'badge">you<' in row_of(as_owner, owner)
    assert 'badge">you<' not in row_of(as_contributor, owner)
    assert 'badge">you<' not in row_of(as_co_owner, owner)
    assert 'badge">you<' in row_of(as_contributor, contributor)
    assert 'badge">you<' in row_of(as_co_owner, co_owner)

    controls = (f"Model access for {contributor.email}", f"Remove {contributor.email}", "role-form")
    for html in (as_owner, as_co_owner):
        assert all(c in row_of(html, contributor) for c in controls)
    for control in controls:
        assert control not in as_contributor
    assert 'name="members"' not in as_contributor
    # An owner has no controls over themself, and the other owner's row has them.
    assert "role-form" not in row_of(as_owner, owner)
    assert "role-form" in row_of(as_co_owner, owner)
    assert "role-form" not in row_of(as_co_owner, co_owner)


def test_a_single_row_answer_is_the_viewers_too(client, owner, co_owner, contributor):
    client.force_login(co_owner)
    page(client)
    client.force_login(owner)
    row = client.get(f"/orgs/acme/members/{co_owner.pk}/", **HTMX).content.decode()
    assert 'badge">you<' not in row
    assert f"Remove {co_owner.email}" in row


# (c) Every form carries this request's CSRF token, and it works.


def forms_of(html: str) -> list[str]:
    return re.findall(r'<form method="post".*?</form>', html, re.S)


def tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


@pytest.mark.parametrize(
    "url",
    ["/orgs/acme/members/", "/orgs/acme/members/{restricted}/access/", "/orgs/acme/settings/"],
)
def test_every_form_has_the_real_token(client, owner, contributor, restricted, url):
    from orgs import invitations

    org = owner.memberships.get().org  # a pending invitation: its Resend and Revoke forms
    invitations.invite(
        org=org, email="guest@example.com", role="reader", actor=owner, via=WEB, link="/"
    )
    client.force_login(owner)
    page(client)  # rows in the cache, rendered for another request
    html = client.get(url.format(restricted=restricted.pk)).content.decode()
    assert str(CSRF_PLACEHOLDER) not in html
    assert len(forms_of(html)) >= 2
    for form in forms_of(html):
        assert len(tokens(form)) == 1, form


def test_a_page_masks_one_token_for_all_its_forms(client, owner, contributor):
    """Masking costs 32 random draws: the page's own forms and its fragments' share one."""
    client.force_login(owner)
    html = client.get("/orgs/acme/members/").content.decode()
    assert len(tokens(html)) > 3
    assert len(set(tokens(html))) == 1


@pytest.mark.parametrize("path", ["", "access/"])
def test_htmx_rows_have_the_real_token(client, owner, restricted, path):
    client.force_login(owner)
    html = client.get(f"/orgs/acme/members/{restricted.pk}/{path}", **HTMX).content.decode()
    assert str(CSRF_PLACEHOLDER) not in html
    assert tokens(html) and len(tokens(html)) == len(forms_of(html))


def test_a_rows_form_posts_with_the_token_it_carries(owner, contributor):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    strict.get("/orgs/acme/members/")  # the rows are cached now, with the placeholder
    html = strict.get("/orgs/acme/members/").content.decode()
    role_form = next(f for f in forms_of(html) if f"/{contributor.pk}/role/" in f)
    [token] = tokens(role_form)
    response = strict.post(
        f"/orgs/acme/members/{contributor.pk}/role/",
        {"role": "reader", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert membership(contributor).role == Role.READER
    refused = strict.post(
        f"/orgs/acme/members/{contributor.pk}/role/",
        {"role": "contributor", "csrfmiddlewaretoken": str(CSRF_PLACEHOLDER)},
    )
    assert refused.status_code == 403


# (d) The list around the rows and the pending invitations are kept under the org's version.


@SHARED_OR_NOT
def test_members_joining_and_leaving_show_at_once(
    cache_backend, client, owner, contributor, platform_models
):
    client.force_login(owner)
    assert "member@example.com" in page(client)
    newcomer = User.objects.create_user("newcomer@example.com", "pw")
    Membership.objects.bulk_create(
        [Membership(org=contributor.memberships.get().org, user=newcomer)]
    )
    Membership.objects.filter(user=contributor).delete()
    html = page(client)
    assert f'id="member-{newcomer.pk}"' in html
    assert f'id="member-{contributor.pk}"' not in html


@SHARED_OR_NOT
def test_invitations_show_and_go_at_once(cache_backend, client, owner):
    from orgs import invitations
    from orgs.models import Invitation

    client.force_login(owner)
    assert "Pending invitations" not in page(client)
    org = owner.memberships.get().org
    invitations.invite(
        org=org, email="guest@example.com", role="reader", actor=owner, via=WEB, link="/"
    )
    assert "guest@example.com" in page(client)
    invitation = Invitation.objects.get(email="guest@example.com")
    invitation.expires_at = timezone.now()
    invitation.save()
    assert '<span class="badge badge-danger">expired</span>' in page(client)
    Invitation.objects.filter(email="guest@example.com").delete()
    assert "Pending invitations" not in page(client)


def test_the_heading_counts_the_members_the_search_finds(client, owner, contributor):
    client.force_login(owner)
    heading = re.compile(r'<h2 id="members-heading">Members <span class="badge">(\d+)</span>')
    assert heading.search(page(client))[1] == "2"
    html = client.get("/orgs/acme/members/", {"q": "member@"}).content.decode()
    assert heading.search(html)[1] == "1"
    Membership.objects.filter(user=contributor).delete()
    assert heading.search(page(client))[1] == "1"


def test_each_orgs_list_is_its_own_even_under_equal_versions(client, owner, contributor):
    """Entries are named by what they hold; versions only say whether they are current."""
    from django.core.cache import cache

    from orgs.models import Organization
    from orgs.signals import org

    acme = Organization.objects.get(slug="acme")
    globex = Organization.objects.create(name="Globex", slug="globex")
    Membership.objects.create(org=globex, user=owner, role=Role.OWNER)
    client.force_login(owner)
    cache.set_many({f"version:{org(acme.pk)}": "same", f"version:{org(globex.pk)}": "same"})
    assert f'id="member-{contributor.pk}"' in page(client)
    html = client.get("/orgs/globex/members/").content.decode()
    assert f'id="member-{contributor.pk}"' not in html and f'id="member-{owner.pk}"' in html


def test_a_login_keeps_the_orgs_lists_but_a_new_name_does_not(client, contributor):
    acme = org_version(membership(contributor).org_id)
    before = caching.version(acme)
    client.force_login(contributor)  # saves last_login
    assert caching.version(acme) == before
    contributor.name = "New Name"
    contributor.save()
    assert caching.version(acme) != before
