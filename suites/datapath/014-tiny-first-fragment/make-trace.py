#!/usr/bin/env python3
"""Writes tiny-frag.pcap (RFC 1858 tiny first fragments), deterministically.

Run from this folder: python3 make-trace.py. pktgen cannot cut an IP
packet's own length inside the L4 header, so this case's trace is made
here, byte by byte: Ethernet, IPv4/IPv6, nanosecond pcap, little-endian.
"""
import struct

T0 = 1297612600  # 2011-02-13 15:56:40 UTC, as pktgen's traces
ETH4 = bytes.fromhex("00005e005302" "00005e005301" "0800")
ETH6 = bytes.fromhex("00005e005302" "00005e005301" "86dd")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4(src, dst, proto, payload, ident, mf, off8):
    flags = (0x2000 if mf else 0) | off8
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                    flags, 64, proto, 0, bytes(src), bytes(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ipv6_frag(src, dst, nxt, payload, ident, mf, off8):
    frag = struct.pack("!BBHI", nxt, 0, (off8 << 3) | (1 if mf else 0),
                       ident)
    body = frag + payload
    return struct.pack("!IHBB16s16s", 0x60000000, len(body), 44, 64,
                       bytes(src), bytes(dst)) + body


def tcp(sport, dport, payload=b""):
    # seq 1000, ack 0, offset 5, ACK|PSH, window 8192; checksum left 0:
    # the whole segment is never in one packet here except the control.
    return struct.pack("!HHIIBBHHH", sport, dport, 1000, 0, 0x50, 0x18,
                       8192, 0, 0) + payload


A = [10, 1, 1, 1]
B = [3, 4, 5, 6]
A6 = [0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [1]
B6 = [0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [2]
seg = tcp(23, 1025, b"evil")
pkts = [
    # 1: first fragment with only 8 TCP bytes (ports, seq): must match.
    ETH4 + ipv4(A, B, 6, seg[:8], 0x1111, True, 0),
    # 2: its second fragment: non-first, never tapped.
    ETH4 + ipv4(A, B, 6, seg[8:], 0x1111, False, 1),
    # 3: an unfragmented segment from port 23: matches (the control).
    ETH4 + ipv4(A, B, 6, tcp(23, 1026, b"ok"), 0x2222, False, 0),
    # 4: a tiny first fragment from port 24: no match.
    ETH4 + ipv4(A, B, 6, tcp(24, 1025)[:8], 0x3333, True, 0),
    # 5: IPv6 first fragment with 8 TCP bytes from port 23: matches.
    ETH6 + ipv6_frag(A6, B6, 6, seg[:8], 0x4444, True, 0),
]
out = struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 262144, 1)
for i, p in enumerate(pkts):
    out += struct.pack("<IIII", T0, i * 100000000, len(p), len(p)) + p
open("tiny-frag.pcap", "wb").write(out)
