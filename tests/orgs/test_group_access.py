"""Issue 23, point 2: a member's effective access (own ∪ groups') is what the picker, the API
and the gateway answer, and where the Chat Models page and access requests explain access,
the why names the group."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from catalog.templatetags.catalog_tags import dom_id
from orgs import gateway, groups
from orgs.models import AccessRequest, Group, Membership, ModelAccessEvent
from tests.helpers import ApiClient

pytestmark = pytest.mark.django_db
WEB = ModelAccessEvent.Via.WEB
CHAT = "/settings/chat-models/"
OWN = "dn/claude-opus-4-6"
GPT = "dn/gpt-5.2"


@pytest.fixture(autouse=True)
def _fresh_marks(monkeypatch):
    monkeypatch.setattr(gateway, "_marked", {})


def membership(user) -> Membership:
    return Membership.objects.select_related("user").get(user=user)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def research(org) -> Group:
    return groups.create_group(
        org=org, name="Research", actor=None, via=WEB, allowed_model_ids=[GPT]
    )


def join(group: Group, user) -> None:
    groups.add_group_members(group=group, memberships=[membership(user)], actor=None, via=WEB)


def answers(user) -> dict[str, list[str]]:
    """The platform ids the picker (preferences), /inference and the gateway give `user`."""
    api = ApiClient(user)
    preferences = api.get("/user/preferences").json()["models"]
    gateway_answer = api.get("/gateway/access").json()
    return {
        "preferences": sorted(m["id"] for m in preferences if m["id"].startswith("dn/")),
        "inference": sorted(m["id"] for m in api.get("/inference").json()["models"]),
        "gateway": sorted(gateway_answer["models"])
        + (["*"] if gateway_answer["all_models"] else []),
    }


def test_a_group_gives_its_models_to_the_picker_the_api_and_the_gateway(restricted, research):
    assert set(map(tuple, answers(restricted).values())) == {(OWN,)}
    join(research, restricted)
    assert set(map(tuple, answers(restricted).values())) == {tuple(sorted([OWN, GPT]))}
    groups.remove_group_members(
        group=research, memberships=[membership(restricted)], actor=None, via=WEB
    )
    assert set(map(tuple, answers(restricted).values())) == {(OWN,)}


def test_a_group_with_every_model_gives_every_model_everywhere(restricted, research):
    groups.set_group_models(group=research, allowed_model_ids=None, actor=None, via=WEB)
    join(research, restricted)
    got = answers(restricted)
    assert len(got["preferences"]) == len(got["inference"]) == 3
    assert got["gateway"][-1] == "*"
    body = ApiClient(restricted).get("/inference/access").json()
    assert body["restricted"] is False
    assert {m["reason"] for m in body["models"]} == {"listed", "group"}


def test_a_deactivated_member_gets_nothing_from_the_api_or_the_gateway(restricted, research):
    join(research, restricted)
    api = ApiClient(restricted)
    member = membership(restricted)
    member.is_active = False
    member.save()
    assert api.get("/inference").json()["models"] == []
    answer = api.get("/gateway/access").json()
    assert answer["models"] == [] and answer["all_models"] is False


def test_the_chat_models_page_names_the_group_that_gives_a_model(restricted, research):
    join(research, restricted)
    html = unescape(logged_in(restricted).get(CHAT).content.decode())
    gpt = html[html.index(f'<tr id="pm-{dom_id(GPT)}"') :]
    assert "from group Research" in gpt[: gpt.index("</tr>")]
    own = html[html.index(f'<tr id="pm-{dom_id(OWN)}"') :]
    assert "from group" not in own[: own.index("</tr>")]
    assert "On your list or from your groups" in html
    # The locked row says what would give access: their list or a group.
    locked = html[html.index(f'<tr id="locked-{dom_id("dn/gemini-3-pro")}"') :]
    assert (
        "Not on your list, nor given by group Research: an owner can add it to your list"
        in (locked[: locked.index("</tr>")])
    )
    # The spec's banner, word for word.
    assert "Your org has restricted available models. Contact your org owner for changes." in html


def test_the_inference_access_api_names_the_reason_group(restricted, research):
    join(research, restricted)
    rows = {m["id"]: m for m in ApiClient(restricted).get("/inference/access").json()["models"]}
    assert rows[GPT]["reason"] == "group" and rows[GPT]["allowed"] is True
    assert rows[OWN]["reason"] == "listed"
    assert rows["dn/gemini-3-pro"]["reason"] == "not_listed"


def test_a_model_a_group_gives_is_not_requestable(restricted, research):
    join(research, restricted)
    client = logged_in(restricted)
    response = client.post("/orgs/acme/requests/new/", {"model_id": GPT})
    assert response.status_code == 302
    page = unescape(client.get(response.url).content.decode())
    assert f"You can already use {GPT}: your group Research gives it." in page
    assert not AccessRequest.objects.exists()
    api = ApiClient(restricted).post("/org/acme/access-requests", {"model_id": GPT})
    assert api.status_code == 409 and not AccessRequest.objects.exists()


@pytest.fixture
def pending(restricted, owner) -> AccessRequest:
    return AccessRequest.objects.create(
        org=Membership.objects.get(user=restricted).org, member=restricted, model_id=GPT
    )


def test_an_owner_approves_by_adding_to_a_group_without_javascript(
    pending, owner, restricted, research, org
):
    groups.create_group(org=org, name="Nothing", actor=None, via=WEB)  # gives no GPT: not offered
    html = unescape(logged_in(owner).get("/orgs/acme/requests/").content.decode())
    assert "Adding them to group Research" in html and "group Nothing" not in html
    response = logged_in(owner).post(
        f"/orgs/acme/requests/{pending.pk}/approve/", {"group": str(research.pk)}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.note == "Added to group Research."
    member = Membership.objects.prefetch_related("groups").get(user=restricted)
    assert member.allowed_model_ids == [OWN]  # their own list is unchanged
    assert [g.name for g in member.groups.all()] == ["Research"]
    event = ModelAccessEvent.objects.get(kind="group_joined")
    assert (event.actor, event.member_email, event.group) == (owner, restricted.email, "Research")
    assert GPT in answers(restricted)["gateway"]


@pytest.mark.parametrize("value", ["abc", "999999", "nothing"])
def test_approving_by_a_group_that_does_not_give_it_changes_nothing(
    pending, owner, restricted, research, org, value
):
    nothing = groups.create_group(org=org, name="Nothing", actor=None, via=WEB)
    value = str(nothing.pk) if value == "nothing" else value
    response = logged_in(owner).post(
        f"/orgs/acme/requests/{pending.pk}/approve/",
        {"group": value},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert not Membership.objects.get(user=restricted).groups.exists()
    assert not ModelAccessEvent.objects.filter(kind="group_joined").exists()


def test_the_requests_page_reads_the_groups_in_one_query(
    pending, owner, research, org, django_assert_num_queries
):
    client = logged_in(owner)
    client.get("/orgs/acme/requests/")
    with django_assert_num_queries(3):  # the org's groups: one query
        client.get("/orgs/acme/requests/")
    for i in range(5):
        group = groups.create_group(org=org, name=f"G{i}", actor=None, via=WEB)
        groups.set_group_models(group=group, allowed_model_ids=None, actor=None, via=WEB)
    client.get("/orgs/acme/requests/")
    with django_assert_num_queries(3):
        html = unescape(client.get("/orgs/acme/requests/").content.decode())
    assert html.count("Adding them to group ") == 6


# The member access editor: their groups beside their own list, which is all it changes.


def test_the_editor_shows_what_groups_give_and_saves_only_their_own_list(
    owner, restricted, research
):
    join(research, restricted)
    url = f"/orgs/acme/members/{restricted.pk}/access/"
    client = logged_in(owner)
    for headers in ({}, {"HX-Request": "true"}):
        html = unescape(client.get(url, headers=headers).content.decode())
        assert "Also from their groups, whatever this list says: group Research gives GPT-5.2." in (
            html
        )
    version = Membership.objects.get(user=restricted).access_version
    client.post(url, {"version": version, "models": ["dn/gemini-3-pro"]})
    member = Membership.objects.prefetch_related("groups").get(user=restricted)
    assert member.allowed_model_ids == ["dn/gemini-3-pro"]
    assert member.effective_model_ids == ["dn/gemini-3-pro", GPT]
    assert [g.name for g in member.groups.all()] == ["Research"]


def test_the_editor_of_a_member_in_no_group_has_no_group_note(owner, restricted, research):
    html = logged_in(owner).get(f"/orgs/acme/members/{restricted.pk}/access/").content.decode()
    assert "Also from their groups" not in html


# The matrix: cells a group gives say so, in text and in the box's accessible name.


def test_matrix_cells_a_group_gives_name_the_group_and_stay_unticked(
    owner, restricted, research, django_assert_num_queries
):
    join(research, restricted)
    html = unescape(logged_in(owner).get("/orgs/acme/access/").content.decode())
    at = html.index(f'value="{restricted.pk} {GPT}"')
    cell = html[html.rindex("<td ", 0, at) : html.index("</td>", at)]
    assert 'class="cell cell-group cell-off"' in cell
    assert (
        f'aria-label="{GPT} for restricted@example.com '
        '(from group Research; not on their own list)"' in cell
    )
    assert "checked" not in cell and "From group Research" in cell


def test_ticking_a_cell_a_group_gives_adds_it_to_their_own_list(owner, restricted, research):
    join(research, restricted)
    client = logged_in(owner)
    version = Membership.objects.get(user=restricted).access_version
    data = {"rows": f"{restricted.pk}:{version}", "kind": "cells"}
    ticked = [f"{restricted.pk} {OWN}", f"{restricted.pk} {GPT}"]
    html = client.post("/orgs/acme/access/preview/", {**data, "cell": ticked}).content.decode()
    assert f"{OWN}, {GPT}" in html  # their own list, after
    client.post("/orgs/acme/access/apply/", {**data, "cell": ticked, "versions": data["rows"]})
    assert Membership.objects.get(user=restricted).allowed_model_ids == [OWN, GPT]


def test_matrix_queries_stay_constant_with_groups(
    owner, org, research, platform_models, django_assert_num_queries
):
    from tests.helpers import add_members

    add_members(org, 60)  # every third has a list of dn/gpt-5.2
    groups.set_group_models(
        group=research, allowed_model_ids=["dn/gemini-3-pro"], actor=None, via=WEB
    )
    groups.add_group_members(
        group=research,
        memberships=list(Membership.objects.filter(user__email__startswith="member0")),
        actor=None,
        via=WEB,
    )
    client = logged_in(owner)
    client.get("/orgs/acme/access/")
    with django_assert_num_queries(3):  # the page's members, their groups, the nav's count
        html = client.get("/orgs/acme/access/").content.decode()
    assert html.count("From group Research</span>") == 17  # of the 50 shown, restricted


# Export and import: groups in the file.


def test_an_org_without_groups_exports_as_before(owner, restricted):
    csv = logged_in(owner).get("/orgs/acme/access/export.csv").content.decode()
    assert csv.splitlines()[0] == "email,role,allowed_model_ids"
    document = ApiClient(owner).get("/org/acme/model-access/export").json()
    assert list(document) == ["members"] and "groups" not in document["members"][0]


def test_the_export_carries_the_groups(owner, restricted, research):
    join(research, restricted)
    csv = logged_in(owner).get("/orgs/acme/access/export.csv").content.decode()
    assert csv.splitlines()[0] == "email,role,allowed_model_ids,groups"
    assert f"restricted@example.com,contributor,{OWN},Research" in csv
    assert "owner@example.com,owner,*," in csv
    document = ApiClient(owner).get("/org/acme/model-access/export").json()
    assert document["groups"] == [
        {"name": "Research", "allowed_model_ids": [GPT], "members": ["restricted@example.com"]}
    ]
    rows = {m["email"]: m for m in document["members"]}
    assert rows["restricted@example.com"]["groups"] == ["Research"]
    assert rows["owner@example.com"]["groups"] == []


def test_importing_groups_sets_allowlists_and_membership(owner, restricted, contributor, org):
    research = groups.create_group(org=org, name="Research", actor=None, via=WEB)
    groups.create_group(org=org, name="Contractors", actor=None, via=WEB)
    join(research, restricted)
    document = {
        "members": [
            {"email": "member@example.com", "allowed_model_ids": None, "groups": ["research"]},
            {"email": "restricted@example.com", "allowed_model_ids": [OWN], "groups": []},
        ],
        "groups": [{"name": "Research", "allowed_model_ids": [GPT], "members": ["ignored"]}],
    }
    api = ApiClient(owner)
    dry = api.post("/org/acme/model-access/import", document)
    assert dry.status_code == 200 and dry.json()["changes"] == []
    assert Group.objects.get(name="Research").allowed_model_ids == []  # a dry run changes nothing
    response = api.post("/org/acme/model-access/import?dry_run=false", document)
    assert response.status_code == 200, response.content
    research.refresh_from_db()
    assert research.allowed_model_ids == [GPT]
    assert [m.user.email for m in research.members.all()] == ["member@example.com"]
    kinds = set(ModelAccessEvent.objects.filter(via="import").values_list("kind", flat=True))
    assert kinds == {"group_access", "group_joined", "group_left"}


def test_a_csv_groups_column_is_imported_through_the_page(owner, restricted, research):
    client = logged_in(owner)
    content = (
        f"email,role,allowed_model_ids,groups\nrestricted@example.com,contributor,{OWN},Research\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("access.csv", content.encode(), "text/csv")
    html = unescape(client.post("/orgs/acme/access/import/", {"file": upload}).content.decode())
    assert "restricted@example.com joins group Research" in html and "Confirm import" in html
    client.post(
        "/orgs/acme/access/import/apply/", {"format": "csv", "content": content, "versions": ""}
    )
    assert research.members.get().user == restricted


@pytest.mark.parametrize(
    "document, error",
    [
        (
            {
                "members": [
                    {
                        "email": "restricted@example.com",
                        "allowed_model_ids": [OWN],
                        "groups": ["Nope"],
                    }
                ]
            },
            "Unknown group: Nope",
        ),
        ({"members": [], "groups": [{"name": "Nope", "allowed_model_ids": []}]}, "Unknown group"),
        (
            {"members": [], "groups": [{"name": "Research", "allowed_model_ids": ["dn/x"]}]},
            "Unknown model",
        ),
        ({"members": [], "groups": [{"name": "", "allowed_model_ids": []}]}, "Malformed group"),
        (
            {
                "members": [
                    {
                        "email": "restricted@example.com",
                        "allowed_model_ids": [],
                        "groups": "Research",
                    }
                ]
            },
            "Malformed row",
        ),
    ],
)
def test_bad_group_data_refuses_the_file_naming_the_row(
    owner, restricted, research, document, error
):
    response = ApiClient(owner).post("/org/acme/model-access/import?dry_run=false", document)
    assert response.status_code == 422
    assert error in response.content.decode()
    assert not ModelAccessEvent.objects.filter(via="import").exists()
    assert research.allowed_model_ids == Group.objects.get().allowed_model_ids


def test_members_of_a_group_the_identity_provider_keeps_are_not_imported(owner, restricted, org):
    synced = groups.create_group(org=org, name="Okta", actor=None, via=WEB, provisioned=True)
    document = {
        "members": [
            {"email": "restricted@example.com", "allowed_model_ids": [OWN], "groups": ["Okta"]}
        ]
    }
    response = ApiClient(owner).post("/org/acme/model-access/import?dry_run=false", document)
    assert response.status_code == 422 and "identity provider" in response.content.decode()
    assert not synced.members.exists()


# The API: members' groups and effective access; the org's groups.


def test_member_objects_carry_groups_and_effective_access(owner, restricted, research):
    join(research, restricted)
    body = ApiClient(owner).get("/org/acme/members").json()
    rows = {m["user_email"]: m for m in body["members"]}
    assert rows["restricted@example.com"]["groups"] == ["Research"]
    assert rows["restricted@example.com"]["allowed_model_ids"] == [OWN]
    assert rows["restricted@example.com"]["effective_model_ids"] == [OWN, GPT]
    assert rows["owner@example.com"]["groups"] == []
    assert rows["owner@example.com"]["effective_model_ids"] is None


def test_member_objects_of_an_org_without_groups_cost_no_query_more(
    owner, restricted, django_assert_num_queries
):
    client = ApiClient(owner)
    client.get("/org/acme/members")
    with django_assert_num_queries(3):
        body = client.get("/org/acme/members").json()
    row = next(m for m in body["members"] if m["user_email"] == "restricted@example.com")
    assert row["groups"] == [] and row["effective_model_ids"] == [OWN]


def test_the_groups_endpoint_lists_groups_for_owners_only(owner, restricted, research):
    join(research, restricted)
    body = ApiClient(owner).get("/org/acme/groups").json()
    assert body == [
        {
            "name": "Research",
            "allowed_model_ids": [GPT],
            "provisioned": False,
            "members": ["restricted@example.com"],
        }
    ]
    assert ApiClient(restricted).get("/org/acme/groups").status_code == 403


def test_a_renamed_group_is_named_on_the_page_seen_before(restricted, research):
    """The platform section is kept under the facts of a member's access: a group's name is
    one, though the models it gives stay the same."""
    join(research, restricted)
    client = logged_in(restricted)
    assert "from group Research" in unescape(client.get(CHAT).content.decode())
    groups.rename_group(group=research, name="Science", actor=None, via=WEB)
    html = unescape(client.get(CHAT).content.decode())
    assert "from group Science" in html and "Research" not in html
