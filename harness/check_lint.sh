#!/bin/sh
# check_lint.sh BUILD_DIR - flowtap lint (issue 10, docs/lint.md):
#  1. the linter and the engine agree (harness/lintcheck.c): every suite
#     case's script linted against its dtcp.log golden, message by
#     message, and the golden linted as a transcript; every input of the
#     fuzz corpora (fuzz_dtcp, fuzz_tasking); every fixtures/*.dtcp
#     against the dtcp.log `flowtap replay` writes for it. A message the
#     engine rejects has a MUST finding, one it accepts never has.
#  2. every fixture of suites/lint/ gives what it expects: its
#     "expect: RULE LINE" findings, "expect-text: RULE LINE TEXT",
#     no "forbid: PREFIX" rule, for "clean" no MUST or SHOULD, for
#     "fixture: pass RULE" no finding of RULE and no MUST it does not
#     expect; the exit status (1 with a MUST, else 0). Keys are comment
#     lines ("# key: ...") of a script, or a FILE.expect beside it.
#  3. every rule of the catalogue has a failing and a passing fixture
#     (but DTCP-SERVER-ERROR: nothing a device sends brings it).
#  3b. the engine's own log: replay names the rule of a 497 and the
#     request's script line, and with --explain-mac the bytes the MAC
#     covers and the MAC expected (not without it).
#  4. docs/rules.md is `flowtap lint --rules markdown`; usage errors
#     exit 2.
# Last line: "lint: N checks, F failed".
B=${1:-build/asan}
F="$B/flowtap"
[ -x "$F" ] || { echo "no $F"; exit 1; }
[ -x "$B/lintcheck" ] || { echo "no $B/lintcheck"; exit 1; }
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

n=0
bad=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

no() {
	bad=$((bad + 1))
	echo "FAIL $*"
}

# 1. Agreement.
n=$((n + 1))
"$B/lintcheck" suites suites >"$tmp/suites.out" 2>&1 ||
	no "lintcheck suites: $(grep -c FAIL "$tmp/suites.out") failures"
grep FAIL "$tmp/suites.out" | head -20
tail -1 "$tmp/suites.out"
n=$((n + 1))
"$B/lintcheck" corpus suites/fuzz/corpus/dtcp suites/fuzz/corpus/tasking \
    >"$tmp/corpus.out" 2>&1 ||
	no "lintcheck corpus: $(grep -c FAIL "$tmp/corpus.out") failures"
