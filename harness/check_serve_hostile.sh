#!/bin/sh
# flowtap serve against hostile peers (harness/servetest.py hostile): garbage
# instead of a banner, clients stalled in the handshake and at the password
# prompt (login grace 3 s), a flood of 200 TCP connections and more arriving
# (max-startups 10: descriptors stay bounded, a new login still succeeds), an
# endless message without its empty line, a client that never reads its replies
# (--max-queue 256 KiB) - while a legitimate session's LIST is answered within
# 5 s throughout. Prints the server's peak RSS (VmHWM) and the latencies.
# Needs python3 and ssh (Debian python3, openssh-client), else "skipped: ...".
B=${1:-build/asan}
command -v python3 >/dev/null 2>&1 || { echo "skipped: no python3"; exit 0; }
command -v ssh >/dev/null 2>&1 ||
	{ echo "skipped: no ssh (Debian openssh-client)"; exit 0; }
[ -x "$B/flowtap" ] || { echo "no $B/flowtap"; exit 1; }
exec python3 harness/servetest.py hostile "$B/flowtap"
