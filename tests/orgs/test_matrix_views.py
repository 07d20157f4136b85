"""The members × models matrix page: what its cells say, and changes that go through a
preview and a Confirm, version-checked and audited per member. Who may use it is in
test_access_matrix."""

from __future__ import annotations

import re

import pytest

from orgs.models import Membership, ModelAccessEvent
from tests.helpers import add_members

pytestmark = pytest.mark.django_db

PAGE = "/orgs/acme/access/"


def access(email):
    return Membership.objects.get(user__email=email, org__slug="acme").allowed_model_ids


def test_only_owners_see_the_nav_link(client, owner, contributor):
    client.force_login(owner)
    assert 'href="/orgs/acme/access/"' in client.get("/orgs/acme/members/").content.decode()
    client.force_login(contributor)
    assert 'href="/orgs/acme/access/"' not in client.get("/orgs/acme/members/").content.decode()


def cells_of(html: str, email: str) -> list[str]:
    row = re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(email)}(?:(?!</tr>).)*</tr>", html, re.S)
    assert row, email
    return [  # the state, without the model's name (shown on narrow screens only) and the
        # pending state (shown once the box differs from it)
        re.sub(r'<span class="cell-(model|pending)">.*?</span>|<[^>]+>|\s+|✓|✗', "", c)
        for c in re.findall(r'<td class="cell[^"]*">(.*?)</td>', row.group(0), re.S)
    ]


def test_cells_say_all_listed_or_no_and_fixed_rows_have_no_controls(
    client, owner, co_owner, contributor, restricted, platform_models
):
    client.force_login(owner)
    html = client.get(PAGE).content.decode()
    assert cells_of(html, "member@example.com") == ["All", "All", "All"]
    assert cells_of(html, "restricted@example.com") == ["Listed", "No", "No"]
    assert cells_of(html, "owner@example.com") == ["All", "All", "All"]
    assert f'value="{restricted.pk} dn/claude-opus-4-6" form="matrix-cells"' in html
    assert cells_of(html, "co@example.com") == ["All", "All", "All"]
    assert '<span aria-hidden="true">✓</span> All' in html  # an icon besides the colour
    assert '<span class="cell-pending">Allow (not saved)</span>' in html  # shown when ticked
    for fixed in (owner, co_owner):  # your own row, and any owner's
        assert f'value="{fixed.pk} dn/' not in html
        assert f'aria-label="Select {fixed.email}"' not in html


