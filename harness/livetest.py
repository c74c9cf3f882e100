#!/usr/bin/env python3
"""The live data plane end to end (issue 9, docs/serve.md "Data plane").

Run by harness/check_live.sh (as root):

    livetest.py check FLOWTAP BUILD_DIR      # the checks below
    livetest.py recv IFACE OUT.json ADDR/PORT...   # (inside a namespace)

Three network namespaces: S (the network: tcpreplay), R (the router:
`flowtap serve`), D (the mediation device: the content destinations).
S and R are joined by a veth pair (s0 - r0), R and D by another (r1 - d0,
MTU 9000 so that copies of 1500-byte packets fit); IPv6 DAD is off before
any link comes up; D holds the content destinations' addresses, on r1's
subnets, so copies leave R by r1. tcpreplay replays a trace into s0;
serve captures on r0 (or plays the trace itself, paced), is tasked over
SSH (OpenSSH's ssh -s flow-tap-dtcp inside R, MACs computed here with
Python's hmac), and sends the copies to D, where one receiver records
the frames on d0 (AF_PACKET: every byte of the outer headers) and UDP
sockets on the content destinations record what a mediation device
reads. Both must equal the copies `flowtap replay` writes for the same
trace and messages (budget off), in order.

Each check prints "ok - ..." or "FAIL - ..."; the last line sums them up;
exit 1 when one failed. "skipped: <reason>" (exit 0) only when network
namespaces cannot be made. Everything made here is removed at the end.
"""

import json
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ROUTER = os.path.join(ROOT, "fixtures", "default-router.conf")
TRACE = os.path.join(ROOT, "traces", "default.pcap")

checks = {"ok": 0, "fail": 0}
figures = []


def check(cond, what):
    if cond:
        checks["ok"] += 1
        print("ok - " + what, flush=True)
    else:
        checks["fail"] += 1
        print("FAIL - " + what, flush=True)
    return cond


# --- the script: replay's and flowtap client's input ------------------------

def add(cdest, dst, dport, src, sport, match=(), extra=()):
    """One ADD in the script format (docs/scripts.md): Seq and MAC auto."""
    p = [("Csource-ID", "verint"), ("Cdest-ID", cdest)]
    p += list(match)
    p += [("Flags", "STATIC"), ("X-JTap-Cdest-Dest-Address", dst),
          ("X-JTap-Cdest-Dest-Port", str(dport)),
          ("X-JTap-Cdest-Source-Address", src),
          ("X-JTap-Cdest-Source-Port", str(sport))]
    p += list(extra)
    p += [("Seq", "auto"), ("Authentication-Info", "auto")]
    return "ADD DTCP/0.7\n" + "".join("%s: %s\n" % kv for kv in p) + "\n"


# IPv4: every UDP packet (the trace's DNS, NTP, syslog and its 2500-packet
# RTP burst) and the seed's 1.2.3.4 -> 3.4.5.6 filter, plain UDP framing.
PLAIN = [
    add("cdu", "192.168.3.2", 1814, "10.209.74.183", 65534,
        [("Protocol", "17")]),
    add("cdw", "192.168.3.2", 1815, "10.209.74.183", 65533,
        [("Source-Address", "1.2.3.4"), ("Dest-Address", "3.4.5.6")],
        [("X-JTap-Cdest-TTL", "17")]),
]
# jmirror framing to an IPv4 destination (the seed's 10.1.1.1 port 23),
# every IPv6 packet to an IPv6 content destination, and IPv6 TCP to it
# again with jmirror.
JMIRROR6 = [
    add("cdj", "192.168.3.2", 30030, "10.209.74.183", 65533,
        [("Source-Address", "10.1.1.1"), ("Source-Port", "23")],
        [("X-MD-Intercept-Id", "0x00001234")]),
    add("cd6", "2001:db8:ffff::2", 1815, "2001:db8:ffff::1", 65532,
        [("X-JTap-IP-Version", "ipv6")], [("X-JTap-Cdest-TTL", "9")]),
    add("cd6j", "2001:db8:ffff::2", 30030, "2001:db8:ffff::1", 65531,
        [("X-JTap-IP-Version", "ipv6"), ("Protocol", "6")],
        [("X-MD-Intercept-Id", "0x0000000a0000000b")]),
]
# What D listens on.
RECV = ["192.168.3.2/1814", "192.168.3.2/1815", "192.168.3.2/30030",
        "2001:db8:ffff::2/1815", "2001:db8:ffff::2/30030"]


