#!/usr/bin/env bash
# The main job: installs what is missing, builds the engine (WASM) and the page, and serves it
# at http://localhost:${PORT:-8000}/ where a default model starts training on Shakespeare.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
scripts/build.sh wasm web
exec node scripts/serve.mjs
