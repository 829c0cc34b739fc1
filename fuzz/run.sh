#!/usr/bin/env bash
# Runs one fuzz target on the stable toolchain with the per-input limits (1 s, 256 MB per
# allocation; the whole process 512 MB).
#
#   fuzz/run.sh TARGET [RUNS] [more libFuzzer flags…]      (from anywhere; RUNS default 100000,
#                                                           -1 for no limit, e.g. with -max_total_time=60)
#   fuzz/run.sh TARGET 0                                   (only replay the corpus)
#   fuzz/run.sh TARGET fuzz/artifacts/TARGET/crash-…       (replay reproducers, no fuzzing)
#
# New inputs go to fuzz/target/corpus/TARGET (scratch); the committed seeds in fuzz/corpus/TARGET
# are only read; fuzz/dict/TARGET.dict, if present, is the mutation dictionary. Findings are
# written to fuzz/artifacts/TARGET/. One fuzzing process, one build job (CARGO_BUILD_JOBS,
# default 1). DLN_FUZZ_SANITIZER=none builds without AddressSanitizer (then -malloc_limit_mb is
# not enforced per allocation, only -rss_limit_mb). See fuzz/README.md.
set -euo pipefail
fuzz=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$fuzz/.."
target=${1:?usage: fuzz/run.sh TARGET [RUNS|REPRODUCER…] [libFuzzer flags…]}
shift
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}
# cargo-fuzz passes nightly-only -Z flags to rustc; this lets the stable toolchain accept them.
export RUSTC_BOOTSTRAP=1
# A build once tried without it leaves cargo's cached rustc probe failed ("the option `Z` is only
# accepted on the nightly compiler"), and cargo reuses that failure: drop the stale cache.
if grep -qs 'only accepted on the nightly' fuzz/target/.rustc_info.json; then
    rm -f fuzz/target/.rustc_info.json
fi
# AddressSanitizer's quarantine of freed memory (256 MB by default) counts towards -rss_limit_mb.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=32}
work=fuzz/target/corpus/$target
mkdir -p "$work" "fuzz/artifacts/$target"
# The instrumented process alone takes ~200 MB (a 200 MB binary, its shadow memory, the corpus)
# and grows past 256 MB over 10⁵ executions without any input holding it: the allocation limit
# is the per-input one, the resident limit catches leaks and runaway growth.
limits=(-timeout=1 -rss_limit_mb=512 -malloc_limit_mb=256)
dict=()
if [[ -f fuzz/dict/$target.dict ]]; then dict=(-dict="fuzz/dict/$target.dict"); fi
build=(--fuzz-dir fuzz --sanitizer "${DLN_FUZZ_SANITIZER:-address}" --debug-assertions)
if [[ $# -gt 0 && -f $1 ]]; then
    # Reproducers: run each file once.
    files=()
    while [[ $# -gt 0 && -f $1 ]]; do files+=("$1"); shift; done
    exec cargo fuzz run "${build[@]}" "$target" "${files[@]}" -- "${limits[@]}" "$@"
fi
# While fuzzing, a Rust backtrace would symbolise the ~200 MB debug binary inside the memory
# limit and turn a panic into an out-of-memory report; AddressSanitizer's stack trace (printed
# anyway) names the panic's place. Replaying a reproducer keeps RUST_BACKTRACE as set.
export RUST_BACKTRACE=0
runs=${1:-100000}
shift $(($# < 1 ? 0 : 1))
exec cargo fuzz run "${build[@]}" "$target" "$work" "fuzz/corpus/$target" -- \
    -runs="$runs" "${limits[@]}" "${dict[@]}" "$@"
