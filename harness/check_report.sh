#!/bin/sh
# check_report.sh BUILD_DIR - `flowtap report` and `replay --report`:
# report.html is self-contained and renders in headless Chromium.
#   1. replay --report of the default scenario (3000 packets, a burst the
#      budget drops): report.html and every chart (PNG and SVG) exist;
#      the page has no script, no http:// or https:// anywhere, every
#      src is a data:image/png URI, and it carries its CSP;
#   2. Chromium (Debian 'chromium', headless) loads it: the DOM has the
#      six charts and the tables; its net log shows no request made by
#      the page (only the browser's own, which name no origin, and the
#      resolver maps every host to nothing so none leaves the machine);
#      a copy of the page with an external image and no CSP must show
#      that request in the net log (the detector works); a screenshot is
#      kept in BUILD_DIR/test-logs/report-shot.png;
#   3. the report is the same bytes when made twice;
#   4. a one-instant trace and a one-hour trace make reports too (the
#      charts' time axis: ms and min).
# Chromium is installed with harness/deps.sh when missing (root); when it
# cannot be, the last line is "skipped: <reason>".
# Last line: "report: N checks ok (...)".
B=${1:-build/asan}
n=0
die() {
	echo "report check: FAIL: $*"
	exit 1
}
ok() {
	n=$((n + 1))
}
for p in flowtap pktgen; do
	[ -x "$B/$p" ] || die "$B/$p not built"
done
command -v gnuplot >/dev/null || die "gnuplot missing (make deps)"
CHROME=$(command -v chromium || command -v chromium-browser)
if [ -z "$CHROME" ]; then
	sh harness/deps.sh chromium >/dev/null 2>&1
	CHROME=$(command -v chromium || command -v chromium-browser)
	[ -n "$CHROME" ] || { echo "skipped: chromium cannot be installed" \
	    "(run 'make deps' as root)"; exit 0; }