def write_script(path, msgs):
    with open(path, "w") as f:
        f.write("# livetest.py: the same script for replay and client\n")
        f.write("@session md user=verint password=verint123\n")
        f.write("".join(msgs))


# --- pcap -------------------------------------------------------------------

def pcap_records(path):
    """[(ts_ns, bytes)] of a classic pcap (either byte order, us or ns)."""
    with open(path, "rb") as f:
        b = f.read()
    magic = b[:4]
    if magic in (b"\x4d\x3c\xb2\xa1", b"\xd4\xc3\xb2\xa1"):
        e = "<"
    else:
        e = ">"
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    lt = struct.unpack(e + "I", b[20:24])[0]
    out, o = [], 24
    while o + 16 <= len(b):
        s, f_, c, _ = struct.unpack(e + "IIII", b[o:o + 16])
        ts = s * 10**9 + (f_ if nano else f_ * 1000)
        out.append((ts, b[o + 16:o + 16 + c]))
        o += 16 + c
    return lt, out


def copy_fields(c):
    """(destination, port, UDP payload) of an outer IPv4/IPv6 copy."""
    if c[0] >> 4 == 4:
        hl = (c[0] & 15) * 4
        dst = socket.inet_ntop(socket.AF_INET, c[16:20])
    else:
        hl = 40
        dst = socket.inet_ntop(socket.AF_INET6, c[24:40])
    dport = struct.unpack(">H", c[hl + 2:hl + 4])[0]
    return dst, dport, c[hl + 8:]


# --- the receiver (runs inside D) -------------------------------------------

def recv(iface, out, specs):
    """Record every IPv4/IPv6 UDP frame arriving on iface (bytes from the
    IP header) and every datagram the UDP sockets read, until SIGTERM."""
    socks = {}
    for sp in specs:
        addr, port = sp.rsplit("/", 1)
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        s.bind((addr, int(port)))
        s.setblocking(False)
        socks[s] = sp
    ETH_P_ALL = 3
    raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                        socket.htons(ETH_P_ALL))
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 << 20)
    raw.bind((iface, 0))
    raw.setblocking(False)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    frames, dgrams = [], {sp: [] for sp in specs}
    print("ready", flush=True)
    PACKET_OUTGOING = 4
    while not stop:
        try:
            r, _, _ = select.select([raw] + list(socks), [], [], 0.2)
        except InterruptedError:
            continue
        for s in r:
            while True:
                try:
                    if s is raw:
                        b, a = raw.recvfrom(65536)
                    else:
                        b = s.recv(65536)
                except BlockingIOError:
                    break
                if s is raw:
                    if a[2] == PACKET_OUTGOING:
                        continue
                    et = b[12:14]
                    ip = b[14:]
                    if et == b"\x08\x00" and len(ip) >= 20 and ip[9] == 17:
                        frames.append(ip.hex())
                    elif et == b"\x86\xdd" and len(ip) >= 40 and ip[6] == 17:
                        frames.append(ip.hex())
                else:
                    dgrams[socks[s]].append(b.hex())
    with open(out, "w") as f:
        json.dump({"frames": frames, "dgrams": dgrams}, f)


# --- namespaces -------------------------------------------------------------

def offloads_off(iface):
    """ethtool -K IFACE tx off rx off tso off gso off gro off, through
    SIOCETHTOOL (struct ethtool_value {cmd, data}); unsupported ones are
    left as they are."""
    import fcntl
    SIOCETHTOOL = 0x8946
    cmds = {"tx": 0x17, "rx": 0x15, "tso": 0x1f, "gso": 0x24, "gro": 0x2c,
            "sg": 0x19}
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for name in ("gro", "gso", "tso", "tx", "rx"):
        ev = bytearray(struct.pack("II", cmds[name], 0))
        ifr = struct.pack("16sP", iface.encode(),
                          __import__("ctypes").addressof(
                              (__import__("ctypes").c_char * 8)
                              .from_buffer(ev)))
        try:
            fcntl.ioctl(s, SIOCETHTOOL, ifr)
        except OSError:
            pass
    s.close()


