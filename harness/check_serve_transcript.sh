#!/bin/sh
# The transcript of a live session equals replay's (harness/servetest.py
# transcript): the same 11 messages sent over ssh to flowtap serve and given to
# flowtap replay as a script (@session ssh-1 ... from=127.0.0.1, traces/default.pcap)
# give the same dtcp.log line for line once the time prefixes, serve's own
# listen/ssh/stop lines and the replies' TIMESTAMP, LAST-REFRESH and
# AUTHENTICATION-INFO lines (wall clock against trace time) are set aside.
# Needs python3 and ssh (Debian python3, openssh-client), else "skipped: ...".
B=${1:-build/asan}
command -v python3 >/dev/null 2>&1 || { echo "skipped: no python3"; exit 0; }
command -v ssh >/dev/null 2>&1 ||
	{ echo "skipped: no ssh (Debian openssh-client)"; exit 0; }
[ -x "$B/flowtap" ] || { echo "no $B/flowtap"; exit 1; }
exec python3 harness/servetest.py transcript "$B/flowtap"
