#!/usr/bin/env python3
"""Classic pcap files on the edges of the format, for check_reader.sh:
both byte orders, us/ns/Kuznetzov magics, old versions with swapped
lengths, captures beyond the snapshot or libpcap's maximum, cut headers
and records, odd timestamps and link types. Usage: pcapcraft.py DIR"""
import os
import struct
import sys

ETH_IP = bytes.fromhex(
    "0005850000010c0029000002"  # dst, src
    "0800"
    "45000054abcd40004006" "0000" "0a000001" "c0a80001"
    "04d20050" "00000001" "00000000" "50100400" "00000000") + bytes(44)
RAW_IP = ETH_IP[14:]


def hdr(e, magic=0xa1b2c3d4, major=2, minor=4, snap=65535, lt=1):
    return struct.pack(e + "IHHiIII", magic, major, minor, 0, 0, snap, lt)


def rec(e, sec, frac, data, caplen=None, length=None, kuz=False):
    caplen = len(data) if caplen is None else caplen
    length = len(data) if length is None else length
    h = struct.pack(e + "IIII", sec & 0xffffffff, frac & 0xffffffff,
                    caplen, length)
    if kuz:
        h += struct.pack(e + "IHBB", 7, 3, 1, 0)
    return h + data


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    files = {}
    for e, name in (("<", "le"), (">", "be")):
        for magic, m in ((0xa1b2c3d4, "us"), (0xa1b23c4d, "ns")):
            files["%s-%s.pcap" % (name, m)] = hdr(e, magic) + b"".join(
                rec(e, 1700000000 + i, 999 * i, ETH_IP) for i in range(50))
        files["%s-kuz.pcap" % name] = hdr(e, 0xa1b2cd34) + b"".join(
            rec(e, 1700000000, i, ETH_IP, kuz=True) for i in range(5))
        files["%s-v22.pcap" % name] = hdr(e, major=2, minor=2) + b"".join(
            rec(e, 5, 6, ETH_IP, caplen=200, length=len(ETH_IP))
            for i in range(3))
        files["%s-v23.pcap" % name] = hdr(e, major=2, minor=3) + \
            rec(e, 5, 6, ETH_IP, caplen=len(ETH_IP), length=30) + \
            rec(e, 5, 7, ETH_IP, caplen=len(ETH_IP), length=200)
        files["%s-543.pcap" % name] = hdr(e, major=543, minor=0) + \
            rec(e, 5, 6, ETH_IP, caplen=200, length=len(ETH_IP))
    e = "<"
    files["snap-cut.pcap"] = hdr(e, snap=40) + rec(e, 1, 2, ETH_IP) * 3
    files["snap-zero.pcap"] = hdr(e, snap=0) + rec(e, 1, 2, ETH_IP)
    files["over-snaplen.pcap"] = hdr(e) + rec(e, 1, 2, ETH_IP) + \
        rec(e, 1, 2, bytes(300000))
    files["over-max.pcap"] = hdr(e, snap=400000) + rec(e, 1, 2, ETH_IP) + \
        rec(e, 1, 2, bytes(300000))
    files["dbus-big.pcap"] = hdr(e, snap=0, lt=231) + \
        rec(e, 1, 2, bytes(600000)) + rec(e, 1, 3, bytes(10))
    files["usbpcap-over.pcap"] = hdr(e, snap=0, lt=249) + \
        rec(e, 1, 2, bytes(2 << 20))
    files["raw.pcap"] = hdr(e, lt=101) + rec(e, 1, 2, RAW_IP)
    files["raw12.pcap"] = hdr(e, lt=12) + rec(e, 1, 2, RAW_IP)
    files["raw14.pcap"] = hdr(e, lt=14) + rec(e, 1, 2, RAW_IP)
    files["ipv4-228.pcap"] = hdr(e, lt=228) + rec(e, 1, 2, RAW_IP)
    files["atm-100.pcap"] = hdr(e, lt=100) + rec(e, 1, 2, RAW_IP)
    files["lt-ext.pcap"] = hdr(e, lt=0x04000001) + rec(e, 1, 2, ETH_IP)
    files["ts-odd.pcap"] = hdr(e) + rec(e, -1, 0x7fffffff, ETH_IP) + \
        rec(e, 0x80000000, -5, ETH_IP) + rec(e, 0, 2000000, ETH_IP)
    files["ts-odd-ns.pcap"] = hdr(e, 0xa1b23c4d) + \
        rec(e, -1, 0x7fffffff, ETH_IP) + rec(e, 3, -1, ETH_IP)
    full = hdr(e) + rec(e, 1, 2, ETH_IP) + rec(e, 1, 3, ETH_IP)
    files["cut-header.pcap"] = full[:-len(ETH_IP) - 5]
    files["cut-data.pcap"] = full[:-7]
    files["empty.pcap"] = b""
    files["short-magic.pcap"] = full[:3]
    files["short-header.pcap"] = full[:10]
    files["header-only.pcap"] = full[:24]
    files["bad-magic.pcap"] = b"\x01\x02\x03\x04" + full[4:]
    files["archaic.pcap"] = hdr(e, major=1, minor=0) + rec(e, 1, 2, ETH_IP)
    files["v25.pcap"] = hdr(e, major=2, minor=5) + rec(e, 1, 2, ETH_IP)
    files["v3.pcap"] = hdr(e, major=3, minor=0) + rec(e, 1, 2, ETH_IP)
    files["zero-caplen.pcap"] = hdr(e) + rec(e, 1, 2, b"") * 4000 + \
        rec(e, 1, 2, ETH_IP)
    for k, v in files.items():
        with open(os.path.join(d, k), "wb") as f:
            f.write(v)


if __name__ == "__main__":
    main()
