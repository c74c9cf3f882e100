#!/bin/sh
# The own classic-pcap reader against libpcap's (engine/trace.c): every
# capture of the tcpdump regression corpus replayed twice under the build
# in $1, once as flowtap reads it and once with FLOWTAP_READER=libpcap,
# with match-everything criteria and an unlimited budget; exit status,
# standard error and every output file must be byte-identical. A few
# captures are also read from standard input (--trace -) by both. Then the conformance suites run through libpcap's
# reader (their goldens come from the own reader in every other run).
# Hand-made captures (harness/pcapcraft.py: byte orders, magics, old
# versions, captures past the snapshot or the maximum, cut files, odd
# timestamps and link types) are compared the same way.
B=${1:-build/asan}
CORPUS=${FLOWTAP_CORPUS:-../shared/traces/tcpdump}
if [ ! -d "$CORPUS" ]; then
	echo "skipped: reader check: no corpus at '$CORPUS' (set FLOWTAP_CORPUS)"
	exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export ASAN_OPTIONS=exitcode=99:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:exitcode=99:print_stacktrace=1
OUTS="intercept.pcap dtcp.log ledger.tsv rates.csv csources.csv report.json"

# run NAME TRACE [READER]: replay into $tmp/NAME, status in $tmp/NAME.st
run() {
	rm -rf "$tmp/$1"
	mkdir -p "$tmp/$1"
	if [ "$2" = - ]; then
		FLOWTAP_READER=$3 timeout 60 "$B/flowtap" replay -q --trace - \
		    --script fixtures/match-all.dtcp --budget-pps 0 \
		    --budget-bytes 0 --out "$tmp/$1/out" <"$4" \
		    >/dev/null 2>"$tmp/$1/stderr"
	else
		FLOWTAP_READER=$3 timeout 60 "$B/flowtap" replay -q --trace "$2" \
		    --script fixtures/match-all.dtcp --budget-pps 0 \
		    --budget-bytes 0 --out "$tmp/$1/out" \
		    >/dev/null 2>"$tmp/$1/stderr"
	fi
	echo $? >"$tmp/$1/st"
}

# same A B: identical status, stderr (the path aside) and outputs
same() {
	cmp -s "$tmp/$1/st" "$tmp/$2/st" || return 1
	sed "s|'[^']*'|'T'|" "$tmp/$1/stderr" >"$tmp/$1/e"
	sed "s|'[^']*'|'T'|" "$tmp/$2/stderr" >"$tmp/$2/e"
	cmp -s "$tmp/$1/e" "$tmp/$2/e" || return 1
	for o in $OUTS; do
		if [ -f "$tmp/$1/out/$o" ] || [ -f "$tmp/$2/out/$o" ]; then
			cmp -s "$tmp/$1/out/$o" "$tmp/$2/out/$o" || return 1
		fi
	done
	return 0
}

# Hand-made captures on the edges of the format (harness/pcapcraft.py).
crafted=
if command -v python3 >/dev/null 2>&1 &&
    python3 harness/pcapcraft.py "$tmp/craft"; then
	crafted="$tmp/craft"/*
fi

n=0 ok=0 bad=0 stdin=0
for f in "$CORPUS"/* $crafted; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	run own "$f" own
	run lib "$f" libpcap
	if same own lib; then
		ok=$((ok + 1))
	else
		bad=$((bad + 1))
		echo "DIFF $f: exit $(cat "$tmp/own/st") / $(cat "$tmp/lib/st")"
		head -3 "$tmp/own/stderr" "$tmp/lib/stderr"
		continue
	fi
	# Every 40th capture also through standard input.
	if [ $((n % 40)) -eq 1 ]; then
		run in - own "$f"
		run inlib - libpcap "$f"
		if same in inlib; then
			stdin=$((stdin + 1))
		else
			bad=$((bad + 1))
			echo "DIFF $f: from standard input"
		fi
	fi
done
echo "reader check: $n captures, $ok identical with both readers," \
    "$stdin also from standard input, $bad differ"
[ "$n" -gt 0 ] && [ "$bad" -eq 0 ] || exit 1

if [ -x "$B/ftharness" ]; then
	FLOWTAP_READER=libpcap "$B/ftharness" --flowtap "$B/flowtap" -j 2 \
	    >"$tmp/suites" 2>&1
	st=$?
	last=$(tail -1 "$tmp/suites")
	if [ "$st" -ne 0 ]; then
		grep -v '^ok ' "$tmp/suites" | head -20
		echo "reader check: suites through libpcap's reader: $last"
		exit 1
	fi
	echo "reader check: $n captures identical ($stdin from standard" \
	    "input); suites through libpcap's reader: $last"
fi
