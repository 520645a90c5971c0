"""``mllint check --show-settings FILE``: which configuration file a file gets, and the values it resolves to.

The values are printed in ``[tool.mllint]`` syntax (the keys users write), after the
command-line flags were applied, so that the output can be compared with (or pasted into)
a pyproject.toml.
"""
from __future__ import annotations

import json
from typing import Iterable

from ..config_discovery import ResolvedConfig
from ..settings import Settings


def _toml_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def describe(path: str, resolved: ResolvedConfig, settings: Settings, default_excludes: Iterable[str]) -> str:
    """The text printed for ``path``: its config file (or "none") and every resolved value."""
    per_file = ", ".join(f"{json.dumps(pattern)} = {_toml_list(codes)}" for pattern, codes in settings.per_file_ignores)
    lines = [
        f"file: {path}",
        f"config file: {resolved.config_file or 'none'}",
        f"select = {_toml_list(settings.select)}",
        f"ignore = {_toml_list(settings.ignore)}",
        f"extend-select = {_toml_list(settings.extend_select)}",
        f"sensitive-columns = {_toml_list(settings.sensitive.terms)}",
        f"sensitive-match = {json.dumps('exact' if settings.sensitive.exact else 'tokens')}",
        f"data-headers = {'true' if settings.data_headers else 'false'}",
        f"per-file-ignores = {{{per_file}}}",
        f"per-file-ignores-root = {json.dumps(settings.project_root) if settings.project_root else 'none'}",
        f"exclude = {_toml_list(settings.exclude or tuple(default_excludes))}",
        f"extend-exclude = {_toml_list(settings.extend_exclude)}",
    ]
    return "\n".join(lines)
