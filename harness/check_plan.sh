#!/bin/sh
# check_plan.sh BUILD_DIR - `flowtap plan` predicts the drops `flowtap
# replay` makes: for every suites/budget case, the trace is generated
# from its packets.txt, replayed with the case's options, and planned
# with the same options; the planner's predicted ingress and egress drops
# (and drops by cause) must equal report.json's, its exit status must be
# 3 when anything is dropped and 0 otherwise, its verdict and first
# drop must agree, and it must name criteria to narrow when over budget.
# Last line: "plan: N budget cases, predicted drops = replay drops".
B=${1:-build/asan}
for p in flowtap pktgen; do
	[ -x "$B/$p" ] || { echo "plan check: $B/$p not built"; exit 1; }
done
command -v python3 >/dev/null || { echo "skipped: python3 missing"; exit 0; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM

n=0
for d in suites/budget/*/; do
	c=$(basename "$d")
	[ -f "$d/packets.txt" ] || continue
	opts=$(sed -n 's/^options: //p' "$d/manifest")
	cfg=$(sed -n 's/^config: //p' "$d/manifest")
	[ -n "$cfg" ] && [ "$cfg" != seed ] && opts="$opts --config $d/$cfg"
	"$B/pktgen" "$d/packets.txt" "$T/$c.pcap" >/dev/null ||
	    { echo "plan check: $c: pktgen failed"; exit 1; }
	# shellcheck disable=SC2086
	"$B/flowtap" replay -q --trace "$T/$c.pcap" --script "$d/case.dtcp" \
	    --out "$T/$c.out" $opts ||
	    { echo "plan check: $c: replay failed"; exit 1; }
	# shellcheck disable=SC2086
	"$B/flowtap" plan --trace "$T/$c.pcap" --script "$d/case.dtcp" \
	    --json $opts >"$T/$c.plan.json"
	st=$?
	python3 - "$T/$c.out/report.json" "$T/$c.plan.json" "$st" "$c" <<'PY' ||
import json, sys
rep = json.load(open(sys.argv[1]))
plan = json.load(open(sys.argv[2]))
st, case = int(sys.argv[3]), sys.argv[4]
bad = []
for d in ("ingress", "egress"):
    r, p = rep[d], plan["predicted"][d]
    for k in ("offered", "passed", "dropped"):
        if r[k] != p[k]:
            bad.append("%s %s: replay %d, plan %d" % (d, k, r[k], p[k]))
    if r["dropped_by_cause"] != p["dropped_by_cause"]:
        bad.append("%s drops by cause: replay %s, plan %s" %
                   (d, r["dropped_by_cause"], p["dropped_by_cause"]))
dropped = rep["ingress"]["dropped"] + rep["egress"]["dropped"]
if st != (3 if dropped else 0):
    bad.append("exit status %d with %d drops" % (st, dropped))
if plan["predicted"]["verdict"] != rep["budget"]["verdict"]:
    bad.append("verdict: replay %s, plan %s" %
               (rep["budget"]["verdict"], plan["predicted"]["verdict"]))
fd, fp = rep["budget"]["first_drop"], plan["predicted"]["first_exceeded"]
if fd != fp:
    bad.append("first drop: replay %s, plan %s" % (fd, fp))
if dropped and not plan["narrow_first"]["found"]:
    bad.append("no criteria to narrow found")
for b in bad:
    print("plan check: %s: %s" % (case, b))
sys.exit(1 if bad else 0)
PY
	    exit 1
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "plan check: no budget case"; exit 1; }
echo "plan: $n budget cases, predicted drops = replay drops"
