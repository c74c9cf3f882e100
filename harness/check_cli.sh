#!/bin/sh
# check_cli.sh BUILD_DIR - flowtap replay as a CI and a shell use it
# (issue 12): a capture cut short is replayed up to the cut with a
# warning; SIGINT/SIGTERM leave no file and exit 130/143; a full disk is
# named with the real file and the system's reason (as root: a 16 KiB
# tmpfs); -s - reads standard input; -o -, an option given twice, a value
# out of range and 'help NOSUCH' are usage errors (2) that say what is
# valid; --outputs writes only what it names; --strict exits 3 and says
# why; report.json carries the version and the warnings; the summary
# shows every silent loss.
# Last line: "cli: N checks ok".
B=${1:-build/asan}
F=$B/flowtap
n=0
die() {
	echo "cli: FAIL: $*"
	exit 1
}
ok() {
	n=$((n + 1))
}
[ -x "$F" ] || die "$F not built"
[ -x "$B/pktgen" ] || die "$B/pktgen not built"
T=$(mktemp -d) || die "mktemp failed"
MNT=
cleanup() {
	[ -n "$MNT" ] && umount "$MNT" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
TR=traces/default.pcap
SC=fixtures/default.dtcp
CF=fixtures/default-router.conf

# 1. A classic pcap cut inside record 340, through standard input.
head -c 100000 "$TR" >"$T/cut.pcap"
"$F" replay -q -t - -s "$SC" -c "$CF" -o "$T/cut" <"$T/cut.pcap" \
    2>"$T/cut.err"
st=$?
[ "$st" -eq 0 ] || die "cut pcap: exit $st: $(cat "$T/cut.err")"
grep -qxF "flowtap replay: warning: trace '-': cut short in the middle of record 340 (records 1 to 339 read)" \
    "$T/cut.err" || die "cut pcap: warning missing: $(cat "$T/cut.err")"
[ "$(grep -c . "$T/cut/ledger.tsv")" -gt 1 ] || die "cut pcap: empty ledger"
grep -q '"kind": "trace_cut_short", "count": 1, "first": "trace '"'-'"': cut short in the middle of record 340' \
    "$T/cut/report.json" || die "cut pcap: report.json warning"
ok
# The same cut in a pcapng file (trace.c's own reader): a conformance
# case's committed cut.pcap.
"$F" replay -q -t suites/datapath/017-pcapng-cut-short/cut.pcap \
    -s suites/datapath/017-pcapng-cut-short/case.dtcp -o "$T/ng" \
    2>"$T/ng.err" || die "cut pcapng: $(cat "$T/ng.err")"
grep -q "cut short in the middle of record 4 at byte 596" "$T/ng.err" ||
    die "cut pcapng: $(cat "$T/ng.err")"
ok

# 2. --strict: the cut run has non-200 replies, a dropped request and
# warnings; exit 3 and one line saying what.
"$F" replay -q -t "$T/cut.pcap" -s "$SC" -c "$CF" -o "$T/strict" \
    --strict 2>"$T/strict.err"
st=$?
[ "$st" -eq 3 ] || die "--strict: exit $st, not 3"
grep -qxF "flowtap replay: --strict: replies other than 200: 2, requests dropped unanswered: 1, warnings: 7" \
    "$T/strict.err" || die "--strict line: $(tail -1 "$T/strict.err")"
# A clean run is 0 with --strict too.
"$B/pktgen" suites/budget/001-under-20kpps/packets.txt "$T/c.pcap" \
    >/dev/null 2>&1 || die "pktgen"
"$F" replay -q -t "$T/c.pcap" -s suites/budget/001-under-20kpps/case.dtcp \
    -o "$T/clean" --strict 2>"$T/clean.err" ||
    die "--strict on a clean run: $(cat "$T/clean.err")"
[ -s "$T/clean.err" ] && die "clean run wrote to stderr: $(cat "$T/clean.err")"
# A budget drop alone fails --strict.
"$B/pktgen" suites/budget/004-over-20kpps-ingress/packets.txt "$T/o.pcap" \
    >/dev/null 2>&1 || die "pktgen"
"$F" replay -q -t "$T/o.pcap" -s suites/budget/004-over-20kpps-ingress/case.dtcp \
    -o "$T/over" --strict 2>"$T/over.err"
st=$?
[ "$st" -eq 3 ] && grep -q "^flowtap replay: --strict: budget drops: " \
    "$T/over.err" || die "--strict on budget drops: exit $st: $(cat "$T/over.err")"
# Without --strict the same runs exit 0.
"$F" replay -q -t "$T/o.pcap" -s suites/budget/004-over-20kpps-ingress/case.dtcp \
    -o "$T/over2" 2>/dev/null || die "budget drops without --strict"
ok

# 3. report.json: the version first, and the warnings list.
v=$("$F" version | sed 's/^flowtap //')
[ "$(sed -n 2p "$T/clean/report.json")" = "  \"flowtap_version\": \"$v\"," ] ||
    die "report.json version line: $(sed -n 2p "$T/clean/report.json")"
grep -qx '  "warnings": \[\],' "$T/clean/report.json" ||
    die "report.json: empty warnings list"
ok

# 4. The summary shows what was lost without failing.
"$F" replay -t "$T/cut.pcap" -s "$SC" -c "$CF" -o "$T/sum" >"$T/sum.out" \
    2>/dev/null || die "summary run"
grep -q "^skipped: not_ip " "$T/sum.out" || die "summary: skips by reason"
grep -q "^dtcp: .* 0 refused, " "$T/sum.out" || die "summary: refused"
grep -q "^warning: trace_cut_short x1: " "$T/sum.out" ||
    die "summary: warnings"
ok

# 5. SIGINT and SIGTERM: the run stops, no file left, 130 / 143.
for sig in INT TERM; do
	want=130
	[ "$sig" = TERM ] && want=143
	mkfifo "$T/fifo.$sig"
	"$F" replay -q -t "$T/fifo.$sig" -s "$SC" -o "$T/sig.$sig" \
	    2>"$T/sig.$sig.err" &
	pid=$!
	# Half a capture, then the writer stalls with the pipe open.
	(head -c 50000 "$TR"; sleep 30) >"$T/fifo.$sig" &
	wpid=$!
	i=0
	while [ ! -f "$T/sig.$sig/.ledger.tsv.tmp" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -f "$T/sig.$sig/.ledger.tsv.tmp" ] || die "SIG$sig: run did not start"
	kill -"$sig" "$pid"
	wait "$pid"
	st=$?
	kill "$wpid" 2>/dev/null
	wait "$wpid" 2>/dev/null
	[ "$st" -eq "$want" ] || die "SIG$sig: exit $st, not $want"
	left=$(ls -A "$T/sig.$sig")
	[ -z "$left" ] || die "SIG$sig: files left: $left"
	grep -qxF "flowtap replay: interrupted by SIG$sig: no output written" \
	    "$T/sig.$sig.err" || die "SIG$sig: $(cat "$T/sig.$sig.err")"
done
ok

# 6. A full disk names the output file and the reason (root only).
if [ "$(id -u)" -eq 0 ] && mkdir "$T/full" &&
    mount -t tmpfs -o size=16k tmpfs "$T/full" 2>/dev/null; then
	MNT=$T/full
	"$F" replay -q -t "$TR" -s "$SC" -c "$CF" -o "$T/full/o" \
	    2>"$T/full.err"
	st=$?
	[ "$st" -eq 1 ] || die "full disk: exit $st"
	grep -qE "^flowtap replay: cannot write '$T/full/o/[a-z]+\.[a-z]+': No space left on device$" \
	    "$T/full.err" || die "full disk: $(cat "$T/full.err")"
	[ -z "$(ls -A "$T/full/o")" ] || die "full disk: files left"
	umount "$T/full" && MNT=
	ok
else
	echo "full-disk check not run (needs root and a tmpfs mount)"
fi

# 7. -s - reads the script from standard input: the same outputs (the
# request lines name the script as given: FILE, or '-').
"$F" replay -q -t "$TR" -s "$SC" -c "$CF" -o "$T/f1" 2>/dev/null ||
    die "file run"
"$F" replay -q -t "$TR" -s - -c "$CF" -o "$T/f2" <"$SC" 2>/dev/null ||
    die "-s - run"
for f in intercept.pcap ledger.tsv rates.csv csources.csv; do
	cmp -s "$T/f1/$f" "$T/f2/$f" || die "-s -: $f differs"
done
sed "s| script=$SC:| script=-:|" "$T/f1/dtcp.log" | cmp -s - "$T/f2/dtcp.log" ||
    die "-s -: dtcp.log differs (but for script=FILE)"
grep -q ' request .* script=-:[0-9]' "$T/f2/dtcp.log" ||
    die "-s -: request lines do not say script=-:LINE"
ok

# 8. Usage errors: exit 2 and a message that says what is valid.
usage() {	# usage EXPECTED-LINE ARGS...
	want=$1
	shift
	"$F" "$@" >"$T/u.out" 2>"$T/u.err"
	st=$?
	[ "$st" -eq 2 ] || die "'$*': exit $st, not 2"
	[ "$(cat "$T/u.err")" = "$want" ] ||
	    die "'$*': '$(cat "$T/u.err")', not '$want'"
}
usage "flowtap replay: --out is a folder (there is no standard-output form) '-' (see 'flowtap replay --help')" \
    replay -t "$TR" -s "$SC" -o -
usage "flowtap replay: the trace and the script cannot both be standard input '-' (see 'flowtap replay --help')" \
    replay -t - -s - -o "$T/u"
usage "flowtap replay: option given twice '--trace' (see 'flowtap replay --help')" \
    replay -t "$TR" --trace "$TR" -s "$SC" -o "$T/u"
usage "flowtap replay: option given twice '--budget-pps' (see 'flowtap replay --help')" \
    replay -t "$TR" -s "$SC" -o "$T/u" --budget-pps 1 --budget-pps 2
usage "flowtap replay: bad --budget-pps value (0 to 1000000000000) '-1' (see 'flowtap replay --help')" \
    replay -t "$TR" -s "$SC" -o "$T/u" --budget-pps -1
usage "flowtap replay: bad --budget-burst value (0 to 18000000000) '18000000001' (see 'flowtap replay --help')" \
    replay -t "$TR" -s "$SC" -o "$T/u" --budget-burst 18000000001
usage "flowtap plan: bad --budget-bytes value (0 to 1000000000000) 'x' (see 'flowtap plan --help')" \
    plan -t "$TR" -s "$SC" --budget-bytes x
usage "flowtap plan: option given twice '--interval' (see 'flowtap plan --help')" \
    plan -t "$TR" -s "$SC" --interval 1 --interval 2
usage "flowtap help: unknown command 'nosuch' (see 'flowtap --help')" \
    help nosuch
# serve and client too (an address no host has: never a server started).
usage "flowtap serve: option given twice '--port' (see 'flowtap serve --help')" \
    serve -l 192.0.2.1 -p 1 --port 2
usage "flowtap client: option given twice '--host' (see 'flowtap client --help')" \
    client -H 192.0.2.1 --host 192.0.2.2 "$SC"
usage "flowtap serve: bad --port value (0 to 65535) '70000' (see 'flowtap serve --help')" \
    serve -l 192.0.2.1 -p 70000
usage "flowtap client: bad --port value (1 to 65535) '0' (see 'flowtap client --help')" \
    client -H 192.0.2.1 -p 0 "$SC"
usage "flowtap replay: --outputs: unknown output 'pcap' (intercept.pcap, dtcp.log, ledger.tsv, rates.csv, csources.csv, report.json, or all) (see 'flowtap replay --help')" \
    replay -t "$TR" -s "$SC" -o "$T/u" --outputs report,pcap
usage "flowtap replay: --report needs report.json in --outputs '--report' (see 'flowtap replay --help')" \
    replay -t "$TR" -s "$SC" -o "$T/u" --outputs ledger --report
[ ! -e "$T/u" ] || die "a usage error created the output folder"
"$F" help replay >/dev/null || die "help replay"
ok

# 9. --outputs writes only what it names (stem or file name).
"$F" replay -q -t "$TR" -s "$SC" -c "$CF" -o "$T/sel" \
    --outputs report.json,intercept 2>/dev/null || die "--outputs run"
[ "$(ls "$T/sel" | tr '\n' ' ')" = "intercept.pcap report.json " ] ||
    die "--outputs wrote: $(ls -A "$T/sel" | tr '\n' ' ')"
cmp -s "$T/sel/intercept.pcap" "$T/f1/intercept.pcap" ||
    die "--outputs: intercept.pcap differs from a full run's"
cmp -s "$T/sel/report.json" "$T/f1/report.json" ||
    die "--outputs: report.json differs from a full run's"
ok

echo "cli: $n checks ok"
