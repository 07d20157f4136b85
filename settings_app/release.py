"""A digest of the running code in every cached entry's name (not the versions', so a write
through either code bumps both): old and new code never read each other's pickles or HTML."""

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
