#!/usr/bin/env python3
"""RADIUS logins against real FreeRADIUS servers (issue 14, docs/serve.md).

Run by harness/check_radius.sh:

    radiustest.py FLOWTAP

Two FreeRADIUS 3.2 servers (Debian's `freeradius`) are started in the
foreground on free loopback ports (127.0.0.1 and 127.0.0.2) from a copy of
/etc/freeradius/3.0 made here (reference: shared/reference/
freeradius-notes.md): the listen sections replaced, inner-tunnel removed,
reject_delay 0, clients.conf for 127.0.0.0/8 with
require_message_authenticator = yes (so every request flowtap sends must
carry a valid Message-Authenticator), the users in mods-config/files/
authorize. Then `flowtap serve` with fixtures/radius-router.conf (ports
and secret rewritten), OpenSSH's ssh as the mediation device, and
`flowtap replay --radius`. Prints "skipped: ..." only when FreeRADIUS is
not installed or cannot start.
"""

import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import servetest as st  # noqa: E402

ROUTER = os.path.join(ROOT, "fixtures", "radius-router.conf")
SECRET = "s3cret-Li"
RADDB = "/etc/freeradius/3.0"

# The RADIUS side of the users (fixtures/radius-router.conf has the rest).
USERS = """\
Bob Cleartext-Password := "abc123"
\tJuniper-User-Permissions = "flow-tap-operation"

carol Cleartext-Password := "carol123"

dave Cleartext-Password := "dave123"

eve Cleartext-Password := "eve123"
\tJuniper-Local-User-Name = "litemplate"

frank Cleartext-Password := "frank123"
\tJuniper-User-Permissions = "flow-tap-operation configure"

ghost Cleartext-Password := "ghost123"
\tJuniper-Local-User-Name = "nosuchuser",
\tJuniper-User-Permissions = "flow-tap-operation"
"""


def skip(why):
    print("skipped: " + why)
    sys.exit(0)


def free_udp_port(addr):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def replace_listens(text, listen):
    """Drop every top-level-of-server `listen { }` section; put ours at
    the first one (inside `server default { }`)."""
    out, i, first = [], 0, True
    while True:
        m = re.search(r"(?m)^listen\s*\{", text[i:])
        if not m:
            out.append(text[i:])
            return "".join(out)
        s = i + m.start()
        out.append(text[i:s])
        if first:
            out.append(listen)
            first = False
        j, depth = i + m.end(), 1
        while depth:
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
            j += 1
        i = j


class Radiusd:
    """One FreeRADIUS in the foreground from a generated folder."""

    def __init__(self, tmp, name, addr, port):
        self.addr, self.port = addr, port
        self.dir = os.path.join(tmp, name)
        shutil.copytree(RADDB, self.dir, symlinks=True)
        inner = os.path.join(self.dir, "sites-enabled", "inner-tunnel")
        if os.path.lexists(inner):
            os.unlink(inner)
        site = os.path.join(self.dir, "sites-enabled", "default")
        text = open(os.path.realpath(site)).read()
        os.unlink(site)
        listen = ("listen {\n\ttype = auth\n\tipaddr = %s\n\tport = %d\n}\n"
                  % (addr, port))
        open(site, "w").write(replace_listens(text, listen))
        conf = os.path.join(self.dir, "radiusd.conf")
        text = open(conf).read()
        text = re.sub(r"(?m)^(\s*)reject_delay = \S+", r"\1reject_delay = 0",
                      text)
        run = os.path.join(self.dir, "run")
        os.mkdir(run)
        text = re.sub(r"(?m)^run_dir = .*$", "run_dir = " + run, text)
        text = re.sub(r"(?m)^logdir = .*$", "logdir = " + run, text)
        open(conf, "w").write(text)
        open(os.path.join(self.dir, "clients.conf"), "w").write(
            "client loopback {\n\tipaddr = 127.0.0.0/8\n\tsecret = %s\n"
            "\trequire_message_authenticator = yes\n}\n" % SECRET)
        open(os.path.join(self.dir, "mods-config", "files", "authorize"),
             "w").write(USERS)
        # radiusd reads as freerad once it has dropped privileges.
        for root, dirs, files in os.walk(self.dir):
            os.chmod(root, 0o755)
            for f in files:
                p = os.path.join(root, f)
                if not os.path.islink(p):
                    os.chmod(p, 0o644)
        try:
            import pwd
            fr = pwd.getpwnam("freerad")
            os.chown(run, fr.pw_uid, fr.pw_gid)
        except (KeyError, PermissionError):
            os.chmod(run, 0o777)
        self.log = os.path.join(tmp, name + ".log")
        self.p = None

    def start(self):
        # The log is appended to across restarts: only what this start
        # writes may say it is ready (an earlier start's "Ready" line
        # made a restarted server look ready before it was).
        before = len(self.text())
        logf = open(self.log, "a")
        self.p = subprocess.Popen(
            [FREERADIUS, "-f", "-d", self.dir, "-l", "stdout"],
            stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
            start_new_session=True)
        logf.close()
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.p.poll() is not None:
                return False
            if "Ready to process requests" in self.text()[before:]:
                return True
            time.sleep(0.05)
        return False

    def text(self):
        try:
            return open(self.log, errors="replace").read()
        except FileNotFoundError:
            return ""

    def stop(self):
        if self.p is not None and self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.p = None


