from __future__ import annotations

import pytest

from accounts.models import User
from orgs.models import Membership, Role


@pytest.fixture
def co_owner(org) -> User:
    """A second owner of acme."""
    user = User.objects.create_user("co@example.com", "pw")
    Membership.objects.create(org=org, user=user, role=Role.OWNER)
    return user