def test_search_filters_the_rows(client, owner, contributor, restricted, platform_models):
    client.force_login(owner)
    html = client.get(PAGE, {"q": "restr"}).content.decode()
    assert "restricted@example.com" in html and "member@example.com" not in html
    fragment = client.get(
        PAGE, {"q": "restr"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="matrix-list"
    )
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="matrix-list">') and "<h1>" not in html
    assert f'value="{restricted.pk} dn/gpt-5.2" form="matrix-cells"' in html


def preview(client, **data):
    return client.post(PAGE + "preview/", data, HTTP_HX_REQUEST="true").content.decode()


def version(user) -> str:
    return f"{user.pk}:{Membership.objects.get(user=user).access_version}"


def test_allow_for_selected_previews_then_saves_on_confirm(
    client, owner, contributor, restricted, reader, platform_models
):
    client.force_login(owner)
    html = preview(
        client,
        kind="allow",
        model="dn/gpt-5.2",
        scope="selected",
        members=[version(restricted), version(contributor), version(owner)],
    )
    assert "1 member gains dn/gpt-5.2" in html
    assert "1 already as asked" in html and "1 owner unchanged" in html
    assert access("restricted@example.com") == ["dn/claude-opus-4-6"]  # nothing saved yet
    versions = re.search(r'name="versions" value="([^"]*)"', html).group(1)
    assert versions == version(restricted)
    response = client.post(
        PAGE + "apply/", {"kind": "allow", "model": "dn/gpt-5.2", "versions": versions}
    )
    assert response.status_code == 302 and response["Location"] == PAGE
    assert access("restricted@example.com") == ["dn/claude-opus-4-6", "dn/gpt-5.2"]
    (event,) = ModelAccessEvent.objects.all()
    assert (event.via, event.actor, event.member_email) == ("web", owner, "restricted@example.com")


def test_disallow_for_everyone_matching_turns_all_into_a_list(
    client, owner, contributor, restricted, platform_models
):
    client.force_login(owner)
    html = preview(client, kind="disallow", model="dn/gpt-5.2", scope="search", q="example")
    assert "1 member loses dn/gpt-5.2" in html
    assert "1 of them have every platform model today" in html
    versions = re.search(r'name="versions" value="([^"]*)"', html).group(1)
    client.post(PAGE + "apply/", {"kind": "disallow", "model": "dn/gpt-5.2", "versions": versions})
    assert access("member@example.com") == ["dn/claude-opus-4-6", "dn/gemini-3-pro"]
    assert access("restricted@example.com") == ["dn/claude-opus-4-6"]
    assert access("owner@example.com") is None


def test_cells_untick_and_tick(client, owner, contributor, restricted, platform_models):
    client.force_login(owner)
    data = {
        "kind": "cells",
        "rows": [version(contributor), version(restricted)],
        "cell": [
            f"{contributor.pk} dn/claude-opus-4-6",
            f"{contributor.pk} dn/gpt-5.2",
            f"{restricted.pk} dn/claude-opus-4-6",
            f"{restricted.pk} dn/gemini-3-pro",
        ],
    }
    html = preview(client, **data)
    assert "1 member gains dn/gemini-3-pro; 1 member loses it" in html
    cells = re.findall(r'name="cell" value="([^"]*)"', html)
    versions = re.search(r'name="versions" value="([^"]*)"', html).group(1)
    client.post(PAGE + "apply/", {"kind": "cells", "cell": cells, "versions": versions})
    assert access("member@example.com") == ["dn/claude-opus-4-6", "dn/gpt-5.2"]
    assert access("restricted@example.com") == ["dn/claude-opus-4-6", "dn/gemini-3-pro"]
    assert ModelAccessEvent.objects.filter(via="web").count() == 2


def test_members_changed_since_the_page_are_skipped(
    client, owner, contributor, restricted, platform_models
):
    client.force_login(owner)
    shown = version(restricted)
    Membership.objects.filter(user=restricted).update(access_version=7)
    html = preview(client, kind="allow", model="dn/gpt-5.2", scope="selected", members=[shown])
    assert "changed since the page was shown, left alone: restricted@example.com" in html
    assert "Confirm" not in html
    # And between the preview and Confirm: the save leaves them alone too.
    client.post(PAGE + "apply/", {"kind": "allow", "model": "dn/gpt-5.2", "versions": shown})
    assert access("restricted@example.com") == ["dn/claude-opus-4-6"]
    assert ModelAccessEvent.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "allow", "model": "dn/nope", "scope": "search"},
        {"kind": "allow", "model": "dn/gpt-5.2", "scope": "selected"},
        {"kind": "cells"},
        {"kind": "zap"},
        {"kind": "allow", "model": "dn/gpt-5.2", "members": ["nope:1"]},
    ],
)
def test_bad_changes_are_explained_without_saving(client, owner, restricted, platform_models, data):
    client.force_login(owner)
    html = preview(client, **data)
    assert 'role="alert"' in html and "Confirm" not in html
    page = client.post(PAGE + "preview/", data)
    assert page.status_code == 200 and "Nothing to preview" in page.content.decode()
    assert ModelAccessEvent.objects.count() == 0


def test_preview_without_javascript_is_a_page(client, owner, restricted, platform_models):
    client.force_login(owner)
    response = client.post(
        PAGE + "preview/", {"kind": "allow", "model": "dn/gpt-5.2", "scope": "search"}
    )
    html = response.content.decode()
    assert "<h1>Review model access changes</h1>" in html and "Confirm and save" in html


@pytest.mark.parametrize("count", [1, 60])
def test_page_queries_are_constant(
    client, owner, org, platform_models, django_assert_num_queries, count
):
    add_members(org, count)
    client.force_login(owner)
    client.get(PAGE)
    with django_assert_num_queries(2):  # the person, their orgs and the nav's count are kept
        response = client.get(PAGE)
    assert response.status_code == 200


def test_export_from_the_page_downloads_the_file(client, owner, restricted, platform_models):
    client.force_login(owner)
    response = client.get(PAGE + "export.csv")
    assert response["Content-Disposition"] == 'attachment; filename="acme-model-access.csv"'
    assert "restricted@example.com,contributor,dn/claude-opus-4-6" in response.content.decode()
    assert client.get(PAGE + "export.xml").status_code == 404
