"""mllint: static logical plans and leakage / fairness checks for pandas + scikit-learn code.

The package in two halves and the surfaces around them:

* the engine turns code into a typed plan: ``engine`` (source text, parsing,
  positions, data headers, ``analyze``), ``interpreter`` (the walk), ``library``
  (API models behind a registry), ``knowledge`` (API tables), ``domains``
  (abstract values), ``plan`` (the plan and its typed records);
* the rule API reads the plan: ``rule``, ``facts``, ``findings``, ``sensitive``,
  ``checker`` (and ``settings``, ``noqa``); the rules themselves are ``mllint.rules``;
* the surfaces: ``cli`` (``mllint check`` / ``explain`` / ``rules`` and the outputs),
  ``render`` (plan views), ``flake8_plugin``, ``mllint.lsp_server``.
"""
from __future__ import annotations

__version__ = "0.2.0"


def __getattr__(name: str):
    """``mllint.analyze`` and friends load on first use: a fully cached ``mllint check`` or
    ``mllint rules`` never pays for importing LibCST and networkx."""
    if name in ("Analysis", "analyze"):
        from .engine import analysis
        return getattr(analysis, name)
    if name == "Config":
        from .engine.config import Config
        return Config
    raise AttributeError(f"module 'mllint' has no attribute {name!r}")


__all__ = ["Analysis", "Config", "analyze", "__version__"]
