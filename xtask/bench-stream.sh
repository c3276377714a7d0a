#!/usr/bin/env bash
# A streamed download's throughput and peak memory: the runtime's streamed body
# (what a generated `…_stream` method reads, body limit 1 MiB) against a plain
# reqwest byte stream, one process per run, served on loopback by the same
# process, in alternating runs; medians of MiB/s and peak resident MiB
# (`VmHWM`), and their ratios. With `whole`, one more run reads the same
# body whole through the plain method (its limit raised), for contrast.
#
#   xtask/bench-stream.sh [rounds] [bytes] [whole-bytes]
#   (defaults: 5 rounds of 4 GiB; the whole-body read 512 MiB)
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-5}
bytes=${2:-4294967296}
whole=${3:-536870912}
cargo build --release --quiet -p vendor-clients --example stream_bench
bench=target/release/examples/stream_bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# "<MiB/s> <peak MiB>" of one run.
measure() {
    "$bench" --mode "$1" --bytes "$2" |
        sed -E 's/.*mib_per_s=([0-9.]+) peak_rss_kib=([0-9]+)/\1 \2/' |
        awk '{printf "%s %.1f\n", $1, $2 / 1024}'
}

median() {
    awk -v c="$1" '{print $c}' | sort -g |
        awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

: >"$work/client"
: >"$work/reqwest"
for _ in $(seq "$rounds"); do
    measure client "$bytes" >>"$work/client"
    measure reqwest "$bytes" >>"$work/reqwest"
done
ct=$(median 1 <"$work/client")
rt=$(median 1 <"$work/reqwest")
cm=$(median 2 <"$work/client")
rm_=$(median 2 <"$work/reqwest")
echo "$rounds alternating runs of $bytes bytes each; medians"
printf '%-22s %10s %12s\n' way "MiB/s" "peak MiB"
printf '%-22s %10s %12s\n' "client stream" "$ct" "$cm"
printf '%-22s %10s %12s\n' "plain reqwest stream" "$rt" "$rm_"
printf '%-22s %10s %12s\n' "ratio client/reqwest" "$(ratio "$ct" "$rt")" "$(ratio "$cm" "$rm_")"
printf '%-22s %10s %12s\n' "client, whole body" $(measure whole "$whole") 
echo "(the whole-body read: one run of $whole bytes)"