def router_conf(tmp, name, ports, secrets=(SECRET, SECRET),
                order="[ radius password ]"):
    text = open(ROUTER).read()
    parts = text.split("radius-server ")
    # parts[1] is 127.0.0.1's block, parts[2] 127.0.0.2's.
    for k in (1, 2):
        parts[k] = parts[k].replace("port 1812;", "port %d;" % ports[k - 1],
                                    1)
        parts[k] = parts[k].replace('secret "testing123";',
                                    'secret "%s";' % secrets[k - 1], 1)
    text = "radius-server ".join(parts)
    text = text.replace("authentication-order [ radius password ];",
                        "authentication-order %s;" % order)
    path = os.path.join(tmp, name)
    open(path, "w").write(text)
    return path


def login_lines(srv, user):
    return re.findall(r"ssh conn=\d+ peer=\S+ user=%s: login .*" %
                      re.escape(user), srv.log())


def login(tmp, srv, user, password, seq=1):
    """ssh -s flow-tap-dtcp as user: (ssh exit, first reply or None).
    Returns once serve has logged the login too: ssh may exit on a
    refusal before serve's loop has flushed its transcript."""
    n0 = len(login_lines(srv, user))
    s = st.Ssh(tmp, srv.port, user, password)
    r, _ = s.ask(st.lst(user, seq), timeout=15)
    rc = s.close(15)
    deadline = time.time() + 5
    while len(login_lines(srv, user)) <= n0 and time.time() < deadline:
        time.sleep(0.02)
    return rc, r


def last_login_line(srv, user):
    lines = login_lines(srv, user)
    return lines[-1] if lines else ""


class FakeRadius:
    """Answers every Access-Request with an Access-Accept granting
    flow-tap-operation whose Response Authenticator is not computed with
    the shared secret: what a forger (or a server with another secret)
    sends. radcli 1.2.11 (Debian 12) believes it; flowtap must not."""

    def __init__(self, addr):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.bind((addr, 0))
        self.port = self.s.getsockname()[1]
        self.s.settimeout(0.2)
        self.got = 0
        self.stopping = False
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        while not self.stopping:
            try:
                data, peer = self.s.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            self.got += 1
            vsa = struct.pack("!I", 2636) + bytes([10, 20]) + \
                b"flow-tap-operation"
            attr = bytes([26, 2 + len(vsa)]) + vsa
            pkt = bytes([2, data[1]]) + struct.pack("!H", 20 + len(attr)) + \
                os.urandom(16) + attr
            self.s.sendto(pkt, peer)

    def stop(self):
        self.stopping = True
        self.t.join(2)
        self.s.close()


def main():
    global FREERADIUS
    if len(sys.argv) != 2:
        print("usage: radiustest.py FLOWTAP")
        sys.exit(2)
    flowtap = os.path.abspath(sys.argv[1])
    FREERADIUS = shutil.which("freeradius") or shutil.which("radiusd")
    if FREERADIUS is None and os.path.exists("/usr/sbin/freeradius"):
        FREERADIUS = "/usr/sbin/freeradius"
    if FREERADIUS is None or not os.path.isdir(RADDB):
        skip("FreeRADIUS is not installed (Debian freeradius)")
    tmp = tempfile.mkdtemp(prefix="ftradius.")
    os.chmod(tmp, 0o755)
    servers = []
    try:
        servers = [Radiusd(tmp, "radA", "127.0.0.1",
                           free_udp_port("127.0.0.1")),
                   Radiusd(tmp, "radB", "127.0.0.2",
                           free_udp_port("127.0.0.2"))]
        for r in servers:
            if not r.start():
                skip("FreeRADIUS cannot start: " +
                     " | ".join(r.text().strip().splitlines()[-3:]))
        run(flowtap, tmp, servers)
    finally:
        for r in servers:
            r.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    st.finish("radius")


