#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets of tests/fuzz with clang 14 (ASan + UBSan + libFuzzer)
# in a separate build folder and runs each for a bounded time, one after the other.
#
#   FUZZ_SECONDS   seconds per target (default 60)
#   FUZZ_TARGETS   space-separated target names (default: all, see CMakeLists.txt)
#   FUZZ_BUILD_DIR the clang build (default build-fuzz)
#   FUZZ_MERGE=1   afterwards, merge the inputs that add coverage into the committed corpora
#                  (tests/fuzz/corpus/NAME); otherwise new inputs stay in $FUZZ_BUILD_DIR/corpus/NAME
#   FUZZ_RSS_MB    memory limit per target (default 2048); FUZZ_TIMEOUT: seconds per input (default 10)
#   FUZZ_JOBS      build jobs (default: all cores)
#
# Leaks: libFuzzer's per-input leak check (-detect_leaks=1) rescans the whole heap after every input
# that ends with more allocations than frees, which the format caches and MPFR's number pool do on
# most inputs (fuzz_codebook: 25 exec/s with it, 1,900 without, the same 3,000 inputs). The targets
# run with -detect_leaks=0; LeakSanitizer still checks the whole process once at exit, so a leak
# fails the run (exit code, "LeakSanitizer" in the log; reproduce by replaying $FUZZ_BUILD_DIR/corpus/NAME).
#
# Findings (crash-*, leak-*, timeout-*, oom-* reproducers) are written to $FUZZ_BUILD_DIR/artifacts/NAME/;
# reproduce one with `$FUZZ_BUILD_DIR/tests/fuzz/fuzz_NAME FILE`. Every run appends a line per target to
# $FUZZ_BUILD_DIR/fuzz-log.tsv (date, target, seconds, executions, coverage, features, findings).
set -euo pipefail
cd "$(dirname "$0")/../.."

SECONDS_PER=${FUZZ_SECONDS:-60}
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
RSS=${FUZZ_RSS_MB:-2048}
TIMEOUT=${FUZZ_TIMEOUT:-10}
ALL="spec value codebook catalog vectors npy tech unit_config accum scheme workload manifest"

# Longest input per target: one-line parsers get a few hundred bytes (a spec, value or vector line
# plus its control bytes); file parsers the size of their largest real file.
max_len() {
  case "$1" in
    spec|value|unit_config|accum|scheme) echo 512 ;;
    vectors) echo 1024 ;;
    catalog|tech) echo 20000 ;;
    *) echo 4096 ;;
  esac
}
TARGETS=${FUZZ_TARGETS:-$ALL}

tools/install-deps.sh clang-14 libclang-rt-14-dev libomp-14-dev

if [ ! -f "$BUILD/build.ninja" ]; then
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$BUILD" -G Ninja -DBITEXACT_FUZZ=ON -DBUILD_TESTING=OFF \
    -DBITEXACT_WITH_RTL=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" \
    "${launcher[@]}" >/dev/null
fi
names=()
for t in $TARGETS; do names+=("fuzz_$t"); done
cmake --build "$BUILD" --target "${names[@]}" -j "${FUZZ_JOBS:-$(nproc)}"

log="$BUILD/fuzz-log.tsv"
[ -f "$log" ] || printf 'date\ttarget\tseconds\texecutions\tcoverage\tfeatures\tfindings\n' >"$log"
summary=()
status=0
for t in $TARGETS; do
  bin="$BUILD/tests/fuzz/fuzz_$t"
  work="$BUILD/corpus/$t"
  art="$BUILD/artifacts/$t"
  mkdir -p "$work" "$art"
  before=$(find "$art" -type f | wc -l)
  out="$BUILD/fuzz-$t.log"
  echo "fuzz: $t for ${SECONDS_PER}s (scratch corpus $work, committed corpus tests/fuzz/corpus/$t)" >&2
  # New inputs go to the first folder (scratch); the committed corpus is only read.
  set +e
  nice -n 19 "$bin" "$work" "tests/fuzz/corpus/$t" -max_total_time="$SECONDS_PER" -timeout="$TIMEOUT" \
    -detect_leaks=0 -max_len="$(max_len "$t")" \
    -rss_limit_mb="$RSS" -malloc_limit_mb="$RSS" -print_final_stats=1 -artifact_prefix="$art/" >"$out" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out" | grep -o '[0-9]*$' | tail -1)
  last=$(grep -E '^#[0-9]+' "$out" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  found=$(( $(find "$art" -type f | wc -l) - before ))
  [ "$rc" -ne 0 ] && [ "$found" -eq 0 ] && found=1
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$SECONDS_PER" "${execs:-0}" "${cov:-0}" "${ft:-0}" "$found" >>"$log"
  summary+=("$(printf '%-12s %12s %8s %8s %9s' "$t" "${execs:-0}" "${cov:-0}" "${ft:-0}" "$found")")
  if [ "$found" -ne 0 ]; then
    status=1
    echo "fuzz: $t FOUND $found input(s) in $art (log $out):" >&2
    grep -E 'ERROR|fuzz property|runtime error|SUMMARY' "$out" | head -5 >&2 || true
  fi
  if [ "${FUZZ_MERGE:-0}" = 1 ]; then
    "$bin" -merge=1 "tests/fuzz/corpus/$t" "$work" >>"$out" 2>&1
  fi
done

printf '\n%-12s %12s %8s %8s %9s\n' target executions coverage features findings
printf '%s\n' "${summary[@]}"
echo "(all runs so far: $log)"
exit $status
