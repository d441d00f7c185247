"""The `goldenthread` command: Django's management commands under the project's name.

`goldenthread migrate`, `goldenthread load_reference`, later `goldenthread synth` and
`goldenthread indicators` are all management commands run through this entry point.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["goldenthread", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
