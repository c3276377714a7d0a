#!/usr/bin/env bash
# Where generation time goes, per stage, over documents of any size: medians of
# `cargo xtask codegen --timings` (load, lower, emit, API.md) and the whole
# process's wall time, with each stage's microseconds per KB of document, so a
# stage growing faster than the document shows as a rising column.
#
#   cargo build --release -p xtask
#   xtask/bench-stages.sh [rounds] <spec>...
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=5
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then
    rounds=$1
    shift
fi
ours=target/release/xtask
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

printf '%-42s %6s %8s %8s %8s %8s %8s   %s\n' spec KB load lower emit API.md wall "us/KB: load lower emit API.md"
for spec in "$@"; do
    dir="$work/spec"
    rm -rf "$dir" && mkdir -p "$dir" && cp "$spec" "$dir/"
    : >"$work/stages"
    : >"$work/wall"
    for _ in $(seq "$rounds"); do
        start=$(date +%s%N)
        "$ours" codegen --specs "$dir" --out "$work/out" --timings 2>&1 >/dev/null |
            sed -n 's/^timings [^:]*: load \([0-9.]*\) ms, lower \([0-9.]*\) ms, emit \([0-9.]*\) ms, API.md \([0-9.]*\) ms$/\1 \2 \3 \4/p' >>"$work/stages"
        echo $((($(date +%s%N) - start) / 1000000)) >>"$work/wall"
    done
    kb=$(($(wc -c <"$spec") / 1024))
    cols=()
    for c in 1 2 3 4; do
        cols+=("$(awk -v c=$c '{print $c}' "$work/stages" | median)")
    done
    wall=$(median <"$work/wall")
    per=$(printf '%s\n' "${cols[@]}" | awk -v kb="$kb" '{printf "%6.0f", $1 * 1000 / (kb > 0 ? kb : 1)}')
    printf '%-42s %6s %8s %8s %8s %8s %8s   %s\n' "$(basename "$spec")" "$kb" "${cols[@]}" "$wall" "$per"
done