fi
command -v python3 >/dev/null || { echo "skipped: python3 missing"; exit 0; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
LOGS=$B/test-logs
mkdir -p "$LOGS"

chrome() {
	# $1: profile name, rest: chromium arguments
	prof=$1
	shift
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --host-resolver-rules="MAP * ~NOTFOUND" \
	    --user-data-dir="$T/$prof" "$@" 2>>"$T/chrome.err"
}

# 1. The default scenario with --report.
"$B/flowtap" replay -q --trace traces/default.pcap \
    --script fixtures/default.dtcp --config fixtures/default-router.conf \
    --out "$T/run" --report >/dev/null || die "replay --report failed"
H=$T/run/report.html
[ -s "$H" ] || die "no report.html"
for c in ingress egress bytes csources criteria drops; do
	for x in png svg gp dat; do
		[ "$x" = dat ] && [ "$c" != csources ] && [ "$c" != criteria ] &&
		    [ "$c" != drops ] && continue
		[ -s "$T/run/charts/$c.$x" ] || die "charts/$c.$x missing"
	done
	grep -q "id=\"chart-$c\"" "$H" || die "chart $c not in the page"
done
ok
grep -qi '<script' "$H" && die "report.html has a script"
grep -Eq 'https?://' "$H" && die "report.html names an http(s) URL"
[ "$(grep -o ' src="[^"]*' "$H" | grep -vc '^ src="data:image/png;base64,')" \
    -eq 0 ] || die "a src that is not a data:image/png URI"
grep -o ' href="[^"]*' "$H" | grep -v '^ href="#' | grep -q . &&
    die "an href outside the page"
grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$H" ||
    die "no CSP"
ok

# 2. Chromium renders it; the page requests nothing.
chrome p1 --log-net-log="$T/net.json" --dump-dom "file://$H" \
    >"$T/dom.html" || die "chromium --dump-dom failed (see $T/chrome.err)"
python3 - "$T/dom.html" <<'PY' || die "the rendered DOM lacks charts or tables"
import re, sys
dom = open(sys.argv[1]).read()
need = ["chart-" + c for c in
        ("ingress", "egress", "bytes", "csources", "criteria", "drops")]
need += ["totals-table", "dtcp-replies", "dtcp-requests", "inputs",
         "verdict"]
miss = [i for i in need if ('id="%s"' % i) not in dom]
imgs = re.findall(r'<img [^>]*src="data:image/png;base64,', dom)
tables = dom.count("<table")
if miss or len(imgs) != 6 or tables < 7 or "verint" not in dom:
    print("missing ids %s, %d images, %d tables" % (miss, len(imgs), tables))
    sys.exit(1)
PY
ok
netcheck() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
types = {v: k for k, v in d["constants"]["logEventTypes"].items()}
page = set()
for e in d["events"]:
    p = e.get("params", {})
    if types.get(e["type"]) == "URL_REQUEST_START_JOB" and \
            "url" in p and p.get("initiator") != "not an origin":
        page.add(p.get("url"))
for u in sorted(page):
    print(u)
PY
}
[ -z "$(netcheck "$T/net.json")" ] ||
    die "the page made requests: $(netcheck "$T/net.json" | head -3)"
# The detector sees a request when there is one.
sed -e 's|<meta http-equiv="Content-Security-Policy"[^>]*>||' \
    -e 's|<body>|<body><img src="http://192.0.2.1/x.png" alt="probe">|' \
    "$H" >"$T/probe.html"
chrome p2 --log-net-log="$T/net2.json" --dump-dom "file://$T/probe.html" \
    >/dev/null || die "chromium failed on the probe page"
netcheck "$T/net2.json" | grep -q '192.0.2.1' ||
    die "the net log check missed a request the probe page made"
ok
chrome p3 --window-size=1200,5200 --screenshot="$LOGS/report-shot.png" \
    "file://$H" >/dev/null || die "chromium --screenshot failed"
[ "$(wc -c <"$LOGS/report-shot.png")" -gt 50000 ] ||
    die "the screenshot is nearly empty"
ok

# 3. The same bytes twice.
"$B/flowtap" report -q --out "$T/again" "$T/run" || die "report failed"
cmp -s "$H" "$T/again/report.html" || die "report.html differs on a rerun"
for c in ingress egress bytes csources criteria drops; do
	cmp -s "$T/run/charts/$c.png" "$T/again/charts/$c.png" ||
	    die "charts/$c.png differs on a rerun"
done
ok

# 4. One instant, and one hour (a packet a second, a burst at 30 min).
cat >"$T/dtcp" <<'D'
ADD DTCP/0.7
Csource-ID: verint
Cdest-ID: cd1
Protocol: 17
Flags: STATIC
X-JTap-Cdest-Dest-Address: 192.168.3.2
X-JTap-Cdest-Dest-Port: 1814
X-JTap-Cdest-Source-Address: 10.209.75.199
X-JTap-Cdest-Source-Port: 65534
Seq: 1
Authentication-Info: auto

D
printf 'repeat 2001 every 0 0 ipv4 1.2.3.4 > 3.4.5.6 udp 1000 > 2000\n' \
    >"$T/instant.txt"
printf '%s\n%s\n%s\n' \
    'repeat 1800 every 1 0 ipv4 1.2.3.4 > 3.4.5.6 udp 1000 > 2000' \
    'repeat 3000 every 0.00001 1800.5 ipv4 1.2.3.4 > 3.4.5.6 udp 1000 > 2000' \
    'repeat 1800 every 1 1801 ipv4 1.2.3.4 > 3.4.5.6 udp 1000 > 2000' \
    >"$T/hour.txt"
for t in instant hour; do
	"$B/pktgen" "$T/$t.txt" "$T/$t.pcap" >/dev/null || die "pktgen $t"
	"$B/flowtap" replay -q --trace "$T/$t.pcap" --script "$T/dtcp" \
	    --out "$T/$t" --report >/dev/null || die "replay --report ($t)"
	[ -s "$T/$t/report.html" ] && [ -s "$T/$t/charts/ingress.png" ] ||
	    die "no report for the $t trace"
done
grep -q 'time since the first packet (ms)' "$T/instant/charts/ingress.gp" ||
    die "one instant: the time axis is not in ms"
grep -q 'time since the first packet (min)' "$T/hour/charts/ingress.gp" ||
    die "one hour: the time axis is not in minutes"
[ "$(grep -vc '^#' "$T/hour/charts/rates.dat")" -le 1200 ] ||
    die "one hour: more than 600 points"
cp "$T/instant/charts/ingress.png" "$LOGS/report-instant-ingress.png"
cp "$T/hour/charts/ingress.png" "$LOGS/report-hour-ingress.png"
ok
echo "report: $n checks ok (charts and tables rendered by chromium, nothing loaded from outside)"
