#!/bin/sh
# check_encap_tshark.sh BUILD_DIR - the independent check of SPEC 6:
# BUILD_DIR/encapcheck writes four encapsulated copies (see
# harness/encapcheck.c for the inputs), tshark decodes them, and every
# field is compared with the value written below from those inputs.
# Fails on any mismatch, a bad checksum, or any tshark error.
# Last line: "encap tshark check: N packets ok".
B=${1:-build/asan}

if ! command -v tshark >/dev/null 2>&1; then
	echo "encap tshark check: FAIL: tshark not installed (run make deps)"
	exit 1
fi
if [ ! -x "$B/encapcheck" ]; then
	echo "encap tshark check: FAIL: $B/encapcheck not built"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ft_encap.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! "$B/encapcheck" "$tmp" >"$tmp/out" 2>&1 || [ -s "$tmp/out" ]; then
	echo "encap tshark check: FAIL: encapcheck: $(head -1 "$tmp/out")"
	exit 1
fi
F=$tmp/encap.pcap

# Wireshark 4.0 has no jmirror port preference: the dissector sits on UDP
# 30030 in the Decode As table, made explicit here.
OPTS="-d udp.port==30030,jmirror -o ip.check_checksum:TRUE"
OPTS="$OPTS -o udp.check_checksum:TRUE"

# Fields in order; ';' joins the outer and inner occurrences.
# checksum status: 1 = good, 3 = not present (UDP over IPv4 sends 0).
# shellcheck disable=SC2086
tshark -r "$F" $OPTS -T fields -E separator=, -E 'aggregator=;' \
    -e frame.time_epoch -e frame.len \
    -e ip.src -e ip.dst -e ip.len -e ip.ttl -e ip.id -e ip.flags \
    -e ip.checksum.status \
    -e ipv6.src -e ipv6.dst -e ipv6.plen -e ipv6.hlim \
    -e udp.srcport -e udp.dstport -e udp.length -e udp.checksum.status \
    -e jmirror.mid -e jmirror.sid -e data.data \
    >"$tmp/got" 2>"$tmp/err"
st=$?
if [ "$st" -ne 0 ]; then
	msg=$(grep -v 'Running as user' "$tmp/err" | head -1)
	echo "encap tshark check: FAIL: tshark exit $st: $msg"
	exit 1
fi

# 1: IPv4 outer (seed values), ID 0, payload = the IPv4 TCP SYN verbatim
# 2: IPv6 outer, payload = the IPv6 UDP packet verbatim
# 3: IPv4 outer + jmirror, ID 2; inner IPv4 UDP "hello" decoded
# 4: IPv6 outer + jmirror; inner ICMPv6 echo decoded
cat >"$tmp/want" <<'WANT'
1700000000.000000001,68,10.209.74.183,192.168.3.2,68,255,0x0000,0x00,1,,,,,65534,1814,48,3,,,4500002811114000400612ba0a0101010a02020204d2005000000001000000005002ffff93ba0000
1700000000.500000000,100,,,,,,,,2001:db8::1,2001:db8:0:1::2,60,64,40000,5000,60,1,,,60000000000c114020010db8000a0000000000000000000120010db8000b0000000000000000000214e90035000cca6761626364
1700000001.000000000,69,10.209.74.183;192.0.2.1,192.168.3.2;198.51.100.2,69;33,64;64,0x0002;0x2222,0x00;0x02,1;1,,,,,65534;1000,30030;2000,49;13,3;1,0x01010101,0x30010002,68656c6c6f
1700000001.999999999,104,,,,,,,,2001:db8::1;2001:db8:c::1,2001:db8:0:1::2;2001:db8:d::2,64;8,1;64,40000,30030,64,1,0x3fffffff,0x00000007,
WANT

if ! cmp -s "$tmp/want" "$tmp/got"; then
	echo "encap tshark check: FAIL: fields differ (- want, + got):"
	diff -u "$tmp/want" "$tmp/got" | sed -n '3,$p'
	exit 1
fi

# No malformed packet and no expert error anywhere in the decode.
# shellcheck disable=SC2086
tshark -r "$F" $OPTS -V >"$tmp/verbose" 2>/dev/null
if grep -i -E 'malformed|Expert Info \(Error' "$tmp/verbose" >"$tmp/bad"; then
	echo "encap tshark check: FAIL: tshark reports errors:"
	head -5 "$tmp/bad"
	exit 1
fi
# shellcheck disable=SC2086
tshark -r "$F" $OPTS -q -z expert,error >"$tmp/expert" 2>/dev/null
if grep -q -i -E 'error|malformed' "$tmp/expert"; then
	echo "encap tshark check: FAIL: tshark expert errors:"
	head -5 "$tmp/expert"
	exit 1
fi

n=$(wc -l <"$tmp/got" | tr -d ' ')
echo "encap tshark check: $n packets ok"
exit 0
