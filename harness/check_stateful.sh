#!/bin/sh
# check_stateful.sh BUILD_DIR - the stateful randomized test of the DTCP
# control plane (harness/ftstate.c: sessions, restarts, good, defective,
# unauthenticated, stale and oversized requests, checked against a model
# of SPEC 2-5 after every request). Two short seeds, then seed 1 long;
# about 20 s under the ASan/UBSan build on two cores. Stops at the first
# failing run, whose violation (seed, iteration, request bytes) is
# printed. Last line: that run's "ftstate: N requests, V violations".
B=${1:-build/asan}

if [ ! -x "$B/ftstate" ]; then
	echo "ftstate: FAIL: $B/ftstate not built"
	exit 1
fi
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

for run in "2 50000" "3 50000" "1 300000"; do
	# shellcheck disable=SC2086
	set -- $run
	"$B/ftstate" --seed "$1" --iterations "$2" 2>&1 || exit 1
done
