"""The command line and its outputs: ``mllint check`` (workers, cache, text/JSON/SARIF/GitHub
output), ``mllint explain``, ``mllint rules`` / ``rule`` / ``docs``."""
from .main import main

__all__ = ["main"]