grep FAIL "$tmp/corpus.out" | head -20
tail -1 "$tmp/corpus.out"
for s in fixtures/*.dtcp; do
	n=$((n + 1))
	base=$(basename "$s" .dtcp)
	conf=
	[ "$base" = default ] && conf=fixtures/default-router.conf
	if ! "$F" replay --trace traces/default.pcap --script "$s" \
	    ${conf:+--config "$conf"} --out "$tmp/$base" -q \
	    >"$tmp/$base.replay" 2>&1; then
		no "replay $s: $(tail -1 "$tmp/$base.replay")"
		continue
	fi
	"$B/lintcheck" pair "$s" "$tmp/$base/dtcp.log" \
	    ${conf:+-c "$conf"} >"$tmp/$base.pair" 2>&1 ||
		no "lintcheck pair $s: $(grep FAIL "$tmp/$base.pair" | head -3)"
done

# 2. The fixtures.
keys() {
	# "key: value" lines of a fixture: its FILE.expect, else its "# "
	# comment lines.
	if [ -f "$1.expect" ]; then
		sed -n 's/^\([a-z-]*\): /\1: /p' "$1.expect"
	else
		sed -n 's/^# \([a-z-]*\): /\1: /p; s/^# clean$/clean: /p' "$1"
	fi
	[ -f "$1.expect" ] && grep -q '^clean$' "$1.expect" && echo "clean: "
}
"$F" lint --rules >"$tmp/rules.txt"
for fx in suites/lint/*.dtcp suites/lint/*.log; do
	[ -f "$fx" ] || continue
	n=$((n + 1))
	keys "$fx" >"$tmp/keys"
	opts=$(sed -n 's/^lint: //p' "$tmp/keys")
	# shellcheck disable=SC2086
	"$F" lint $opts "$fx" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" -gt 1 ] || [ -s "$tmp/err" ]; then
		no "$fx: exit $st: $(head -2 "$tmp/err")"
		continue
	fi
	grep "^$fx:" "$tmp/out" >"$tmp/found"
	ok=1
	must=0
	while read -r key a b rest; do
		case "$key" in
		expect:)
			if ! grep -q "^$fx:$b: $a " "$tmp/found"; then
				no "$fx: no $a at line $b"
				ok=0
			fi
			case $(awk -v r="$a" '$1 == r { print $2 }' "$tmp/rules.txt") in
			MUST) must=1 ;;
			esac
			;;
		expect-text:)
			if ! grep "^$fx:$b: $a " "$tmp/found" | grep -qF "$rest"; then
				no "$fx: no $a at line $b with '$rest'"
				ok=0
			fi
			case $(awk -v r="$a" '$1 == r { print $2 }' "$tmp/rules.txt") in
			MUST) must=1 ;;
			esac
			;;
		forbid:)
			if grep -q "^$fx:[0-9]*: $a" "$tmp/found"; then
				no "$fx: a $a finding: $(grep "^$fx:[0-9]*: $a" "$tmp/found" | head -1)"
				ok=0
			fi
			;;
		clean:)
			if grep -q -e ' MUST: ' -e ' SHOULD: ' "$tmp/found"; then
				no "$fx: not clean: $(grep -e ' MUST: ' -e ' SHOULD: ' "$tmp/found" | head -1)"
				ok=0
			fi
			;;
		fixture:)
			if [ "$a" = pass ] && grep -q "^$fx:[0-9]*: $b " "$tmp/found"; then
				no "$fx: passes $b but has: $(grep "^$fx:[0-9]*: $b " "$tmp/found" | head -1)"
				ok=0
			fi
			;;
		esac
	done <"$tmp/keys"
	# A MUST finding nobody expects (pass fixtures and the rest).
	grep ' MUST: ' "$tmp/found" | while IFS=: read -r _ line rest; do
		rule=$(echo "$rest" | awk '{ print $1 }')
		grep -q "^expect[a-z-]*: $rule $line\( \|$\)" "$tmp/keys" ||
			echo "$fx:$line: $rule"
	done >"$tmp/unexpected"
	if [ -s "$tmp/unexpected" ]; then
		no "$fx: unexpected MUST: $(head -1 "$tmp/unexpected")"
		ok=0
	fi
	if [ "$st" -ne "$must" ]; then
		no "$fx: exit $st, expected $must"
		ok=0
	fi
	[ "$ok" = 1 ] || sed 's/^/    /' "$tmp/out" | head -12
done

# 3. Every rule: a failing and a passing fixture.
cat suites/lint/*.expect >"$tmp/allkeys" 2>/dev/null
sed -n 's/^# \(fixture: .*\)/\1/p' suites/lint/*.dtcp >>"$tmp/allkeys"
for id in $(awk '{ print $1 }' "$tmp/rules.txt"); do
	[ "$id" = DTCP-SERVER-ERROR ] && continue
	for kind in fail pass; do
		n=$((n + 1))
		grep -q "^fixture: $kind $id\$" "$tmp/allkeys" ||
			no "rule $id has no $kind fixture"
	done
done

# 3b. The engine's side: replay --explain-mac on the guide's printed MAC
# logs the rule, the bytes the MAC covers (322: its 15 lines with CRLF)
# and the MAC expected; without the option, neither.
n=$((n + 1))
for x in plain explain; do
	"$F" replay -q -t traces/default.pcap -s suites/lint/seed-printed-mac.dtcp \
	    -o "$tmp/mac-$x" $([ $x = explain ] && echo --explain-mac) \
	    >/dev/null 2>&1 || no "replay $x of seed-printed-mac.dtcp failed"
done
grep -q ' drop .* code=497 rule=DTCP-AUTH-MAC-WRONG: ' "$tmp/mac-plain/dtcp.log" ||
	no "replay: the 497 drop does not name DTCP-AUTH-MAC-WRONG"
grep -q 'expected MAC' "$tmp/mac-plain/dtcp.log" &&
	no "replay without --explain-mac shows a MAC"
grep -Eq '^  expected MAC [0-9a-f]{40} over these 322 bytes:$' \
    "$tmp/mac-explain/dtcp.log" && grep -q '^  | Seq: 1\\r\\n$' \
    "$tmp/mac-explain/dtcp.log" ||
	no "replay --explain-mac: no expected MAC over 322 bytes, or no escaped lines"
grep -q ' request .* script=suites/lint/seed-printed-mac.dtcp:8$' \
    "$tmp/mac-plain/dtcp.log" ||
	no "replay: the request line does not name script=FILE:8"

# 4. The catalogue's page and usage errors.
n=$((n + 1))
"$F" lint --rules markdown >"$tmp/rules.md"
cmp -s "$tmp/rules.md" docs/rules.md ||
	no "docs/rules.md is not 'flowtap lint --rules markdown' (make rules-doc)"
n=$((n + 1))
head -1 "$tmp/rules.md" | grep -q '^# Rules$' &&
    [ "$(grep -c '^| `DTCP-' "$tmp/rules.md")" -eq "$(wc -l <"$tmp/rules.txt")" ] ||
	no "--rules markdown: not the Markdown table of every rule"
"$F" lint --rules=markdown | cmp -s - "$tmp/rules.md" ||
	no "--rules=markdown and --rules markdown differ"
for args in "" "--format xml x" "--profile nope x" "--frob x" \
    "-p junos --profile draft x"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	"$F" lint $args >/dev/null 2>&1
	st=$?
	[ "$st" -eq 2 ] || no "flowtap lint $args: exit $st, expected 2"
done
n=$((n + 1))
"$F" lint --format json suites/lint/DTCP-ADD-STATIC.fail.dtcp >"$tmp/j" 2>&1
grep -q '"rule": "DTCP-ADD-STATIC"' "$tmp/j" ||
	no "--format json: no DTCP-ADD-STATIC finding"
n=$((n + 1))
"$F" lint --format junit suites/lint/DTCP-ADD-STATIC.fail.dtcp >"$tmp/x" 2>&1
grep -q '<failure type="DTCP-ADD-STATIC"' "$tmp/x" ||
	no "--format junit: no DTCP-ADD-STATIC failure"
n=$((n + 1))
"$F" lint - <suites/lint/DTCP-ADD-STATIC.fail.dtcp >"$tmp/s" 2>&1
grep -q '^<stdin>:[0-9]*: DTCP-ADD-STATIC MUST' "$tmp/s" ||
	no "lint - (standard input): no DTCP-ADD-STATIC finding"

echo "lint: $n checks, $bad failed"
[ "$bad" -eq 0 ]
