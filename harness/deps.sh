#!/bin/sh
# Install the Debian packages flowtap needs when some are missing.
# As root: apt-get installs them. Otherwise: print the command and fail.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "flowtap: missing packages:$missing" >&2
	echo "flowtap: run as root: apt-get install -y$missing" >&2
	exit 1
fi
echo "flowtap: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null ||
	{ echo "flowtap: apt-get install$missing failed" >&2; exit 1; }
