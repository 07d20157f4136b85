"""The Groups pages: who may call each URL, what each action does, and bad input refused with
a clear message and nothing changed."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from catalog.templatetags.catalog_tags import dom_id
from orgs import groups
from orgs.models import Group, Membership, ModelAccessEvent

pytestmark = pytest.mark.django_db

# (method, url, data); "{group}" is the group's id, "{member}" a member's user id.
ACTIONS = {
    "list": ("get", "/orgs/acme/groups/", {}),
    "create": ("post", "/orgs/acme/groups/new/", {"name": "Contractors"}),
    "page": ("get", "/orgs/acme/groups/{group}/", {}),
    "rename": ("post", "/orgs/acme/groups/{group}/rename/", {"name": "Science"}),
    "delete": ("post", "/orgs/acme/groups/{group}/delete/", {}),
    "models": (
        "post",
        "/orgs/acme/groups/{group}/models/",
        {"models": ["dn/gpt-5.2"], "version": 0},
    ),
    "add": ("post", "/orgs/acme/groups/{group}/members/add/", {"emails": "member@example.com"}),
    "remove": ("post", "/orgs/acme/groups/{group}/members/{member}/remove/", {}),
}
POSTS = [name for name, (method, _, _) in ACTIONS.items() if method == "post"]
GETS = [name for name, (method, _, _) in ACTIONS.items() if method == "get"]


@pytest.fixture
def group(org, owner, restricted, contributor, platform_models) -> Group:
    group = groups.create_group(org=org, name="Research", actor=owner, via="web")
    groups.add_group_members(
        group=group, memberships=[Membership.objects.get(user=restricted)], actor=owner, via="web"
    )
    return group


def call(client: Client, action: str, group: Group, member, method: str | None = None):
    verb, url, data = ACTIONS[action]
    url = url.format(group=group.pk, member=member.pk)
    return getattr(client, method or verb)(url, data)


def state() -> tuple:
    """Everything a groups action could change."""
    return (
        list(Group.objects.values_list("pk", "name", "allowed_model_ids", "provisioned")),
        sorted(Group.members.through.objects.values_list("group_id", "membership_id")),
        ModelAccessEvent.objects.count(),
    )


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_goes_to_login(client, group, restricted, action):
    before = state()
    response = call(client, action, group, restricted)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert state() == before


@pytest.mark.parametrize("action", ACTIONS)
def test_outsider_gets_404(client, outsider, group, restricted, action):
    client.force_login(outsider)  # owner of another org
    before = state()
    assert call(client, action, group, restricted).status_code == 404
    assert state() == before


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", ["contributor", "reader"])
def test_non_owner_gets_403(client, request, group, restricted, persona, action):
    client.force_login(request.getfixturevalue(persona))
    before = state()
    assert call(client, action, group, restricted).status_code == 403
    assert state() == before


@pytest.mark.parametrize("action", [a for a in ACTIONS if "{group}" in ACTIONS[a][1]])
def test_a_group_of_another_org_is_404(client, owner, other_org, group, restricted, action):
    theirs = groups.create_group(org=other_org, name="Theirs", actor=None, via="web")
    client.force_login(owner)
    before = state()
    assert call(client, action, theirs, restricted).status_code == 404
    assert state() == before


@pytest.mark.parametrize(
    ("action", "method"),
    [(a, m) for a in POSTS for m in ("get", "put", "delete")]
    + [(a, m) for a in GETS for m in ("post", "put", "delete")],
)
def test_other_methods_get_405(client, owner, group, restricted, action, method):
    client.force_login(owner)
    before = state()
    assert call(client, action, group, restricted, method=method).status_code == 405
    assert state() == before


def test_a_post_without_csrf_token_is_refused(owner, group):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    before = state()
    assert client.post("/orgs/acme/groups/new/", {"name": "Sneaky"}).status_code == 403
    assert state() == before


# Working cases.


def test_the_list_shows_name_members_and_what_it_gives(client, owner, group, org):
    groups.set_group_models(group=group, allowed_model_ids=None, actor=owner, via="web")
    groups.create_group(org=org, name="Contractors", actor=owner, via="web")
    groups.create_group(
        org=org,
        name="Interns",
        actor=owner,
        via="web",
        allowed_model_ids=["dn/gpt-5.2", "dn/gemini-3-pro"],
    )
    client.force_login(owner)
    html = client.get("/orgs/acme/groups/").content.decode()
    assert f'<a href="/orgs/acme/groups/{group.pk}/" class="model-name">Research</a>' in html
    assert "All platform models" in html and "No platform models" in html
    assert "2 platform models" in html
    assert "combined with their groups'" in html and "“No platform models”" in html
    assert 'aria-current="page">Groups</a>' in html


def test_owner_creates_a_group(client, owner, group):
    client.force_login(owner)
    response = client.post("/orgs/acme/groups/new/", {"name": "  Contractors "}, follow=True)
    created = Group.objects.get(name="Contractors")
    assert response.redirect_chain == [(f"/orgs/acme/groups/{created.pk}/", 302)]
    assert created.allowed_model_ids == [] and not created.provisioned
    assert "Created group Contractors." in response.content.decode()
    event = ModelAccessEvent.objects.first()
    assert (event.kind, event.group, event.actor, event.via) == (
        "group_created",
        "Contractors",
        owner,
        "web",
    )


def test_owner_renames_a_group(client, owner, group):
    client.force_login(owner)
    response = client.post(
        f"/orgs/acme/groups/{group.pk}/rename/", {"name": "Science"}, follow=True
    )
    assert "Renamed Research to Science." in response.content.decode()
    group.refresh_from_db()
    assert group.name == "Science"
    event = ModelAccessEvent.objects.first()
    assert (event.kind, event.before, event.after) == ("group_renamed", "Research", "Science")


def test_owner_deletes_a_group_and_its_members_lose_what_only_it_gave(
    client, owner, group, restricted
):
    groups.set_group_models(group=group, allowed_model_ids=["dn/gpt-5.2"], actor=owner, via="web")
    client.force_login(owner)
    html = client.get("/orgs/acme/groups/").content.decode()
    assert "Delete the group Research?" in html  # the confirmation, asked without JavaScript
    response = client.post(f"/orgs/acme/groups/{group.pk}/delete/", follow=True)
    assert response.redirect_chain == [("/orgs/acme/groups/", 302)]
    assert "Deleted group Research." in response.content.decode()
    assert not Group.objects.exists()
    member = Membership.objects.get(user=restricted)
    assert member.effective_model_ids == ["dn/claude-opus-4-6"]
    assert ModelAccessEvent.objects.first().kind == "group_deleted"


def test_owner_sets_the_group_models(client, owner, group, restricted):
    client.force_login(owner)
    url = f"/orgs/acme/groups/{group.pk}/models/"
    response = client.post(
        url, {"models": ["dn/gpt-5.2", "dn/gemini-3-pro"], "version": 0}, follow=True
    )
    assert "Saved: Research now gives its members 2 platform models." in response.content.decode()
    group.refresh_from_db()
    assert group.allowed_model_ids == ["dn/gpt-5.2", "dn/gemini-3-pro"]
    member = Membership.objects.get(user=restricted)
    assert member.effective_model_ids == ["dn/claude-opus-4-6", "dn/gpt-5.2", "dn/gemini-3-pro"]
    client.post(url, {"allow_all": "on", "version": 1})
    group.refresh_from_db()
    assert group.allowed_model_ids is None
    client.post(url, {"version": 2})  # nothing ticked: the group gives none
    group.refresh_from_db()
    assert group.allowed_model_ids == []
    kinds = list(
        ModelAccessEvent.objects.filter(kind="group_access").values_list("after", flat=True)
    )
    assert kinds == [[], None, ["dn/gpt-5.2", "dn/gemini-3-pro"]]


def test_saving_the_same_models_says_nothing_changed(client, owner, group):
    client.force_login(owner)
    before = state()
    response = client.post(f"/orgs/acme/groups/{group.pk}/models/", {"version": 0}, follow=True)
    assert (
        "Nothing changed: Research already gives no platform models." in response.content.decode()
    )
    assert state() == before


def test_the_group_page_shows_its_models_checked_and_its_members(client, owner, group, restricted):
    groups.set_group_models(group=group, allowed_model_ids=["dn/gpt-5.2"], actor=owner, via="web")
    client.force_login(owner)
    html = client.get(f"/orgs/acme/groups/{group.pk}/").content.decode()
    assert '<input type="checkbox" name="models" value="dn/gpt-5.2" checked>' in html
    assert '<input type="checkbox" name="models" value="dn/gemini-3-pro">' in html
    assert restricted.email in html and f"Remove {restricted.email} from Research" in html
    assert "saving gives the group Research no platform models at all" in html


def test_owner_adds_members_by_email(client, owner, group, contributor, reader):
    client.force_login(owner)
    response = client.post(
        f"/orgs/acme/groups/{group.pk}/members/add/",
        {"emails": "Member@Example.com, reader@example.com\nrestricted@example.com"},
        follow=True,
    )
    html = response.content.decode()
    assert "Added 2 members to Research: member@example.com, reader@example.com." in html
    assert set(group.members.values_list("user__email", flat=True)) == {
        "member@example.com",
        "reader@example.com",
        "restricted@example.com",
    }
    joined = ModelAccessEvent.objects.filter(kind="group_joined", actor=owner)
    assert sorted(joined.values_list("member_email", flat=True)) == [
        "member@example.com",
        "reader@example.com",
        "restricted@example.com",  # from the fixture
    ]


def test_adding_someone_already_in_says_nothing_changed(client, owner, group, restricted):
    client.force_login(owner)
    before = state()
    response = client.post(
        f"/orgs/acme/groups/{group.pk}/members/add/", {"emails": restricted.email}, follow=True
    )
    assert "Nothing changed: they are already in Research." in response.content.decode()
    assert state() == before


def test_owner_removes_a_member(client, owner, group, restricted):
    client.force_login(owner)
    url = f"/orgs/acme/groups/{group.pk}/members/{restricted.pk}/remove/"
    response = client.post(url, follow=True)
    assert f"Removed {restricted.email} from Research." in response.content.decode()
    assert not group.members.exists()
    assert ModelAccessEvent.objects.first().kind == "group_left"
    before = state()
    response = client.post(url, follow=True)
    assert (
        f"Nothing changed: {restricted.email} isn&#x27;t in Research." in response.content.decode()
    )
    assert state() == before


def test_the_member_chat_models_page_shows_the_group_models(client, owner, group, restricted):
    client.force_login(restricted)
    gpt = f'id="pm-{dom_id("dn/gpt-5.2")}"'
    assert gpt not in client.get("/settings/chat-models/").content.decode()
    owner_client = Client()
    owner_client.force_login(owner)
    owner_client.post(
        f"/orgs/acme/groups/{group.pk}/models/", {"models": ["dn/gpt-5.2"], "version": 0}
    )
    html = client.get("/settings/chat-models/").content.decode()
    assert gpt in html and f'id="pm-{dom_id("dn/claude-opus-4-6")}"' in html
    assert f'id="pm-{dom_id("dn/gemini-3-pro")}"' not in html


# Bad input: a clear message, nothing changed.


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the group a name."),
        ("   ", "Give the group a name."),
        ("x" * 101, "A group name has at most 100 characters."),
        ("research", "Acme Corp already has a group named research."),
        ("RESEARCH ", "Acme Corp already has a group named RESEARCH."),
    ],
)
@pytest.mark.parametrize("action", ["create", "rename-other"])
def test_bad_names_are_refused(client, owner, group, org, name, message, action):
    other = groups.create_group(org=org, name="Other", actor=owner, via="web")
    client.force_login(owner)
    url = (
        "/orgs/acme/groups/new/" if action == "create" else f"/orgs/acme/groups/{other.pk}/rename/"
    )
    before = state()
    response = client.post(url, {"name": name}, follow=True)
    assert message in response.content.decode()
    assert 'class="alert alert-error"' in response.content.decode()
    assert state() == before


def test_renaming_to_its_own_name_in_another_case_is_allowed(client, owner, group):
    client.force_login(owner)
    client.post(f"/orgs/acme/groups/{group.pk}/rename/", {"name": "RESEARCH"})
    group.refresh_from_db()
    assert group.name == "RESEARCH"


@pytest.mark.parametrize(
    ("emails", "message"),
    [
        ("", "Enter the email of a member to add."),
        (
            "nobody@example.com",
            "Not members of Acme Corp: nobody@example.com. Invite them on the Members page first.",
        ),
        ("outsider@example.com", "Not members of Acme Corp: outsider@example.com."),
        ("member@example.com, ghost@example.com", "Not members of Acme Corp: ghost@example.com."),
        ("not an email", "Not members of Acme Corp: not, an, email."),
        (" ".join(f"p{i}@example.com" for i in range(1001)), "Add at most 1000 members at a time."),
    ],
)
def test_bad_emails_are_refused_and_nobody_is_added(
    client, owner, group, outsider, emails, message
):
    client.force_login(owner)
    before = state()
    response = client.post(
        f"/orgs/acme/groups/{group.pk}/members/add/", {"emails": emails}, follow=True
    )
    html = response.content.decode()
    assert message in html
    assert 'class="alert alert-error"' in html
    assert state() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"models": ["dn/not-deployed"], "version": 0},
            "Not platform models: &#x27;dn/not-deployed&#x27;.",
        ),
        (
            {"models": ["openai/gpt-4o"], "version": 0},
            "Not platform models: &#x27;openai/gpt-4o&#x27;.",
        ),
        ({"models": ["dn/gpt-5.2"] * 1001, "version": 0}, "Choose at most"),
    ],
)
def test_bad_models_are_refused_showing_what_was_ticked(client, owner, group, data, message):
    client.force_login(owner)
    before = state()
    response = client.post(f"/orgs/acme/groups/{group.pk}/models/", data)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'class="alert alert-error" role="alert"' in html
    assert state() == before


def test_a_removed_model_stays_valid_while_the_group_lists_it(
    client, owner, group, platform_models
):
    groups.set_group_models(group=group, allowed_model_ids=["dn/gpt-5.2"], actor=owner, via="web")
    platform_models[1].is_active = False
    platform_models[1].save()
    client.force_login(owner)
    html = client.get(f"/orgs/acme/groups/{group.pk}/").content.decode()
    assert "no longer deployed" in html
    client.post(
        f"/orgs/acme/groups/{group.pk}/models/",
        {"models": ["dn/gpt-5.2", "dn/gemini-3-pro"], "version": 1},
    )
    group.refresh_from_db()
    assert group.allowed_model_ids == ["dn/gpt-5.2", "dn/gemini-3-pro"]


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/orgs/acme/groups/new/", {"name": "Nul\x00name"}),
        ("/orgs/acme/groups/{group}/rename/", {"name": "Nul\x00name"}),
        ("/orgs/acme/groups/{group}/members/add/", {"emails": "member@example.com\x00"}),
        ("/orgs/acme/groups/{group}/models/", {"models": ["dn/gpt-5.2\x00"]}),
    ],
)
def test_nul_bytes_are_refused(client, owner, group, url, data):
    client.force_login(owner)
    before = state()
    response = client.post(url.format(group=group.pk), data)
    assert response.status_code == 400
    assert state() == before


# Groups the identity provider manages.


@pytest.fixture
def provisioned(group) -> Group:
    Group.objects.filter(pk=group.pk).update(provisioned=True, external_id="okta-123")
    group.refresh_from_db()
    return group


@pytest.mark.parametrize("action", ["rename", "delete", "add", "remove"])
def test_name_and_members_of_a_provisioned_group_are_read_only(
    client, owner, provisioned, restricted, action
):
    client.force_login(owner)
    before = state()
    response = call(client, action, provisioned, restricted)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert (
        "Managed by your identity provider: changes here would be undone by its next sync." in html
    )
    assert state() == before


def test_a_provisioned_group_page_says_so_and_offers_only_models(client, owner, provisioned):
    client.force_login(owner)
    html = client.get(f"/orgs/acme/groups/{provisioned.pk}/").content.decode()
    assert (
        "Managed by your identity provider: changes here would be undone by its next sync." in html
    )
    assert "Rename group" not in html and "Add to group" not in html
    assert "Remove restricted@example.com from Research" not in html
    assert "Save models" in html
    listing = client.get("/orgs/acme/groups/").content.decode()
    assert "Managed by your identity provider" in listing
    assert "Delete the group Research" not in listing
    client.post(f"/orgs/acme/groups/{provisioned.pk}/models/", {"allow_all": "on", "version": 0})
    provisioned.refresh_from_db()
    assert provisioned.allowed_model_ids is None


# Query counts, constant in the number of groups and of a group's members.


def _members(org, count):
    from tests.helpers import add_members

    add_members(org, count)
    return list(Membership.objects.filter(user__email__startswith="member0").select_related("user"))


@pytest.mark.parametrize("count", [3, 300])
def test_group_page_queries_are_constant(
    client, owner, org, group, django_assert_num_queries, count
):
    groups.add_group_members(group=group, memberships=_members(org, count), actor=owner, via="web")
    client.force_login(owner)
    client.get("/orgs/acme/groups/")  # the person, their orgs and the deployed list, kept
    # The group, its members' count and their page.
    with django_assert_num_queries(3):
        response = client.get(f"/orgs/acme/groups/{group.pk}/", {"page": 2 if count > 50 else 1})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 120])
def test_groups_list_queries_are_constant(
    client, owner, org, group, django_assert_num_queries, count
):
    members = _members(org, 20)
    for i in range(count):
        extra = groups.create_group(org=org, name=f"Team {i:03}", actor=owner, via="web")
        extra.members.add(*members[: i % 5])
    client.force_login(owner)
    client.get("/orgs/acme/members/")  # the person, their orgs and the deployed list, kept
    with django_assert_num_queries(2):  # the groups' count and their page
        response = client.get("/orgs/acme/groups/", {"page": 2 if count > 50 else 1})
    assert response.status_code == 200


def test_an_owner_saving_over_a_change_made_since_is_refused(client, owner, co_owner, group):
    """Two owners open the group's models; the second save must not silently undo the first."""
    url = f"/orgs/acme/groups/{group.pk}/models/"
    other = Client()
    other.force_login(co_owner)
    other.post(url, {"models": ["dn/gpt-5.2"], "version": 0})
    client.force_login(owner)
    before = state()
    response = client.post(url, {"models": ["dn/gemini-3-pro"], "version": 0})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Someone else changed this group's models since you opened the page." in html
    assert "It now gives 1 platform model." in html
    assert state() == before
    group.refresh_from_db()
    assert group.allowed_model_ids == ["dn/gpt-5.2"] and group.access_version == 1


def test_a_models_post_without_its_version_is_refused(client, owner, group):
    client.force_login(owner)
    before = state()
    response = client.post(f"/orgs/acme/groups/{group.pk}/models/", {"models": ["dn/gpt-5.2"]})
    assert response.status_code == 200 and "alert-error" in response.content.decode()
    assert state() == before
