#!/bin/sh
# check_harness.sh BUILD_DIR - self-test of the conformance harness.
# Builds a throw-away suite under build/harness-selftest.XXXXXX/ with one
# case that passes and one whose intercept.pcap golden has its outer TTL byte
# changed, and checks that ftharness explains the difference exactly,
# exits 1 and ends with "1 passed, 1 failed"; then that ftdiff names the
# first differing packet and field, aligns packets (a missing or extra
# packet said as such) and ends with the number of differing packets;
# that the TAP, JUnit, --list, --shard and --coverage outputs say what
# they should; that a user's own suite (no normative.txt: spec optional,
# paths relative to the manifest) runs from another folder; and that
# docs/coverage.md is the current matrix of suites/.
# Last line: "harness self-test: N checks ok".
B=${1:-build/asan}
n=0

die() {
	echo "harness self-test: FAIL: $*"
	exit 1
}
ok() {
	n=$((n + 1))
}

for p in ftharness ftdiff flowtap; do
	[ -x "$B/$p" ] || die "$B/$p not built"
done

# A folder of its own, so that two test runs at once do not meet
# (KEEP=1 keeps it for a look afterwards).
mkdir -p build || die "cannot create build/"
T=$(mktemp -d build/harness-selftest.XXXXXX) || die "mktemp failed"
[ -n "$KEEP" ] || trap 'rm -rf "$T"' EXIT INT TERM
mkdir -p "$T/suites/selftest/001-pass" "$T/suites/selftest/002-ttl" ||
    die "cannot create $T"

# One IPv4 UDP packet 192.0.2.10:1234 > 192.0.2.20:5678 with payload "hi",
# LINKTYPE_RAW, nanosecond pcap, at 1297612600 (IPv4 checksum 0xf6af).
printf '\115\074\262\241\002\000\004\000\000\000\000\000\000\000\000\000' \
    >"$T/t.pcap"
printf '\377\377\000\000\145\000\000\000\070\377\127\115\000\000\000\000' \
    >>"$T/t.pcap"
printf '\036\000\000\000\036\000\000\000\105\000\000\036\000\001\000\000' \
    >>"$T/t.pcap"
printf '\100\021\366\257\300\000\002\012\300\000\002\024\004\322\026\056' \
    >>"$T/t.pcap"
printf '\000\012\000\000\150\151' >>"$T/t.pcap"

printf 'S1\toffline\tA copy carries the TTL of the ADD.\n' \
    >"$T/suites/normative.txt"
printf 'L1\tlive\tThe router listens on port 32001.\n' \
    >>"$T/suites/normative.txt"
for c in 001-pass 002-ttl; do
	d=$T/suites/selftest/$c
	cat >"$d/manifest" <<EOF
# harness self-test case (harness/check_harness.sh)
purpose: one UDP packet copied to one content destination
spec: seed:S1
spec: SPEC 6
trace: file ../../../t.pcap
xcheck: ip.dst==192.0.2.1 && udp.dstport==30030 || udp
EOF
	cat >"$d/case.dtcp" <<'EOF'
@at 0
ADD DTCP/0.7
Csource-ID: verint
Cdest-ID: cd1
Protocol: 17
X-JTap-Cdest-Dest-Address: 192.0.2.1
X-JTap-Cdest-Dest-Port: 30030
X-JTap-Cdest-Source-Address: 192.0.2.254
X-JTap-Cdest-Source-Port: 49153
X-JTap-Cdest-TTL: 255
Flags: STATIC
Seq: 1
Authentication-Info: auto
EOF
done

# The tshark cross-checks run in steps 1 and 3 only (tshark is slow to
# start); without tshark they are skipped.
XC=
command -v tshark >/dev/null 2>&1 || XC=--no-xcheck
H0="$B/ftharness --suites $T/suites --work $T/work --flowtap $B/flowtap"
H="$H0 $XC"

