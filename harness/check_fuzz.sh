#!/bin/sh
# Fuzz smoke check (suites/fuzz/README.md): build the libFuzzer targets
# with clang (make fuzz), then run each one deterministically over its
# committed corpus plus a bounded number of generated inputs. The
# committed corpus is only read: new inputs go to a temporary directory,
# crash reproducers to build/fuzz/artifacts/. $1 (the build dir of the
# other checks) only appears in messages.
# Last line: "fuzz smoke: N targets, M runs, no crash". Exit 1 on a crash,
# a sanitizer report, a timeout or a build failure.
B=${1:-build/asan}
RUNS=${FUZZ_RUNS:-20000}
FB=build/fuzz
ART=$FB/artifacts

if ! command -v clang >/dev/null 2>&1; then
	echo "check_fuzz ($B): clang not found: run 'make deps'" >&2
	exit 1
fi
if ! make -s -j2 fuzz; then
	echo "check_fuzz ($B): make fuzz failed" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/flowtap-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$ART"

n=0
total=0
for src in suites/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	x=${t#fuzz_}
	corpus=suites/fuzz/corpus/$x
	bin=$FB/$t
	if [ ! -d "$corpus" ]; then
		echo "check_fuzz: $t: no corpus $corpus" >&2
		exit 1
	fi
	mkdir -p "$tmp/$x"
	rm -f "$ART/$t-"*
	log=$tmp/$x.log
	# First corpus dir is the scratch one: libFuzzer writes only there.
	if "$bin" -seed=1 -runs="$RUNS" -max_len=9000 -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=0 \
	    -artifact_prefix="$ART/$t-" "$tmp/$x" "$corpus" >"$log" 2>&1
	then
		runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
		runs=${runs:-0}
		echo "$t: $runs runs, $(ls "$corpus" | wc -l) corpus inputs"
		n=$((n + 1))
		total=$((total + runs))
	else
		echo "FAIL $t: crash, sanitizer report or timeout"
		grep -E 'ERROR|SUMMARY|==[0-9]+==|runtime error|Test unit written' \
		    "$log" | head -20
		for a in "$ART/$t-"*; do
			[ -f "$a" ] && echo "reproducer: $a (run: $bin $a)"
		done
		exit 1
	fi
done
echo "fuzz smoke: $n targets, $total runs, no crash"
