#!/usr/bin/env bash
# Installs the mllint package of this repository (..) with its runtime dependencies into
# bundled/libs, for the interpreter $MLLINT_PYTHON (default python3), and records in
# bundled/bundle.json which Python and platform they are for: libcst is a compiled wheel,
# so the bundle (and the .vsix) serve that Python minor version on that platform only.
# pip fetches nothing but what pyproject.toml declares (the build requirements and the
# runtime dependencies).
set -euo pipefail
cd "$(dirname "$0")"
PY=${MLLINT_PYTHON:-python3}

rm -rf bundled/libs bundled/bundle.json
"$PY" -m pip install --quiet --disable-pip-version-check --no-input --no-compile \
  --target bundled/libs ..
# Console scripts carry the build machine's interpreter in their #! line: useless here.
rm -rf bundled/libs/bin
# pandas-stubs declares numpy for type checkers; mllint reads the stubs' .pyi files as text
# and never imports numpy (ci.sh runs the protocol test on the bundle to show it): 60 MB less.
rm -rf bundled/libs/numpy bundled/libs/numpy.libs bundled/libs/numpy-*.dist-info

"$PY" - <<'PY' > bundled/bundle.json
"""The bundle's manifest: what bundled/tool/mllint_server.py compares the running Python with."""
import importlib.metadata
import json
import platform
import sys
import sysconfig

plat = sysconfig.get_platform()          # linux-x86_64, macosx-11.0-arm64, win-amd64 ...
machine = plat.rsplit("-", 1)[-1]
arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64", "armv7l": "armhf"}.get(machine, machine)
if plat.startswith("linux"):
    system = "alpine" if platform.libc_ver()[0] != "glibc" else "linux"
elif plat.startswith("macosx"):
    system = "darwin"
elif plat.startswith("win"):
    system = "win32"
else:
    system = plat.split("-", 1)[0]
versions = {d.metadata["Name"].lower(): d.version for d in importlib.metadata.distributions(path=["bundled/libs"])}
print(json.dumps({
    "implementation": sys.implementation.name,
    "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
    "platform": plat,
    "vsceTarget": f"{system}-{arch}",
    "packages": dict(sorted(versions.items())),
}, indent=2))
PY
echo "bundled/libs: $(du -sh bundled/libs | cut -f1), for $(python3 -c 'import json;m=json.load(open("bundled/bundle.json"));print(m["implementation"], m["python"], m["platform"], "->", m["vsceTarget"])')"