# 1. --update writes the goldens of both cases.
# shellcheck disable=SC2086
$H --update >"$T/update.out" 2>&1 || {
	cat "$T/update.out"
	die "--update failed"
}
grep -qx 'updated selftest/001-pass' "$T/update.out" ||
    die "--update did not report selftest/001-pass"
for f in intercept.pcap dtcp.log ledger.tsv report.json; do
	[ -s "$T/suites/selftest/002-ttl/$f" ] || die "golden $f not written"
done
ok

# 2. A second run passes untouched.
# shellcheck disable=SC2086
$H0 --no-xcheck >"$T/run1.out" 2>&1 || {
	cat "$T/run1.out"
	die "second run failed"
}
[ "$(tail -1 "$T/run1.out")" = "2 passed, 0 failed" ] ||
    die "second run: last line '$(tail -1 "$T/run1.out")'"
ok

# 3. Change the outer TTL byte (file offset 24 + 16 + 8) of one golden.
G=$T/suites/selftest/002-ttl/intercept.pcap
orig=$(od -An -tu1 -j48 -N1 "$G" | tr -d ' ')
[ -n "$orig" ] || die "cannot read the TTL byte of $G"
new=$((orig ^ 1))
# shellcheck disable=SC2059
printf "\\$(printf '%03o' "$new")" |
    dd of="$G" bs=1 seek=48 conv=notrunc 2>/dev/null
[ "$(od -An -tu1 -j48 -N1 "$G" | tr -d ' ')" = "$new" ] ||
    die "could not patch $G"

# shellcheck disable=SC2086
$H0 --no-xcheck -j 2 --tap --junit "$T/junit.xml" >"$T/tap.out" 2>&1
[ $? -eq 1 ] || die "TAP run did not exit 1"
# shellcheck disable=SC2086
$H -j 2 >"$T/run2.out" 2>&1
st=$?
[ "$st" -eq 1 ] || die "run with a bad golden exited $st, not 1"
ok
want="    packet 1: outer ipv4.ttl: expected $new, got $orig"
grep -qxF "$want" "$T/run2.out" || {
	cat "$T/run2.out"
	die "explanation '$want' missing"
}
ok
grep -qx 'FAIL selftest/002-ttl' "$T/run2.out" || die "no FAIL line"
grep -qx 'ok   selftest/001-pass' "$T/run2.out" || die "no ok line"
ok
[ "$(tail -1 "$T/run2.out")" = "1 passed, 1 failed" ] ||
    die "last line '$(tail -1 "$T/run2.out")', not '1 passed, 1 failed'"
ok

# 4. TAP and JUnit.
[ "$(head -1 "$T/tap.out")" = "1..2" ] || die "TAP plan missing"
grep -qx 'ok 1 - selftest/001-pass' "$T/tap.out" || die "TAP ok line"
grep -qx 'not ok 2 - selftest/002-ttl' "$T/tap.out" || die "TAP not ok"
grep -qxF "# packet 1: outer ipv4.ttl: expected $new, got $orig" "$T/tap.out" || die "TAP explanation missing"
ok
grep -q '<testsuite name="flowtap-conformance" tests="2" failures="1"' \
    "$T/junit.xml" || die "JUnit testsuite line"
grep -qF "<failure message=\"packet 1: outer ipv4.ttl: expected $new, got $orig\">" \
    "$T/junit.xml" || die "JUnit failure message"
ok

# 5. Selection and --list.
# shellcheck disable=SC2086
[ "$($H --list '*ttl')" = "selftest/002-ttl" ] || die "--list with a glob"
# shellcheck disable=SC2086
$H0 --no-xcheck selftest/001-pass >"$T/run3.out" 2>&1 || die "selecting one case"
[ "$(tail -1 "$T/run3.out")" = "1 passed, 0 failed" ] ||
    die "selection: '$(tail -1 "$T/run3.out")'"
ok