def run(flowtap, tmp, servers):
    A, B = servers
    ports = (A.port, B.port)
    t0 = time.time()
    cfg = router_conf(tmp, "router.conf", ports)
    out = os.path.join(tmp, "serve")
    srv = st.Server(flowtap, out, config=cfg,
                    state=os.path.join(tmp, "state"))
    st.check(srv.wait_log(r"listen radius servers=2: a login waits at most "
                          r"3 s"), "serve says how long a login can wait "
             "for RADIUS (1x1 + 1x2 s)")

    # The seed's Bob: only on RADIUS, flow-tap-operation from RADIUS.
    rc, r = login(tmp, srv, "Bob", "abc123")
    st.check(rc == 0 and r is not None and st.reply_code(r) == 200,
             "Bob (RADIUS only, Juniper-User-Permissions = "
             "flow-tap-operation): subsystem granted, LIST 200")
    line = last_login_line(srv, "Bob")
    st.check(("login admitted by radius: radius 127.0.0.1:%d accepted, "
              "account remote, permissions [flow-tap flow-tap-operation "
              "view]" % A.port) in line,
             "... through template user remote; its class's bits joined "
             "with RADIUS' (%s)" % line.split(": login ")[-1])
    st.check(re.search(r"open session=ssh-\d+ user=Bob: from 127\.0\.0\.1; "
                       r"admitted by radius", srv.log()) is not None,
             "... the session's open line names the method")
    # Message-Authenticator: radA requires it, so Bob's login proves it
    # was there and right; the debug-free log has no complaint either.
    st.check("Message-Authenticator" not in A.text(),
             "FreeRADIUS (require_message_authenticator = yes) took the "
             "request: Message-Authenticator present and valid")

    rc, r = login(tmp, srv, "Bob", "wrong")
    st.check(rc == 255 and r is None, "Bob with a wrong password: refused "
             "(ssh exit 255)")
    st.check(("login refused: radius 127.0.0.1:%d rejected; password: no "
              "local user 'Bob'" % A.port) in last_login_line(srv, "Bob"),
             "... logged: RADIUS rejected, no local password to fall back on")

    rc, r = login(tmp, srv, "carol", "carol123")
    st.check(rc != 0 and r is None and
             srv.wait_log(r"user=carol: subsystem 'flow-tap-dtcp' \(user "
                          r"'carol' lacks flow-tap-operation\) refused"),
             "carol (RADIUS, no Juniper-User-Permissions; remote's class "
             "has none): subsystem refused and logged")

    rc, r = login(tmp, srv, "dave", "dave123")
    st.check(rc == 0 and r is not None and st.reply_code(r) == 200 and
             "account dave, permissions [flow-tap-operation]" in
             last_login_line(srv, "dave"),
             "dave (flow-tap-operation in his local class, not on RADIUS, "
             "no local password): subsystem granted")

    rc, r = login(tmp, srv, "eve", "eve123")
    st.check(rc == 0 and r is not None and st.reply_code(r) == 200 and
             "account litemplate, permissions [flow-tap-operation]" in
             last_login_line(srv, "eve"),
             "eve (Juniper-Local-User-Name = litemplate): that template's "
             "class, subsystem granted")

    rc, r = login(tmp, srv, "frank", "frank123")
    st.check(rc == 0 and r is not None and st.reply_code(r) == 200 and
             "account frank, permissions [flow-tap-operation admin "
             "configure system]" in last_login_line(srv, "frank"),
             "frank, the seed's worked example: RADIUS 'flow-tap-operation "
             "configure' + class [admin system] = all four")

    rc, r = login(tmp, srv, "ghost", "ghost123")
    st.check(rc == 255 and "Juniper-Local-User-Name 'nosuchuser' is not a "
             "configured user" in last_login_line(srv, "ghost"),
             "a Juniper-Local-User-Name that is not configured: refused")

    rc, r = login(tmp, srv, "verint", "verint123")
    st.check(rc == 0 and r is not None and st.reply_code(r) == 200 and
             ("radius 127.0.0.1:%d rejected; password accepted" % A.port)
             in last_login_line(srv, "verint"),
             "verint (local only): RADIUS rejects, the local password "
             "admits (authentication-order [ radius password ])")

    # A DTCP session of a RADIUS user: ADD, LIST, its criteria its own.
    s = st.Ssh(tmp, srv.port, "Bob", "abc123")
    r1, _ = s.ask(st.add("Bob", 10))
    r2, _ = s.ask(st.lst("Bob", 11))
    s.close()
    st.check(r1 is not None and st.reply_code(r1) == 200 and
             st.reply_mac_ok(r1) and r2 is not None and
             st.reply_field(r2, "CRITERIA-COUNT") == "1",
             "Bob's ADD 200 (reply MAC verifies), LIST shows it")

    # Failover: radA down; then both down.
    A.stop()
    t = time.time()
    rc, r = login(tmp, srv, "Bob", "abc123", seq=20)
    line = last_login_line(srv, "Bob")
    st.check(rc == 0 and r is not None and st.reply_code(r) == 200 and
             ("radius 127.0.0.2:%d accepted" % B.port) in line,
             "radA down: Bob admitted by the second server (%.1f s)" %
             (time.time() - t))
    st.check(("radius 127.0.0.1:%d: port unreachable" % A.port) in line or
             ("radius 127.0.0.1:%d: no reply" % A.port) in line,
             "... the first server's failure logged (%s)" %
             line.split(": login ")[-1][:90])
    B.stop()
    rc, r = login(tmp, srv, "Bob", "abc123", seq=30)
    line = last_login_line(srv, "Bob")
    st.check(rc == 255 and "password: no local user 'Bob'" in line,
             "both down: Bob (RADIUS only) refused (ssh %d: %s)" %
             (rc, line.split(": login ")[-1][:120]))
    rc, r = login(tmp, srv, "verint", "verint123", seq=31)
    line = last_login_line(srv, "verint")
    st.check(rc == 0 and r is not None and st.reply_code(r) == 200 and
             "radius 127.0.0.2" in line and "password accepted" in line,
             "both down: verint admitted by the local password "
             "([ radius password ] allows it)")
    st.check(srv.stop() == 0, "serve stops (SIGTERM, exit 0)")

    # authentication-order radius alone: no fallback to local passwords.
    cfg2 = router_conf(tmp, "radius-only.conf", ports, order="radius")
    out2 = os.path.join(tmp, "serve2")
    srv = st.Server(flowtap, out2, config=cfg2,
                    state=os.path.join(tmp, "state"))
    rc, r = login(tmp, srv, "verint", "verint123")
    line = last_login_line(srv, "verint")
    st.check(rc == 255 and "login refused" in line and
             "password" not in line.split(": login ")[-1],
             "authentication-order radius, servers down: verint's local "
             "password is not tried, refused")
    A.start()
    B.start()
    rc, r = login(tmp, srv, "verint", "verint123")
    st.check(rc == 255 and ("radius 127.0.0.1:%d rejected" % A.port) in
             last_login_line(srv, "verint"),
             "authentication-order radius, servers up: RADIUS' reject is "
             "final")
    rc, r = login(tmp, srv, "Bob", "abc123")
    st.check(rc == 0 and r is not None and st.reply_code(r) == 200,
             "... and Bob gets in")
    srv.stop()

    # A wrong shared secret: FreeRADIUS drops the request (its
    # Message-Authenticator does not verify) and says so; flowtap gets no
    # reply from that server, logs it and fails over.
    cfg3 = router_conf(tmp, "badsecret.conf", ports,
                       secrets=("not-the-secret", SECRET))
    out3 = os.path.join(tmp, "serve3")
    srv = st.Server(flowtap, out3, config=cfg3,
                    state=os.path.join(tmp, "state"))
    rc, r = login(tmp, srv, "Bob", "abc123")
    line = last_login_line(srv, "Bob")
    st.check(rc == 0 and ("radius 127.0.0.1:%d: no reply after 1 attempt "
                          "of 1 s" % A.port) in line and "wrong shared "
             "secret" in line and ("radius 127.0.0.2:%d accepted" % B.port)
             in line,
             "wrong shared secret on the first server: no reply (logged "
             "with the likely cause), the second admits Bob")
    time.sleep(0.2)
    st.check("Shared secret is incorrect" in A.text(),
             "... FreeRADIUS logged it: 'Shared secret is incorrect'")
    srv.stop()

    # A reply that does not verify is never believed (radcli 1.2.11 does).
    fake = FakeRadius("127.0.0.1")
    cfg4 = router_conf(tmp, "forged.conf", (fake.port, B.port),
                       order="radius")
    text = open(cfg4).read().replace("retry 2;", "retry 1;")
    text = re.sub(r"radius-server 127\.0\.0\.2 \{.*?\n    \}\n", "", text,
                  flags=re.S)
    open(cfg4, "w").write(text)
    out4 = os.path.join(tmp, "serve4")
    srv = st.Server(flowtap, out4, config=cfg4,
                    state=os.path.join(tmp, "state"))
    rc, r = login(tmp, srv, "mallory", "x")
    line = last_login_line(srv, "mallory")
    st.check(fake.got >= 1 and rc == 255 and "login refused" in line and
             "Response Authenticator does not verify (wrong shared "
             "secret?)" in line,
             "an Access-Accept whose Response Authenticator does not "
             "verify (a forgery, or another secret): refused, logged as such")
    srv.stop()
    fake.stop()

    # Replay: @session through the same code with --radius; without it,
    # local users only (deterministic).
    replay_checks(flowtap, tmp, cfg)

    logs = "".join(open(os.path.join(d, "dtcp.log")).read()
                   for d in (out, out2, out3, out4))
    secrets = [SECRET, "not-the-secret", "abc123", "carol123", "dave123",
               "eve123", "frank123", "verint123"]
    st.check(not [x for x in secrets if x in logs],
             "no password or shared secret in any dtcp.log")
    st.figures.append("%.1f s" % (time.time() - t0))


