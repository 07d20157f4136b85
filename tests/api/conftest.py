from __future__ import annotations

import pytest

from tests.helpers import ApiClient


@pytest.fixture
def api():
    return ApiClient
