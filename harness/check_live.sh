#!/bin/sh
# The live data plane end to end (harness/livetest.py, docs/serve.md "Data
# plane"; issue 9): three network namespaces (S: tcpreplay, R: flowtap
# serve, D: the content destinations) joined by two veth pairs, IPv6 DAD
# and offloads off before the links come up. tcpreplay replays
# traces/default.pcap into R; serve --capture, tasked by flowtap client,
# sends raw copies that D records on the wire and on UDP sockets: both
# equal the copies of flowtap replay of the same trace and script (budget
# off), in order, byte for byte: plain IPv4, jmirror, an IPv6 content
# destination; --write-copies; then serve --trace paced at 10x (its
# copies file = replay's intercept.pcap byte for byte), the same at top
# speed without CAP_NET_RAW (UDP sockets: payloads, ports and TTLs), and
# tcpreplay of a --copy-linktype ether intercept.pcap into the veth
# towards D. Everything is created and removed by the script.
# Needs root, python3, tcpreplay, setpriv; "skipped: ..." only when
# network namespaces cannot be created.
B=${1:-build/asan}
command -v python3 >/dev/null 2>&1 || { echo "live: FAIL: no python3"; exit 1; }
[ -x "$B/flowtap" ] || { echo "live: FAIL: no $B/flowtap"; exit 1; }
exec python3 harness/livetest.py check "$B/flowtap" "$B"
