#!/usr/bin/env bash
# CI for the VS Code extension (called by ../.ci/run with MLLINT_PYTHON set to a Python where
# mllint is installed): install from the lockfile, type-check + bundle (extension and the plan
# view's Mermaid script), unit tests, bundle the Python package into bundled/libs for that
# Python, package the platform-specific .vsix, check what it contains, and run the protocol
# smoke test against the installed server and against the bundled one.
# The network is used by `npm ci` and by pip for the dependencies pyproject.toml declares only.
set -euo pipefail
cd "$(dirname "$0")"
started=$(date +%s)

if [ -z "${MLLINT_PYTHON:-}" ]; then
  echo "MLLINT_PYTHON is not set: a Python (with mllint installed) builds the bundle and runs the smoke tests" >&2
  exit 2
fi

npm ci --no-audit --no-fund
npm run compile
bash bundle-python.sh   # before the unit tests: one of them checks the real bundle with $MLLINT_PYTHON
npm test
npm run package

vsix=$(ls -t ./*.vsix | head -1)
target=$("$MLLINT_PYTHON" -c 'import json; print(json.load(open("bundled/bundle.json"))["vsceTarget"])')
echo "== contents of $vsix"
"$MLLINT_PYTHON" - "$vsix" "$target" <<'PY'
"""The .vsix is a zip: check it carries the launcher, the bundled mllint and the Mermaid bundle."""
import json
import sys
import zipfile

vsix, target = sys.argv[1], sys.argv[2]
names = set(zipfile.ZipFile(vsix).namelist())
required = [
    "extension/dist/extension.js",
    "extension/dist/webview/planView.js",
    "extension/bundled/tool/mllint_server.py",
    "extension/bundled/bundle.json",
    "extension/bundled/libs/mllint/__init__.py",
    "extension/bundled/libs/mllint/lsp_server/server.py",
    "extension/bundled/libs/libcst/__init__.py",
    "extension/bundled/libs/pygls/__init__.py",
    "extension/bundled/libs/pandas-stubs/__init__.pyi",   # read as text by mllint, found through its RECORD
]
required += [n for n in names if n.startswith("extension/bundled/libs/pandas_stubs-") and n.endswith("/RECORD")][:1] or ["pandas_stubs-*.dist-info/RECORD"]
missing = [name for name in required if name not in names]
assert not missing, f"{vsix} lacks {missing}"
unwanted = [n for n in names if "/node_modules/" in n or n.startswith("extension/src/") or "__pycache__" in n
            or n.startswith("extension/bundled/libs/numpy/")]
assert not unwanted, f"{vsix} ships {unwanted[:5]}"
manifest = zipfile.ZipFile(vsix).read("extension.vsixmanifest").decode()
assert f'TargetPlatform="{target}"' in manifest, f"{vsix} is not marked for {target}"
print(f"ok: {len(names)} files, target {target}, bundled mllint + Mermaid bundle present")
PY
ls -l "$vsix"
echo "vsix size: $(du -h "$vsix" | cut -f1) ($(stat -c %s "$vsix") bytes), $vsix"

echo "== protocol smoke test: the server installed in $MLLINT_PYTHON (importStrategy fromEnvironment)"
MLLINT_SMOKE_STRICT=${MLLINT_SMOKE_STRICT:-1} npm run smoke
echo "== protocol smoke test: the bundled server (importStrategy useBundled, python -S: no site-packages)"
MLLINT_SMOKE_STRICT=${MLLINT_SMOKE_STRICT:-1} MLLINT_SMOKE_STRATEGY=useBundled npm run smoke
echo "vscode-client ci: $(( $(date +%s) - started )) s"
