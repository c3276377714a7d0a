#!/usr/bin/env bash
# Generation time and peak memory of `cargo xtask codegen` (one-off form)
# against progenitor's CLI on the same documents: alternating runs, medians of
# wall milliseconds and peak resident MiB (/usr/bin/time).
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

# "<milliseconds> <peak MiB>" of one command (from /usr/bin/time); "failed"
# when it fails.
measure() {
    if /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>&1; then
        awk '{printf "%d %d\n", $1 * 1000, $2 / 1024}' "$work/time"
    else
        echo failed
    fi
}

# Median of one column of the measurements; "failed" when none succeeded.
median() {
    { grep -v failed || true; } | awk -v c="$1" '{print $c}' | sort -n |
        awk '{a[NR]=$1} END {if (NR == 0) print "failed"; else print a[int((NR + 1) / 2)]}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "failed" || b == "failed" || b + 0 == 0) print "-"; else printf "%.2f", a / b}'; }

printf '%-45s %7s %9s %9s %6s %9s %9s %6s\n' spec KB "ours ms" "peer ms" ratio "ours MiB" "peer MiB" ratio
for spec in "$@"; do
    dir="$work/spec"
    rm -rf "$dir" && mkdir -p "$dir" && cp "$spec" "$dir/"
    : >"$work/ours.times"
    : >"$work/peer.times"
    for _ in $(seq "$rounds"); do
        measure "$ours" codegen --specs "$dir" --out "$work/ours" >>"$work/ours.times"
        measure "$peer" progenitor -i "$spec" -o "$work/peer" -n peer -v 0.1.0 >>"$work/peer.times"
    done
    ot=$(median 1 <"$work/ours.times")
    pt=$(median 1 <"$work/peer.times")
    om=$(median 2 <"$work/ours.times")
    pm=$(median 2 <"$work/peer.times")
    printf '%-45s %7s %9s %9s %6s %9s %9s %6s\n' "$(basename "$spec")" "$(($(wc -c <"$spec") / 1024))" "$ot" "$pt" "$(ratio "$ot" "$pt")" \
        "$om" "$pm" "$(ratio "$om" "$pm")"
done
