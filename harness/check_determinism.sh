#!/bin/sh
# Determinism: two runs of the default scenario give byte-identical outputs.
B=${1:-build/asan}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
for i in 1 2; do
	"$B/flowtap" replay -q --trace traces/default.pcap \
	    --script fixtures/default.dtcp --config fixtures/default-router.conf \
	    --out "$tmp/run$i" || { echo "run $i failed"; exit 1; }
done
n=0
for f in intercept.pcap dtcp.log ledger.tsv report.json rates.csv csources.csv; do
	cmp "$tmp/run1/$f" "$tmp/run2/$f" || exit 1
	[ -s "$tmp/run1/$f" ] || { echo "$f is empty"; exit 1; }
	n=$((n + 1))
done
echo "determinism: $n output files byte-identical over two runs"
