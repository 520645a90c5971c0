"""mllint: static logical plans and leakage / fairness checks for pandas + scikit-learn code."""
from __future__ import annotations

__version__ = "0.1.0"



def __getattr__(name: str):
    """``mllint.analyze`` and friends load on first use: a fully cached ``mllint check`` or
    ``mllint rules`` never pays for importing LibCST and networkx."""
    if name in ("Analysis", "analyze"):
        from . import analysis
        return getattr(analysis, name)
    if name == "Config":
        from .config import Config
        return Config
    raise AttributeError(f"module 'mllint' has no attribute {name!r}")


__all__ = ["Analysis", "Config", "analyze", "__version__"]
