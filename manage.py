#!/usr/bin/env python
from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings_app.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # Touch settings first: Django's command runner would hide a configuration error.
    settings.INSTALLED_APPS  # noqa: B018
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
