#!/usr/bin/env bash
# Every test: installs what is missing, builds native + WASM + page, then runs the native
# GoogleTest/CTest suite (core and CLI), the Node tests against the WASM build, the Python tests
# (PyTorch against the core: python/), the browser tests in headless Chromium, and the readers'
# journeys in all three engines (tests/engines/: Chromium, Firefox, WebKit). Every suite runs even
# when an earlier one fails.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --python --engines
scripts/build.sh native wasm web

failed=()
ctest --test-dir build/native --output-on-failure -j"$(nproc)" || failed+=(native)
node --test tests/node/ || failed+=(node)
/usr/bin/python3 -m unittest discover -s tests/python -v || failed+=(python)
node --test tests/browser/ || failed+=(browser)
node --test tests/engines/ || failed+=(engines)
if [ ${#failed[@]} -gt 0 ]; then
  echo "test.sh: failed suites: ${failed[*]}" >&2
  exit 1
fi
echo "test.sh: all suites passed"
