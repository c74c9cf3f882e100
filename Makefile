# flowtap - one non-recursive GNU Makefile.
#
#   make run     build, install missing packages (as root), replay the
#                default scenario and print its summary
#   make test    unit tests (cmocka), corpus robustness, determinism
#   make all     build the release variant
#   make asan    build the ASan/UBSan variant
#   make deps    install missing Debian packages (root) or print the apt line
#
# Variants live in build/<variant>/: release (-O2), debug (-O0 -g),
# asan (-fsanitize=address,undefined -fno-sanitize-recover=all).

V ?= release
B := build/$(V)

CC ?= cc
WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla -Wimplicit-fallthrough \
	-fno-common -Werror
CPPFLAGS_COMMON := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -iquote engine
OPT_release := -O2 -g
OPT_debug := -O0 -g
OPT_asan := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
LDOPT_asan := -fsanitize=address,undefined

PKGS := libpcap libcrypto libssh
LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lpcap -lcrypto -lssh) -lcrypt -pthread
TEST_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

CFLAGS_ALL := $(WARN) $(OPT_$(V)) $(CPPFLAGS_COMMON) $(CFLAGS)
LDFLAGS_ALL := $(LDOPT_$(V)) $(LDFLAGS)

ENGINE_SRC := $(filter-out engine/main.c,$(wildcard engine/*.c))
ENGINE_OBJ := $(patsubst engine/%.c,$(B)/engine/%.o,$(ENGINE_SRC))
LIB := $(B)/libflowtap.a
BIN := $(B)/flowtap

UNIT_SRC := $(wildcard suites/unit/test_*.c)
UNIT_BIN := $(patsubst suites/unit/%.c,$(B)/%,$(UNIT_SRC))

HARNESS_SRC := $(filter-out harness/hlib_%.c,$(wildcard harness/*.c))
HARNESS_BIN := $(patsubst harness/%.c,$(B)/%,$(HARNESS_SRC))
HLIB := $(B)/libharness.a

DEB_PKGS := build-essential pkg-config libpcap-dev libssl-dev libssh-dev \
	libcmocka-dev gnuplot-nox tcpreplay tshark libcrypt-dev \
	clang libclang-rt-14-dev iproute2 \
	openssh-client openssh-server python3 libexpect-perl libdigest-hmac-perl \
	freeradius \
	chromium

.PHONY: all run test asan debug deps clean unit-bins suites goldens coverage bench
.PHONY: rules-doc
.PHONY: bench-live

all: $(BIN) $(HARNESS_BIN)

# VERBOSE=1 shows the full commands.
ifeq ($(VERBOSE),1)
Q :=
else
Q := @
endif

$(B)/engine/%.o: engine/%.c $(wildcard engine/*.h) Makefile
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

# The built-in router configuration is this file, embedded (routercfg.c).
$(B)/engine/routercfg.o: fixtures/seed-router.conf

$(LIB): $(ENGINE_OBJ)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(BIN): engine/main.c $(LIB)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS_ALL) $< $(LIB) $(LDFLAGS_ALL) $(LIBS) -o $@

$(B)/test_%: suites/unit/test_%.c suites/unit/testutil.h $(LIB)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS_ALL) -iquote suites/unit $< $(LIB) $(LDFLAGS_ALL) $(LIBS) \
	    $(TEST_LIBS) -o $@

$(B)/%: harness/%.c $(HLIB) $(LIB)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS_ALL) -iquote harness $< $(HLIB) $(LIB) \
	    $(LDFLAGS_ALL) $(LIBS) -o $@

asan:
	@$(MAKE) --no-print-directory V=asan all
debug:
	@$(MAKE) --no-print-directory V=debug all

deps:
	@sh harness/deps.sh $(DEB_PKGS)

# The bundled default scenario: traces/default.pcap (made by
# harness/gentrace.c, committed) and fixtures/default.dtcp.
run: deps
	@$(MAKE) --no-print-directory V=release all
	./build/release/flowtap replay --trace traces/default.pcap \
	    --script fixtures/default.dtcp \
	    --config fixtures/default-router.conf --out build/run
	@echo "outputs: build/run/ (intercept.pcap dtcp.log ledger.tsv report.json rates.csv)"

# Everything the project tests: unit tests under ASan/UBSan, the tcpdump
# corpus under ASan/UBSan, determinism of the default scenario. The last
# line is "N passed, N failed, N skipped" (a check that prints "skipped:"
# counts as skipped, never as passed).
test: deps
	@$(MAKE) --no-print-directory V=asan all unit-bins
	@sh harness/runtests.sh build/asan

unit-bins: $(UNIT_BIN)

# Conformance suites (suites/<area>/<NNN-slug>/): run them, rewrite the
# goldens after an intended change (review them with git diff), or print
# the seed-sentence coverage matrix (committed as docs/coverage.md).
suites: all
	./$(B)/ftharness --flowtap $(B)/flowtap -j 2

goldens: all
	./$(B)/ftharness --flowtap $(B)/flowtap -j 2 --update

coverage: all
	./$(B)/ftharness --coverage > docs/coverage.md

# docs/rules.md is the rule catalogue of engine/rules.c
# (harness/check_lint.sh checks that it is up to date).
rules-doc: $(BIN)
	./$(BIN) lint --rules markdown > docs/rules.md

clean:
	rm -rf build

# libFuzzer targets (suites/fuzz/README.md): clang builds every engine
# source except main.c into build/fuzz/ with the fuzzer, ASan and UBSan,
# then links one binary per suites/fuzz/fuzz_<x>.c. The gcc-built
# libraries are never reused: coverage needs clang's instrumentation.
# harness/check_fuzz.sh (run by `make test`) builds and smoke-runs them.
FUZZ_CC := clang
FUZZ_B := build/fuzz
FUZZ_CFLAGS := $(WARN) -O1 -g -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	$(CPPFLAGS_COMMON)
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined
FUZZ_SRC := $(wildcard suites/fuzz/fuzz_*.c)
FUZZ_BIN := $(patsubst suites/fuzz/%.c,$(FUZZ_B)/%,$(FUZZ_SRC))
FUZZ_OBJ := $(patsubst engine/%.c,$(FUZZ_B)/engine/%.o,$(ENGINE_SRC))

.PHONY: fuzz

# The objects are named here so make keeps them (not intermediate).
fuzz: $(FUZZ_OBJ) $(FUZZ_BIN)

$(FUZZ_B)/engine/%.o: engine/%.c $(wildcard engine/*.h) Makefile
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_B)/fuzz_%: suites/fuzz/fuzz_%.c $(FUZZ_OBJ) $(wildcard engine/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_LDFLAGS) $< $(FUZZ_OBJ) $(LIBS) -o $@

# HLIB: code shared by the harness programs (harness/hlib_*.c, declared in
# harness/hlib.h), archived as $(B)/libharness.a; never part of libflowtap.
HLIB_SRC := $(wildcard harness/hlib_*.c)
HLIB_OBJ := $(patsubst harness/%.c,$(B)/harness/%.o,$(HLIB_SRC))

$(B)/harness/%.o: harness/%.c harness/hlib.h $(wildcard engine/*.h) Makefile
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS_ALL) -iquote harness -c $< -o $@

$(HLIB): $(HLIB_OBJ)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

# The standard benchmark (README "Performance"): 2M generated packets,
# 100 criteria, 4.5 % matching, every measure; then classification
# against the criteria count for the chart build/bench/classify.{png,svg}.
# BENCH_FLAGS=--cpu-clock times with the thread's CPU clock (busy host).
BENCH_DIR := build/bench
BENCH_FLAGS ?=
bench:
	@$(MAKE) --no-print-directory V=release all
	@mkdir -p $(BENCH_DIR)
	./build/release/flowtap bench --packets 2000000 --criteria 100 \
	    --match-rate 0.045 --reps 5 $(BENCH_FLAGS) \
	    --json-file $(BENCH_DIR)/bench.json | tee $(BENCH_DIR)/bench.txt
	./build/release/flowtap bench --packets 50000 --reps 3 $(BENCH_FLAGS) \
	    --sweep 1,10,100,1000,3000 --data $(BENCH_DIR)/classify.dat \
	    --json-file $(BENCH_DIR)/sweep.json > $(BENCH_DIR)/sweep.txt
	gnuplot -e "dat='$(BENCH_DIR)/classify.dat'; out='$(BENCH_DIR)/classify'" \
	    reports/bench.gp
	@echo "bench: $(BENCH_DIR)/bench.txt bench.json classify.png classify.svg"

# Live throughput (docs/dataplane.md, README "Performance"; root, network
# namespaces): tcpreplay at 20 Kpps, 100 Kpps and top speed into
# serve --capture with 100 criteria; the table on stdout and
# build/livebench.json.
bench-live:
	@$(MAKE) --no-print-directory V=release all
	python3 harness/livebench.py ./build/release/flowtap --seconds 5

# make install: the flowtap command, the conformance tools ftharness and
# ftdiff (pktgen, which ftharness runs for generated traces, goes to
# libexec, where the installed ftharness looks for it), the manual page
# and bash completion, from build/$(V). PREFIX (default /usr/local) and
# DESTDIR (a staging root, for packagers) as usual:
#   make install PREFIX=/usr DESTDIR=/tmp/stage
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/flowtap
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL ?= install

.PHONY: install uninstall
install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 755 $(B)/flowtap $(B)/ftharness $(B)/ftdiff \
	    $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 755 $(B)/pktgen $(DESTDIR)$(LIBEXECDIR)/
	$(INSTALL) -m 644 docs/flowtap.1 $(DESTDIR)$(MANDIR)/man1/flowtap.1
	$(INSTALL) -m 644 completion/flowtap.bash \
	    $(DESTDIR)$(BASHCOMPDIR)/flowtap

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/flowtap $(DESTDIR)$(BINDIR)/ftharness \
	    $(DESTDIR)$(BINDIR)/ftdiff $(DESTDIR)$(LIBEXECDIR)/pktgen \
	    $(DESTDIR)$(MANDIR)/man1/flowtap.1 $(DESTDIR)$(BASHCOMPDIR)/flowtap
	-rmdir $(DESTDIR)$(LIBEXECDIR)
