"""The `coopgov` command: Django's manage.py for this project."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopgov.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # `coopgov verify-audit` reads better than Django's `verify_audit`; both are accepted.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
