#!/bin/sh
# flowtap client against flowtap serve, on loopback (docs/client.md):
# host keys (unknown refused, --accept-new records it, a changed key
# refused), ADD/LIST/DELETE with Seq and MAC auto, two agencies on two
# @session connections kept apart (431 for the other's criterion: the
# run goes on, exit 1), a wrong DTCP key and a stale Seq (the router
# drops them: timeout, exit 1), --seq-from for a second run, a wrong
# password, a user without flow-tap-operation, a restart (SIGHUP) while
# the client waits, --json. The router: fixtures/default-router.conf
# with connection-limit and rate-limit raised to 250 (the checks open
# more than 5 connections a minute).
# Needs `flowtap serve` in the build; ssh-keygen for the changed-key
# check (skipped without it).
B=${1:-build/asan}
FT=$B/flowtap

[ -x "$FT" ] || { echo "no $FT"; exit 1; }
"$FT" serve --help >/dev/null 2>&1 || { echo "skipped: no flowtap serve"; exit 0; }

tmp=$(mktemp -d /tmp/ftcserve.XXXXXX) || exit 1
serve_pid=
cleanup() {
	# serve writes report.json as it stops: wait for it, then remove.
	if [ -n "$serve_pid" ]; then
		kill "$serve_pid" 2>/dev/null
		wait "$serve_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

sed -e 's/connection-limit [0-9]*;/connection-limit 250;/' \
    -e 's/rate-limit [0-9]*;/rate-limit 250;/' \
    fixtures/default-router.conf >"$tmp/router.conf"
grep -q "rate-limit 250;" "$tmp/router.conf" || { echo "no rate-limit in the config"; exit 1; }

# start_serve: flowtap serve on a free port; sets $port and $serve_pid.
start_serve() {
	: >"$tmp/serve.err"
	"$FT" serve --config "$tmp/router.conf" --port 0 --out "$tmp/serve" \
	    --no-status </dev/null >"$tmp/serve.out" 2>>"$tmp/serve.err" &
	serve_pid=$!
	i=0
	port=
	while [ $i -lt 100 ]; do
		port=$(sed -n 's/.*listening on 127\.0\.0\.1 port \([0-9]*\).*/\1/p' \
		    "$tmp/serve.err")
		[ -n "$port" ] && return 0
		kill -0 "$serve_pid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	cat "$tmp/serve.err"
	echo "flowtap serve did not start"
	exit 1
}
start_serve

n=0
fail=0
KH="$tmp/known_hosts"
ok() {
	n=$((n + 1))
}
bad() {
	echo "FAIL: $*"
	fail=$((fail + 1))
	n=$((n + 1))
}

# run NAME EXPECTED_EXIT [client options...] SCRIPT: output in $tmp/NAME.*
run() {
	name=$1
	want=$2
	shift 2
	"$FT" client --host 127.0.0.1 --port "$port" "$@" \
	    >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
	got=$?
	if [ "$got" -ne "$want" ]; then
		bad "$name: exit $got, expected $want"
		sed 's/^/    /' "$tmp/$name.err" | head -20
		return 1
	fi
	ok
	return 0
}

# expect NAME out|err PATTERN: a fixed string in that output.
expect() {
	if grep -qF -- "$3" "$tmp/$1.$2"; then
		ok
	else
		bad "$1: '$3' not in std$2"
		sed 's/^/    /' "$tmp/$1.$2" | head -30
	fi
}

# count NAME out|err PATTERN N: the fixed string on exactly N lines.
count() {
	c=$(grep -cF -- "$3" "$tmp/$1.$2")
	if [ "$c" -eq "$4" ]; then
		ok
	else
		bad "$1: '$3' on $c lines of std$2, expected $4"
		sed 's/^/    /' "$tmp/$1.$2" | head -30
	fi
}

# One agency: ADD, LIST, DELETE (the ADD's Criteria-ID comes back as 1).
cat >"$tmp/basic.dtcp" <<EOF
ADD DTCP/0.7
Csource-ID: verint
Cdest-ID: cd1
Source-Address: 192.0.2.1
Dest-Address: *
Protocol: 17
Flags: STATIC
X-JTap-Cdest-Dest-Address: 198.51.100.7
X-JTap-Cdest-Dest-Port: 5000
X-JTap-Cdest-Source-Address: 203.0.113.1
X-JTap-Cdest-Source-Port: 5001
Seq: auto
Authentication-Info: auto

LIST DTCP/0.7
Csource-ID: verint
Seq: auto
Authentication-Info: auto

DELETE DTCP/0.7
Csource-ID: verint
Criteria-ID: 1
Flags: STATIC
Seq: auto
Authentication-Info: auto
EOF
printf 'verint123\n' >"$tmp/pw"
# Without --timeout (CT): a run that wants its own gives it once (an
# option given twice is a usage error).
CT="--user verint --password-file $tmp/pw --known-hosts $KH"
C="$CT --timeout 3"

# 1. Unknown host key: refused, nothing sent, nothing recorded.
run unknown 1 $C "$tmp/basic.dtcp"
expect unknown err "unknown host key for '127.0.0.1:$port'"
[ ! -s "$KH" ] && ok || bad "unknown: $KH was written"

# 2. --accept-new: recorded; ADD, LIST, DELETE all 200.
run basic 0 $C --accept-new --json "$tmp/basic.json" "$tmp/basic.dtcp"
expect basic err "permanently added '127.0.0.1:$port' (ssh-ed25519 SHA256:"
fp=$(sed -n 's/.*host key ssh-ed25519 \(SHA256:[^ ]*\).*/\1/p' "$tmp/serve.err")
expect basic err "$fp"
count basic out "code=200 mac=ok" 3
expect basic out "  CRITERIA-ID: 1"
expect basic out "  CRITERIA-COUNT: 1"
expect basic err "3 messages, 3 sent, 3 answered 200, 0 failed"
c=$(grep -cF '"code": 200, "mac_ok": true, "error": null' "$tmp/basic.json")
[ "$c" -eq 3 ] && ok || bad "basic.json: $c entries with code 200, not 3"
grep -q "request session=ssh-" "$tmp/serve/dtcp.log" && ok ||
    bad "basic: no request in serve's dtcp.log"

# 3. The same script again: serve remembers verint's Seq 3, so Seq 1 is
# stale: dropped unanswered (498), the client times out on it.
run stale 1 $CT --timeout 1 "$tmp/basic.dtcp"
expect stale err "basic.dtcp:1: ADD: no reply within 1 s (the router drops requests it cannot authenticate: check the key, Csource-ID and Seq)"
count stale out "request" 1
grep -q "drop .*code=498" "$tmp/serve/dtcp.log" && ok ||
    bad "stale: no 498 drop in serve's dtcp.log"
# --seq-from: higher Seqs, accepted. (The new criterion is 2, so the
# DELETE of 1 is now 431: the run goes on and exits 1.)
run seqfrom 1 $C --seq-from 100 "$tmp/basic.dtcp"
expect seqfrom out "request $tmp/basic.dtcp:1 session=- user=verint seq=100: ADD"
expect seqfrom out "  CRITERIA-ID: 2"
expect seqfrom err "basic.dtcp:20: DELETE: the router answered 431 Unknown Criteria ID"
expect seqfrom err "3 messages, 3 sent, 2 answered 200, 1 failed"

# 4. A wrong DTCP key: dropped unanswered (497); timeout, exit 1.
run badkey 1 $CT --seq-from 200 --dtcp-key wrong --timeout 1 "$tmp/basic.dtcp"
expect badkey err "basic.dtcp:1: ADD: no reply within 1 s"
grep -q "drop .*code=497" "$tmp/serve/dtcp.log" && ok ||
    bad "badkey: no 497 drop in serve's dtcp.log"

# 5. Two agencies on two connections: each sees its own criteria only;
# lea2 deleting verint's criterion gets 431, the run goes on; @restart
# is not sent.
cat >"$tmp/two.dtcp" <<EOF
@session v user=verint password=verint123
ADD DTCP/0.7
Csource-ID: verint
Cdest-ID: cd1
Protocol: 6
Flags: STATIC
X-JTap-Cdest-Dest-Address: 198.51.100.7
X-JTap-Cdest-Dest-Port: 5000
X-JTap-Cdest-Source-Address: 203.0.113.1
X-JTap-Cdest-Source-Port: 5001
Seq: auto
Authentication-Info: auto

@session l user=lea2 password=lea2pass
DELETE DTCP/0.7
Csource-ID: lea2
Criteria-ID: 3
Flags: STATIC
Seq: auto
Authentication-Info: auto

LIST DTCP/0.7
Csource-ID: lea2
Seq: auto
Authentication-Info: auto

@restart not from a client
@session v user=verint password=verint123
LIST DTCP/0.7
Csource-ID: verint
Seq: auto
Authentication-Info: auto
EOF
run two 1 --known-hosts "$KH" --seq-from 300 "$tmp/two.dtcp"
expect two out "open $tmp/two.dtcp:1 session=v user=verint"
expect two out "open $tmp/two.dtcp:14 session=l user=lea2"
expect two out "  CRITERIA-ID: 3"
expect two err "two.dtcp:15: DELETE: the router answered 431 Unknown Criteria ID"
expect two err "two.dtcp:27: @restart skipped"
# lea2's LIST is empty; verint's lists criterion 3 (and 2).
sed -n '/^reply .*two.dtcp:22 /,/^$/p' "$tmp/two.out" >"$tmp/two.lea2"
grep -q "CRITERIA-COUNT: 0" "$tmp/two.lea2" && ok ||
    bad "two: lea2's LIST is not empty: $(cat "$tmp/two.lea2")"
expect two out "  CSOURCE-ID: verint"
count two out "CSOURCE-ID: lea2" 0
expect two err "4 messages, 4 sent, 3 answered 200, 1 failed"

# 6. A changed host key: refused even with --accept-new.
if command -v ssh-keygen >/dev/null 2>&1; then
	ssh-keygen -q -t ed25519 -N '' -f "$tmp/otherkey" || exit 1
	sed "s|^\(\[127.0.0.1\]:$port\) .*|\1 $(cut -d' ' -f1,2 "$tmp/otherkey.pub")|" \
	    "$KH" >"$tmp/kh_changed"
	run changed 1 --user verint --password-file "$tmp/pw" \
	    --known-hosts "$tmp/kh_changed" --accept-new "$tmp/basic.dtcp"
	expect changed err "host key of '127.0.0.1:$port' has CHANGED"
	count changed out "request" 0
fi

# 7. A wrong password; a user without flow-tap-operation.
printf 'wrong\n' >"$tmp/badpw"
run badpw 1 --user verint --password-file "$tmp/badpw" --known-hosts "$KH" \
    "$tmp/basic.dtcp"
expect badpw err "authentication failed for user 'verint' at '127.0.0.1:$port'"
FLOWTAP_PASSWORD=noc12345 run noc 1 --user noc --known-hosts "$KH" \
    "$tmp/basic.dtcp"
expect noc err "refused the subsystem 'flow-tap-dtcp' for user 'noc'"

# 8. A restart while the client waits for its next @at: the connection
# drops, the client says so and exits 1.
cat >"$tmp/restart.dtcp" <<EOF
LIST DTCP/0.7
Csource-ID: verint
Seq: auto
Authentication-Info: auto

@at 3
LIST DTCP/0.7
Csource-ID: verint
Seq: auto
Authentication-Info: auto
EOF
"$FT" client --host 127.0.0.1 --port "$port" $C --seq-from 400 \
    "$tmp/restart.dtcp" >"$tmp/restart.out" 2>"$tmp/restart.err" </dev/null &
cpid=$!
sleep 1.5
kill -HUP "$serve_pid"
wait $cpid
st=$?
[ $st -eq 1 ] && ok || bad "restart: exit $st, expected 1"
expect restart out "reply $tmp/restart.dtcp:1 code=200 mac=ok"
if grep -qF "restart.dtcp:7: LIST: no reply: " "$tmp/restart.err" ||
    grep -qF "restart.dtcp:7: LIST: not sent:" "$tmp/restart.err"; then
	ok
else
	bad "restart: the drop is not reported: $(cat "$tmp/restart.err")"
fi
# After the restart the router forgot every Seq: the same script works.
run replay 0 $C --seq-from 400 "$tmp/restart.dtcp" --no-wait

if [ "$fail" -ne 0 ]; then
	echo "client-serve: $fail of $n checks failed (flowtap serve on port $port)"
	exit 1
fi
echo "client-serve: $n checks passed (flowtap serve on port $port)"