# 6. ftdiff on its own: identical, then the first differing field.
P=$T/suites/selftest/001-pass/intercept.pcap
"$B/ftdiff" "$P" "$P" >"$T/d0.out" 2>&1 || die "ftdiff A A did not exit 0"
[ -s "$T/d0.out" ] && die "ftdiff A A printed something"
"$B/ftdiff" "$P" "$G" >"$T/d1.out" 2>&1
[ $? -eq 1 ] || die "ftdiff A B did not exit 1"
[ "$(head -1 "$T/d1.out")" = \
    "packet 1: outer ipv4.ttl: expected $orig, got $new" ] ||
    die "ftdiff said '$(head -1 "$T/d1.out")'"
"$B/ftdiff" "$P" "$T/t.pcap" >"$T/d2.out" 2>&1
grep -qx 'packet 1: outer ipv4.ttl: expected 255, got 64' "$T/d2.out" ||
    die "ftdiff copy vs trace: $(cat "$T/d2.out")"
"$B/ftdiff" "$P" /nonexistent >"$T/d3.out" 2>&1
[ $? -eq 2 ] || die "ftdiff on a missing file did not exit 2"
ok

# 7. --coverage: S1 covered by both cases, L1 listed as live.
# shellcheck disable=SC2086
$H --coverage >"$T/cov.md" 2>&1 || die "--coverage failed"
grep -qF '| S1 | A copy carries the TTL of the ADD. | selftest/001-pass, selftest/002-ttl |' \
    "$T/cov.md" || die "coverage row for S1"
grep -q '^| L1 | ' "$T/cov.md" || die "coverage live row"
grep -q '^1 offline sentences, 1 covered' "$T/cov.md" ||
    die "coverage count line"
ok

