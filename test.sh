#!/usr/bin/env bash
# Every test: installs what is missing, builds native + WASM + page, then runs the native
# GoogleTest/CTest suite (core and CLI), the Node tests against the WASM build, and the
# browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
scripts/build.sh native wasm web
ctest --test-dir build/native --output-on-failure -j"$(nproc)"
node --test tests/node/ tests/browser/
