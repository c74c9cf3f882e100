#!/bin/sh
# flowtap serve end to end over loopback (harness/servetest.py basic, docs/serve.md):
# OpenSSH's ssh -s flow-tap-dtcp as verint and lea2 (fixtures/default-router.conf)
# sends ADD, LIST, DELETE, every reply MAC checked with Python's hmac; LF-only,
# split and coalesced messages; another user's Csource-ID (499), a bad MAC (497),
# a stale Seq (498), a message over 8 KiB (400), all unanswered; a wrong password,
# a user without flow-tap-operation, exec, shell, pty, another subsystem,
# ssh -W and -R, env: refused and logged; SIGHUP mid-session (the clients see the
# drop, the same ADDs replayed with the same Seq work); connection-limit 2 and
# rate-limit 3 (a config made here) refused while the open session goes on;
# --restart-after; the host key generated once (0600, fingerprint = ssh-keygen's)
# and reused; report.json at SIGTERM.
# Needs python3 and ssh (Debian python3, openssh-client), else "skipped: ...".
B=${1:-build/asan}
command -v python3 >/dev/null 2>&1 || { echo "skipped: no python3"; exit 0; }
command -v ssh >/dev/null 2>&1 ||
	{ echo "skipped: no ssh (Debian openssh-client)"; exit 0; }
[ -x "$B/flowtap" ] || { echo "no $B/flowtap"; exit 1; }
exec python3 harness/servetest.py basic "$B/flowtap"