def sh(*cmd, check_rc=True, **kw):
    p = subprocess.run(list(cmd), capture_output=True, text=True, **kw)
    if check_rc and p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), p.returncode,
                                                p.stderr.strip()))
    return p


class Net:
    def __init__(self):
        tag = "%d" % os.getpid()
        self.S, self.R, self.D = ("ftls" + tag, "ftlr" + tag, "ftld" + tag)
        self.made = []

    def ns(self, n, *cmd):
        return ["ip", "netns", "exec", n] + list(cmd)

    def up(self):
        for n in (self.S, self.R, self.D):
            sh("ip", "netns", "add", n)
            self.made.append(n)
        # S only injects frames: no IPv6 of its own (router solicitations,
        # MLD reports) that R would capture and the criteria match.
        sh(*self.ns(self.S, "sysctl", "-qw",
                    "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1"))
        for n in (self.S, self.R, self.D):
            # Before any link: no DAD (addresses usable at once), no
            # reverse-path filter (copies come from foreign sources).
            sh(*self.ns(n, "sysctl", "-qw",
                        "net.ipv6.conf.all.accept_dad=0",
                        "net.ipv6.conf.default.accept_dad=0",
                        "net.ipv6.conf.all.dad_transmits=0",
                        "net.ipv6.conf.default.dad_transmits=0",
                        "net.ipv4.conf.all.rp_filter=0",
                        "net.ipv4.conf.default.rp_filter=0"))
            sh("ip", "-n", n, "link", "set", "lo", "up")
        sh("ip", "link", "add", "s0", "netns", self.S, "type", "veth",
           "peer", "name", "r0", "netns", self.R)
        sh("ip", "link", "add", "r1", "netns", self.R, "mtu", "9000",
           "type", "veth", "peer", "name", "d0", "netns", self.D,
           "mtu", "9000")
        # Offloads off (ethtool's ioctl, here: ethtool is not in Debian's
        # base): the bytes on the wire are the bytes sent (no deferred
        # checksums, no segmentation or aggregation), and libpcap sizes
        # its ring slots by the MTU instead of 64 KiB.
        for n, i in ((self.S, "s0"), (self.R, "r0"), (self.R, "r1"),
                     (self.D, "d0")):
            sh(*self.ns(n, sys.executable, os.path.abspath(__file__),
                        "offloads-off", i))
        sh("ip", "-n", self.R, "addr", "add", "192.168.3.1/24", "dev", "r1")
        sh("ip", "-n", self.R, "addr", "add", "2001:db8:ffff::1/64", "dev",
           "r1", "nodad")
        sh("ip", "-n", self.D, "addr", "add", "192.168.3.2/24", "dev", "d0")
        sh("ip", "-n", self.D, "addr", "add", "2001:db8:ffff::2/64", "dev",
           "d0", "nodad")
        sh(*self.ns(self.R, "sysctl", "-qw",
                    "net.ipv6.conf.r0.disable_ipv6=1"))
        for n, i in ((self.S, "s0"), (self.R, "r0"), (self.R, "r1"),
                     (self.D, "d0")):
            sh("ip", "-n", n, "link", "set", i, "up")
        self.dmac = link_mac(self.D, "d0")

    def down(self):
        for n in self.made:
            sh("ip", "netns", "del", n, check_rc=False)
        self.made = []


def link_mac(n, iface):
    p = sh("ip", "-n", n, "-j", "link", "show", iface)
    return json.loads(p.stdout)[0]["address"]


# --- serve, its client, the receiver ----------------------------------------

