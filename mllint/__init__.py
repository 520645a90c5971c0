"""mllint: static logical plans and leakage / fairness checks for pandas + scikit-learn code."""
from __future__ import annotations

__version__ = "0.1.0"

from .analysis import Analysis, analyze  # noqa: E402
from .config import Config  # noqa: E402

__all__ = ["Analysis", "Config", "analyze", "__version__"]
