#!/usr/bin/env bash
# CI for the VS Code extension (called by ../.ci/run): install from the lockfile,
# type-check + bundle, unit tests, .vsix packaging; with MLLINT_PYTHON set (a Python
# where mllint is installed), also the protocol smoke test against the real server
# (strict there: a missing mllint.lsp_server fails instead of skipping).
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund
npm run compile
npm test
npm run package
ls -l ./*.vsix

if [ -n "${MLLINT_PYTHON:-}" ]; then
  MLLINT_SMOKE_STRICT=${MLLINT_SMOKE_STRICT:-1} npm run smoke
else
  echo "MLLINT_PYTHON not set: protocol smoke test skipped"
fi
