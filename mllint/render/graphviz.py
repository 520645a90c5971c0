"""SVG / PNG pictures of the plan through Graphviz's ``dot`` (when it is installed)."""
from __future__ import annotations

import shutil
import subprocess


class GraphvizMissing(RuntimeError):
    """``dot`` is not on PATH, or it failed."""


def render_image(dot_source: str, kind: str, timeout: float = 60.0) -> bytes:
    executable = shutil.which("dot")
    if executable is None:
        raise GraphvizMissing(f"--format {kind} needs Graphviz's `dot` on PATH (apt-get install graphviz, "
                              f"brew install graphviz); --format dot or mermaid work without it")
    try:
        result = subprocess.run([executable, f"-T{kind}"], input=dot_source.encode("utf-8"), capture_output=True,
                                timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GraphvizMissing(f"Graphviz `dot` failed: {exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizMissing(f"Graphviz `dot` failed: {message[-1] if message else result.returncode}")
    return result.stdout