class Serve:
    def __init__(self, net, flowtap, out, args, prefix=()):
        self.net, self.flowtap, self.out = net, flowtap, out
        os.makedirs(out, exist_ok=True)
        self.logpath = os.path.join(out, "dtcp.log")
        self.errpath = out + ".stderr"
        cmd = net.ns(net.R, *prefix, flowtap, "serve", "--port", "0",
                     "--out", out, "--no-status", "--config", ROUTER,
                     "--budget-pps", "0", "--budget-bytes", "0")
        cmd += list(args)
        self.err = open(self.errpath, "w")
        self.p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                  stdout=self.err, stderr=self.err)
        self.port = None
        deadline = time.time() + 20
        while time.time() < deadline and self.p.poll() is None:
            m = re.search(r"\] listen address=\S+ port=(\d+) ", self.log())
            if m:
                self.port = int(m.group(1))
                break
            time.sleep(0.05)
        if self.port is None:
            self.stop()
            raise RuntimeError("serve did not start: " + self.stderr())

    def log(self):
        try:
            with open(self.logpath) as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def wait_log(self, pattern, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if re.search(pattern, self.log(), re.M):
                return True
            time.sleep(0.02)
        return False

    def stderr(self):
        with open(self.errpath) as f:
            return f.read()

    def task(self, tmp, script):
        """flowtap client inside R: every ADD must be answered 200."""
        p = subprocess.run(self.net.ns(
            self.net.R, self.flowtap, "client", "--host", "127.0.0.1",
            "--port", str(self.port), "--accept-new", "--known-hosts",
            os.path.join(tmp, "known_hosts"), "--quiet", script),
            capture_output=True, text=True, timeout=60)
        return p.returncode, (p.stdout + p.stderr).strip()

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
        try:
            rc = self.p.wait(30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
        self.err.close()
        return rc

    def report(self):
        try:
            with open(os.path.join(self.out, "report.json")) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}


class Receiver:
    def __init__(self, net, out):
        self.out = out
        cmd = net.ns(net.D, sys.executable, os.path.abspath(__file__),
                     "recv", "d0", out) + RECV
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        line = self.p.stdout.readline()
        if line.strip() != "ready":
            raise RuntimeError("receiver: " + line + self.p.stderr.read())

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        self.p.wait(20)
        with open(self.out) as f:
            got = json.load(f)
        return ([bytes.fromhex(h) for h in got["frames"]],
                {k: [bytes.fromhex(h) for h in v]
                 for k, v in got["dgrams"].items()})


# --- the checks -------------------------------------------------------------

def replay(flowtap, tmp, name, script, extra=()):
    """The offline engine on the same trace and script (budget off)."""
    out = os.path.join(tmp, name + ".replay")
    sh(flowtap, "replay", "-q", "--trace", TRACE, "--script", script,
       "--config", ROUTER, "--budget-pps", "0", "--budget-bytes", "0",
       "--out", out, *extra)
    return os.path.join(out, "intercept.pcap")


def compare(what, got, want):
    """got and want: lists of bytes. One check; the first difference."""
    if got == want:
        return check(len(want) > 0, "%s: %d equal, in order" %
                     (what, len(want)))
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            n = min(len(g), len(w))
            k = next((j for j in range(n) if g[j] != w[j]), n)
            return check(False, "%s: #%d differs at byte %d (got %d bytes, "
                         "want %d): got %s.. want %s.." % (
                             what, i + 1, k, len(g), len(w),
                             g[k:k + 8].hex(), w[k:k + 8].hex()))
    return check(False, "%s: got %d, want %d" % (what, len(got), len(want)))


def per_dest(copies):
    """Per content destination "addr/port": the UDP payloads, in order."""
    per = {sp: [] for sp in RECV}
    for c in copies:
        dst, port, pl = copy_fields(c)
        per["%s/%d" % (dst, port)].append(pl)
    return per


def check_datagrams(name, dgrams, want):
    per = per_dest(want)
    for sp in RECV:
        if per[sp] or dgrams[sp]:
            compare("%s: datagrams read on %s = the copies' UDP payloads"
                    % (name, sp), dgrams[sp], per[sp])


def udp_view(c):
    """What udp mode keeps of a copy: family, destination, ports, TTL,
    payload (the rest of the outer header is the kernel's)."""
    if c[0] >> 4 == 4:
        return (4, c[16:20], c[8], c[20:24], c[28:])
    return (6, c[24:40], c[7], c[40:44], c[48:])


def live_run(net, flowtap, tmp, name, script, args, play, prefix=()):
    """serve with args, tasked by flowtap client with script, fed by
    play(serve): what D received and serve's report."""
    srv = Serve(net, flowtap, os.path.join(tmp, name), args, prefix)
    rx = Receiver(net, os.path.join(tmp, name + ".rx.json"))
    try:
        rc, out = srv.task(tmp, script)
        check(rc == 0, "%s: flowtap client's ADDs answered 200 (MACs and "
              "SEQs checked by the client)%s" % (name, (": " + out)
                                                  if rc else ""))
        play(srv)
        # Each copy leaves as its packet is read: what is still on its
        # way arrives well within this.
        time.sleep(1.0)
    finally:
        frames, dgrams = rx.stop()
        rc = srv.stop()
    check(rc == 0, "%s: serve stops cleanly on SIGTERM" % name)
    return srv, frames, dgrams, srv.report().get("live", {})


def check_report(name, live, mode, want, records):
    ok = (live.get("delivery") == mode and live.get("send_failed") == 0 and
          live.get("copies_sent") == len(want) and
          live.get("capture_drops") == 0 and
          live.get("capture_ifdrops") == 0 and
          live.get("records") == records)
    check(ok, "%s: report.json live: %s records, delivery %s, %s copies "
          "sent (want %d), %s failed, capture drops %s+%s" % (
              name, live.get("records"), live.get("delivery"),
              live.get("copies_sent"), len(want), live.get("send_failed"),
              live.get("capture_drops"), live.get("capture_ifdrops")))


def checks_live(net, flowtap, tmp):
    ntrace = len(pcap_records(TRACE)[1])

    def tcpreplay(srv):
        sh(*net.ns(net.S, "tcpreplay", "-q", "-i", "s0", "-x", "10", TRACE))

    # 1-2: tcpreplay into s0, serve --capture r0; raw delivery.
    for name, msgs in (("capture-plain", PLAIN),
                       ("capture-jmirror-ipv6", JMIRROR6)):
        script = os.path.join(tmp, name + ".dtcp")
        write_script(script, msgs)
        _, rec = pcap_records(replay(flowtap, tmp, name, script))
        want = [r[1] for r in rec]
        copies = os.path.join(tmp, name + ".copies.pcap")
        srv, frames, dgrams, live = live_run(
            net, flowtap, tmp, name, script,
            ["--capture", "r0", "--capture-buffer", str(32 << 20),
             "--write-copies", copies], tcpreplay)
        compare("%s: frames at D = replay's copies, byte for byte (outer "
                "headers, IPv4 ID, checksums, jmirror)" % name, frames, want)
        check_datagrams(name, dgrams, want)
        check_report(name, live, "raw", want, ntrace)
        if name == "capture-plain":
            check(live.get("link_sent") == 1 and
                  live.get("ipid_kernel") == 0,
                  "%s: the IPv4 ID 0 copy left on the link layer "
                  "(link_sent %s, ipid_kernel %s)" % (
                      name, live.get("link_sent"), live.get("ipid_kernel")))
        lt, wc = pcap_records(copies)
        compare("%s: --write-copies = replay's copies" % name,
                [r[1] for r in wc], want)
        figures.append("%s: %d copies" % (name, len(want)))

    # 3: serve --trace, paced (10x), started by SIGUSR1 after tasking.
    name = "trace-paced"
    script = os.path.join(tmp, name + ".dtcp")
    write_script(script, PLAIN + JMIRROR6)
    golden = replay(flowtap, tmp, name, script)
    want = [r[1] for r in pcap_records(golden)[1]]
    copies = os.path.join(tmp, name + ".copies.pcap")
    span = {}

    def start_trace(srv):
        t0 = time.time()
        srv.p.send_signal(signal.SIGUSR1)
        done = srv.wait_log(r"\] trace end: ", 30)
        span["s"] = time.time() - t0
        check(done, "%s: the trace played to its end (%.2f s)" %
              (name, span["s"]))

    srv, frames, dgrams, live = live_run(
        net, flowtap, tmp, name, script,
        ["--trace", TRACE, "--speed", "10", "--trace-wait",
         "--write-copies", copies], start_trace)
    first, last = pcap_records(TRACE)[1][0][0], pcap_records(TRACE)[1][-1][0]
    nominal = (last - first) / 1e9 / 10
    check(nominal * 0.95 <= span["s"] <= nominal + 1.5,
          "%s: paced at 10x: %.2f s for %.2f s of trace / 10" % (
              name, span["s"], nominal))
    compare("%s: frames at D = replay's copies, byte for byte" % name,
            frames, want)
    check_datagrams(name, dgrams, want)
    check_report(name, live, "raw", want, ntrace)
    with open(golden, "rb") as a, open(copies, "rb") as b:
        check(a.read() == b.read(), "%s: --write-copies is replay's "
              "intercept.pcap byte for byte (timestamps included: the "
              "engine clock is the trace's)" % name)

    # 4: no CAP_NET_RAW: the same trace at top speed, UDP sockets.
    name = "trace-udp-no-cap-net-raw"

    def start_top(srv):
        srv.p.send_signal(signal.SIGUSR1)
        check(srv.wait_log(r"\] trace end: ", 30),
              "%s: the trace played to its end" % name)

    srv, frames, dgrams, live = live_run(
        net, flowtap, tmp, name, script,
        ["--trace", TRACE, "--topspeed", "--trace-wait"], start_top,
        prefix=("setpriv", "--inh-caps=-net_raw",
                "--bounding-set=-net_raw"))
    check("no CAP_NET_RAW" in srv.stderr() and
          "outer headers are the kernel's" in srv.stderr(),
          "%s: start-up says UDP sockets, no CAP_NET_RAW, the kernel's "
          "outer headers" % name)
    check_datagrams(name, dgrams, want)
    compare("%s: frames at D carry the copies' destinations, UDP ports, "
            "TTLs and payloads" % name, [udp_view(f) for f in frames],
            [udp_view(c) for c in want])
    check_report(name, live, "udp", want, ntrace)

    # 5: tcpreplay of an Ethernet intercept.pcap into r1 (towards D).
    name = "tcpreplay-ether"
    eth = replay(flowtap, tmp, name, script,
                 ("--copy-linktype", "ether", "--copy-dst-mac", net.dmac))
    rx = Receiver(net, os.path.join(tmp, name + ".rx.json"))
    try:
        sh(*net.ns(net.R, "tcpreplay", "-q", "-t", "-i", "r1", eth))
        time.sleep(0.5)
    finally:
        frames, dgrams = rx.stop()
    compare("%s: frames at D = the raw-IP copies" % name, frames, want)
    check_datagrams(name, dgrams, want)


def main_check(flowtap, bdir):
    for tool in ("tcpreplay", "setpriv", "ip"):
        if shutil.which(tool) is None:
            print("live: FAIL: %s not installed (make deps)" % tool)
            return 1
    if os.geteuid() != 0:
        print("skipped: network namespaces need root")
        return 0
    net = Net()
    try:
        sh("ip", "netns", "add", net.S)
        sh("ip", "netns", "del", net.S)
    except RuntimeError as e:
        print("skipped: cannot create a network namespace: %s" % e)
        return 0
    tmp = tempfile.mkdtemp(prefix="ftlive.")
    t0 = time.time()
    try:
        net.up()
        checks_live(net, flowtap, tmp)
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as e:
        check(False, "live test aborted: %s" % e)
    finally:
        net.down()
        if os.environ.get("FT_LIVE_KEEP"):
            print("kept: " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    total = checks["ok"] + checks["fail"]
    figures.append("%.0f s" % (time.time() - t0))
    print("live: %d of %d checks passed (%s)" % (checks["ok"], total,
                                                 ", ".join(figures)))
    return 1 if checks["fail"] else 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "offloads-off":
        offloads_off(sys.argv[2])
        return 0
    if len(sys.argv) >= 4 and sys.argv[1] == "recv":
        recv(sys.argv[2], sys.argv[3], sys.argv[4:])
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "check":
        return main_check(os.path.abspath(sys.argv[2]), sys.argv[3])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
