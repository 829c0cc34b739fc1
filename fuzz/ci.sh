#!/usr/bin/env bash
# The short fuzz run of `.ci/run`: for each target, replay the committed reproducers, then fuzz
# from the committed seeds for FUZZ_SECONDS (default 30) with the per-input limits of run.sh.
# Any finding fails the run (libFuzzer exits non-zero and leaves it in fuzz/artifacts/TARGET/).
set -euo pipefail
fuzz=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$fuzz/.."
seconds=${FUZZ_SECONDS:-30}
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-$(nproc)}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
targets=$(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^dln-explorer-fuzz$')
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Runs run.sh with ARGS into the log, prints its summary lines; on failure the log's end too.
run() {
    local status=0
    fuzz/run.sh "$@" >"$log" 2>&1 || status=$?
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|Executed .* in|==[0-9]+== ?ERROR|SUMMARY|panicked' "$log" || true
    if [[ $status -ne 0 ]]; then
        tail -n 40 "$log"
        echo "fuzz target $1 failed (exit $status); findings go to fuzz/artifacts/$1/"
        exit 1
    fi
}
for target in $targets; do
    shopt -s nullglob
    reproducers=(fuzz/regressions/"$target"/*)
    shopt -u nullglob
    if [[ ${#reproducers[@]} -gt 0 ]]; then
        echo "== $target: replaying ${#reproducers[@]} reproducers"
        run "$target" "${reproducers[@]}"
    fi
    echo "== $target: fuzzing ${seconds} s from the seeds"
    run "$target" -1 -max_total_time="$seconds" -print_final_stats=1
done
