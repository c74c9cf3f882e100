#!/bin/sh
# Run every test of the project against the build in $1 (build/asan by
# default) and print "N passed, N failed, N skipped" as the last line.
#   - each cmocka unit test binary build/<v>/test_*
#   - each harness check script harness/check_*.sh (given the build dir);
#     one whose last line starts "skipped:" is counted as skipped, never
#     as passed
#   - the conformance cases through $B/ftharness (each case counts once)
# Exit status: 0 when nothing failed.
B=${1:-build/asan}
pass=0
fail=0
skip=0
failed=""
log=$B/test-logs
mkdir -p "$log"

for t in "$B"/test_*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	if "$t" >"$log/$n.out" 2>&1; then st=0; else st=1; fi
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log/$n.out" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log/$n.out" | tail -1)
	p=${p:-0}
	f=${f:-0}
	if [ "$st" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$f" -ne 0 ]; then
		failed="$failed $n"
		echo "FAIL $n ($p passed, $f failed): see $log/$n.out"
		grep -E '^\[  (FAILED|ERROR)|error|ERROR' "$log/$n.out" | head -20
	else
		echo "ok   $n ($p tests)"
	fi
done

for c in harness/check_*.sh; do
	[ -f "$c" ] || continue
	n=$(basename "$c" .sh)
	if sh "$c" "$B" >"$log/$n.out" 2>&1; then
		last=$(tail -1 "$log/$n.out")
		case "$last" in
		skipped:*)
			skip=$((skip + 1))
			echo "skip $n: $last"
			;;
		*)
			pass=$((pass + 1))
			echo "ok   $n: $last"
			;;
		esac
	else
		fail=$((fail + 1))
		failed="$failed $n"
		echo "FAIL $n: see $log/$n.out"
		tail -20 "$log/$n.out"
	fi
done

# The conformance suites (suites/<area>/<NNN-slug>/, docs/harness.md):
# ftharness prints one line per case and "N passed, N failed[, N skipped]"
# last; its counts join the totals (a skip counts as neither). Only the
# lines that are not "ok" are shown here; the whole report is in the log.
if [ -x "$B/ftharness" ]; then
	"$B/ftharness" --flowtap "$B/flowtap" -j 2 \
	    --junit "$log/ftharness.xml" >"$log/ftharness.out" 2>&1
	last=$(tail -1 "$log/ftharness.out")
	hp=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
	hf=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
	hs=$(echo "$last" | sed -n 's/.*, \([0-9]*\) skipped.*/\1/p')
	if [ -z "$hp" ] || [ -z "$hf" ]; then
		fail=$((fail + 1))
		failed="$failed ftharness"
		echo "FAIL ftharness: no summary line: see $log/ftharness.out"
		tail -20 "$log/ftharness.out"
	else
		grep -v -e '^ok   ' "$log/ftharness.out" | sed '$d' | head -200
		pass=$((pass + hp))
		fail=$((fail + hf))
		skip=$((skip + ${hs:-0}))
		[ "$hf" -ne 0 ] && failed="$failed ftharness"
		echo "suites: $last"
	fi
else
	fail=$((fail + 1))
	failed="$failed ftharness"
	echo "FAIL ftharness: $B/ftharness not built"
fi

[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
