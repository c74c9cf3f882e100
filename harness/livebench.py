#!/usr/bin/env python3
"""Live throughput of flowtap serve (issue 9 benchmark; not in make test).

    livebench.py FLOWTAP [--seconds S] [--rates 20000,100000,...]

The namespaces of livetest.py (S -> R -> D, offloads off): tcpreplay
sends a generated trace into s0 at each rate (--pps N, then --topspeed);
serve --capture r0 (budget off, 64 MiB capture buffer, raw delivery) is
tasked by flowtap client with 100 criteria; D reads the copies on UDP
sockets. Each rate is a fresh serve, so report.json's counters belong to
that rate alone. Per rate: what tcpreplay sent and its rate, then per
second of tcpreplay's own duration the packets serve captured, matched
and delivered (copies the kernel took), the copies D read, capture drops
(ps_drop + ps_ifdrop), and serve's CPU time (user + system, from
/proc/PID/stat) per captured packet. The highest sustained rate: top
speed when it dropped nothing (tcpreplay is then the limit), else --pps
bisected below it.

The trace: Ethernet/IPv4/UDP frames of 128 bytes, 100,000 distinct,
looped by tcpreplay; 10 % of them match exactly one criterion (source in
10.0.0-99.0/24 and destination port 2000-2999; criterion i is
10.0.i.0/24), the rest none. Deterministic (seeded).
"""

import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livetest  # noqa: E402

FRAMES = 100000
MATCH = 0.10


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def make_trace(path):
    rnd = random.Random(1)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b23c4d, 2, 4, 0, 0, 262144, 1))
        for k in range(FRAMES):
            if rnd.random() < MATCH:
                x, dport = rnd.randrange(0, 100), rnd.randrange(2000, 3000)
            else:
                x, dport = rnd.randrange(100, 256), rnd.randrange(1024, 65536)
            src = bytes([10, 0, x, rnd.randrange(1, 255)])
            dst = bytes([172, 16, rnd.randrange(0, 256), rnd.randrange(1, 255)])
            payload = bytes(86)
            udp = struct.pack("!HHHH", rnd.randrange(1024, 65536), dport,
                              8 + len(payload), 0) + payload
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), k &
                             0xffff, 0, 64, 17, 0, src, dst)
            ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
            fr = (b"\x00\x00\x5e\x00\x53\x02\x00\x00\x5e\x00\x53\x01"
                  b"\x08\x00" + ip + udp)
            t = 1297612600 * 10**9 + k * 10000
            f.write(struct.pack("<IIII", t // 10**9, t % 10**9, len(fr),
                                len(fr)))
            f.write(fr)


def script(path):
    msgs = []
    for i in range(100):
        msgs.append(livetest.add(
            "cd%d" % i, "192.168.3.2", 1814 + i % 4, "10.209.74.183",
            65534, [("Source-Address", "10.0.%d.0/24" % i),
                    ("Protocol", "17"), ("Dest-Port", "2000-2999")]))
    livetest.write_script(path, msgs)


