#!/bin/sh
# Juniper's own client against `flowtap serve` (docs/serve.md): the seed
# guide's dfcclient.pl (harness/dfcclient.pl, OCR damage repaired, nothing
# else changed) with the guide's parameter-file form (messages without
# Authentication-Info, each ended by an empty line): it logs in with
# OpenSSH through Expect, signs each message with HMAC-SHA1 "Juniper" and
# sends it. It ends with $exp->interact(), so its standard input is
# /dev/null and what counts is what the router logged and answered.
#
# dfcclient.pl runs "ssh -l USER -p 32001 ROUTER -s flow-tap-dtcp"; the
# router here listens on a free loopback port, so an `ssh` first in PATH
# swaps 32001 for that port and trusts the new host key in a throwaway
# known_hosts (dfcclient.pl does not answer ssh's host-key question).
# Needs perl with Expect and Digest::HMAC_SHA1 (Debian libexpect-perl,
# libdigest-hmac-perl) and ssh (openssh-client), else "skipped: ...".
# KEEP=1 keeps the temporary folder (transcript, dfcclient output).
B=${1:-build/asan}
FT=$(cd "$(dirname "$B/flowtap")" && pwd)/flowtap

skip() {
	echo "skipped: $*"
	exit 0
}

[ -x "$FT" ] || { echo "no $FT"; exit 1; }
command -v ssh >/dev/null 2>&1 || skip "no ssh (Debian openssh-client)"
command -v perl >/dev/null 2>&1 || skip "no perl"
perl -MExpect -e1 2>/dev/null || skip "no Expect.pm (Debian libexpect-perl)"
perl -MDigest::HMAC_SHA1 -e1 2>/dev/null ||
	skip "no Digest::HMAC_SHA1 (Debian libdigest-hmac-perl)"

tmp=$(mktemp -d /tmp/ftdfc.XXXXXX) || exit 1
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	[ -n "$KEEP" ] || rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	echo "--- dtcp.log"
	cat "$tmp/out/dtcp.log" 2>/dev/null
	echo "--- dfcclient.pl output"
	cat "$tmp/dfc.out" 2>/dev/null
	exit 1
}

"$FT" serve --port 0 --out "$tmp/out" --config fixtures/default-router.conf \
    -q --no-status 2>"$tmp/serve.err" &
pid=$!
port=
i=0
while [ $i -lt 100 ]; do
	port=$(sed -n 's/.*\] listen address=[^ ]* port=\([0-9]*\) .*/\1/p' \
	    "$tmp/out/dtcp.log" 2>/dev/null)
	[ -n "$port" ] && break
	sleep 0.1
	i=$((i + 1))
done
[ -n "$port" ] || fail "serve did not start: $(cat "$tmp/serve.err")"

real_ssh=$(command -v ssh)
mkdir "$tmp/bin"
cat >"$tmp/bin/ssh" <<WRAP
#!/bin/sh
# dfcclient.pl's "-p 32001" becomes the test router's port; nothing else.
prev=
for a in "\$@"; do
	shift
	[ "\$prev" = "-p" ] && [ "\$a" = 32001 ] && a=$port
	set -- "\$@" "\$a"
	prev=\$a
done
exec $real_ssh -F /dev/null -o StrictHostKeyChecking=accept-new \\
    -o UserKnownHostsFile=$tmp/known -o GlobalKnownHostsFile=/dev/null \\
    -o PubkeyAuthentication=no -o PreferredAuthentications=password "\$@"
WRAP
chmod +x "$tmp/bin/ssh"

# The guide's sample parameter file (Table 1), then a LIST and a DELETE.
cat >"$tmp/lea1_tcp.flowtap" <<'PARAMS'
ADD DTCP/0.6
Csource-ID: verint
Cdest-ID: cd1
Source-Address: *
Dest-Address: *
Source-Port: *
Dest-Port: *
Protocol: 6
Flags: STATIC
X-JTap-Cdest-Dest-Address: 192.168.3.2
X-JTap-Cdest-Dest-Port: 1814
X-JTap-Cdest-Source-Address: 10.209.75.199
X-JTap-Cdest-Source-Port: 65534
X-JTap-Cdest-TTL: 255
Seq: 10

LIST DTCP/0.7
Csource-ID: verint
Seq: 11

DELETE DTCP/0.7
Csource-ID: verint
Criteria-ID: 1
Flags: STATIC
Seq: 12

PARAMS

start=$(date +%s)
PATH="$tmp/bin:$PATH" SSH_ASKPASS= SSH_ASKPASS_REQUIRE= timeout 60 \
    perl harness/dfcclient.pl 127.0.0.1 verint verint123 \
    "$tmp/lea1_tcp.flowtap" </dev/null >"$tmp/dfc.out" 2>&1
rc=$?
[ $rc -eq 124 ] && fail "dfcclient.pl did not finish within 60 s"
grep -q "ssh -l verint -p 32001 127.0.0.1 -s flow-tap-dtcp" "$tmp/dfc.out" ||
	fail "dfcclient.pl did not run its ssh command"
n=$(grep -c "^Sending DTCP cmd:" "$tmp/dfc.out")
[ "$n" -eq 3 ] || fail "dfcclient.pl sent $n messages, not 3"

log=$tmp/out/dtcp.log
i=0
while [ $i -lt 50 ] && ! grep -q "closed: " "$log"; do
	sleep 0.1
	i=$((i + 1))
done
grep -q "ssh conn=1 peer=127.0.0.1:[0-9]* user=verint: password accepted" \
    "$log" || fail "no password login"
grep -q "open session=ssh-1 user=verint: from 127.0.0.1" "$log" ||
	fail "no flow-tap-dtcp session"
[ "$(grep -c '^\[.*\] reply session=ssh-1 user=verint code=200$' "$log")" \
    -eq 3 ] || fail "not three 200 replies"
grep -q "^  CRITERIA-ID: 1$" "$log" || fail "ADD did not get Criteria-ID 1"
grep -q "^  CRITERIA-COUNT: 1$" "$log" || fail "LIST/DELETE did not count 1"
grep -q " drop " "$log" && fail "a request was dropped"
# The requests carry the MAC dfcclient.pl computed; check one here too.
mac=$(printf 'LIST DTCP/0.7\r\nCsource-ID: verint\r\nSeq: 11\r\n' |
    openssl dgst -sha1 -hmac Juniper 2>/dev/null | sed 's/.*= *//')
[ -z "$mac" ] || grep -q "^  Authentication-Info: $mac$" "$log" ||
	fail "LIST's Authentication-Info is not HMAC-SHA1(Juniper)"
kill "$pid"
wait "$pid" || fail "serve did not stop cleanly"
pid=
echo "dfcclient.pl: ADD, LIST, DELETE answered 200 by flowtap serve" \
    "($(($(date +%s) - start)) s)"
