"""A digest of the running code, part of the name of everything kept in the cache as pickled
objects or rendered HTML: a deploy that changes a class or a template never reads what older
code kept (and older code, still running during a rolling deploy, never reads the new). The
versions themselves are not named by it, so a write through either code bumps both."""

from __future__ import annotations

import hashlib
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SOURCES = ("accounts", "catalog", "orgs", "settings_app", "templates")


def code_digest(base: Path = BASE_DIR) -> str:
    digest = hashlib.sha256()
    for top in SOURCES:
        for path in sorted((base / top).rglob("*")):
            if path.suffix in {".py", ".html"}:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CODE = code_digest()
