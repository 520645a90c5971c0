"""``--color auto|always|never``: whether text output is coloured.

``always`` / ``never`` decide outright.  ``auto`` follows the conventions of no-color.org and
force-color.org, in the order CPython 3.13 applies them: a non-empty ``NO_COLOR`` turns colour
off, else a non-empty ``FORCE_COLOR`` turns it on, else colour is used when standard output is a
terminal.
"""
from __future__ import annotations

from typing import IO, Mapping

CHOICES = ("auto", "always", "never")


def use_colour(choice: str, stream: IO[str], environ: Mapping[str, str]) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):   # a closed or replaced stream
        return False
