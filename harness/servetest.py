#!/usr/bin/env python3
"""End-to-end tests of `flowtap serve` over loopback (docs/serve.md).

Run by harness/check_serve*.sh:

    servetest.py basic      FLOWTAP   # logins, DTCP, refusals, limits, restart
    servetest.py hostile    FLOWTAP   # floods, stalls, garbage, endless, slow
    servetest.py transcript FLOWTAP   # live dtcp.log == replay's dtcp.log

Clients are OpenSSH's ssh (`-s flow-tap-dtcp`, password through
SSH_ASKPASS) and, for the hostile peers, raw sockets. Every reply MAC is
checked here with Python's hmac, independently of the engine. Each check
prints "ok - ..." or "FAIL - ..."; the last line sums them up; the exit
status is 1 when one failed.
"""

import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

KEY = b"Juniper"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ROUTER = os.path.join(ROOT, "fixtures", "default-router.conf")
PASSWORDS = {"verint": "verint123", "lea2": "lea2pass", "noc": "noc12345"}

# --- bookkeeping ------------------------------------------------------------

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


def finish(name):
    extra = ("; " + "; ".join(figures)) if figures else ""
    total = checks["ok"] + checks["fail"]
    if checks["fail"]:
        print("%s: %d of %d checks failed%s" % (name, checks["fail"], total,
                                               extra))
        sys.exit(1)
    print("%s: %d checks passed%s" % (name, total, extra))
    sys.exit(0)


# --- DTCP -------------------------------------------------------------------

def mac(data, key=KEY):
    return hmac.new(key, data, hashlib.sha1).hexdigest()


def message(method, params, auth=True, version="0.7", key=KEY, lf=False):
    """A request: CRLF lines, Authentication-Info (computed, or as given)."""
    text = "%s DTCP/%s\r\n" % (method, version)
    text += "".join("%s: %s\r\n" % (k, v) for k, v in params)
    if auth is True:
        text += "Authentication-Info: %s\r\n" % mac(text.encode(), key)
    elif auth:
        text += "Authentication-Info: %s\r\n" % auth
    text += "\r\n"
    if lf:
        text = text.replace("\r\n", "\n")
    return text.encode()


def add(user, seq, cdest="cd1", src="10.1.1.1", port=1814, proto=6):
    return message("ADD", [
        ("Csource-ID", user), ("Cdest-ID", cdest),
        ("Source-Address", src), ("Dest-Address", "*"),
        ("Protocol", str(proto)), ("Flags", "STATIC"),
        ("X-JTap-Cdest-Dest-Address", "192.168.3.2"),
        ("X-JTap-Cdest-Dest-Port", str(port)),
        ("X-JTap-Cdest-Source-Address", "10.209.74.183"),
        ("X-JTap-Cdest-Source-Port", "65534"), ("Seq", str(seq))])


def lst(user, seq, **kw):
    return message("LIST", [("Csource-ID", user), ("Seq", str(seq))], **kw)


def delete(user, seq, crit):
    return message("DELETE", [("Csource-ID", user), ("Criteria-ID", crit),
                              ("Flags", "STATIC"), ("Seq", str(seq))])


def reply_code(r):
    m = re.match(rb"DTCP/\d\.\d (\d{3}) ", r)
    return int(m.group(1)) if m else None


def reply_field(r, name):
    m = re.search(rb"\r\n" + name.encode() + rb": ([^\r]*)\r\n", r)
    return m.group(1).decode() if m else None


def reply_mac_ok(r, key=KEY):
    """AUTHENTICATION-INFO = HMAC-SHA1 of every byte before its line."""
    i = r.rfind(b"\r\nAUTHENTICATION-INFO: ")
    if i < 0:
        return False
    covered = r[:i + 2]
    got = r[i + 2 + len("AUTHENTICATION-INFO: "):].split(b"\r\n")[0]
    return r.endswith(b"\r\n\r\n") and got.decode() == mac(covered, key)


# --- the server -------------------------------------------------------------

