#!/usr/bin/env bash
# Runs the fuzz targets of fuzz/ (cargo-fuzz, libFuzzer, AddressSanitizer) for a set time each
# and prints what ran: executions, new corpus items, crashes.
#
#   tools/fuzz/run.sh SECONDS [TARGET...]     # default: every target
#
# Needs the nightly toolchain (`rustup toolchain install nightly`) and cargo-fuzz
# (`cargo install cargo-fuzz`). Each target starts from its committed seeds
# (fuzz/corpus/<target>/) and from what earlier runs found (fuzz/target/found/<target>/, kept
# between runs, not committed). An input that breaks a target is written to
# fuzz/artifacts/<target>/: fix the bug, then copy the input into fuzz/corpus/<target>/ as
# `regression-<what>` so that tests/fuzz_corpora.rs replays it in CI.
# SANITIZER=none builds without AddressSanitizer (faster; Rust code is checked either way).
# DEV=1 builds without optimisations (a much shorter build on a small machine, fewer
# executions per second).
set -euo pipefail
cd "$(dirname "$0")/../.."

die() { printf '!!! %s\n' "$*" >&2; exit 1; }

SECONDS_EACH=${1:-}
[[ "$SECONDS_EACH" =~ ^[0-9]+$ ]] || die "usage: tools/fuzz/run.sh SECONDS [TARGET...]"
shift
ALL=(inbox signature markdown photo document ical csv)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL[@]}")
SANITIZER=${SANITIZER:-address}
PROFILE=()
[ "${DEV:-}" = 1 ] && PROFILE=(--dev)

rustup toolchain list | grep -q '^nightly' || die "no nightly toolchain: rustup toolchain install nightly"
cargo +nightly fuzz --version >/dev/null 2>&1 || die "no cargo-fuzz: cargo install cargo-fuzz"

echo "==> building the fuzz targets (nightly, sanitizer: $SANITIZER)"
(cd fuzz && cargo +nightly fuzz build "${PROFILE[@]}" -s "$SANITIZER" 2>&1 | tail -n 3) \
  || die "the fuzz targets do not build"

printf '\n%-10s %8s %12s %10s %10s %s\n' target seconds executions exec/s "new items" crashes
FAILED=0
SUMMARY=()
for t in "${TARGETS[@]}"; do
  [ -d "fuzz/corpus/$t" ] || die "no corpus for $t (fuzz/corpus/$t)"
  found="fuzz/target/found/$t"
  mkdir -p "$found" "fuzz/artifacts/$t"
  before=$(find "$found" -type f | wc -l)
  log="fuzz/target/run-$t.log"
  status=0
  (cd fuzz && cargo +nightly fuzz run "${PROFILE[@]}" -s "$SANITIZER" "$t" "target/found/$t" "corpus/$t" -- \
      -max_total_time="$SECONDS_EACH" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="artifacts/$t/") >"$log" 2>&1 || status=$?
  after=$(find "$found" -type f | wc -l)
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1)
  crashes=$(grep -c 'Test unit written to' "$log" || true)
  printf '%-10s %8s %12s %10s %10s %s\n' "$t" "$SECONDS_EACH" "${execs:-?}" "${rate:-?}" \
    $((after - before)) "$crashes"
  if [ "$status" != 0 ] || [ "$crashes" != 0 ]; then
    FAILED=1
    SUMMARY+=("$t: exit $status; see $log and fuzz/artifacts/$t/")
  fi
done
if [ "$FAILED" = 1 ]; then
  printf '\n!!! %s\n' "${SUMMARY[@]}" >&2
  exit 1
fi
echo
echo "==> no crash"
