#!/bin/sh
# check_install.sh BUILD_DIR - 'make install' with PREFIX and DESTDIR
# stages the binaries, pktgen in libexec, the manual page and the bash
# completion; the staged flowtap runs, 'man -l' renders the page with
# every subcommand, the completion completes; the staged ftharness runs a
# suite of one's own from another folder, finding pktgen in libexec.
# Last line: "install: N checks ok".
B=${1:-build/asan}
V=$(basename "$B")
n=0
die() {
	echo "install: FAIL: $*"
	exit 1
}
ok() {
	n=$((n + 1))
}
T=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
D=$T/stage
P=/opt/flowtap-test

# 1. The staged tree.
make --no-print-directory -s install V="$V" PREFIX=$P DESTDIR="$D" \
    >"$T/make.out" 2>&1 || { cat "$T/make.out"; die "make install"; }
for f in bin/flowtap bin/ftharness bin/ftdiff libexec/flowtap/pktgen; do
	[ -x "$D$P/$f" ] || die "$P/$f not installed (or not executable)"
done
for f in share/man/man1/flowtap.1 share/bash-completion/completions/flowtap; do
	[ -f "$D$P/$f" ] || die "$P/$f not installed"
done
[ -z "$(find "$D" -path "$D$P" -prune -o -type f -print)" ] ||
    die "files outside PREFIX: $(find "$D" -path "$D$P" -prune -o -type f -print)"
"$D$P/bin/flowtap" version | grep -q '^flowtap [0-9]' ||
    die "installed flowtap does not run"
ok

# 2. The manual page: every subcommand has its section.
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man -l "$D$P/share/man/man1/flowtap.1" >"$T/man.txt" \
	    2>"$T/man.err" || die "man -l: $(cat "$T/man.err")"
	for c in replay serve client plan report bench; do
		grep -q "^   flowtap $c" "$T/man.txt" ||
		    die "the manual page has no section for $c"
	done
	grep -q -- '--strict' "$T/man.txt" || die "the manual page lacks --strict"
	ok
else
	echo "man not installed: the manual page was not rendered"
fi

# 3. The completion completes subcommands and values.
if command -v bash >/dev/null 2>&1; then
	out=$(PATH="$D$P/bin:$PATH" bash -c '
	    . "$1"
	    COMP_WORDS=(flowtap rep); COMP_CWORD=1; _flowtap; echo "${COMPREPLY[*]}"
	    COMP_WORDS=(flowtap replay --str); COMP_CWORD=2; _flowtap
	    echo "${COMPREPLY[*]}"
	    COMP_WORDS=(flowtap replay --profile j); COMP_CWORD=3; _flowtap
	    echo "${COMPREPLY[*]}"' _ "$D$P/share/bash-completion/completions/flowtap")
	[ "$out" = "replay report
--strict
junos" ] || die "bash completion: $out"
	ok
fi

# 4. The installed ftharness, from another folder, on a suite of one's
# own with a generated trace: flowtap beside it, pktgen in libexec.
S=$T/mine/suite/lea/001-udp
mkdir -p "$S" "$T/elsewhere"
cat >"$S/manifest" <<'EOF'
purpose: one UDP packet to one content destination
trace: gen packets.txt
EOF
echo '0 ipv4 192.0.2.10 > 192.0.2.20 udp 1234 > 5678 payload=2' \
    >"$S/packets.txt"
cat >"$S/case.dtcp" <<'EOF'
ADD DTCP/0.7
Csource-ID: verint
Cdest-ID: cd1
Protocol: 17
Flags: STATIC
X-JTap-Cdest-Dest-Address: 192.0.2.1
X-JTap-Cdest-Dest-Port: 30030
X-JTap-Cdest-Source-Address: 192.0.2.254
X-JTap-Cdest-Source-Port: 49153
Seq: auto
Authentication-Info: auto
EOF
(cd "$T/elsewhere" && PATH=/usr/bin:/bin "$D$P/bin/ftharness" \
    --suites ../mine/suite --no-xcheck --update) >"$T/h.out" 2>&1 ||
    { cat "$T/h.out"; die "installed ftharness --update"; }
(cd "$T/elsewhere" && PATH=/usr/bin:/bin "$D$P/bin/ftharness" \
    --suites ../mine/suite --no-xcheck) >"$T/h2.out" 2>&1 ||
    { cat "$T/h2.out"; die "installed ftharness"; }
[ "$(tail -1 "$T/h2.out")" = "1 passed, 0 failed" ] ||
    die "installed ftharness: $(tail -1 "$T/h2.out")"
ok

# 5. uninstall removes what install put there.
make --no-print-directory -s uninstall V="$V" PREFIX=$P DESTDIR="$D" \
    >"$T/make.out" 2>&1 || { cat "$T/make.out"; die "make uninstall"; }
[ -z "$(find "$D" -type f)" ] || die "left after uninstall: $(find "$D" -type f)"
ok

echo "install: $n checks ok"
