#!/usr/bin/env bash
# Generation time of `cargo xtask codegen` (one-off form) against progenitor's
# CLI on the same documents, alternating runs, medians in milliseconds.
#
#   cargo build --release -p xtask && cargo install cargo-progenitor
#   xtask/bench-generation.sh [rounds] <spec>...
#
# A spec progenitor refuses shows "failed" for it; ours is still timed.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=7
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then
    rounds=$1
    shift
fi
ours=target/release/xtask
peer=$(command -v cargo-progenitor || echo "$HOME/.cargo/bin/cargo-progenitor")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Milliseconds one command takes; "failed" when it fails.
time_ms() {
    local start end
    start=$(date +%s%N)
    if "$@" >/dev/null 2>&1; then
        end=$(date +%s%N)
        echo $(((end - start) / 1000000))
    else
        echo failed
    fi
}

median() {
    sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "failed"; else print a[int((NR + 1) / 2)]}'
}

printf '%-45s %10s %12s %8s\n' spec "ours ms" "progenitor ms" ratio
for spec in "$@"; do
    dir="$work/spec"
    rm -rf "$dir" && mkdir -p "$dir" && cp "$spec" "$dir/"
    ours_times=() peer_times=()
    for _ in $(seq "$rounds"); do
        ours_times+=("$(time_ms "$ours" codegen --specs "$dir" --out "$work/ours")")
        peer_times+=("$(time_ms "$peer" progenitor -i "$spec" -o "$work/peer" -n peer -v 0.1.0)")
    done
    o=$(printf '%s\n' "${ours_times[@]}" | { grep -v failed || true; } | median)
    p=$(printf '%s\n' "${peer_times[@]}" | { grep -v failed || true; } | median)
    ratio=-
    if [[ $o != failed && $p != failed && $p != 0 ]]; then
        ratio=$(awk -v o="$o" -v p="$p" 'BEGIN {printf "%.2f", o / p}')
    fi
    printf '%-45s %10s %12s %8s\n' "$(basename "$spec")" "$o" "$p" "$ratio"
done
