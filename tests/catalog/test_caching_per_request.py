"""Within a request each version is read from the cache once (catalog.caching's middleware):
the entries of a page share one read of their versions, the request's own writes are read
back at once, and outside a request every read asks the cache."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from catalog import caching


def in_a_request(work):
    """`work()` run as a view behind the middleware; its answer."""
    return caching.versions_per_request(lambda request: work())(RequestFactory().get("/"))


class Counted:
    """The cache, counting the round trips asked of it (get and get_many)."""

    def __init__(self) -> None:
        self.trips: list[list[str]] = []

    def get(self, key, *args, **kwargs):
        self.trips.append([key])
        return cache.get(key, *args, **kwargs)

    def get_many(self, keys):
        self.trips.append(list(keys))
        return cache.get_many(keys)

    def __getattr__(self, name):
        return getattr(cache, name)


def test_the_entries_of_a_request_read_their_versions_once():
    def page():
        caching.cached("account:1", ["person:1"], lambda: "account")
        caching.cached("memberships:1", ["person:1"], lambda: "memberships")
        caching.cached("byok:1", ["byok:1", caching.CATALOG], lambda: "byok")
        return caching.version(caching.CATALOG), caching.version(caching.PLATFORM)

    in_a_request(page)  # the versions start
    with mock.patch.object(caching, "cache", Counted()) as counted:
        in_a_request(page)
    versions = [key for trip in counted.trips for key in trip if key.startswith("version:")]
    assert sorted(versions) == sorted(
        f"version:{name}"
        for name in [caching.EVERYTHING, "person:1", caching.CATALOG, caching.PLATFORM, "byok:1"]
    )
    # One round trip per entry: the catalog's and the platform's versions came with the first.
    assert len(counted.trips) == 3


@pytest.mark.django_db
def test_a_write_in_a_request_is_read_back_by_the_rest_of_it():
    def page():
        before = caching.cached("list:1", ["byok:1"], lambda: "old")
        caching.bump("byok:1")
        return before, caching.cached("list:1", ["byok:1"], lambda: "new")

    assert in_a_request(page) == ("old", "new")


def test_the_next_request_reads_what_another_process_wrote_meanwhile():
    assert in_a_request(lambda: caching.cached("list:2", ["byok:2"], lambda: "old")) == "old"
    cache.set("version:byok:2", "bumped by another process", timeout=None)
    assert in_a_request(lambda: caching.cached("list:2", ["byok:2"], lambda: "new")) == "new"


def test_outside_a_request_every_read_asks_the_cache():
    assert caching.cached("list:3", ["byok:3"], lambda: "old") == "old"
    cache.set("version:byok:3", "bumped by another process", timeout=None)
    assert caching.version("byok:3") == "bumped by another process"
    assert caching.cached("list:3", ["byok:3"], lambda: "new") == "new"