class Server:
    def __init__(self, flowtap, out, config=ROUTER, args=(), state=None):
        self.out = out
        self.logpath = os.path.join(out, "dtcp.log")
        cmd = [flowtap, "serve", "--port", "0", "--out", out, "--no-status"]
        if config:
            cmd += ["--config", config]
        if state:
            cmd += ["--state", state]
        cmd += list(args)
        self.err = open(os.path.join(out + ".stderr"), "w")
        if os.path.exists(self.logpath):
            os.unlink(self.logpath)
        self.p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                  stdout=self.err, stderr=self.err)
        self.port = None
        deadline = time.time() + 20
        while time.time() < deadline and self.p.poll() is None:
            m = re.search(r"\] listen address=\S+ port=(\d+) hostkey=\S+ "
                          r"(SHA256:\S+)", self.log())
            if m:
                self.port = int(m.group(1))
                self.fingerprint = m.group(2)
                break
            time.sleep(0.05)
        if self.port is None:
            raise RuntimeError("serve did not start: " +
                               open(out + ".stderr").read())

    def log(self):
        try:
            with open(self.logpath, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def wait_log(self, pattern, timeout=5.0, count=1):
        deadline = time.time() + timeout
        while True:
            if len(re.findall(pattern, self.log(), re.M)) >= count:
                return True
            if time.time() > deadline:
                return False
            time.sleep(0.05)

    def signal(self, sig):
        self.p.send_signal(sig)

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

    def status(self, field):
        with open("/proc/%d/status" % self.p.pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return None

    def nfds(self):
        return len(os.listdir("/proc/%d/fd" % self.p.pid))


# --- OpenSSH as the mediation device's transport ----------------------------

class Ssh:
    """ssh -s flow-tap-dtcp (or another remote request) with pipes."""

    def __init__(self, tmp, port, user, password=None, remote=None,
                 opts=(), read=True):
        askpass = os.path.join(tmp, "askpass.sh")
        if not os.path.exists(askpass):
            with open(askpass, "w") as f:
                f.write('#!/bin/sh\nprintf "%s\\n" "$FT_PW"\n')
            os.chmod(askpass, 0o700)
        env = dict(os.environ, SSH_ASKPASS=askpass,
                   SSH_ASKPASS_REQUIRE="force", DISPLAY=":0",
                   FT_PW=password if password is not None
                   else PASSWORDS[user])
        cmd = ["ssh", "-F", "/dev/null", "-p", str(port),
               "-o", "StrictHostKeyChecking=accept-new",
               "-o", "UserKnownHostsFile=" + os.path.join(tmp, "known"),
               "-o", "GlobalKnownHostsFile=/dev/null",
               "-o", "PubkeyAuthentication=no",
               "-o", "PreferredAuthentications=password",
               "-o", "NumberOfPasswordPrompts=1",
               "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR"]
        cmd += list(opts)
        cmd += ["-l", user, "127.0.0.1"]
        cmd += remote if remote is not None else ["-s", "flow-tap-dtcp"]
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=env)
        self.buf = b""
        self.eof = False
        self.cv = threading.Condition()
        self.stderr = b""
        if read:
            threading.Thread(target=self._reader, daemon=True).start()
        threading.Thread(target=self._errreader, daemon=True).start()

    def _reader(self):
        while True:
            b = self.p.stdout.read1(65536)
            with self.cv:
                if not b:
                    self.eof = True
                    self.cv.notify_all()
                    return
                self.buf += b
                self.cv.notify_all()

    def _errreader(self):
        self.stderr = self.p.stderr.read()

    def send(self, data):
        try:
            self.p.stdin.write(data)
            self.p.stdin.flush()
            return True
        except (BrokenPipeError, ValueError):
            return False

    def reply(self, timeout=10.0):
        """The next reply (bytes through its empty line), or None."""
        deadline = time.time() + timeout
        with self.cv:
            while True:
                i = self.buf.find(b"\r\n\r\n")
                if i >= 0:
                    r, self.buf = self.buf[:i + 4], self.buf[i + 4:]
                    return r
                left = deadline - time.time()
                if self.eof or left <= 0:
                    return None
                self.cv.wait(left)

    def ask(self, data, timeout=10.0):
        t0 = time.time()
        self.send(data)
        r = self.reply(timeout)
        return r, time.time() - t0

    def wait_eof(self, timeout=10.0):
        deadline = time.time() + timeout
        with self.cv:
            while not self.eof and time.time() < deadline:
                self.cv.wait(deadline - time.time())
            return self.eof

    def close(self, timeout=10.0):
        try:
            self.p.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        try:
            return self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            return self.p.wait()

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()


def run_ssh(tmp, port, user, password=None, remote=None, opts=(),
            data=b"", timeout=15):
    s = Ssh(tmp, port, user, password, remote, opts)
    s.send(data)
    rc = s.close(timeout)
    s.wait_eof(2)
    return rc, s.buf, s.stderr


# --- basic ------------------------------------------------------------------

def basic(flowtap):
    tmp = tempfile.mkdtemp(prefix="ftserve.")
    try:
        _basic(flowtap, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish("serve")


def _basic(flowtap, tmp):
    state = os.path.join(tmp, "state")
    out = os.path.join(tmp, "out1")
    srv = Server(flowtap, out, state=state)
    port = srv.port
    keyfile = os.path.join(state, "ssh_host_ed25519_key")

    # Host key: generated once, mode 0600, fingerprint as OpenSSH prints it.
    st = os.stat(keyfile)
    check(st.st_mode & 0o777 == 0o600, "host key generated with mode 0600")
    kg = subprocess.run(["ssh-keygen", "-l", "-f", keyfile],
                        capture_output=True, text=True)
    check(kg.returncode == 0 and srv.fingerprint in kg.stdout,
          "fingerprint %s equals ssh-keygen -l's" % srv.fingerprint)
    err = open(out + ".stderr").read()
    check(srv.fingerprint in err and "generated now" in err,
          "fingerprint printed at start (generated now)")

    # ADD / LIST / DELETE as verint, every reply signed.
    a = Ssh(tmp, port, "verint")
    r1, t_add = a.ask(add("verint", 1))
    check(r1 is not None and reply_code(r1) == 200 and
          reply_field(r1, "CRITERIA-ID") == "1",
          "ADD answered 200 with CRITERIA-ID 1 (%.3f s)" % t_add)
    r2, _ = a.ask(lst("verint", 2))
    check(r2 is not None and reply_code(r2) == 200 and
          reply_field(r2, "CRITERIA-COUNT") == "1" and
          b"SOURCE-ADDRESS: 10.1.1.1" in r2, "LIST shows the criterion")
    r3, _ = a.ask(delete("verint", 3, "1"))
    check(r3 is not None and reply_code(r3) == 200 and
          reply_field(r3, "CRITERIA-COUNT") == "1", "DELETE deletes it")
    check(all(r is not None and reply_mac_ok(r) for r in (r1, r2, r3)),
          "each reply's AUTHENTICATION-INFO verifies (HMAC-SHA1, Juniper)")
    check(all(r is not None and reply_field(r, "SEQ") == str(i + 1)
              for i, r in enumerate((r1, r2, r3))), "SEQ echoed")

    # Framing on the channel: LF-only, split across writes, two in one.
    r, _ = a.ask(lst("verint", 4, lf=True))
    check(r is not None and reply_code(r) == 200 and reply_mac_ok(r),
          "LF-only message normalised to CRLF before the MAC")
    m = lst("verint", 5)
    for i in range(0, len(m), 7):
        a.send(m[i:i + 7])
        time.sleep(0.01)
    r = a.reply()
    check(r is not None and reply_field(r, "SEQ") == "5",
          "a message split over many writes")
    a.send(lst("verint", 6) + lst("verint", 7))
    ra, rb = a.reply(), a.reply()
    check(ra is not None and rb is not None and
          reply_field(ra, "SEQ") == "6" and reply_field(rb, "SEQ") == "7",
          "two messages in one write: two replies, in order")

    # Unauthenticated requests: dropped, never answered, logged.
    a.send(lst("lea2", 8))
    a.send(lst("verint", 9, auth="0" * 40))
    a.send(lst("verint", 7))
    r, _ = a.ask(lst("verint", 10))
    check(r is not None and reply_field(r, "SEQ") == "10",
          "no reply to another user's Csource-ID, a bad MAC, a stale Seq "
          "(the next good request is the next reply)")
    log = srv.log()
    # Each drop names its rule (issue 10, docs/rules.md).
    check(re.search(r"drop session=ssh-\d+ user=verint code=499 "
                    r"rule=DTCP-AUTH-CSOURCE-USER: ", log) is not None,
          "Csource-ID of another user dropped 499")
    check(re.search(r"drop session=ssh-\d+ user=verint code=497 "
                    r"rule=DTCP-AUTH-MAC-WRONG: ", log) is not None,
          "bad MAC dropped 497")
    check(re.search(r"drop session=ssh-\d+ user=verint code=498 "
                    r"rule=DTCP-SEQ-STALE: .*; stale sequence number 7 "
                    r"\(last 7\)", log) is not None,
          "stale Seq dropped 498")

    # Over the message cap: dropped 400 unanswered; the session goes on.
    big = b"LIST DTCP/0.7\r\nCsource-ID: verint\r\n" + \
        b"X-Pad: " + b"a" * 9000 + b"\r\nSeq: 11\r\n\r\n"
    a.send(big)
    r, _ = a.ask(lst("verint", 12))
    check(r is not None and reply_field(r, "SEQ") == "12" and
          re.search(r"drop session=ssh-\d+ user=verint code=400 "
                    r"rule=DTCP-FRAME-MSG-CAP: .*; 8193 bytes, cap 8192",
                    srv.log()),
          "message over 8 KiB dropped 400, unanswered; next one answered")

    # Wrong password, no permission, exec, shell, other subsystem, tcpip.
    rc, o, e = run_ssh(tmp, port, "verint", password="wrong",
                       data=lst("verint", 13))
    check(rc == 255 and o == b"", "wrong password refused (ssh exit 255)")
    check(srv.wait_log(r"ssh conn=\d+ peer=127\.0\.0\.1:\d+: password "
                       r"authentication failed for user 'verint'"),
          "failed login logged with the peer address")
    rc, o, e = run_ssh(tmp, port, "noc", data=lst("noc", 1))
    check(rc != 0 and o == b"" and b"subsystem request failed" in e,
          "user without flow-tap-operation: subsystem refused")
    check(srv.wait_log(r"user=noc: subsystem 'flow-tap-dtcp' \(user 'noc' "
                       r"lacks flow-tap-operation\) refused"),
          "... and logged")
    rc, o, e = run_ssh(tmp, port, "verint", remote=["true"])
    check(rc == 255 and b"exec request failed" in e and
          srv.wait_log(r"user=verint: exec request 'true' refused"),
          "exec ('ssh ... true') refused and logged")
    rc, o, e = run_ssh(tmp, port, "verint", remote=[], opts=["-tt"])
    check(rc == 255 and srv.wait_log(r"user=verint: shell request refused")
          and srv.wait_log(r"user=verint: pty request refused"),
          "pty and shell refused and logged")
    rc, o, e = run_ssh(tmp, port, "verint", remote=["-s", "sftp"])
    check(rc == 255 and srv.wait_log(r"user=verint: subsystem 'sftp' "
                                     r"refused"),
          "another subsystem refused and logged")
    rc, o, e = run_ssh(tmp, port, "verint", remote=[],
                       opts=["-W", "127.0.0.1:22"])
    check(rc == 255 and srv.wait_log(r"channel open 'direct-tcpip' "
                                     r"refused"),
          "port forwarding (direct-tcpip, ssh -W) refused and logged")
    rc, o, e = run_ssh(tmp, port, "verint", remote=["-s", "flow-tap-dtcp"],
                       opts=["-o", "SendEnv=FT_PW", "-R", "0:127.0.0.1:22",
                             "-o", "ExitOnForwardFailure=no"],
                       data=lst("verint", 14))
    check(rc == 0 and reply_code(o) == 200 and
          srv.wait_log(r"env request 'FT_PW' refused") and
          srv.wait_log(r"port forwarding \(tcpip-forward\) refused") and
          "lea2pass" not in srv.log() and "verint123" not in srv.log(),
          "env and tcpip-forward refused and logged (the value never), "
          "the subsystem on the same connection still works")

    # SIGHUP: a restart mid-session; the client sees the connection drop.
    b = Ssh(tmp, port, "lea2")
    r, _ = b.ask(add("lea2", 1, cdest="cdA"))
    check(r is not None and reply_code(r) == 200, "lea2 ADD before restart")
    crit = reply_field(r, "CRITERIA-ID") if r else None
    srv.signal(signal.SIGHUP)
    check(b.wait_eof(5) and a.wait_eof(5),
          "SIGHUP: both clients see their connection dropped")
    check(b.close(5) == 255 and a.close(5) == 255,
          "... ssh exits 255 (closed by the router)")
    log = srv.log()
    check(re.search(r"\] restart: SIGHUP\n", log) and
          re.search(r"close session=ssh-\d+ user=lea2: restart", log) and
          re.search(r"ssh conn=\d+ peer=\S+ user=lea2: closed: restart",
                    log), "restart and the closes logged")
    c = Ssh(tmp, port, "lea2")
    r, _ = c.ask(add("lea2", 1, cdest="cdA"))
    check(r is not None and reply_code(r) == 200 and reply_mac_ok(r) and
          reply_field(r, "CRITERIA-ID") == str(int(crit or 0) + 1),
          "reconnect and replay the same ADD (same Seq 1): 200, new id")
    r, _ = c.ask(lst("lea2", 2))
    check(r is not None and reply_field(r, "CRITERIA-COUNT") == "1",
          "only the replayed criterion is left")
    c.close()

    # Stop: report.json atomically, dtcp.log complete.
    rc = srv.stop()
    check(rc == 0, "SIGTERM: exit 0")
    rep = json.load(open(os.path.join(out, "report.json")))
    d = rep["dtcp"]
    check(d["restarts"] == 1 and d["drops"].get("497") == 1 and
          d["drops"].get("498") == 1 and d["sessions_opened"] >= 4 and
          d["replies"].get("200", 0) >= 12,
          "report.json has the DTCP counters (%s)" % json.dumps(d))
    check(not [f for f in os.listdir(out) if f.endswith(".tmp")],
          "no temporary file left in --out")
    check(srv.log().rstrip("\n").endswith("stop SIGTERM"),
          "dtcp.log ends with the stop line")

    # Second start on the same state: the key is reused; small limits.
    cfg = os.path.join(tmp, "limits.conf")
    text = open(ROUTER).read()
    text = text.replace("connection-limit 5;", "connection-limit 2;")
    text = text.replace("rate-limit 5;", "rate-limit 3;")
    open(cfg, "w").write(text)
    out2 = os.path.join(tmp, "out2")
    srv = Server(flowtap, out2, config=cfg, state=state,
                 args=["--restart-after", "30"])
    check(srv.fingerprint == kg.stdout.split()[1] and
          "generated now" not in open(out2 + ".stderr").read(),
          "second start reuses the host key (same fingerprint)")
    port = srv.port
    s1 = Ssh(tmp, port, "verint", opts=["-o", "StrictHostKeyChecking=yes"])
    r, _ = s1.ask(lst("verint", 1))
    check(r is not None and reply_code(r) == 200,
          "known host key accepted with StrictHostKeyChecking=yes")
    s2 = Ssh(tmp, port, "lea2")
    r, _ = s2.ask(lst("lea2", 1))
    check(r is not None and reply_code(r) == 200, "second session (limit 2)")
    rc, o, e = run_ssh(tmp, port, "lea2", data=lst("lea2", 2))
    check(rc != 0 and o == b"" and
          srv.wait_log(r"refuse session=ssh-3 user=lea2: connection-limit 2 "
                       r"reached") and
          srv.wait_log(r"ssh conn=3 peer=\S+ user=lea2: closed: subsystem "
                       r"refused"),
          "third session over connection-limit 2: refused, logged, closed")
    r, _ = s1.ask(lst("verint", 2))
    r2, _ = s2.ask(lst("lea2", 3))
    check(r is not None and reply_code(r) == 200 and r2 is not None and
          reply_code(r2) == 200, "the open sessions keep working")
    s2.close()
    check(srv.wait_log(r"close session=ssh-2 user=lea2"), "one closes")
    s3 = Ssh(tmp, port, "lea2")
    r, _ = s3.ask(lst("lea2", 4))
    check(r is not None and reply_code(r) == 200,
          "a new session in its place (3 opened this minute)")
    s3.close()
    srv.wait_log(r"close session=ssh-4 user=lea2")
    rc, o, e = run_ssh(tmp, port, "lea2", data=lst("lea2", 5))
    check(rc != 0 and o == b"" and
          srv.wait_log(r"refuse session=ssh-5 user=lea2: rate-limit 3 per "
                       r"minute reached"),
          "fourth open within a minute over rate-limit 3: refused, logged")
    r, _ = s1.ask(lst("verint", 3))
    check(r is not None and reply_code(r) == 200,
          "the existing session still works")
    s1.close()
    rc = srv.stop()
    check(rc == 0, "second server stops cleanly")

    # --restart-after: a restart on a timer closes the sessions too.
    out3 = os.path.join(tmp, "out3")
    srv = Server(flowtap, out3, state=state, args=["--restart-after", "1.5"])
    s = Ssh(tmp, srv.port, "verint")
    r, _ = s.ask(add("verint", 1))
    check(r is not None and reply_code(r) == 200, "ADD before the timer")
    check(s.wait_eof(6) and s.close(5) == 255 and
          srv.wait_log(r"\] restart: --restart-after\n"),
          "--restart-after 1.5: the session is dropped, restart logged")
    s = Ssh(tmp, srv.port, "verint")
    r, _ = s.ask(add("verint", 1))
    check(r is not None and reply_code(r) == 200 and
          reply_field(r, "CRITERIA-ID") == "2",
          "replay after the timed restart: 200, Criteria-IDs keep counting")
    s.close()
    check(srv.stop() == 0, "third server stops cleanly")

    # --hostkey: OpenSSH's own RSA and ed25519 keys.
    for kt in ("rsa", "ed25519"):
        kf = os.path.join(tmp, "key_" + kt)
        subprocess.run(["ssh-keygen", "-q", "-t", kt, "-N", "", "-f", kf],
                       check=True, capture_output=True)
        fp = subprocess.run(["ssh-keygen", "-l", "-f", kf],
                            capture_output=True, text=True).stdout.split()[1]
        out4 = os.path.join(tmp, "out-" + kt)
        srv = Server(flowtap, out4, args=["--hostkey", kf])
        rc, o, e = run_ssh(tmp, srv.port, "verint", data=lst("verint", 1),
                           opts=["-o", "UserKnownHostsFile=" +
                                 os.path.join(tmp, "known-" + kt)])
        check(srv.fingerprint == fp and rc == 0 and reply_code(o) == 200,
              "--hostkey with an OpenSSH %s key: fingerprint %s, login "
              "works" % (kt, fp))
        check(srv.stop() == 0, "... stops cleanly")


# --- hostile peers ----------------------------------------------------------

def hostile(flowtap):
    tmp = tempfile.mkdtemp(prefix="ftserve.")
    try:
        _hostile(flowtap, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish("serve_hostile")


def connect_all(port, n):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.settimeout(5)
        s.connect(("127.0.0.1", port))
        socks.append(s)
    return socks


def closed_by_peer(s, timeout=8.0):
    """True when the server closed this socket (EOF or reset)."""
    s.settimeout(timeout)
    try:
        while True:
            b = s.recv(4096)
            if not b:
                return True
    except ConnectionResetError:
        return True
    except OSError:
        return False


def _hostile(flowtap, tmp):
    out = os.path.join(tmp, "out")
    grace, startups, queue = 3, 10, 262144
    srv = Server(flowtap, out, args=["--login-grace", str(grace),
                                     "--max-startups", str(startups),
                                     "--max-queue", str(queue)])
    port = srv.port
    lat = []
    seq = [0]

    def legit(what):
        seq[0] += 1
        r, t = L.ask(lst("verint", seq[0]), timeout=10)
        lat.append(t)
        ok = r is not None and reply_code(r) == 200 and reply_mac_ok(r)
        check(ok and t < 5, "%s: LIST answered in %.3f s" % (what, t))

    L = Ssh(tmp, port, "verint")
    seq[0] += 1
    r, t = L.ask(add("verint", seq[0]))
    check(r is not None and reply_code(r) == 200, "legitimate session ADD")
    base_fds = srv.nfds()

    # 1. Garbage instead of an SSH banner (fewer at once than
    # max-startups, so that each is closed for what it sent).
    bad = []
    for _ in range(3):
        group = connect_all(port, 5)
        for s in group:
            s.sendall(b"GET / HTTP/1.0\r\n\r\n" + os.urandom(256) +
                      b"\r\n")
        bad += group
        legit("garbage banners arriving")
    check(all(closed_by_peer(s) for s in bad),
          "15 connections sending garbage instead of a banner: closed")
    check(srv.wait_log(r"closed: key exchange failed: ", count=15),
          "... each logged as a failed key exchange")
    for s in bad:
        s.close()

    # 2. Stalled in the handshake: after the banner, inside a packet, and
    # at the password prompt (ssh whose askpass never answers).
    stalled = connect_all(port, 6)
    for i, s in enumerate(stalled):
        s.sendall(b"SSH-2.0-stalled\r\n" +
                  (b"\x00\x00\x04\x00\x0a\x14" if i % 2 else b""))
    slow_pw = os.path.join(tmp, "askpass-stall.sh")
    with open(slow_pw, "w") as f:
        f.write("#!/bin/sh\nexec sleep 60\n")
    os.chmod(slow_pw, 0o700)
    env_ssh = []
    for _ in range(2):
        env = dict(os.environ, SSH_ASKPASS=slow_pw,
                   SSH_ASKPASS_REQUIRE="force", DISPLAY=":0")
        env_ssh.append(subprocess.Popen(
            ["ssh", "-F", "/dev/null", "-p", str(port),
             "-o", "StrictHostKeyChecking=accept-new",
             "-o", "UserKnownHostsFile=" + os.path.join(tmp, "known"),
             "-o", "PubkeyAuthentication=no",
             "-o", "PreferredAuthentications=password",
             "-o", "LogLevel=ERROR", "-l", "verint", "127.0.0.1",
             "-s", "flow-tap-dtcp"], stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
            start_new_session=True))
    t0 = time.time()
    legit("8 clients stalled in the handshake and at the password prompt")
    gone = [closed_by_peer(s, grace + 5) for s in stalled]
    check(all(gone), "6 raw clients stalled in the handshake closed by the "
          "server (%s)" % gone)
    check(srv.wait_log(r"closed: login grace time of %d s exceeded" % grace,
                       count=8, timeout=grace + 5),
          "all 8 closed at the login grace time (%d s; %.1f s), ssh at its "
          "password prompt included" % (grace, time.time() - t0))
    for p in env_ssh:
        # ssh and the askpass it waits for: no orphan left behind.
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
    for s in stalled:
        s.close()
    legit("after the stalled clients")

    # 3. A flood of 200 silent TCP connections, all held open.
    t0 = time.time()
    socks = []
    for _ in range(200):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        socks.append(s)
    legit("during a flood of 200 TCP connections")
    time.sleep(0.3)
    fds = srv.nfds()
    check(fds <= base_fds + startups + 2,
          "server descriptors bounded during the flood: %d (before %d, "
          "max-startups %d)" % (fds, base_fds, startups))
    # A new login while the flood's connections are still held and more
    # keep coming (50 a second).
    more = []
    going = threading.Event()
    going.set()

    def trickle():
        while going.is_set() and len(more) < 150:
            try:
                more.append(socket.create_connection(("127.0.0.1", port),
                                                     timeout=5))
            except OSError:
                pass
            time.sleep(0.02)

    th = threading.Thread(target=trickle, daemon=True)
    th.start()
    time.sleep(0.2)
    t1 = time.time()
    N = Ssh(tmp, port, "lea2")
    r, t = N.ask(add("lea2", 1, cdest="cdA"))
    t_new = time.time() - t1
    going.clear()
    th.join(10)
    socks += more
    check(r is not None and reply_code(r) == 200 and reply_mac_ok(r),
          "a new login during the flood (%d more connections arriving): "
          "ADD answered (%.3f s from connect)" % (len(more), t_new))
    r, t = N.ask(lst("lea2", 2))
    check(r is not None and reply_code(r) == 200, "... and LIST")
    figures.append("new login + ADD during the flood %.3f s" % t_new)
    check(srv.wait_log(r"closed: evicted: max-startups %d reached"
                       % startups, count=190 + len(more), timeout=10),
          "the flood's oldest connections evicted (max-startups %d)"
          % startups)
    legit("after the flood")
    for s in socks:
        s.close()
    figures.append("flood of 200 handled in %.1f s" % (time.time() - t0))

    # 2. An endless message: 5 MB without an empty line.
    E = Ssh(tmp, port, "lea2")
    E.send(b"ADD DTCP/0.7\r\nCsource-ID: lea2\r\n")
    line = b"X-Pad: " + b"a" * 1000 + b"\r\n"
    stop = threading.Event()

    def endless():
        for _ in range(5000):
            if stop.is_set() or not E.send(line * 1):
                return

    th = threading.Thread(target=endless)
    th.start()
    legit("while another session sends an endless message")
    th.join(60)
    r, _ = E.ask(b"\r\n" + lst("lea2", 3))
    check(r is not None and reply_field(r, "SEQ") == "3",
          "the endless message's empty line ends it; the next is answered")
    check(len(re.findall(r"drop session=ssh-\d+ user=lea2 code=400 "
                         r"rule=DTCP-FRAME-MSG-CAP: .*; 8193 bytes",
                         srv.log())) == 1,
          "the endless message dropped once (400, its first 8193 bytes)")
    E.close()

    # 3. A client that never reads its replies.
    S = Ssh(tmp, port, "lea2", read=False)
    n_req = 6000

    def pump():
        for i in range(n_req):
            if not S.send(lst("lea2", 100 + i)):
                return

    th = threading.Thread(target=pump, daemon=True)
    th.start()
    ok = srv.wait_log(r"closed: client does not read its replies "
                      r"\(\d+ bytes queued, cap %d\)" % queue, timeout=30)
    check(ok, "a client that never reads: dropped over --max-queue %d"
          % queue)
    legit("after the slow reader")
    S.kill()

    hwm = srv.status("VmHWM")
    legit("at the end")
    L.close()
    N.close()
    rc = srv.stop()
    check(rc == 0, "server stops cleanly")
    check(max(lat) < 5, "every legitimate LIST within 5 s (max %.3f s)"
          % max(lat))
    figures.append("peak RSS %d kB (VmHWM)" % hwm)
    figures.append("legitimate LIST max %.3f s" % max(lat))


# --- transcript -------------------------------------------------------------

def strip_log(text, serve_only=("listen", "ssh", "stop")):
    """Kinds and lines both drivers write, without times and the MACs and
    times of replies (TIMESTAMP, LAST-REFRESH and the reply MAC over
    them differ by construction: wall clock against trace time)."""
    out = []
    for line in text.splitlines():
        m = re.match(r"\[\d+\.\d{9} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] "
                     r"(\S+)(.*)$", line)
        if m:
            if m.group(1) in serve_only:
                continue
            # Where a request came from differs by construction: the
            # script line offline, the peer's address live.
            rest = re.sub(r" (script|peer)=\S+", "", m.group(2)) \
                if m.group(1) == "request" else m.group(2)
            out.append(m.group(1) + rest)
            continue
        if re.match(r"  (TIMESTAMP|LAST-REFRESH|AUTHENTICATION-INFO): ",
                    line):
            continue
        out.append(line)
    return out


def transcript(flowtap):
    tmp = tempfile.mkdtemp(prefix="ftserve.")
    try:
        _transcript(flowtap, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish("serve_transcript")


def _transcript(flowtap, tmp):
    msgs = [
        add("verint", 1),
        add("verint", 2, src="10.1.1.0/24", port=1815, proto=17),
        lst("verint", 3),
        message("ADD", [("Csource-ID", "verint"), ("Cdest-ID", "cd9"),
                        ("Source-Port", "23"), ("Protocol", "1"),
                        ("Flags", "STATIC"),
                        ("X-JTap-Cdest-Dest-Address", "192.168.3.2"),
                        ("X-JTap-Cdest-Dest-Port", "1"),
                        ("X-JTap-Cdest-Source-Address", "10.0.0.1"),
                        ("X-JTap-Cdest-Source-Port", "2"), ("Seq", "4")]),
        delete("verint", 5, "1"),
        lst("verint", 5),
        lst("verint", 6, auth="f" * 40),
        lst("lea2", 7),
        message("FROB", [("Csource-ID", "verint"), ("Seq", "8")]),
        message("LIST", [("Csource-ID", "verint"), ("Seq", "9")],
                version="0.9"),
        lst("verint", 10),
    ]
    out = os.path.join(tmp, "live")
    srv = Server(flowtap, out)
    rc, o, e = run_ssh(tmp, srv.port, "verint", data=b"".join(msgs))
    n = o.count(b"\r\n\r\n")
    check(rc == 0 and n == 8,
          "live session: 8 replies to 11 requests (3 dropped), exit 0")
    check(srv.wait_log(r"ssh conn=1 peer=\S+ user=verint: closed: end of "
                       r"input"), "end of input closes the session")
    check(srv.stop() == 0, "server stops cleanly")
    live = srv.log()

    script = os.path.join(tmp, "same.dtcp")
    with open(script, "w") as f:
        f.write("# the live session's messages, as a script\n")
        f.write("@session ssh-1 user=verint password=verint123 "
                "from=127.0.0.1\n")
        for m in msgs:
            f.write(m.decode().replace("\r\n", "\n"))
        f.write("@close\n")
    rout = os.path.join(tmp, "replay")
    p = subprocess.run([flowtap, "replay", "-q", "--trace",
                        os.path.join(ROOT, "traces", "default.pcap"),
                        "--script", script, "--config", ROUTER,
                        "--out", rout], capture_output=True, text=True)
    check(p.returncode == 0, "flowtap replay of the same messages: exit 0 "
          + p.stderr.strip())
    replayed = open(os.path.join(rout, "dtcp.log")).read()
    a, b = strip_log(live), strip_log(replayed)
    same = a == b
    if not same:
        for i, (x, y) in enumerate(zip(a + ["<end>"], b + ["<end>"])):
            if x != y:
                print("first difference, line %d:\n  live:   %r\n  "
                      "replay: %r" % (i + 1, x, y))
                break
    check(same and len(a) > 60,
          "live dtcp.log equals replay's line for line (%d lines compared, "
          "times and reply TIMESTAMP/LAST-REFRESH/AUTHENTICATION-INFO "
          "set aside)" % len(a))
    # The requests, MACs included, are the same bytes in both.
    req = [l for l in a if l.startswith("  Authentication-Info: ")]
    check(len(req) == 11, "the 11 requests' own MAC lines compared as-is")
    # Each request line names its origin: the peer live, the script
    # line offline (issue 10).
    lreq = [l for l in live.splitlines() if "] request " in l]
    rreq = [l for l in replayed.splitlines() if "] request " in l]
    check(len(lreq) == 11 and all(" peer=127.0.0.1 " in l + " "
                                  for l in lreq),
          "every live request line names its peer (peer=127.0.0.1)")
    check(len(rreq) == 11 and all(re.search(r" script=\S+same\.dtcp:\d+",
                                            l) for l in rreq),
          "every replayed request line names its script line")
    # The live transcript judged by flowtap lint: the router's side of
    # every reply agrees with the engine (no DTCP-REPLY-* finding).
    p = subprocess.run([flowtap, "lint", "--config", ROUTER,
                        os.path.join(out, "dtcp.log")],
                       capture_output=True, text=True)
    last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    check(p.returncode == 1 and " DTCP-REPLY-" not in p.stdout and
          "1 file, 11 messages: " in last,
          "flowtap lint of the live dtcp.log: 11 messages judged, nothing "
          "on the router's side (" + last + ")")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("basic", "hostile",
                                                 "transcript"):
        print("usage: servetest.py basic|hostile|transcript FLOWTAP")
        sys.exit(2)
    {"basic": basic, "hostile": hostile,
     "transcript": transcript}[sys.argv[1]](os.path.abspath(sys.argv[2]))


if __name__ == "__main__":
    main()
