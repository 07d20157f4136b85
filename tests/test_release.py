"""Kept objects and HTML are named by the code that kept them (settings_app/release.py)."""

from __future__ import annotations

import shutil

from django.core.cache import cache

from catalog import caching
from settings_app import release


def test_the_digest_follows_the_code(tmp_path):
    for top in release.SOURCES:
        shutil.copytree(release.BASE_DIR / top, tmp_path / top)
    assert release.code_digest(tmp_path) == release.CODE
    template = next((tmp_path / "templates").rglob("*.html"))
    template.write_text(template.read_text() + "<!-- changed -->")
    assert release.code_digest(tmp_path) != release.CODE


def test_entries_kept_by_other_code_are_not_read(settings):
    assert caching.cached("entry", [caching.CATALOG], lambda: "old code's") == "old code's"
    assert caching.cached("entry", [caching.CATALOG], lambda: "unused") == "old code's"
    settings.RELEASE = "a-new-release"
    assert caching.cached("entry", [caching.CATALOG], lambda: "new code's") == "new code's"
    assert cache.get("version:catalog")  # the versions are shared by both