def replay_checks(flowtap, tmp, cfg):
    script = os.path.join(tmp, "radius.dtcp")
    msg = st.lst("Bob", 1, lf=True).decode() + \
        st.lst("verint", 1, lf=True).decode()
    bob, verint = msg.split("\n\n")[0], msg.split("\n\n")[1]
    open(script, "w").write(
        "@session b user=Bob password=abc123 from=192.0.2.7\n" + bob +
        "\n\n@session c user=carol password=carol123\n"
        "@session w user=Bob password=wrong\n"
        "@session v user=verint password=verint123\n" + verint + "\n\n")
    trace = os.path.join(ROOT, "traces", "default.pcap")

    def replay(name, extra):
        o = os.path.join(tmp, name)
        p = subprocess.run([flowtap, "replay", "-q", "--trace", trace,
                            "--script", script, "--config", cfg, "--out", o]
                           + extra, capture_output=True, text=True)
        log = open(os.path.join(o, "dtcp.log")).read() \
            if os.path.exists(os.path.join(o, "dtcp.log")) else ""
        return p, log

    p, log = replay("replay-radius", ["--radius"])
    st.check(p.returncode == 0, "replay --radius: exit 0 " + p.stderr.strip())
    st.check(re.search(r"open session=b user=Bob: from 192\.0\.2\.7; "
                       r"admitted by radius \(radius 127\.0\.0\.1:\d+ "
                       r"accepted, account remote", log) is not None,
             "replay --radius: @session Bob admitted by radius (logged)")
    st.check(re.search(r"reply session=b user=Bob code=200", log) is not None,
             "... and his LIST answered 200")
    st.check(re.search(r"open session=c user=carol: admitted by radius", log)
             is not None, "... carol admitted (her messages would be "
             "dropped 499: no flow-tap-operation)")
    st.check(re.search(r"refuse session=w user=Bob: authentication failed "
                       r"\(radius 127\.0\.0\.1:\d+ rejected; password: no "
                       r"local user 'Bob'\)", log) is not None,
             "... Bob with a wrong password refused, the methods logged")
    st.check(re.search(r"open session=v user=verint: admitted by password",
                       log) is not None,
             "... verint admitted by password after RADIUS' reject")
    st.check("abc123" not in log and SECRET not in log and
             "verint123" not in log, "... no password or secret in it")

    p, log = replay("replay-local", [])
    st.check(p.returncode == 0 and
             re.search(r"refuse session=b user=Bob: authentication failed "
                       r"for user 'Bob'", log) is not None and
             re.search(r"open session=v user=verint\n", log) is not None and
             "admitted by" not in log and "radius 127." not in log,
             "replay without --radius: local users only, no server asked, "
             "the transcript as before")


if __name__ == "__main__":
    main()
