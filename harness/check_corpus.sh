#!/bin/sh
# Robustness: replay every capture of the tcpdump regression corpus with
# match-everything criteria and an unlimited budget, under the build in $1
# (make test uses the ASan/UBSan build). Each run must end with exit 0
# (standard error holding at most one warning line per kind of warning:
# "flowtap replay: warning: ..."), or exit 1 with exactly one line on
# stderr (a file libpcap rejects), within 30 s, and without any sanitizer
# report. Runs with warnings are counted apart (a capture cut short inside
# a record is replayed up to the cut with a warning, no longer rejected).
B=${1:-build/asan}
CORPUS=${FLOWTAP_CORPUS:-../shared/traces/tcpdump}
if [ ! -d "$CORPUS" ]; then
	echo "skipped: corpus check: no corpus at '$CORPUS' (set FLOWTAP_CORPUS)"
	exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export ASAN_OPTIONS=exitcode=99:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:exitcode=99:print_stacktrace=1
n=0 ok=0 warned=0 rejected=0 bad=0
for f in "$CORPUS"/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	timeout 30 "$B/flowtap" replay -q --trace "$f" \
	    --script fixtures/match-all.dtcp --budget-pps 0 --budget-bytes 0 \
	    --out "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"
	st=$?
	lines=$(wc -l <"$tmp/stderr")
	warns=$(grep -c '^flowtap replay: warning: ' "$tmp/stderr")
	if grep -q -E 'Sanitizer|runtime error' "$tmp/stderr"; then
		st=98
	fi
	if [ "$st" -eq 0 ] && [ "$lines" -eq 0 ]; then
		ok=$((ok + 1))
	elif [ "$st" -eq 0 ] && [ "$lines" -eq "$warns" ] && [ "$lines" -le 8 ]; then
		warned=$((warned + 1))
	elif [ "$st" -eq 1 ] && [ "$lines" -eq 1 ]; then
		rejected=$((rejected + 1))
	else
		bad=$((bad + 1))
		echo "FAIL $f: exit $st, $lines stderr lines"
		head -20 "$tmp/stderr"
	fi
done
echo "corpus check: $n files, $ok replayed, $warned replayed with warnings, $rejected rejected with one line, $bad failed"
[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
