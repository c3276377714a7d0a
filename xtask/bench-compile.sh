#!/usr/bin/env bash
# What the generated crate costs its users to compile, against progenitor's
# crate for the same document: alternating runs, medians, ratios.
#
#   cargo build --release -p xtask && cargo install cargo-progenitor --locked
#   xtask/bench-compile.sh [rounds] <spec> [cargo features for our crate]
#
# Both crates are generated into $BENCH_DIR (default /tmp/bench-compile, outside
# any workspace), their dependencies built once, then each round touches each
# crate's src/lib.rs and times, for ours then progenitor's (BENCH_CMDS=check for
# the checks alone):
#   clean check   CARGO_INCREMENTAL=0 cargo check   (as CI and `cargo install` build)
#   incr check    CARGO_INCREMENTAL=1 cargo check   (a user editing code beside it)
#   clean build   CARGO_INCREMENTAL=0 cargo build   (debug)
#   incr build    CARGO_INCREMENTAL=1 cargo build
# Time is wall seconds; memory is the largest process's peak RSS (rustc), from
# /usr/bin/time. The features argument (e.g. "spec-issues") turns on
# `tag-features` for the document (its vendor module is `spec`) and builds our
# crate with only those features, to price the per-tag opt-in; progenitor's is
# whole. A document progenitor cannot generate is timed for ours alone.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=5
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then
    rounds=$1
    shift
fi
spec=${1:?usage: xtask/bench-compile.sh [rounds] <spec> [features]}
features=${2:-}
ours=$PWD/target/release/xtask
peer=$(command -v cargo-progenitor || echo "$HOME/.cargo/bin/cargo-progenitor")
name=$(basename "$spec")
name=${name%.*}
work=${BENCH_DIR:-/tmp/bench-compile}/$name${features:+-$features}
# BENCH_CMDS=check skips the debug builds (a large crate's build is minutes).
cmds=${BENCH_CMDS:-check build}
rm -rf "$work"
mkdir -p "$work/spec"
cp "$spec" "$work/spec/"

feature_args=()
if [[ -n $features ]]; then
    feature_args=(--no-default-features --features "$features")
    printf 'tag-features: true\n' >"$work/spec/codegen.yaml"
fi
if ! "$ours" codegen --specs "$work/spec" --out "$work/ours" --crate-name bench-ours >/dev/null 2>"$work/codegen.err"; then
    cat "$work/codegen.err" >&2
    exit 1
fi
crates=(ours)
if "$peer" progenitor -i "$spec" -o "$work/peer" -n bench-peer -v 0.1.0 >/dev/null 2>&1; then
    crates+=(peer)
    # progenitor writes a crate without a workspace table; ours has one.
    grep -q '^\[workspace\]' "$work/peer/Cargo.toml" || printf '\n[workspace]\n' >>"$work/peer/Cargo.toml"
else
    echo "progenitor cannot generate $name: timing ours alone" >&2
fi

# One measured command: "<seconds> <peak KiB>", or "failed".
measure() {
    local crate=$1 mode=$2 cmd=$3 args=()
    [[ $crate == ours ]] && args=("${feature_args[@]}")
    local incremental=0
    [[ $mode == incr ]] && incremental=1
    touch "$work/$crate/src/lib.rs"
    if (cd "$work/$crate" && CARGO_INCREMENTAL=$incremental CARGO_TARGET_DIR="$work/$crate/target-$mode" \
        /usr/bin/time -f '%e %M' -o "$work/time" cargo "$cmd" --quiet "${args[@]}" >/dev/null 2>"$work/$crate.err"); then
        cat "$work/time"
    else
        echo failed
    fi
}

median() {
    sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "failed"; else print a[int((NR + 1) / 2)]}'
}

# Dependencies (and the incremental caches) built before anything is timed.
for crate in "${crates[@]}"; do
    for mode in clean incr; do
        for cmd in $cmds; do
            if [[ $(measure "$crate" "$mode" "$cmd") == failed ]]; then
                echo "$crate: cargo $cmd failed:" >&2
                cat "$work/$crate.err" >&2
                exit 1
            fi
        done
    done
done

lines() { cat "$1"/src/*.rs "$1"/src/*/*.rs "$1"/src/*/*/*.rs 2>/dev/null | wc -l; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b + 0 == 0) print "-"; else printf "%.2f", a / b}'; }
echo "spec $name; our crate ${features:+(features $features) }$(lines "$work/ours") lines, progenitor's $(lines "$work/peer"); $rounds rounds"
printf '%-12s %9s %9s %7s %10s %10s %7s\n' "" "ours s" "peer s" ratio "ours MiB" "peer MiB" ratio
for mode in clean incr; do
    for cmd in $cmds; do
        : >"$work/ours.times"
        : >"$work/peer.times"
        for _ in $(seq "$rounds"); do
            measure ours "$mode" "$cmd" >>"$work/ours.times"
            if [[ ${#crates[@]} == 2 ]]; then
                measure peer "$mode" "$cmd" >>"$work/peer.times"
            fi
        done
        ot=$(awk '{print $1}' "$work/ours.times" | median)
        pt=$(awk '{print $1}' "$work/peer.times" | median)
        om=$(awk '{print int($2 / 1024)}' "$work/ours.times" | median)
        pm=$(awk '{print int($2 / 1024)}' "$work/peer.times" | median)
        printf '%-12s %9s %9s %7s %10s %10s %7s\n' "$mode $cmd" "$ot" "$pt" "$(ratio "$ot" "$pt")" \
            "$om" "$pm" "$(ratio "$om" "$pm")"
    done
done