# 9. ftdiff aligns packets: one missing (or extra) packet is said as
# such, not as every later packet differing, and the last line counts
# the differing packets. Three records of t.pcap at 1, 2 and 3 s later.
rec() {	# rec SECONDS-LOW-BYTE: t.pcap's record with that ts_sec low byte
	# shellcheck disable=SC2059
	printf "\\$(printf '%03o' "$1")"
	dd if="$T/t.pcap" bs=1 skip=25 count=45 2>/dev/null
}
dd if="$T/t.pcap" bs=1 count=24 of="$T/h.bin" 2>/dev/null
{ cat "$T/h.bin"; rec 57; rec 58; rec 59; } >"$T/abc.pcap"
{ cat "$T/h.bin"; rec 57; rec 59; } >"$T/ac.pcap"
"$B/ftdiff" "$T/abc.pcap" "$T/ac.pcap" >"$T/d4.out" 2>&1
[ $? -eq 1 ] || die "ftdiff abc ac did not exit 1"
[ "$(cat "$T/d4.out")" = "packet 2: missing, expected (ts 1297612602.000000000, len 30, 192.0.2.10 > 192.0.2.20)
packet count: expected 3, got 2
1 differing packet (0 changed, 1 missing, 0 extra)" ] ||
    die "ftdiff missing packet: $(cat "$T/d4.out")"
"$B/ftdiff" "$T/ac.pcap" "$T/abc.pcap" >"$T/d5.out" 2>&1
[ "$(head -1 "$T/d5.out")" = "got packet 2: not expected (ts 1297612602.000000000, len 30, 192.0.2.10 > 192.0.2.20)" ] ||
    die "ftdiff extra packet: $(cat "$T/d5.out")"
[ "$(tail -1 "$T/d5.out")" = "1 differing packet (0 changed, 0 missing, 1 extra)" ] ||
    die "ftdiff extra packet count: $(tail -1 "$T/d5.out")"
[ "$(tail -1 "$T/d1.out")" = "1 differing packet (1 changed, 0 missing, 0 extra)" ] ||
    die "ftdiff changed packet count: $(tail -1 "$T/d1.out")"
ok

# 10. --shard K/N: every N-th case from the K-th; a bad K/N is usage.
# shellcheck disable=SC2086
[ "$($H --list --shard 1/2)" = "selftest/001-pass" ] || die "--shard 1/2"
# shellcheck disable=SC2086
[ "$($H --list --shard 2/2)" = "selftest/002-ttl" ] || die "--shard 2/2"
# shellcheck disable=SC2086
$H0 --no-xcheck --shard 1/2 >"$T/shard.out" 2>&1 || die "--shard 1/2 run"
[ "$(tail -1 "$T/shard.out")" = "1 passed, 0 failed" ] ||
    die "--shard run: '$(tail -1 "$T/shard.out")'"
for bad in 0/2 3/2 2 x/y; do
	# shellcheck disable=SC2086
	$H --list --shard "$bad" >/dev/null 2>&1
	[ $? -eq 2 ] || die "--shard $bad was not a usage error"
done
ok

# 11. A user's own suite: outside this repository (no normative.txt),
# 'spec:' is optional, paths are relative to the manifest, and ftharness
# runs from any folder, finding flowtap and pktgen beside itself.
U=$(cd "$T" && pwd)/user
mkdir -p "$U/suite/mine/001-one-copy" "$U/suite/mine/002-gen" \
    "$U/traces" "$U/elsewhere" || die "cannot create $U"
cp "$T/t.pcap" "$U/traces/t.pcap"
cp "$T/suites/selftest/001-pass/case.dtcp" "$U/suite/mine/001-one-copy/"
cp "$T/suites/selftest/001-pass/case.dtcp" "$U/suite/mine/002-gen/"
cat >"$U/suite/mine/001-one-copy/manifest" <<'EOF'
purpose: a user's case: no spec line, the trace two folders up
trace: file ../../../traces/t.pcap
EOF
cat >"$U/suite/mine/002-gen/manifest" <<'EOF'
purpose: a user's case with a generated trace and a free-text reference
spec: ETSI TS 101 671 annex (any text will do here)
trace: gen packets.txt
EOF
echo '0 ipv4 192.0.2.10 > 192.0.2.20 udp 1234 > 5678 payload=2' \
    >"$U/suite/mine/002-gen/packets.txt"
HB=$(cd "$B" && pwd)
(cd "$U/elsewhere" && "$HB/ftharness" --suites ../suite --no-xcheck \
    --update) >"$T/user1.out" 2>&1 || {
	cat "$T/user1.out"
	die "a user's suite, --update from another folder"
}
(cd "$U/elsewhere" && "$HB/ftharness" --suites "$U/suite" --no-xcheck) \
    >"$T/user2.out" 2>&1 || {
	cat "$T/user2.out"
	die "a user's suite from another folder"
}
[ "$(tail -1 "$T/user2.out")" = "2 passed, 0 failed" ] ||
    die "a user's suite: '$(tail -1 "$T/user2.out")'"
[ -s "$U/suite/mine/001-one-copy/intercept.pcap" ] ||
    die "a user's suite: golden not written"
# In a suite with normative.txt, a case without spec: still fails.
printf 'purpose: no spec\ntrace: file ../../../t.pcap\n' \
    >"$T/suites/selftest/001-pass/manifest"
# shellcheck disable=SC2086
$H0 --no-xcheck selftest/001-pass >"$T/nospec.out" 2>&1
grep -q "manifest: no 'spec:' line" "$T/nospec.out" ||
    die "this repository's suites still need spec: $(cat "$T/nospec.out")"
ok

# 8. docs/coverage.md is the current matrix of the real suites.
if [ -f suites/normative.txt ]; then
	"$B/ftharness" --coverage >"$T/coverage.md" 2>"$T/coverage.err" ||
	    die "--coverage on suites/: $(head -1 "$T/coverage.err")"
	cmp -s "$T/coverage.md" docs/coverage.md ||
	    die "docs/coverage.md is stale: run '$B/ftharness --coverage >" \
	    "docs/coverage.md' and commit it"
	ok
fi

echo "harness self-test: $n checks ok"
