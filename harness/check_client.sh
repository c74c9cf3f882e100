#!/bin/sh
# flowtap client end to end (docs/client.md), on loopback only.
#
# Against OpenSSH's sshd, started here on a free loopback port with the
# subsystem flow-tap-dtcp = harness/dtcpecho (a stand-in responder that
# signs its replies and drops requests whose MAC is wrong), logged in as
# a dedicated test user: host-key checks (unknown refused, --accept-new,
# changed key refused), password sources, ADD/LIST/DELETE with Seq and
# MAC auto, a non-200 reply (the run goes on, exit 1), a bad DTCP key
# (no reply: timeout, exit 1), a bad reply MAC, a wrong SEQ, a reply
# split into single bytes and one with LF line ends, a closed channel,
# @at waits, @session/@close/@restart, --json, usage errors.
#
# Needs root (it creates the test user ftct-PID, removed at the end), sshd,
# ssh-keygen, useradd/userdel/chpasswd, setsid; otherwise it prints
# "skipped: <reason>" and passes.
#
# When `flowtap serve` is built, harness/check_client_serve.sh runs the
# client against it too.
B=${1:-build/asan}
FT=$B/flowtap
ECHO=$B/dtcpecho
# A user of this run's own: concurrent runs do not share a password.
TUSER=ftct-$$
SSHD=/usr/sbin/sshd

skip() {
	echo "skipped: $*"
	exit 0
}

[ -x "$FT" ] || { echo "no $FT"; exit 1; }
[ -x "$ECHO" ] || { echo "no $ECHO"; exit 1; }
[ "$(id -u)" -eq 0 ] || skip "needs root to create the test user $TUSER"
[ -x "$SSHD" ] || skip "no $SSHD (Debian package openssh-server)"
for t in ssh-keygen useradd userdel chpasswd setsid; do
	command -v $t >/dev/null 2>&1 || skip "no $t"
done

