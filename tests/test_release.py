"""Kept objects and HTML are named by the code that kept them (settings_app/release.py)."""

from __future__ import annotations

import shutil

from django.core.cache import cache

from catalog import versions
from settings_app import release


def test_the_digest_follows_the_code(tmp_path):
    for top in release.SOURCES:
        shutil.copytree(release.BASE_DIR / top, tmp_path / top)
    assert release.code_digest(tmp_path) == release.CODE
    template = next((tmp_path / "templates").rglob("*.html"))
    template.write_text(template.read_text() + "<!-- changed -->")
    assert release.code_digest(tmp_path) != release.CODE


def test_entries_kept_by_other_code_are_not_read(monkeypatch):
    assert versions.kept("entry", [versions.CATALOG], lambda: "old code's", 60) == "old code's"
    assert versions.kept("entry", [versions.CATALOG], lambda: "unused", 60) == "old code's"
    monkeypatch.setattr(release, "CODE", "a-new-release")
    assert versions.kept("entry", [versions.CATALOG], lambda: "new code's", 60) == "new code's"
    assert cache.get(versions.CATALOG)  # the versions are shared by both
