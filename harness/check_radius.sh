#!/bin/sh
# RADIUS logins (issue 14, harness/radiustest.py, docs/serve.md): two real
# FreeRADIUS 3.2 servers on free loopback ports from a generated folder
# (require_message_authenticator = yes), flowtap serve with
# fixtures/radius-router.conf and OpenSSH's ssh: the seed's Bob (RADIUS
# only, Juniper-User-Permissions = flow-tap-operation) gets the subsystem,
# a RADIUS user without it does not, a user whose local class has it does,
# Juniper-Local-User-Name picks the template, the seed's worked example
# (RADIUS + class = all four), a wrong password refused; the first server
# down falls over to the second, both down to local passwords only with
# authentication-order [ radius password ]; a wrong shared secret refused
# and logged (by FreeRADIUS and flowtap); a forged Access-Accept refused;
# replay --radius admits and refuses @session logins the same way, and
# without --radius asks no server. Needs python3, ssh and freeradius
# (Debian openssh-client, freeradius), else "skipped: ...".
B=${1:-build/asan}
command -v python3 >/dev/null 2>&1 || { echo "skipped: no python3"; exit 0; }
command -v ssh >/dev/null 2>&1 ||
	{ echo "skipped: no ssh (Debian openssh-client)"; exit 0; }
[ -x "$B/flowtap" ] || { echo "no $B/flowtap"; exit 1; }
exec python3 harness/radiustest.py "$B/flowtap"