def cpu_s(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    hz = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / hz


class Sink:
    """UDP sockets on D's content destinations; counts datagrams."""

    def __init__(self, net, out):
        code = ("import socket,select,signal,json,sys\n"
                "ss=[]\n"
                "for p in (1814,1815,1816,1817):\n"
                " s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                " s.setsockopt(socket.SOL_SOCKET,socket.SO_RCVBUF,64<<20)\n"
                " s.bind(('192.168.3.2',p)); s.setblocking(False); "
                "ss.append(s)\n"
                "n=[0]; stop=[]\n"
                "signal.signal(signal.SIGTERM,lambda *a: stop.append(1))\n"
                "print('ready',flush=True)\n"
                "while not stop:\n"
                " try: r,_,_=select.select(ss,[],[],0.2)\n"
                " except InterruptedError: continue\n"
                " for s in r:\n"
                "  while True:\n"
                "   try: s.recv(2048); n[0]+=1\n"
                "   except BlockingIOError: break\n"
                "json.dump(n[0],open(sys.argv[1],'w'))\n")
        self.out = out
        self.p = subprocess.Popen(net.ns(net.D, sys.executable, "-c", code,
                                         out), stdout=subprocess.PIPE,
                                  text=True)
        assert self.p.stdout.readline().strip() == "ready"

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        self.p.wait(30)
        with open(self.out) as f:
            return json.load(f)


def one(net, flowtap, tmp, trace, scr, rate, seconds):
    name = "rate-%s" % rate
    srv = livetest.Serve(net, flowtap, os.path.join(tmp, name),
                         ["--capture", "r0", "--capture-buffer",
                          str(64 << 20)])
    sink = Sink(net, os.path.join(tmp, name + ".sink.json"))
    try:
        rc, out = srv.task(tmp, scr)
        if rc != 0:
            raise RuntimeError("client: " + out)
        # Top speed: as many packets as 200 Kpps would send in the time.
        loops = max(1, int(round((200000 if rate == "top" else rate) *
                                 seconds / FRAMES)))
        cmd = ["tcpreplay", "-K", "-i", "s0", "--loop", str(loops)]
        cmd += ["--topspeed"] if rate == "top" else ["--pps", str(rate)]
        c0 = cpu_s(srv.p.pid)
        p = subprocess.run(net.ns(net.S, *cmd + [trace]),
                           capture_output=True, text=True)
        time.sleep(0.5)
        c1 = cpu_s(srv.p.pid)
    finally:
        got = sink.stop()
        srv.stop()
    m = re.search(r"Actual: (\d+) packets .* in ([\d.]+) seconds", p.stdout)
    sent, dur = int(m.group(1)), float(m.group(2))
    r = srv.report()
    live = r["live"]
    cap = live["records"]
    row = {
        "rate": rate, "sent": sent, "seconds": dur,
        "sent_pps": sent / dur,
        "captured_pps": cap / dur,
        "matched_pps": r["packets"]["matched"] / dur,
        "delivered_pps": live["copies_sent"] / dur,
        "received_at_d": got,
        "captured": cap, "matched": r["packets"]["matched"],
        "delivered": live["copies_sent"],
        "send_failed": live["send_failed"],
        "drops": live["capture_drops"] + live["capture_ifdrops"],
        "cpu_s": c1 - c0,
        "cpu_ns_per_packet": (c1 - c0) * 1e9 / cap if cap else 0,
    }
    return row


def fmt(row):
    rate = "topspeed" if row["rate"] == "top" else "--pps %d" % row["rate"]
    return ("| %s | %d | %.0f | %.0f | %.0f | %.0f | %d | %d | %d | %.2f | "
            "%.0f |" % (rate, row["sent"], row["sent_pps"],
                        row["captured_pps"], row["matched_pps"],
                        row["delivered_pps"], row["received_at_d"],
                        row["drops"], row["send_failed"], row["cpu_s"],
                        row["cpu_ns_per_packet"]))


HEADER = ("| tcpreplay | packets sent | sent/s | captured/s | matched/s | "
          "delivered/s | copies read at D | capture drops | send failures | "
          "serve CPU s | CPU ns/packet |\n"
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
          "---: | ---: |")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    flowtap = os.path.abspath(sys.argv[1])
    seconds, rates = 5.0, [20000, 100000, "top"]
    args = sys.argv[2:]
    while args:
        if args[0] == "--seconds":
            seconds = float(args[1])
        elif args[0] == "--rates":
            rates = [r if r == "top" else int(r)
                     for r in args[1].split(",")]
        else:
            print("unknown option " + args[0])
            return 2
        args = args[2:]
    net = livetest.Net()
    tmp = tempfile.mkdtemp(prefix="ftlivebench.")
    rows = []
    try:
        net.up()
        trace = os.path.join(tmp, "bench.pcap")
        make_trace(trace)
        scr = os.path.join(tmp, "bench.dtcp")
        script(scr)
        print(HEADER, flush=True)
        for rate in rates:
            rows.append(one(net, flowtap, tmp, trace, scr, rate, seconds))
            print(fmt(rows[-1]), flush=True)
        # The highest rate without a drop: when top speed had none, the
        # sender is the limit; else bisect --pps below it.
        top = [r for r in rows if r["rate"] == "top"]
        if top and not top[0]["drops"] and not top[0]["send_failed"]:
            print("highest sustained: tcpreplay's top speed, %.0f packets/s "
                  "(no capture drop, no send failure: the sender is the "
                  "limit here)" % top[0]["sent_pps"])
        elif top:
            lo, hi = 100000, int(top[0]["sent_pps"])
            while hi - lo > 20000:
                mid = (lo + hi) // 2
                row = one(net, flowtap, tmp, trace, scr, mid, seconds)
                print(fmt(row), flush=True)
                rows.append(row)
                if row["drops"] or row["send_failed"]:
                    hi = mid
                else:
                    lo = mid
            print("highest sustained: --pps %d (no capture drop, no send "
                  "failure)" % lo)
    finally:
        net.down()
        with open(os.path.join(os.getcwd(), "build", "livebench.json"),
                  "w") as f:
            json.dump(rows, f, indent=1)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
