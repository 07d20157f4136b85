"""Who someone is and where they belong is kept in the cache (the signed-in person, an API
key's holder, their memberships: accounts/backends.py, orgs/access.py). With it warm, a change
of the account, of an org or of a membership, made the way the app, the admin or a script
makes it, shows on the very next request, through the session and through the API (once
the cache's bound passed for writes that bypass the ORM's signals).
The changes of access, keys and deactivation are in test_cache_freshness.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import ApiKey, User
from orgs.models import Membership, Organization
from tests.helpers import Person, backends, outlast_the_cache

pytestmark = pytest.mark.usefixtures("catalog")

PAGE = Person.PAGE
Change = Callable[[Person], object]


def seen(p: Person) -> dict[str, Any]:
    """The orgs the top bar names and the signed-in email (page), and acme through the API."""
    page = p.web.get(PAGE)
    acme = p.api.get("/org/acme")
    html = page.content.decode() if page.status_code == 200 else ""
    switcher = re.search(r'<select id="org-switch".*?</select>', html, re.S)
    one = re.findall(r'<span class="org-name">([^<]*)</span>', html)  # no switcher for one org
    return {
        "page": page.status_code,
        "orgs": re.findall(r'<option value="[\w-]+"[^>]*>([^<]+)</option>', switcher[0])
        if switcher
        else one,
        "email": re.findall(r'<span class="muted user-email">([^<]*)</span>', html),
        "/org/acme": acme.json()["name"] if acme.status_code == 200 else acme.status_code,
        "/inference": p.api.get("/inference").status_code,
    }


def _rename(p: Person) -> None:
    org = Organization.objects.get(slug="acme")
    org.name = "Acme Renamed"
    org.save()


def _join_globex(p: Person) -> None:
    globex = Organization.objects.create(name="Globex", slug="globex")
    Membership.objects.bulk_create([Membership(org=globex, user=p.user)])


# name: (the change, what the member sees after it, compared with before)
ORG_CHANGES: dict[str, tuple[Change, dict[str, Any]]] = {
    "org: save() renamed": (
        _rename,
        {"orgs": ["Acme Renamed"], "/org/acme": "Acme Renamed"},
    ),
    "org: filter().update(name)": (
        lambda p: Organization.objects.filter(slug="acme").update(name="Acme Renamed"),
        {"orgs": ["Acme Renamed"], "/org/acme": "Acme Renamed"},
    ),
    "org: deleted": (
        lambda p: Organization.objects.get(slug="acme").delete(),
        {"orgs": [], "/org/acme": 404},
    ),
    "org: filter().delete()": (
        lambda p: Organization.objects.filter(slug="acme").delete(),
        {"orgs": [], "/org/acme": 404},
    ),
    "membership: bulk_create in another org": (
        _join_globex,
        {"orgs": ["Acme Corp", "Globex"]},
    ),
    "account: filter().update(email)": (
        lambda p: User.objects.filter(pk=p.user.pk).update(email="renamed@example.com"),
        {"email": ["renamed@example.com"]},
    ),
    "account: deleted": (
        lambda p: User.objects.get(pk=p.user.pk).delete(),
        {"page": 302, "orgs": [], "email": [], "/org/acme": 401, "/inference": 401},
    ),
    "account: filter().delete()": (
        lambda p: User.objects.filter(pk=p.user.pk).delete(),
        {"page": 302, "orgs": [], "email": [], "/org/acme": 401, "/inference": 401},
    ),
    "account: new password (other sessions end)": (
        lambda p: (p.user.set_password("a-new-password-123"), p.user.save()),
        {"page": 302, "orgs": [], "email": []},
    ),
}


@backends(ORG_CHANGES, redis=["org: filter().update(name)", "account: filter().delete()"])
def test_account_and_org_changes_show_on_the_next_request(
    cache_backend, platform_models, contributor, change, time_machine
):
    act, changed = ORG_CHANGES[change]
    person = Person(contributor)
    before = seen(person)
    assert before == {
        "page": 200,
        "orgs": ["Acme Corp"],
        "email": ["member@example.com"],
        "/org/acme": "Acme Corp",
        "/inference": 200,
    }
    assert seen(person) == before  # the second round is served from the cache
    act(person)
    outlast_the_cache(change, time_machine)
    assert seen(person) == before | changed


def test_a_key_given_to_someone_else_is_theirs_within_the_bound(
    platform_models, contributor, owner, time_machine
):
    """The cache remembers whose a key is; a script moving the key must not leave it
    answering as its old holder past the bound (nor as the new one under the old one's
    version)."""
    person = Person(contributor)
    assert person.api.get("/org/acme/invitations").status_code == 403  # a contributor's answer
    assert person.api.get("/org/acme/invitations").status_code == 403
    ApiKey.objects.filter(user=contributor).update(user=owner)
    outlast_the_cache("update(", time_machine)
    assert person.api.get("/org/acme/invitations").status_code == 200  # the owner's
    Membership.objects.filter(user=owner).delete()
    assert person.api.get("/org/acme/invitations").status_code == 404  # and the owner's change