tmp=$(mktemp -d /tmp/ftclient.XXXXXX) || exit 1
sshd_pid=
created_user=
cleanup() {
	if [ -n "$sshd_pid" ]; then
		kill "$sshd_pid" 2>/dev/null
		wait "$sshd_pid" 2>/dev/null
	fi
	[ -n "$created_user" ] && userdel -f "$TUSER" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
chmod 755 "$tmp"

# Users left by runs that were killed (their pid is gone).
for u in $(getent passwd | cut -d: -f1 | grep '^ftct-[0-9][0-9]*$'); do
	kill -0 "${u#ftct-}" 2>/dev/null || userdel -f "$u" 2>/dev/null
done
# The test user: no home, a random password.
if ! getent passwd "$TUSER" >/dev/null; then
	useradd -M -d /nonexistent -s /bin/sh "$TUSER" ||
	    skip "cannot create the user $TUSER"
	created_user=1
fi
PW=ft-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
echo "$TUSER:$PW" | chpasswd || { echo "chpasswd failed"; exit 1; }
printf '%s\n' "$PW" >"$tmp/pw"
chmod 600 "$tmp/pw"

# The responder, reachable by the test user; ASan's leak check off (it
# runs under sshd as another user).
cp "$ECHO" "$tmp/dtcpecho"
cat >"$tmp/responder" <<EOF
#!/bin/sh
ASAN_OPTIONS=detect_leaks=0 exec $tmp/dtcpecho -l $tmp/echo.log
EOF
chmod 755 "$tmp/dtcpecho" "$tmp/responder"
: >"$tmp/echo.log"
chmod 666 "$tmp/echo.log"

ssh-keygen -q -t ed25519 -N '' -f "$tmp/hostkey" || exit 1
ssh-keygen -q -t ed25519 -N '' -f "$tmp/otherkey" || exit 1
mkdir -p /run/sshd

start_sshd() {
	cat >"$tmp/sshd_config" <<EOF
Port $1
ListenAddress 127.0.0.1
HostKey $tmp/hostkey
PidFile $tmp/sshd.pid
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication no
PermitRootLogin no
AllowUsers $TUSER
StrictModes no
MaxStartups 50
Subsystem flow-tap-dtcp $tmp/responder
EOF
	: >"$tmp/sshd.log"
	$SSHD -D -e -f "$tmp/sshd_config" 2>>"$tmp/sshd.log" &
	sshd_pid=$!
	i=0
	while [ $i -lt 50 ]; do
		grep -q "Server listening" "$tmp/sshd.log" && return 0
		kill -0 "$sshd_pid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	kill "$sshd_pid" 2>/dev/null
	wait "$sshd_pid" 2>/dev/null
	sshd_pid=
	return 1
}

port=$((20000 + $$ % 20000))
tries=0
until start_sshd $port; do
	tries=$((tries + 1))
	[ $tries -lt 10 ] || { cat "$tmp/sshd.log"; echo "sshd did not start"; exit 1; }
	port=$((port + 1))
done

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
	"$FT" client --host 127.0.0.1 --port $port "$@" \
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

# expect NAME FILE(out|err) PATTERN: a fixed string in that output.
expect() {
	if grep -qF -- "$3" "$tmp/$1.$2"; then
		ok
	else
		bad "$1: '$3' not in std$2"
		sed 's/^/    /' "$tmp/$1.$2" | head -30
	fi
}

# count NAME FILE PATTERN N: the fixed string occurs on exactly N lines.
count() {
	c=$(grep -cF -- "$3" "$tmp/$1.$2")
	if [ "$c" -eq "$4" ]; then
		ok
	else
		bad "$1: '$3' on $c lines of std$2, expected $4"
		sed 's/^/    /' "$tmp/$1.$2" | head -30
	fi
}

# A mediation device's session: ADD, LIST, DELETE as the login user.
cat >"$tmp/basic.dtcp" <<EOF
# flowtap client test: one LEA
ADD DTCP/0.7
Csource-ID: $TUSER
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
Csource-ID: $TUSER
Seq: auto
Authentication-Info: auto

DELETE DTCP/0.7
Csource-ID: $TUSER
Criteria-ID: 1
Flags: STATIC
Seq: auto
Authentication-Info: auto
EOF

# Without --timeout (CT): a run that wants its own gives it once (an
# option given twice is a usage error).
CT="--user $TUSER --password-file $tmp/pw --known-hosts $KH"
C="$CT --timeout 5"

# 1. Unknown host key: refused, nothing recorded.
run unknown 1 $C "$tmp/basic.dtcp" &&
	expect unknown err "unknown host key for '127.0.0.1:$port'"
expect unknown err "--accept-new"
[ ! -s "$KH" ] && ok || bad "unknown: $KH was written"

# 2. --accept-new: recorded, then the session works.
run accept 0 $C --accept-new "$tmp/basic.dtcp"
expect accept err "permanently added '127.0.0.1:$port'"
grep -q "^\[127.0.0.1\]:$port " "$KH" && ok || bad "accept: no entry in $KH"
count accept out "reply $tmp/basic.dtcp:" 3
count accept out "code=200 mac=ok" 3
expect accept out "request $tmp/basic.dtcp:2 session=- user=$TUSER seq=1: ADD"
expect accept out "request $tmp/basic.dtcp:16 session=- user=$TUSER seq=2: LIST"
expect accept out "  CRITERIA-ID: 1"
expect accept err "3 messages, 3 sent, 3 answered 200, 0 failed"
count accept err "warning" 0

# 3. Known now: no --accept-new needed; FLOWTAP_PASSWORD; --json.
FLOWTAP_PASSWORD=$PW run known 0 --user $TUSER --known-hosts "$KH" \
    --json "$tmp/known.json" "$tmp/basic.dtcp"
count known err "permanently added" 0
if [ -s "$tmp/known.json" ] && [ ! -e "$tmp/known.json.tmp" ]; then
	ok
else
	bad "known: no $tmp/known.json"
fi
c=$(grep -cF '"code": 200, "mac_ok": true, "error": null' "$tmp/known.json")
[ "$c" -eq 3 ] && ok || bad "known.json: $c entries with code 200, not 3"
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/known.json" <<'EOF' && ok || bad "known.json is not the expected JSON"
import json, sys
a = json.load(open(sys.argv[1]))
assert len(a) == 3, a
for e in a:
    assert set(e) == {"line", "session", "user", "request", "reply", "code", "mac_ok", "error"}, e
    assert e["code"] == 200 and e["mac_ok"] is True and e["error"] is None, e
    assert e["request"].endswith("\r\n\r\n") and e["reply"].startswith("DTCP/0.7 200 OK\r\n"), e
assert [e["line"] for e in a] == [2, 16, 21], a
assert "Seq: 1\r\n" in a[0]["request"] and "SEQ: 3\r\n" in a[2]["reply"], a
EOF
fi

# 4. A changed host key: refused even with --accept-new.
sed "s|^\(\[127.0.0.1\]:$port\) .*|\1 $(cut -d' ' -f1,2 "$tmp/otherkey.pub")|" \
    "$KH" >"$tmp/kh_changed"
run changed 1 --user $TUSER --password-file "$tmp/pw" \
    --known-hosts "$tmp/kh_changed" --accept-new "$tmp/basic.dtcp"
expect changed err "host key of '127.0.0.1:$port' has CHANGED"
count changed out "request" 0

# 5. A non-200 reply: reported with its line, the run goes on, exit 1.
cat >"$tmp/non200.dtcp" <<EOF
DELETE DTCP/0.7
Csource-ID: $TUSER
Criteria-ID: 99
X-Test-Reply: code 431
Seq: auto
Authentication-Info: auto

LIST DTCP/0.7
Csource-ID: $TUSER
Seq: auto
Authentication-Info: auto
EOF
run non200 1 $C "$tmp/non200.dtcp"
expect non200 err "$tmp/non200.dtcp:1: DELETE: the router answered 431"
expect non200 out "reply $tmp/non200.dtcp:8 code=200 mac=ok"
expect non200 err "2 messages, 2 sent, 1 answered 200, 1 failed"
# --stop-on-error: the LIST is not sent.
run stop 1 $C --stop-on-error "$tmp/non200.dtcp"
count stop out "request" 1
expect stop err "stopped at $tmp/non200.dtcp:1"

# 6. A wrong DTCP key: the responder drops the request (no reply), the
# client times out naming the line, and stops there.
run badkey 1 $CT --dtcp-key wrong --timeout 1 "$tmp/basic.dtcp"
expect badkey err "$tmp/basic.dtcp:2: ADD: no reply within 1 s (the router drops requests it cannot authenticate: check the key, Csource-ID and Seq)"
count badkey out "request" 1
grep -q "^ADD drop 497" "$tmp/echo.log" && ok || bad "badkey: responder did not drop"

# 7. Replies that are wrong: bad MAC, wrong SEQ; and right but awkward:
# split into single bytes, LF line ends. (OpenSSH does not forward a
# subsystem's stderr, so the client's copy of it is not tested here.)
for t in badmac "seq 77" split lf; do
	f=$tmp/reply-$(echo "$t" | tr ' ' _).dtcp
	cat >"$f" <<EOF
LIST DTCP/0.7
Csource-ID: $TUSER
X-Test-Reply: $t
Seq: auto
Authentication-Info: auto
EOF
done
run badmac 1 $C "$tmp/reply-badmac.dtcp"
expect badmac err "reply-badmac.dtcp:1: LIST: the reply's AUTHENTICATION-INFO does not verify with the DTCP key (check --dtcp-key)"
expect badmac out "code=200 mac=bad"
run badseq 1 $C "$tmp/reply-seq_77.dtcp"
expect badseq err "the reply's SEQ 77 is not the request's Seq 1"
run split 0 $C "$tmp/reply-split.dtcp"
run lf 0 $C "$tmp/reply-lf.dtcp"

# 8. The router closes the channel instead of answering: stop, exit 1.
cat >"$tmp/close.dtcp" <<EOF
LIST DTCP/0.7
Csource-ID: $TUSER
X-Test-Reply: close
Seq: auto
Authentication-Info: auto

LIST DTCP/0.7
Csource-ID: $TUSER
Seq: auto
Authentication-Info: auto
EOF
run close 1 $C "$tmp/close.dtcp"
expect close err "close.dtcp:1: LIST: no reply: the router closed the channel"
expect close err "2 messages, 1 sent, 0 answered 200, 1 failed; stopped at"

# 9. @at waits from the start; --no-wait does not. @session opens a second
# connection (its own Seq numbering is per Csource-ID, not per session),
# @close closes it, @restart is skipped with a warning, a Csource-ID other
# than the login user is warned about.
cat >"$tmp/at.dtcp" <<EOF
LIST DTCP/0.7
Csource-ID: $TUSER
Seq: auto
Authentication-Info: auto

@at 3
@session s2 user=$TUSER password=$PW
LIST DTCP/0.7
Csource-ID: $TUSER
Seq: auto
Authentication-Info: auto

@close s2
@restart maintenance
LIST DTCP/0.7
Csource-ID: lea9
Seq: auto
Authentication-Info: auto
EOF
t0=$(date +%s%N)
run at 1 $CT --timeout 1 "$tmp/at.dtcp"
t1=$(date +%s%N)
[ $(((t1 - t0) / 1000000)) -ge 3000 ] && ok ||
    bad "at: finished in $(((t1 - t0) / 1000000)) ms, before @at 3"
expect at out "open $tmp/at.dtcp:7 session=s2 user=$TUSER"
expect at out "request $tmp/at.dtcp:8 session=s2 user=$TUSER seq=2: LIST"
expect at out "close $tmp/at.dtcp:13 session=s2 user=$TUSER"
expect at err "at.dtcp:14: @restart skipped: a mediation device cannot restart the router"
expect at err "at.dtcp:15: LIST: not sent: no open session (the script closed it)"
t0=$(date +%s%N)
run nowait 1 $C --no-wait "$tmp/at.dtcp"
t1=$(date +%s%N)
[ $(((t1 - t0) / 1000000)) -lt 3000 ] && ok ||
    bad "nowait: took $(((t1 - t0) / 1000000)) ms"
cat >"$tmp/other.dtcp" <<EOF
LIST DTCP/0.7
Csource-ID: lea9
Seq: auto
Authentication-Info: auto
EOF
run other 0 $C "$tmp/other.dtcp"
expect other err "other.dtcp:1: LIST: warning: Csource-ID 'lea9' is not the login user '$TUSER': the router drops it unanswered (499)"

# 10. Authentication and password sources.
printf 'not-the-password\n' >"$tmp/badpw"
run badpw 1 --user $TUSER --password-file "$tmp/badpw" --known-hosts "$KH" \
    "$tmp/basic.dtcp"
expect badpw err "authentication failed for user '$TUSER' at '127.0.0.1:$port'"
# No password source and no terminal: usage (2).
setsid -w "$FT" client --host 127.0.0.1 --port $port --user $TUSER \
    --known-hosts "$KH" "$tmp/basic.dtcp" </dev/null >/dev/null \
    2>"$tmp/notty.err"
[ $? -eq 2 ] && ok || bad "notty: exit status is not 2"
grep -qF "no password for user '$TUSER'" "$tmp/notty.err" && ok ||
    bad "notty: $(cat "$tmp/notty.err")"
# --password works (documented as visible to other local users).
run pwopt 0 --user $TUSER --password "$PW" --known-hosts "$KH" \
    "$tmp/basic.dtcp"

# 11. Usage errors: 2.
run u1 2 "$tmp/basic.dtcp" --port 0
run u2 2 --timeout 0 "$tmp/basic.dtcp"
run u3 2 --password x --password-file "$tmp/pw" "$tmp/basic.dtcp"
"$FT" client "$tmp/basic.dtcp" >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "no --host: exit status is not 2"
run nouser 2 --password-file "$tmp/pw" --known-hosts "$KH" "$tmp/basic.dtcp"
expect nouser err "missing --user"
"$FT" client --help | grep -q -- "--accept-new" && ok || bad "--help"

# 12. A script error is named with its line; nothing is sent.
printf 'LIST DTCP/0.7\nSeq: auto\nCsource-ID: x\n' >"$tmp/bad.dtcp"
run badscript 1 $C "$tmp/bad.dtcp"
expect badscript err "bad.dtcp:2: Seq: auto needs a Csource-ID line before it in the message"

if [ "$fail" -ne 0 ]; then
	echo "client: $fail of $n checks failed (OpenSSH sshd on port $port)"
	exit 1
fi
echo "client: $n checks passed (OpenSSH sshd $port, dtcpecho responder)"
