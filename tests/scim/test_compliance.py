"""scim2-tester, a third-party RFC 7643/7644 compliance checker, against the live server:
discovery, CRUD and PATCH of Users and Groups all pass."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest

from scim.models import ScimToken

pytestmark = pytest.mark.django_db(transaction=True)


class FreshEmails(list):
    """The examples scim2-tester picks a userName from (random.choice): a new address at
    each pick, as userName is an email here and unique."""

    def __len__(self) -> int:
        return 1

    def __getitem__(self, index):
        return f"{uuid.uuid4()}@example.com"


def test_scim2_tester_passes_every_check(live_server, org):
    # Imported here, not at collection: scim2-client builds its pydantic models on import
    # (~4 s), which every xdist worker would pay to collect this one test.
    import httpx2
    from scim2_client.engines.httpx2 import SyncSCIMClient
    from scim2_tester import Status, check_server

    raw = ScimToken.issue(org=org, name="scim2-tester")[1]
    http = httpx2.Client(
        base_url=f"{live_server.url}/scim/v2/{org.slug}",
        headers={"Authorization": f"Bearer {raw}"},
    )
    client = SyncSCIMClient(http)
    client.discover()
    user_model = client.get_resource_model("User")
    user_model.model_fields["user_name"].examples = FreshEmails()

    results = check_server(client)

    summary = Counter(result.status.name for result in results)
    failed = [
        (r.resource_type, r.title, r.reason)
        for r in results
        if r.status not in (Status.SUCCESS, Status.SKIPPED)
    ]
    print("scim2-tester:", dict(summary))
    assert failed == []
    assert summary["SUCCESS"] > 30
    tags = {tag for r in results if r.status == Status.SUCCESS for tag in r.tags}
    assert {"discovery", "crud:create", "crud:read", "crud:update", "crud:delete"} <= tags
    assert {"patch:add", "patch:remove", "patch:replace"} <= tags
    checked = {r.resource_type for r in results if r.status == Status.SUCCESS}
    assert {"User", "Group"} <= checked
