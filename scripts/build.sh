#!/usr/bin/env bash
# Builds the named parts (default: all): native (library, tests, CLI, bench), wasm (Embind
# modules), corpus (build/corpora/c-code.txt: musl's C sources from Emscripten's package, with
# their licence), web (the corpus, then the page bundle in build/web). Incremental: quick when
# nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(native wasm web)
for part in "${parts[@]}"; do
  case "$part" in
    native)
      cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
      cmake --build build/native -j"$jobs"
      ;;
    wasm)
      # Debian's Emscripten needs Debian's acorn module for its JS optimizer.
      export NODE_PATH=/usr/share/nodejs
      [ -f build/wasm/CMakeCache.txt ] || emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
      cmake --build build/wasm -j"$jobs"
      ;;
    corpus)
      node scripts/c-corpus.mjs build/corpora
      ;;
    web)
      node scripts/c-corpus.mjs build/corpora
      node web/build.mjs
      ;;
    *) echo "build.sh: unknown part '$part' (native, wasm, corpus, web)" >&2; exit 2 ;;
  esac
done
