"""Start the mllint language server from the libraries bundled in the extension.

The extension runs ``python -I -u bundled/tool/mllint_server.py``: isolated mode keeps the
workspace, ``PYTHONPATH`` and the user site off ``sys.path`` (and, with a script, the
script's own folder too), so this launcher puts ``bundled/libs`` first on ``sys.path``
itself and then runs ``mllint.lsp_server`` as ``python -m`` would.

The bundled libraries hold compiled wheels (libcst) for one Python minor version and one
platform, recorded by ci.sh in ``bundled/bundle.json``.  Another interpreter must not
import them: the launcher then exits with ``EXIT_INCOMPATIBLE`` and one line on stderr, and
the extension falls back to the mllint installed in the environment.

``--check`` does everything but serve: the extension's start-up check.
"""
from __future__ import annotations

import json
import os
import runpy
import sys
import sysconfig

EXIT_INCOMPATIBLE = 3
EXIT_NO_BUNDLE = 4

_BUNDLED = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIBS = os.path.join(_BUNDLED, "libs")
MANIFEST = os.path.join(_BUNDLED, "bundle.json")


def running_interpreter() -> dict[str, str]:
    """This interpreter in the terms of the manifest (what a wheel tag depends on)."""
    return {
        "implementation": sys.implementation.name,
        "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
        "platform": sysconfig.get_platform(),
    }


def incompatibility(manifest: dict[str, object]) -> str | None:
    """Why the bundle cannot run here, or None when it can."""
    here = running_interpreter()
    wanted = {key: str(manifest.get(key, "")) for key in here}
    if wanted == here:
        return None
    return ("the bundled mllint is for {implementation} {python} on {platform}; ".format(**wanted)
            + "this interpreter is {implementation} {python} on {platform}".format(**here))


def main(argv: list[str]) -> int:
    check_only = argv[:1] == ["--check"]
    try:
        with open(MANIFEST, encoding="utf-8") as handle:
            manifest = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"mllint: no bundled libraries in this extension ({error})", file=sys.stderr)
        return EXIT_NO_BUNDLE
    if not isinstance(manifest, dict) or not os.path.isdir(LIBS):
        print(f"mllint: no bundled libraries in this extension ({LIBS})", file=sys.stderr)
        return EXIT_NO_BUNDLE
    reason = incompatibility(manifest)
    if reason is not None:
        print(f"mllint: {reason}", file=sys.stderr)
        return EXIT_INCOMPATIBLE
    sys.path.insert(0, LIBS)
    if check_only:
        import mllint.lsp_server.server  # noqa: F401  (fails loudly when the bundle is broken)
        print(json.dumps({"mllint": os.path.dirname(sys.modules["mllint"].__file__ or "")}))
        return 0
    sys.argv = [sys.argv[0], *argv]
    runpy.run_module("mllint.lsp_server", run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
