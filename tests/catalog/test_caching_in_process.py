"""Entries named by all they hold (no versions to depend on) are kept in the process too: read
without a round trip to the shared cache, for their ttl at most, and within PROCESS_BYTES."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from catalog import caching


def counted(value: str) -> mock.Mock:
    return mock.Mock(return_value=value)


def test_a_named_entry_is_read_again_from_the_process_without_the_shared_cache():
    build = counted("<p>html</p>")
    assert caching.cached("fragment:a", [], build) == "<p>html</p>"
    with mock.patch.object(cache, "get_many", side_effect=AssertionError("a round trip")):
        assert caching.cached("fragment:a", [], build) == "<p>html</p>"
    assert build.call_count == 1


def test_another_process_finds_it_in_the_shared_cache():
    build = counted("shared")
    caching.cached("fragment:b", [], build)
    caching._in_process.clear()  # as a second process starts with nothing of its own
    assert caching.cached("fragment:b", [], build) == "shared"
    assert build.call_count == 1


def test_it_is_kept_for_its_ttl_at_most(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    build = counted("v")
    caching.cached("fragment:c", [], build, ttl=caching.TTL)
    time_machine.move_to(timezone.now() + timedelta(seconds=caching.TTL - 1), tick=False)
    caching.cached("fragment:c", [], build, ttl=caching.TTL)
    assert build.call_count == 1
    time_machine.move_to(timezone.now() + timedelta(seconds=2), tick=False)
    caching.cached("fragment:c", [], build, ttl=caching.TTL)
    assert build.call_count == 2


def test_the_least_recently_used_go_once_the_process_holds_its_limit(monkeypatch):
    monkeypatch.setattr(caching, "PROCESS_BYTES", 30)
    for key in "abc":
        caching.cached(f"fragment:{key}", [], lambda: "x" * 10)
    caching.cached("fragment:a", [], lambda: "unused")  # a is used again: b is the oldest now
    caching.cached("fragment:d", [], lambda: "x" * 10)
    assert list(caching._in_process.kept) == ["fragment:c", "fragment:a", "fragment:d"]
    assert caching._in_process.size == 30


@pytest.mark.parametrize("cache_backend", ["unshared"], indirect=True)
def test_without_a_shared_cache_nothing_is_kept(cache_backend):
    build = counted("fresh")
    caching.cached("fragment:e", [], build)
    caching.cached("fragment:e", [], build)
    assert build.call_count == 2
    assert not caching._in_process.kept
