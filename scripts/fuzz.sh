#!/usr/bin/env bash
# Fuzzes the model-file loader (load_model, then sampling, then checkpoint restore and a training
# step) with libFuzzer under AddressSanitizer and UndefinedBehaviorSanitizer. See tests/fuzz/README.md.
#
#   scripts/fuzz.sh                 # 60 seconds
#   scripts/fuzz.sh 3000            # 3000 seconds
#   scripts/fuzz.sh -runs=10000000  # ten million executions
#   scripts/fuzz.sh 600 -seed=7     # further arguments go to libFuzzer as they are
#   scripts/fuzz.sh -runs=0         # only replay the seeds and the saved corpus
#
# Installs clang-14 and its libFuzzer runtime with apt when missing; builds into build/fuzz/ straight
# from core/ (every .cpp under it, so new or renamed core files need no change here); writes the
# seed corpus with the project's own core (tests/fuzz/make_corpus.cpp) plus the regression inputs
# in tests/fuzz/regressions/; keeps what the fuzzer finds in build/fuzz/corpus/ between runs; puts
# crashing inputs in build/fuzz/crashes/ and the log in build/fuzz/fuzz.log. One worker process.
set -euo pipefail
cd "$(dirname "$0")/.."

limit=(-max_total_time=60)
if [ $# -gt 0 ]; then
  case "$1" in
    ''|*[!0-9]*) ;;  # not a number: a libFuzzer flag such as -runs=N
    *) limit=(-max_total_time="$1"); shift ;;
  esac
  for a in "$@"; do
    case "$a" in -runs=*|-max_total_time=*) limit=() ;; esac
  done
fi

# --- toolchain -----------------------------------------------------------------------------------
cxx=clang++-14
fuzzer_runtime() { "$cxx" --print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true; }
if ! "$cxx" --version >/dev/null 2>&1 || [ ! -f "$(fuzzer_runtime)" ]; then
  echo "fuzz: installing clang-14 and libclang-rt-14-dev"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    clang-14 libclang-rt-14-dev libeigen3-dev nlohmann-json3-dev >/dev/null
fi

# --- build ---------------------------------------------------------------------------------------
out=build/fuzz
mkdir -p "$out/obj"
flags=(-std=c++17 -O2 -g -Icore -I/usr/include/eigen3 -DEIGEN_DONT_PARALLELIZE
       -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -Wno-pass-failed)
# The core gets the fuzzer's coverage instrumentation without libFuzzer's main(), so the same
# objects link into both the fuzz target and the corpus generator.
mapfile -t sources < <(find core -name '*.cpp' | sort)
# Everything is rebuilt when a header (or this script, with its flags) changed since the last build.
newer=$( { find core -name '*.h' -newer "$out/obj/.stamp"; find scripts/fuzz.sh -newer "$out/obj/.stamp"; } 2>/dev/null | head -1 || true)
[ -f "$out/obj/.stamp" ] || newer=all
touch "$out/obj/.stamp.new"  # taken before compiling: a header edited meanwhile counts next time
obj_of() { echo "$out/obj/$(echo "${1%.cpp}" | tr / _).o"; }
objects=()
to_build=()
for src in "${sources[@]}"; do
  obj=$(obj_of "$src")
  objects+=("$obj")
  if [ -n "$newer" ] || [ ! -f "$obj" ] || [ "$src" -nt "$obj" ]; then to_build+=("$src"); fi
done
if [ ${#to_build[@]} -gt 0 ]; then
  echo "fuzz: compiling ${#to_build[@]} core files with $cxx (ASan, UBSan, coverage)"
  pids=()
  for src in "${to_build[@]}"; do
    "$cxx" "${flags[@]}" -fsanitize=fuzzer-no-link -c "$src" -o "$(obj_of "$src")" &
    pids+=($!)
    if [ ${#pids[@]} -ge "${FUZZ_BUILD_JOBS:-2}" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
  done
  for p in "${pids[@]}"; do wait "$p"; done
fi
mv "$out/obj/.stamp.new" "$out/obj/.stamp"
"$cxx" "${flags[@]}" -fsanitize=fuzzer tests/fuzz/load_model_fuzzer.cpp "${objects[@]}" -o "$out/load_model_fuzzer"
"$cxx" "${flags[@]}" tests/fuzz/make_corpus.cpp "${objects[@]}" -o "$out/make_corpus"

# --- corpus --------------------------------------------------------------------------------------
rm -rf "$out/seeds"
mkdir -p "$out/seeds" "$out/corpus" "$out/crashes"
"$out/make_corpus" "$out/seeds"
cp tests/fuzz/regressions/* "$out/seeds/" 2>/dev/null || true

# --- run -----------------------------------------------------------------------------------------
echo "fuzz: running ${limit[*]:-} $*  (log: $out/fuzz.log, crashes: $out/crashes/)"
set +e
"$out/load_model_fuzzer" "$out/corpus" "$out/seeds" \
  -dict=tests/fuzz/model_file.dict -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$out/crashes/" "${limit[@]}" "$@" 2>&1 | tee "$out/fuzz.log"
status=${PIPESTATUS[0]}
set -e
case "$status" in
  0) ;;
  72) echo "fuzz: interrupted" >&2; status=0 ;;  # libFuzzer's exit code after SIGINT/SIGTERM
  *) echo "fuzz: the fuzzer stopped on a finding (exit $status); the input is in $out/crashes/" >&2 ;;
esac
exit "$status"
