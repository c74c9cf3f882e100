/*
 * main.c - the flowtap command: git-style subcommands, each with --help.
 * Exit status: 0 done, 1 failure (one line on stderr), 2 bad usage.
 */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "budget.h"
#include "client.h"
#include "deliver.h"
#include "err.h"
#include "limits.h"
#include "lint.h"
#include "num.h"
#include "plan.h"
#include "replay.h"
#include "reportgen.h"
#include "sink.h"
#include "serve.h"
#include "tasking.h"
#include "version.h"

#define FLOWTAP_VERSION FT_VERSION

/* Largest burst whose depth in nano-units fits 64 bits. */
#define BURST_MAX 18000000000ULL
/* Largest rate accepted: 10^12 units/s (far above any PIC). */
#define RATE_MAX 1000000000000ULL
/* The same, for messages. */
#define BURST_MAX_S "18000000000"
#define RATE_MAX_S "1000000000000"

static const char usage_main[] =
"usage: flowtap <command> [options]\n"
"\n"
"flowtap emulates a Juniper flow-tap router: DTCP intercept requests from\n"
"mediation devices, packet matching against up to 100 criteria, copies to\n"
"content destinations in a new IP/UDP header, the services PIC's budget.\n"
"\n"
"commands:\n"
"  replay    run the offline engine: trace + script (+ config) -> outputs\n"
"  bench     match and end-to-end throughput against libpcap BPF and the\n"
"            20 Kpps budget\n"
"  client    a mediation device: send a script's DTCP messages to a\n"
"            router over SSH, print and check every reply\n"
"  serve     the live router: DTCP over SSH (subsystem flow-tap-dtcp)\n"
"  report    gnuplot charts and a self-contained report.html from an\n"
"            output folder: rates against the budget, drops by cause\n"
"  plan      the load criteria would offer over a trace, headroom per\n"
"            budget bucket, which criteria to narrow; exit 3 over budget\n"
"  lint      judge a mediation device's DTCP (a script, a parameter file\n"
"            or a dtcp.log) rule by rule; exit 1 when a MUST is broken\n"
"  help      show this text, or 'flowtap help <command>'\n"
"  version   print the version\n"
"\n"
"Each command takes --help.\n";

static const char usage_replay[] =
"usage: flowtap replay --trace FILE --script FILE --out DIR [options]\n"
"\n"
"Replay a pcap/pcapng trace through the emulated router while applying the\n"
"DTCP requests and events of a script at their trace times.\n"
"\n"
"  -t, --trace FILE            input capture (pcap or pcapng; - for\n"
"                              standard input)\n"
"  -s, --script FILE           DTCP script (fixture) file (- for standard\n"
"                              input; not both)\n"
"  -o, --out DIR               output folder (created if missing)\n"
"  -c, --config FILE           Junos router configuration\n"
"                              (default: the Juniper guide's example)\n"
"  -p, --profile NAME          flowtap (default) | junos | draft\n"
"  -k, --dtcp-key KEY          HMAC-SHA1 key (default: Juniper)\n"
"      --budget-pps N          packet rate per direction (default 20000;\n"
"                              0 = unlimited; at most 10^12)\n"
"      --budget-burst N        packet bucket depth (default 2000; at most\n"
"                              18000000000)\n"
"      --budget-bytes N        byte rate per direction, bytes/s\n"
"                              (default 5120000; 0 = unlimited)\n"
"      --budget-byte-burst N   byte bucket depth (default 512000)\n"
"      --interval SECONDS      rates.csv interval (default 1; 0.001 to\n"
"                              31622400)\n"
"      --outputs LIST          the files to write, a comma list of\n"
"                              intercept.pcap, dtcp.log, ledger.tsv,\n"
"                              rates.csv, csources.csv, report.json (or\n"
"                              their stems: ledger, report...; default all)\n"
"      --strict                exit 3 when the run completed but something\n"
"                              a CI should fail on happened (below)\n"
"      --report                then make charts and report.html in DIR\n"
"                              (as flowtap report DIR; needs gnuplot)\n"
"      --classifier NAME       fast (default) | linear (the reference\n"
"                              matcher: same outputs, slower)\n"
"      --input-interface IFL   the interface unit every packet arrived on\n"
"                              when the trace does not say (pcapng names\n"
"                              win); its routing-instance is the VRF\n"
"      --output-interface IFL  the interface unit every packet leaves by\n"
"                              (default: unknown)\n"
"      --copy-linktype NAME    intercept.pcap as raw (IP, the default) or\n"
"                              ether (Ethernet frames, for tcpreplay)\n"
"      --copy-src-mac MAC      ether: source MAC\n"
"                              (default " FT_SINK_SRC_MAC_DEF ")\n"
"      --copy-dst-mac MAC      ether: destination MAC, the receiver's\n"
"                              (default " FT_SINK_DST_MAC_DEF ")\n"
"      --radius                @session logins ask the configuration's\n"
"                              RADIUS servers as its authentication-order\n"
"                              says (default: local users only, so the\n"
"                              run needs no server; docs/config.md)\n"
"      --explain-mac           a 497's log line: expected MAC, bytes hashed\n"
"      --threads N             1, or 2: read and decode on a 2nd thread\n"
"                              (same outputs; default 2 with two CPUs)\n"
"  -q, --quiet                 no summary on standard output\n"
"  -h, --help                  this text\n"
"\n"
"A criterion scoped by X-JTap-Input-Interface, X-JTap-Output-Interface or\n"
"X-JTap-VRF-Name matches only packets whose scope is known and equal.\n";

/* The rest of replay's usage (C11 caps a string literal at 4095 bytes). */
static const char usage_replay_outputs[] =
"\n"
"Outputs in DIR: intercept.pcap, dtcp.log, ledger.tsv, rates.csv,\n"
"csources.csv, report.json; each is written under a temporary name and\n"
"renamed into place only when the whole run succeeded (SIGINT or SIGTERM\n"
"removes the temporaries). A trace cut short inside a record is replayed\n"
"up to the cut, with a warning. Warnings go to standard error and into\n"
"report.json.\n"
"Exit status: 0 run completed (DTCP errors are output, not failures),\n"
"1 failure (unreadable input, I/O), 2 bad usage, 3 with --strict: a reply\n"
"other than 200, a request dropped unanswered, a session refused, a\n"
"budget drop or a warning (an undelivered message, a link type not\n"
"decoded...), 130 on SIGINT, 143 on SIGTERM.\n";

static int
bad_usage(const char *cmd, const char *what, const char *arg)
{
	fprintf(stderr, "flowtap %s: %s '%s' (see 'flowtap %s --help')\n",
	    cmd, what, arg ? arg : "", cmd);
	return 2;
}

/*
 * What getopt_long returned for an option it could not take: ':' for a
 * missing value (optstrings start with ':'), anything else for an
 * unknown option; argv[optind - 1] is the offending word.
 */
static int
bad_option(const char *cmd, int c, char **argv)
{
	return bad_usage(cmd, c == ':' ? "missing value for option" :
	    "unknown option", argv[optind - 1]);
}

static int
opt_u64(const char *arg, uint64_t max, uint64_t *out)
{
	return ft_num_u64(arg, strlen(arg), 20, 0, max, out);
}

/*
 * An option that takes a value, given twice, is an error (which one was
 * meant?). seen has one byte per entry of longopts; c is getopt's answer.
 * Returns 1 when c was already seen.
 */
static int
twice(const struct option *longopts, unsigned char *seen, int c)
{
	int i;

	for (i = 0; longopts[i].name != NULL; i++) {
		if (longopts[i].val != c ||
		    longopts[i].has_arg != required_argument)
			continue;
		return seen[i]++ != 0;
	}
	return 0;
}

/* The long name of getopt's answer c, for messages. */
static const char *
opt_name(const struct option *longopts, int c)
{
	static char buf[64];
	int i;

	for (i = 0; longopts[i].name != NULL; i++)
		if (longopts[i].val == c) {
			snprintf(buf, sizeof(buf), "--%s", longopts[i].name);
			return buf;
		}
	return "?";
}

/* SIGINT / SIGTERM during a replay: the run stops and removes its files. */
static volatile sig_atomic_t stop_signal;

static void
on_stop_signal(int sig)
{
	stop_signal = sig;
}

enum {
	OPT_PPS = 256,
	OPT_BURST,
	OPT_BYTES,
	OPT_BYTE_BURST,
	OPT_INTERVAL,
	OPT_CLASSIFIER,
	OPT_IIF,
	OPT_OIF,
	OPT_PACKETS,
	OPT_CRITERIA,
	OPT_MATCH_RATE,
	OPT_REPS,
	OPT_SEED,
	OPT_SWEEP,
	OPT_DATA,
	OPT_JSON,
	OPT_JSON_FILE,
	OPT_NO_REPLAY,
	OPT_TMPDIR,
	OPT_KEEP,
	OPT_CPU_CLOCK,
	OPT_COPY_LINK,
	OPT_COPY_SRC_MAC,
	OPT_COPY_DST_MAC,
	OPT_OUTPUTS,
	OPT_STRICT,
	OPT_RADIUS,
	OPT_EXPLAIN_MAC,
	OPT_THREADS,
	OPT_READ_LOOP,
};

/* Options of report and plan (and replay --report). */
enum {
	OPT_R_REPORT = 1024,
	OPT_R_NO_CHARTS,
	OPT_R_GNUPLOT,
	OPT_R_TOP,
	OPT_P_CRITERIA,
	OPT_P_CSOURCE,
	OPT_P_JSON,
	OPT_P_JSON_FILE,
	OPT_P_INTERVALS,
	OPT_P_MAX_RUNS,
};

/* --interval: 1 ms to a leap year. */
static int
opt_interval(const char *arg, uint64_t *ns)
{
	if (ft_num_seconds_ns(arg, strlen(arg), 86400 * 366, ns) != 0 ||
	    *ns < 1000000)
		return -1;
	return 0;
}

/* report.html and the charts of output folder dir (flowtap report). */
static int
make_report(const char *dir, const struct ft_reportgen_opts *given,
    struct ft_err *e)
{
	struct ft_reportgen_opts ro;

	if (given != NULL) {
		ro = *given;
	} else {
		ft_reportgen_opts_default(&ro);
	}
	ro.version = FLOWTAP_VERSION;
	return ft_reportgen_run(dir, &ro, e);
}

/*
 * ft_replay_run with SIGINT and SIGTERM caught (no SA_RESTART, so a
 * blocking read of standard input returns): the run stops at the next
 * record and removes its temporary files; the caller exits 128 + signal.
 */
static int
replay_signals(struct ft_replay_opts *o, struct ft_err *e)
{
	struct sigaction sa, old_int, old_term;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	stop_signal = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	rc = ft_replay_run(o, e);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return rc;
}

/* Each kind of warning once on standard error, with its count. */
static void
replay_warnings(const struct ft_replay_result *res)
{
	unsigned i;

	for (i = 0; i < FT_REPORT_W_COUNT; i++) {
		const struct ft_report_warning *w = &res->warn[i];

		if (w->count == 0)
			continue;
		if (w->count == 1)
			fprintf(stderr, "flowtap replay: warning: %s\n",
			    w->first);
		else
			fprintf(stderr, "flowtap replay: warning: %s (and %llu "
			    "more of the kind '%s')\n", w->first,
			    (unsigned long long)(w->count - 1),
			    ft_report_warn_name((enum ft_report_warn)i));
	}
}

/* Append ", what: v" to line (cap bytes, *n used) when v is not 0. */
static void
strict_add(char *line, size_t cap, size_t *n, uint64_t v, const char *what)
{
	int k;

	if (v == 0 || *n >= cap)
		return;
	k = snprintf(line + *n, cap - *n, "%s%s: %llu", *n ? ", " : "", what,
	    (unsigned long long)v);
	if (k > 0)
		*n += (size_t)k;
}

/*
 * replay --strict: 3 when the run completed but something a CI wants to
 * fail on happened, said in one line; else 0.
 */
static int
replay_strict(const struct ft_replay_result *res)
{
	const struct ft_tasking_stats *ts = &res->stats;
	uint64_t non200 = 0, dropped = 0, warnings = 0;
	unsigned i;
	char line[512];
	size_t n = 0;

	for (i = 0; i < ts->replies.n; i++)
		if (ts->replies.code[i] != 200)
			non200 += ts->replies.count[i];
	for (i = 0; i < ts->drops.n; i++)
		dropped += ts->drops.count[i];
	for (i = 0; i < FT_REPORT_W_COUNT; i++)
		warnings += res->warn[i].count;
	line[0] = '\0';
	strict_add(line, sizeof(line), &n, non200, "replies other than 200");
	strict_add(line, sizeof(line), &n, dropped,
	    "requests dropped unanswered");
	strict_add(line, sizeof(line), &n, ts->sessions_refused,
	    "sessions refused");
	strict_add(line, sizeof(line), &n,
	    res->warn[FT_REPORT_W_UNDELIVERED].count,
	    "script messages not delivered");
	strict_add(line, sizeof(line), &n, res->budget_drops, "budget drops");
	strict_add(line, sizeof(line), &n, res->skipped_linktype,
	    "records of a link type not decoded");
	strict_add(line, sizeof(line), &n, warnings, "warnings");
	if (n == 0)
		return 0;
	fprintf(stderr, "flowtap replay: --strict: %s\n", line);
	return 3;
}

static int
cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "trace", required_argument, NULL, 't' },
		{ "script", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ "config", required_argument, NULL, 'c' },
		{ "profile", required_argument, NULL, 'p' },
		{ "dtcp-key", required_argument, NULL, 'k' },
		{ "budget-pps", required_argument, NULL, OPT_PPS },
		{ "budget-burst", required_argument, NULL, OPT_BURST },
		{ "budget-bytes", required_argument, NULL, OPT_BYTES },
		{ "budget-byte-burst", required_argument, NULL, OPT_BYTE_BURST },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "report", no_argument, NULL, OPT_R_REPORT },
		{ "classifier", required_argument, NULL, OPT_CLASSIFIER },
		{ "input-interface", required_argument, NULL, OPT_IIF },
		{ "output-interface", required_argument, NULL, OPT_OIF },
		{ "copy-linktype", required_argument, NULL, OPT_COPY_LINK },
		{ "copy-src-mac", required_argument, NULL, OPT_COPY_SRC_MAC },
		{ "copy-dst-mac", required_argument, NULL, OPT_COPY_DST_MAC },
		{ "outputs", required_argument, NULL, OPT_OUTPUTS },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "radius", no_argument, NULL, OPT_RADIUS },
		{ "explain-mac", no_argument, NULL, OPT_EXPLAIN_MAC },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned char seen[sizeof(longopts) / sizeof(longopts[0])] = { 0 };
	struct ft_replay_opts o;
	struct ft_replay_result res;
	uint64_t threads;
	struct ft_err e;
	int c, quiet = 0, rc, report = 0, strict = 0;

	ft_replay_opts_default(&o);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":t:s:o:c:p:k:qh", longopts,
	    NULL)) != -1) {
		if (twice(longopts, seen, c))
			return bad_usage("replay", "option given twice",
			    opt_name(longopts, c));
		switch (c) {
		case 't':
			o.trace = optarg;
			break;
		case 's':
			o.script = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "-") == 0)
				return bad_usage("replay", "--out is a folder "
				    "(there is no standard-output form)",
				    optarg);
			o.out = optarg;
			break;
		case 'c':
			o.config = optarg;
			break;
		case 'p':
			if (ft_profile_parse(optarg, &o.profile) != 0)
				return bad_usage("replay", "unknown profile "
				    "(flowtap, junos or draft)", optarg);
			break;
		case 'k':
			if (optarg[0] == '\0')
				return bad_usage("replay", "empty DTCP key",
				    optarg);
			o.key = optarg;
			break;
		case OPT_PPS:
			if (opt_u64(optarg, RATE_MAX, &o.budget.pps) != 0)
				return bad_usage("replay", "bad --budget-pps "
				    "value (0 to " RATE_MAX_S ")", optarg);
			break;
		case OPT_BURST:
			if (opt_u64(optarg, BURST_MAX, &o.budget.burst) != 0)
				return bad_usage("replay", "bad --budget-burst "
				    "value (0 to " BURST_MAX_S ")", optarg);
			break;
		case OPT_BYTES:
			if (opt_u64(optarg, RATE_MAX, &o.budget.bps) != 0)
				return bad_usage("replay", "bad --budget-bytes "
				    "value (0 to " RATE_MAX_S ")", optarg);
			break;
		case OPT_BYTE_BURST:
			if (opt_u64(optarg, BURST_MAX, &o.budget.byte_burst) != 0)
				return bad_usage("replay", "bad "
				    "--budget-byte-burst value (0 to "
				    BURST_MAX_S ")", optarg);
			break;
		case OPT_INTERVAL:
			if (opt_interval(optarg, &o.interval_ns) != 0)
				return bad_usage("replay", "bad --interval value "
				    "(0.001 to 31622400 seconds)", optarg);
			break;
		case OPT_OUTPUTS:
			if (ft_replay_outputs_parse(optarg, &o.outputs,
			    &e) != 0) {
				fprintf(stderr, "flowtap replay: --outputs: %s "
				    "(see 'flowtap replay --help')\n", e.msg);
				return 2;
			}
			break;
		case OPT_STRICT:
			strict = 1;
			break;
		case OPT_RADIUS:
			o.radius = 1;
			break;
		case OPT_EXPLAIN_MAC:
			o.explain_mac = 1;
			break;
		case OPT_THREADS:
			if (opt_u64(optarg, 2, &threads) != 0 || threads == 0)
				return bad_usage("replay", "bad --threads value "
				    "(1 or 2)", optarg);
			o.threads = (unsigned)threads;
			break;
		case OPT_R_REPORT:
			report = 1;
			break;
		case OPT_CLASSIFIER:
			if (strcmp(optarg, "fast") == 0)
				o.classifier = FT_REPLAY_CLASSIFIER_FAST;
			else if (strcmp(optarg, "linear") == 0)
				o.classifier = FT_REPLAY_CLASSIFIER_LINEAR;
			else
				return bad_usage("replay", "unknown classifier "
				    "(fast or linear)", optarg);
			break;
		case OPT_IIF:
			o.input_interface = optarg;
			break;
		case OPT_OIF:
			o.output_interface = optarg;
			break;
		case OPT_COPY_LINK:
			if (ft_sink_link_parse(optarg, &o.copyfmt.link) != 0)
				return bad_usage("replay", "unknown "
				    "--copy-linktype (raw or ether)", optarg);
			break;
		case OPT_COPY_SRC_MAC:
			if (ft_sink_mac_parse(optarg, o.copyfmt.src_mac) != 0)
				return bad_usage("replay",
				    "bad --copy-src-mac value", optarg);
			break;
		case OPT_COPY_DST_MAC:
			if (ft_sink_mac_parse(optarg, o.copyfmt.dst_mac) != 0)
				return bad_usage("replay",
				    "bad --copy-dst-mac value", optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(usage_replay, stdout);
			fputs(usage_replay_outputs, stdout);
			return 0;
		default:
			return bad_option("replay", c, argv);
		}
	}
	if (optind < argc)
		return bad_usage("replay", "unexpected argument", argv[optind]);
	if (o.trace == NULL)
		return bad_usage("replay", "missing option", "--trace");
	if (o.script == NULL)
		return bad_usage("replay", "missing option", "--script");
	if (o.out == NULL)
		return bad_usage("replay", "missing option", "--out");
	if (strcmp(o.trace, "-") == 0 && strcmp(o.script, "-") == 0)
		return bad_usage("replay", "the trace and the script cannot "
		    "both be standard input", "-");
	if (report && (o.outputs & FT_REPLAY_OUT_REPORT) == 0)
		return bad_usage("replay", "--report needs report.json in "
		    "--outputs", "--report");
	o.summary = quiet ? NULL : stdout;
	o.result = &res;
	o.stop = &stop_signal;

	e.msg[0] = '\0';
	rc = replay_signals(&o, &e);
	if (stop_signal != 0) {
		fprintf(stderr, "flowtap replay: interrupted by %s: no output "
		    "written\n", stop_signal == SIGINT ? "SIGINT" : "SIGTERM");
		return 128 + stop_signal;
	}
	if (rc == 0 && report)
		rc = make_report(o.out, NULL, &e);
	if (rc != 0) {
		fprintf(stderr, "flowtap replay: %s\n",
		    e.msg[0] ? e.msg : ft_err_name(rc));
		return 1;
	}
	replay_warnings(&res);
	if (strict)
		return replay_strict(&res);
	return 0;
}

static const char usage_bench[] =
"usage: flowtap bench [--trace FILE] [options]\n"
"\n"
"Time the same packets through the decoder, the fast and the linear\n"
"classifier and libpcap BPF (pcap_compile of the equivalent expression +\n"
"pcap_offline_filter), and, as whole processes over the same file in\n"
"turn, a bare libpcap read loop and flowtap replay (default threads and\n"
"--threads 1); print ns/packet, Mpps, the ratio to the PIC's 20 Kpps\n"
"budget and to BPF (medians), and replay / read loop. Each per-packet\n"
"measure runs once untimed first (up to 0.2 s), so its tables are warm\n"
"as in a running replay.\n"
"\n"
"  -t, --trace FILE        packets of this capture (criteria are made\n"
"                          around its packets) instead of generated ones\n"
"      --packets N         packets generated, or read at most\n"
"                          (default 2000000)\n"
"      --criteria K        random 5-tuple criteria, 1..4096 (default 100)\n"
"      --match-rate R      share of generated packets that match, 0..1\n"
"                          or a percentage (default 0.045)\n"
"      --reps N            repetitions per measure, median (default 5)\n"
"      --seed N            generator seed, > 0 (default 1)\n"
"      --sweep K1,K2,...   classification only, once per criteria count\n"
"      --data FILE         sweep: gnuplot data (criteria fast linear bpf)\n"
"      --json              JSON instead of text on standard output\n"
"      --json-file FILE    also write the JSON to FILE\n"
"      --no-replay         skip the read loop and end-to-end replay\n"
"      --tmpdir DIR        where the replay's pcap/script/outputs go\n"
"                          (default: a new /tmp/flowtap-bench-XXXXXX)\n"
"      --keep              keep those files\n"
"      --cpu-clock         time with the thread's CPU clock (processes:\n"
"                          user + system) instead of the wall clock\n"
"      --read-loop FILE    only run the bare libpcap read loop over FILE\n"
"                          (the headline's baseline process)\n"
"  -h, --help              this text\n"
"\n"
"The end-to-end replay (and the read loop it is compared with) runs only\n"
"with at most 100 criteria, the chassis limit. Exit status: 0 done,\n"
"1 failure (or fast and linear disagree), 2 bad usage.\n";

/* "0.045", "4.5%" -> parts per 10^9. */
static int
opt_rate(const char *arg, uint64_t *ppb)
{
	size_t len = strlen(arg);
	uint64_t v;

	if (len > 0 && arg[len - 1] == '%') {
		if (ft_num_seconds_ns(arg, len - 1, 100, &v) != 0)
			return -1;
		*ppb = v / 100;
		return 0;
	}
	if (ft_num_seconds_ns(arg, len, 1, &v) != 0 || v > 1000000000ULL)
		return -1;
	*ppb = v;
	return 0;
}

static int
opt_sweep(const char *arg, struct ft_bench_opts *o)
{
	const char *p = arg, *c;
	uint64_t v;

	o->nsweep = 0;
	for (;;) {
		c = strchr(p, ',');
		if (o->nsweep >= FT_BENCH_SWEEP_MAX ||
		    ft_num_u64(p, c ? (size_t)(c - p) : strlen(p), 5, 1,
		    FT_CLASSIFY_CAP_MAX, &v) != 0)
			return -1;
		o->sweep[o->nsweep++] = (unsigned)v;
		if (c == NULL)
			return 0;
		p = c + 1;
	}
}

static int
cmd_bench(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "trace", required_argument, NULL, 't' },
		{ "packets", required_argument, NULL, OPT_PACKETS },
		{ "criteria", required_argument, NULL, OPT_CRITERIA },
		{ "match-rate", required_argument, NULL, OPT_MATCH_RATE },
		{ "reps", required_argument, NULL, OPT_REPS },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "sweep", required_argument, NULL, OPT_SWEEP },
		{ "data", required_argument, NULL, OPT_DATA },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "json-file", required_argument, NULL, OPT_JSON_FILE },
		{ "no-replay", no_argument, NULL, OPT_NO_REPLAY },
		{ "tmpdir", required_argument, NULL, OPT_TMPDIR },
		{ "keep", no_argument, NULL, OPT_KEEP },
		{ "cpu-clock", no_argument, NULL, OPT_CPU_CLOCK },
		{ "read-loop", required_argument, NULL, OPT_READ_LOOP },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned char seen[sizeof(longopts) / sizeof(longopts[0])] = { 0 };
	struct ft_bench_opts o;
	struct ft_err e;
	const char *data = NULL, *jfile = NULL, *read_loop = NULL;
	uint64_t v;
	int c, rc;

	ft_bench_opts_default(&o);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":t:h", longopts, NULL)) != -1) {
		if (twice(longopts, seen, c))
			return bad_usage("bench", "option given twice",
			    opt_name(longopts, c));
		switch (c) {
		case 't':
			o.trace = optarg;
			break;
		case OPT_PACKETS:
			if (opt_u64(optarg, 100000000, &v) != 0 || v == 0)
				return bad_usage("bench", "bad --packets value "
				    "(1 to 100000000)", optarg);
			o.packets = v;
			break;
		case OPT_CRITERIA:
			if (opt_u64(optarg, FT_CLASSIFY_CAP_MAX, &v) != 0 ||
			    v == 0)
				return bad_usage("bench", "bad --criteria "
				    "value (1 to 4096)", optarg);
			o.criteria = (unsigned)v;
			break;
		case OPT_MATCH_RATE:
			if (opt_rate(optarg, &o.match_ppb) != 0)
				return bad_usage("bench", "bad --match-rate "
				    "value (0 to 1, or 0% to 100%)", optarg);
			break;
		case OPT_REPS:
			if (opt_u64(optarg, 1000, &v) != 0 || v == 0)
				return bad_usage("bench", "bad --reps value "
				    "(1 to 1000)", optarg);
			o.reps = (unsigned)v;
			break;
		case OPT_SEED:
			if (opt_u64(optarg, UINT64_MAX, &v) != 0 || v == 0)
				return bad_usage("bench", "bad --seed value "
				    "(1 to 18446744073709551615)", optarg);
			o.seed = v;
			break;
		case OPT_SWEEP:
			if (opt_sweep(optarg, &o) != 0)
				return bad_usage("bench", "bad --sweep list "
				    "(up to 16 criteria counts, 1 to 4096, "
				    "comma-separated)", optarg);
			break;
		case OPT_DATA:
			data = optarg;
			break;
		case OPT_JSON:
			o.json = 1;
			break;
		case OPT_JSON_FILE:
			jfile = optarg;
			break;
		case OPT_NO_REPLAY:
			o.e2e = 0;
			break;
		case OPT_TMPDIR:
			o.tmpdir = optarg;
			break;
		case OPT_KEEP:
			o.keep = 1;
			break;
		case OPT_CPU_CLOCK:
			o.cpu_clock = 1;
			break;
		case OPT_READ_LOOP:
			read_loop = optarg;
			break;
		case 'h':
			fputs(usage_bench, stdout);
			return 0;
		default:
			return bad_option("bench", c, argv);
		}
	}
	if (optind < argc)
		return bad_usage("bench", "unexpected argument", argv[optind]);
	if (read_loop != NULL) {
		if (ft_bench_read_loop(read_loop, stdout, &e) != 0) {
			fprintf(stderr, "flowtap bench: %s\n", e.msg);
			return 1;
		}
		return 0;
	}
	if (data != NULL && (o.data = fopen(data, "w")) == NULL) {
		fprintf(stderr, "flowtap bench: cannot write '%s'\n", data);
		return 1;
	}
	if (jfile != NULL && (o.json_out = fopen(jfile, "w")) == NULL) {
		fprintf(stderr, "flowtap bench: cannot write '%s'\n", jfile);
		if (o.data != NULL)
			fclose(o.data);
		return 1;
	}
	e.msg[0] = '\0';
	rc = ft_bench_run(&o, &e);
	if (o.data != NULL && fclose(o.data) != 0 && rc == 0)
		rc = ft_err_set(&e, FT_EIO, "cannot write '%s'", data);
	if (o.json_out != NULL && fclose(o.json_out) != 0 && rc == 0)
		rc = ft_err_set(&e, FT_EIO, "cannot write '%s'", jfile);
	if (rc != 0) {
		fprintf(stderr, "flowtap bench: %s\n",
		    e.msg[0] ? e.msg : ft_err_name(rc));
		return 1;
	}
	return 0;
}

static const char usage_client[] =
"usage: flowtap client --host HOST [options] SCRIPT\n"
"\n"
"A mediation device: connect to a flow-tap router over SSH (subsystem\n"
"flow-tap-dtcp), send the DTCP messages of SCRIPT (the replay script\n"
"format, docs/scripts.md) one at a time, print every reply and check it:\n"
"status 200, its AUTHENTICATION-INFO (HMAC-SHA1 with the DTCP key), its\n"
"SEQ equal to the request's.\n"
"\n"
"  -H, --host HOST         the router (name or address)\n"
"  -p, --port N            SSH port (default 32001)\n"
"  -u, --user USER         login user for the messages before any\n"
"                          @session (needed only when there are some)\n"
"      --password-file F   the password is the first line of F\n"
"      --password P        the password on the command line: VISIBLE to\n"
"                          other local users (ps, /proc); prefer\n"
"                          --password-file or FLOWTAP_PASSWORD\n"
"                          Without either: $FLOWTAP_PASSWORD, else a\n"
"                          prompt without echo on the terminal.\n"
"  -k, --dtcp-key KEY      HMAC-SHA1 key for 'Authentication-Info: auto'\n"
"                          and for checking replies (default: Juniper)\n"
"      --known-hosts FILE  the known_hosts file to check and update\n"
"                          (default: ~/.ssh/known_hosts, plus\n"
"                          /etc/ssh/ssh_known_hosts for checking)\n"
"      --accept-new        trust an unknown host key and record it (trust\n"
"                          on first use); a CHANGED key is always refused\n"
"  -t, --timeout SECONDS   wait this long for each reply and for\n"
"                          connecting (default 10; decimal, up to ns)\n"
"      --seq-from N        'Seq: auto' starts at N for each control source\n"
"                          (default 1): the router remembers the last\n"
"                          Seq of each control source, so a script run\n"
"                          again needs higher ones, e.g. $(date +%s)\n"
"      --no-wait           ignore @at: send everything at once\n"
"      --stop-on-error     stop at the first failed message (default: go\n"
"                          on after a non-200 reply or a bad MAC or SEQ,\n"
"                          and exit 1 at the end)\n"
"      --keep-going        go on after a reply timeout too (default: a\n"
"                          timeout stops the run); a late reply to it is\n"
"                          recognised by its SEQ and dropped\n"
"  -j, --json FILE         write [{line, session, user, request, reply,\n"
"                          code, mac_ok, error}, ...] to FILE\n"
"  -v, --verbose           print each request too\n"
"  -q, --quiet             print only failures\n"
"  -h, --help              this text\n"
"\n"
"Script: 'Seq: auto' numbers each control source's requests, then\n"
"'Authentication-Info: auto' signs; @at waits for that offset from the\n"
"start; @session NAME user=U password=P opens (or switches to) another\n"
"SSH connection as U, @close closes one; @restart cannot be sent by a\n"
"mediation device and is skipped with a warning.\n"
"A request the router cannot authenticate (bad MAC, stale Seq, unknown\n"
"Csource-ID) gets no reply by design: it shows as a timeout.\n"
"\n"
"Exit status: 0 every message was answered 200 with a good MAC and SEQ;\n"
"1 a reply that was not (the run goes on), a timeout or a connection\n"
"failure (the run stops), an unreadable script; 2 bad usage.\n";

enum {
	OPT_C_PASSWORD = 512,
	OPT_C_PASSWORD_FILE,
	OPT_C_KNOWN_HOSTS,
	OPT_C_ACCEPT_NEW,
	OPT_C_NO_WAIT,
	OPT_C_STOP_ON_ERROR,
	OPT_C_KEEP_GOING,
	OPT_C_SEQ_FROM,
};

static int
cmd_client(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, OPT_C_PASSWORD },
		{ "password-file", required_argument, NULL,
		    OPT_C_PASSWORD_FILE },
		{ "dtcp-key", required_argument, NULL, 'k' },
		{ "known-hosts", required_argument, NULL, OPT_C_KNOWN_HOSTS },
		{ "accept-new", no_argument, NULL, OPT_C_ACCEPT_NEW },
		{ "timeout", required_argument, NULL, 't' },
		{ "no-wait", no_argument, NULL, OPT_C_NO_WAIT },
		{ "stop-on-error", no_argument, NULL, OPT_C_STOP_ON_ERROR },
		{ "keep-going", no_argument, NULL, OPT_C_KEEP_GOING },
		{ "seq-from", required_argument, NULL, OPT_C_SEQ_FROM },
		{ "json", required_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static char password[1025];
	unsigned char seen[sizeof(longopts) / sizeof(longopts[0])] = { 0 };
	struct ft_client_opts o;
	struct ft_client_result res;
	struct ft_err e;
	uint64_t v;
	int c, rc;

	ft_client_opts_default(&o);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":H:p:u:k:t:j:vqh", longopts,
	    NULL)) != -1) {
		if (twice(longopts, seen, c))
			return bad_usage("client", "option given twice",
			    opt_name(longopts, c));
		switch (c) {
		case 'H':
			if (optarg[0] == '\0')
				return bad_usage("client", "empty host", optarg);
			o.host = optarg;
			break;
		case 'p':
			if (opt_u64(optarg, 65535, &v) != 0 || v == 0)
				return bad_usage("client", "bad --port value "
				    "(1 to 65535)", optarg);
			o.port = (unsigned)v;
			break;
		case 'u':
			if (optarg[0] == '\0' || strlen(optarg) > FT_NAME_MAX)
				return bad_usage("client",
				    "user must be 1 to 64 bytes", optarg);
			o.user = optarg;
			break;
		case OPT_C_PASSWORD:
			/*
			 * Copied, and the argument wiped, so that ps shows it
			 * only until here (still visible: see --help).
			 */
			if (strlen(optarg) >= sizeof(password))
				return bad_usage("client", "password longer "
				    "than 1024 bytes", "");
			memcpy(password, optarg, strlen(optarg) + 1);
			explicit_bzero(optarg, strlen(optarg));
			o.password = password;
			break;
		case OPT_C_PASSWORD_FILE:
			o.password_file = optarg;
			break;
		case 'k':
			if (optarg[0] == '\0')
				return bad_usage("client", "empty DTCP key",
				    optarg);
			o.key = optarg;
			break;
		case OPT_C_KNOWN_HOSTS:
			o.known_hosts = optarg;
			break;
		case OPT_C_ACCEPT_NEW:
			o.accept_new = 1;
			break;
		case 't':
			if (ft_num_seconds_ns(optarg, strlen(optarg), 86400,
			    &o.timeout_ns) != 0 || o.timeout_ns < 1000000)
				return bad_usage("client", "bad --timeout value "
				    "(0.001 to 86400 seconds)", optarg);
			break;
		case OPT_C_NO_WAIT:
			o.no_wait = 1;
			break;
		case OPT_C_STOP_ON_ERROR:
			o.stop_on_error = 1;
			break;
		case OPT_C_KEEP_GOING:
			o.keep_going = 1;
			break;
		case OPT_C_SEQ_FROM:
			if (opt_u64(optarg, UINT64_MAX, &o.seq_from) != 0 ||
			    o.seq_from == 0)
				return bad_usage("client", "bad --seq-from "
				    "value (1 to 18446744073709551615)",
				    optarg);
			break;
		case 'j':
			o.json = optarg;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'h':
			fputs(usage_client, stdout);
			return 0;
		default:
			return bad_option("client", c, argv);
		}
	}
	if (optind == argc)
		return bad_usage("client", "missing", "SCRIPT");
	if (optind + 1 < argc)
		return bad_usage("client", "unexpected argument",
		    argv[optind + 1]);
	o.script = argv[optind];
	if (o.host == NULL)
		return bad_usage("client", "missing option", "--host");
	if (o.password != NULL && o.password_file != NULL)
		return bad_usage("client", "give one of --password and",
		    "--password-file");
	if (o.stop_on_error && o.keep_going)
		return bad_usage("client", "--stop-on-error and --keep-going "
		    "exclude each other", "");
	if (o.verbose && o.quiet)
		return bad_usage("client", "--verbose and --quiet exclude "
		    "each other", "");

	e.msg[0] = '\0';
	rc = ft_client_run(&o, &res, &e);
	explicit_bzero(password, sizeof(password));
	if (rc != 0) {
		fprintf(stderr, "flowtap client: %s\n",
		    e.msg[0] ? e.msg : ft_err_name(rc));
		return res.usage ? 2 : 1;
	}
	return res.failed > 0 ? 1 : 0;
}

static const char usage_serve[] =
"usage: flowtap serve [options]\n"
"\n"
"The live router: an SSH server (libssh) whose flow-tap-dtcp subsystem\n"
"takes DTCP requests from mediation devices, on the same engine as\n"
"replay, with the wall clock (UTC) as its clock. Runs until SIGINT or\n"
"SIGTERM; SIGHUP is a restart (every session disconnected,\n"
"every criterion deleted, every Seq forgotten).\n"
"\n"
"  -c, --config FILE         Junos router configuration: users, classes,\n"
"                            connection-limit, rate-limit (default: the\n"
"                            Juniper guide's example)\n"
"  -l, --listen ADDR         numeric address to listen on (default\n"
"                            127.0.0.1; '::' or '0.0.0.0' for every\n"
"                            interface, only when asked)\n"
"  -p, --port N              TCP port (default 32001; 0: any free port,\n"
"                            printed and logged)\n"
"      --hostkey FILE        SSH host key, an OpenSSH private key\n"
"                            (ed25519, RSA or ECDSA, unencrypted);\n"
"                            default: STATE/ssh_host_ed25519_key,\n"
"                            generated on first start (mode 0600)\n"
"      --state DIR           where the generated host key lives (default:\n"
"                            the --out folder, else ./flowtap-state)\n"
"  -o, --out DIR             outputs: dtcp.log (written as it goes) and\n"
"                            report.json (at stop, atomically); default:\n"
"                            the state folder\n"
"      --profile NAME        flowtap (default) | junos | draft\n"
"  -k, --dtcp-key KEY        HMAC-SHA1 key (default: Juniper)\n"
"      --restart-after SECONDS  restart once, this long after the start\n"
"                            (decimal, up to ns)\n"
"      --login-grace SECONDS a connection that has not started its\n"
"                            flow-tap-dtcp session by then is closed\n"
"                            (default 30)\n"
"      --max-startups N      connections at most without a session (in\n"
"                            the handshake or authenticating); one more\n"
"                            evicts the oldest (default 10)\n"
"      --max-queue BYTES     reply bytes queued per connection for a\n"
"                            client that does not read them; over it\n"
"                            the connection is dropped (default 1048576)\n"
"      --status, --no-status the one-line status on stderr, refreshed\n"
"                            each second (default: when stderr is a tty)\n"
"      --report              at stop, also the charts and report.html of\n"
"                            the output folder (as 'flowtap report')\n"
"      --explain-mac         a 497's log line: expected MAC, bytes hashed\n"
"  -q, --quiet               no startup and stop lines on stderr\n"
"  -h, --help                this text\n"
"\n"
"Logins: password authentication against the configuration's users\n"
"(MD5-crypt); the subsystem only for classes with flow-tap-operation;\n"
"shell, exec, pty, env, port forwarding and other subsystems refused and\n"
"logged. Each flow-tap-dtcp session is the DTCP session 'ssh-N' (N: the\n"
"connection's number in dtcp.log's 'ssh conn=N' lines), from the\n"
"peer's address. Details: docs/serve.md.\n"
"Exit status: 0 stopped by a signal (report written), 1 failure (cannot\n"
"listen, unreadable configuration or host key, I/O), 2 bad usage.\n";

/* Printed after usage_serve (one string would pass C99's 4095 bytes). */
static const char usage_serve_data[] =
"\n"
"Data plane: packets from a capture or a trace go through the PIC as in\n"
"replay (budget on the packets' timestamps); copies leave as datagrams.\n"
"      --capture IFACE       live capture on IFACE (libpcap: promiscuous,\n"
"                            immediate mode, received packets only)\n"
"      --capture-buffer BYTES  its kernel buffer (default: libpcap's)\n"
"      --trace FILE          play a pcap/pcapng file in real time instead\n"
"      --speed X             the trace's speed factor (default 1)\n"
"      --topspeed            the trace as fast as the engine goes\n"
"      --trace-wait          start the trace on SIGUSR1, not at once\n"
"      --delivery MODE       auto (default: raw with CAP_NET_RAW, else\n"
"                            udp) | raw | udp | none\n"
"      --write-copies FILE   also write the copies to this pcap\n"
"                            (renamed into place at stop)\n"
"      --copy-linktype NAME  its link layer: raw (default) | ether\n"
"      --copy-src-mac MAC    ether: source MAC\n"
"                            (default " FT_SINK_SRC_MAC_DEF ")\n"
"      --copy-dst-mac MAC    ether: destination MAC\n"
"                            (default " FT_SINK_DST_MAC_DEF ")\n"
"      --budget-pps N, --budget-burst N, --budget-bytes N,\n"
"      --budget-byte-burst N the PIC budget, as for replay (0: unlimited)\n"
"      --input-interface IFL the interface unit the captured (or played)\n"
"                            packets arrive on, for X-JTap-Input-Interface\n"
"                            and X-JTap-VRF-Name (default: the capture\n"
"                            interface's own name, or the pcapng names)\n"
"      --output-interface IFL the interface unit they leave by (default:\n"
"                            unknown: X-JTap-Output-Interface never\n"
"                            matches)\n"
"Capture drops and send failures: report.json's \"live\" object and the\n"
"status line. Details: docs/dataplane.md.\n";

static void
serve_help(void)
{
	fputs(usage_serve, stdout);
	fputs(usage_serve_data, stdout);
}

enum {
	OPT_S_HOSTKEY = 768,
	OPT_S_STATE,
	OPT_S_PROFILE,
	OPT_S_RESTART_AFTER,
	OPT_S_REPORT,
	OPT_S_EXPLAIN_MAC,
	OPT_S_GRACE,
	OPT_S_STARTUPS,
	OPT_S_QUEUE,
	OPT_S_STATUS,
	OPT_S_NO_STATUS,
};

/* serve's data-plane options (issue 9). */
enum {
	OPT_D_CAPTURE = 1024,
	OPT_D_CAPTURE_BUF,
	OPT_D_TRACE,
	OPT_D_SPEED,
	OPT_D_TOPSPEED,
	OPT_D_TRACE_WAIT,
	OPT_D_DELIVERY,
	OPT_D_WRITE_COPIES,
	OPT_D_IIF,
	OPT_D_OIF,
	OPT_D_COPY_LINK,
	OPT_D_COPY_SRC_MAC,
	OPT_D_COPY_DST_MAC,
	OPT_D_PPS,
	OPT_D_BURST,
	OPT_D_BYTES,
	OPT_D_BYTE_BURST,
};

/*
 * One data-plane option of serve into o. Returns 0, or 2 after saying
 * what is wrong.
 */
static int
serve_dataplane_opt(struct ft_serve_opts *o, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case OPT_D_CAPTURE:
		o->data.capture = arg;
		return 0;
	case OPT_D_CAPTURE_BUF:
		if (opt_u64(arg, INT_MAX, &v) != 0)
			return bad_usage("serve", "bad --capture-buffer value "
			    "(0 to 2147483647 bytes)", arg);
		o->data.capture_buffer = (unsigned)v;
		return 0;
	case OPT_D_TRACE:
		o->data.trace = arg;
		return 0;
	case OPT_D_SPEED:
		if (ft_num_seconds_ns(arg, strlen(arg), 1000000,
		    &o->data.speed_nano) != 0 || o->data.speed_nano == 0)
			return bad_usage("serve", "bad --speed value (above 0, "
			    "up to 1000000, up to 9 decimals)", arg);
		return 0;
	case OPT_D_TOPSPEED:
		o->data.speed_nano = 0;
		return 0;
	case OPT_D_TRACE_WAIT:
		o->data.trace_wait = 1;
		return 0;
	case OPT_D_DELIVERY:
		if (ft_deliver_mode_parse(arg, &o->data.delivery) != 0)
			return bad_usage("serve", "unknown --delivery", arg);
		return 0;
	case OPT_D_WRITE_COPIES:
		o->data.write_copies = arg;
		return 0;
	case OPT_D_IIF:
		o->data.ifname = arg;
		return 0;
	case OPT_D_OIF:
		o->output_interface = arg;
		return 0;
	case OPT_D_COPY_LINK:
		if (ft_sink_link_parse(arg, &o->data.copyfmt.link) != 0)
			return bad_usage("serve", "unknown --copy-linktype",
			    arg);
		return 0;
	case OPT_D_COPY_SRC_MAC:
		if (ft_sink_mac_parse(arg, o->data.copyfmt.src_mac) != 0)
			return bad_usage("serve", "bad --copy-src-mac value",
			    arg);
		return 0;
	case OPT_D_COPY_DST_MAC:
		if (ft_sink_mac_parse(arg, o->data.copyfmt.dst_mac) != 0)
			return bad_usage("serve", "bad --copy-dst-mac value",
			    arg);
		return 0;
	case OPT_D_PPS:
		if (opt_u64(arg, RATE_MAX, &o->budget.pps) != 0)
			return bad_usage("serve", "bad --budget-pps value "
			    "(0 to " RATE_MAX_S ")", arg);
		return 0;
	case OPT_D_BURST:
		if (opt_u64(arg, BURST_MAX, &o->budget.burst) != 0)
			return bad_usage("serve", "bad --budget-burst value (0 "
			    "to " BURST_MAX_S ")", arg);
		return 0;
	case OPT_D_BYTES:
		if (opt_u64(arg, RATE_MAX, &o->budget.bps) != 0)
			return bad_usage("serve", "bad --budget-bytes value (0 "
			    "to " RATE_MAX_S ")", arg);
		return 0;
	case OPT_D_BYTE_BURST:
		if (opt_u64(arg, BURST_MAX, &o->budget.byte_burst) != 0)
			return bad_usage("serve", "bad --budget-byte-burst "
			    "value (0 to " BURST_MAX_S ")", arg);
		return 0;
	default:
		return bad_usage("serve", "unknown option", "?");
	}
}

static int
cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'p' },
		{ "hostkey", required_argument, NULL, OPT_S_HOSTKEY },
		{ "state", required_argument, NULL, OPT_S_STATE },
		{ "out", required_argument, NULL, 'o' },
		{ "profile", required_argument, NULL, OPT_S_PROFILE },
		{ "dtcp-key", required_argument, NULL, 'k' },
		{ "report", no_argument, NULL, OPT_S_REPORT },
		{ "explain-mac", no_argument, NULL, OPT_S_EXPLAIN_MAC },
		{ "restart-after", required_argument, NULL,
		    OPT_S_RESTART_AFTER },
		{ "login-grace", required_argument, NULL, OPT_S_GRACE },
		{ "max-startups", required_argument, NULL, OPT_S_STARTUPS },
		{ "max-queue", required_argument, NULL, OPT_S_QUEUE },
		{ "status", no_argument, NULL, OPT_S_STATUS },
		{ "no-status", no_argument, NULL, OPT_S_NO_STATUS },
		{ "capture", required_argument, NULL, OPT_D_CAPTURE },
		{ "capture-buffer", required_argument, NULL,
		    OPT_D_CAPTURE_BUF },
		{ "trace", required_argument, NULL, OPT_D_TRACE },
		{ "speed", required_argument, NULL, OPT_D_SPEED },
		{ "topspeed", no_argument, NULL, OPT_D_TOPSPEED },
		{ "trace-wait", no_argument, NULL, OPT_D_TRACE_WAIT },
		{ "delivery", required_argument, NULL, OPT_D_DELIVERY },
		{ "write-copies", required_argument, NULL, OPT_D_WRITE_COPIES },
		{ "input-interface", required_argument, NULL, OPT_D_IIF },
		{ "output-interface", required_argument, NULL, OPT_D_OIF },
		{ "copy-linktype", required_argument, NULL, OPT_D_COPY_LINK },
		{ "copy-src-mac", required_argument, NULL, OPT_D_COPY_SRC_MAC },
		{ "copy-dst-mac", required_argument, NULL, OPT_D_COPY_DST_MAC },
		{ "budget-pps", required_argument, NULL, OPT_D_PPS },
		{ "budget-burst", required_argument, NULL, OPT_D_BURST },
		{ "budget-bytes", required_argument, NULL, OPT_D_BYTES },
		{ "budget-byte-burst", required_argument, NULL,
		    OPT_D_BYTE_BURST },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir;
	int report = 0;
	unsigned char seen[sizeof(longopts) / sizeof(longopts[0])] = { 0 };
	struct ft_serve_opts o;
	struct ft_err e;
	uint64_t v;
	int c, rc;

	ft_serve_opts_default(&o);
	o.info = stderr;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":c:l:p:o:k:qh", longopts,
	    NULL)) != -1) {
		if (twice(longopts, seen, c))
			return bad_usage("serve", "option given twice",
			    opt_name(longopts, c));
		switch (c) {
		case 'c':
			o.config = optarg;
			break;
		case 'l':
			o.listen = optarg;
			break;
		case 'p':
			if (opt_u64(optarg, 65535, &v) != 0)
				return bad_usage("serve", "bad --port value "
				    "(0 to 65535)", optarg);
			o.port = (unsigned)v;
			break;
		case OPT_S_HOSTKEY:
			o.hostkey = optarg;
			break;
		case OPT_S_STATE:
			o.state = optarg;
			break;
		case 'o':
			o.out = optarg;
			break;
		case OPT_S_PROFILE:
			if (ft_profile_parse(optarg, &o.profile) != 0)
				return bad_usage("serve", "unknown profile",
				    optarg);
			break;
		case 'k':
			if (optarg[0] == '\0')
				return bad_usage("serve", "empty DTCP key",
				    optarg);
			o.key = optarg;
			break;
		case OPT_S_REPORT:
			report = 1;
			break;
		case OPT_S_EXPLAIN_MAC:
			o.explain_mac = 1;
			break;
		case OPT_S_RESTART_AFTER:
			if (ft_num_seconds_ns(optarg, strlen(optarg),
			    86400 * 366, &o.restart_after_ns) != 0 ||
			    o.restart_after_ns == 0)
				return bad_usage("serve", "bad --restart-after "
				    "value (above 0, up to 31622400 seconds)",
				    optarg);
			break;
		case OPT_S_GRACE:
			if (opt_u64(optarg, 3600, &v) != 0 || v == 0)
				return bad_usage("serve",
				    "bad --login-grace value (1..3600)", optarg);
			o.grace_s = (unsigned)v;
			break;
		case OPT_S_STARTUPS:
			if (opt_u64(optarg, 1000, &v) != 0 || v == 0)
				return bad_usage("serve",
				    "bad --max-startups value (1..1000)", optarg);
			o.max_startups = (unsigned)v;
			break;
		case OPT_S_QUEUE:
			if (opt_u64(optarg, 1ULL << 30, &v) != 0 ||
			    v < FT_DTCP_REPLY_MAX)
				return bad_usage("serve", "bad --max-queue value "
				    "(262144..1073741824)", optarg);
			o.max_queue = (size_t)v;
			break;
		case OPT_S_STATUS:
			o.status = 1;
			break;
		case OPT_S_NO_STATUS:
			o.status = 0;
			break;
		case OPT_D_CAPTURE:
		case OPT_D_CAPTURE_BUF:
		case OPT_D_TRACE:
		case OPT_D_SPEED:
		case OPT_D_TOPSPEED:
		case OPT_D_TRACE_WAIT:
		case OPT_D_DELIVERY:
		case OPT_D_WRITE_COPIES:
		case OPT_D_IIF:
		case OPT_D_OIF:
		case OPT_D_COPY_LINK:
		case OPT_D_COPY_SRC_MAC:
		case OPT_D_COPY_DST_MAC:
		case OPT_D_PPS:
		case OPT_D_BURST:
		case OPT_D_BYTES:
		case OPT_D_BYTE_BURST:
			if (serve_dataplane_opt(&o, c, optarg) != 0)
				return 2;
			break;
		case 'q':
			o.info = NULL;
			break;
		case 'h':
			serve_help();
			return 0;
		default:
			return bad_option("serve", c, argv);
		}
	}
	if (optind < argc)
		return bad_usage("serve", "unexpected argument", argv[optind]);
	if (o.data.capture != NULL && o.data.trace != NULL)
		return bad_usage("serve", "--capture and --trace exclude each "
		    "other", "--trace");
	o.data.info = o.info;

	e.msg[0] = '\0';
	rc = ft_serve_run(&o, &e);
	if (rc == 0 && report) {
		/* The folder ft_serve_run wrote report.json to. */
		dir = o.out != NULL ? o.out : o.state != NULL ? o.state :
		    FT_SERVE_STATE_DEF;
		rc = make_report(dir, NULL, &e);
	}
	if (rc != 0) {
		fprintf(stderr, "flowtap serve: %s\n",
		    e.msg[0] ? e.msg : ft_err_name(rc));
		return 1;
	}
	return 0;
}

static const char usage_report[] =
"usage: flowtap report [options] DIR\n"
"\n"
"Charts (gnuplot, PNG and SVG) and a self-contained report.html from an\n"
"output folder of replay or serve: ingress and egress offered/passed/\n"
"dropped per second against the budget line, the byte buckets, each\n"
"agency's egress load stacked, the top criteria by offered load, drops by\n"
"cause; totals, per-agency and per-criterion tables, DTCP replies, the\n"
"run's inputs (docs/reports.md).\n"
"\n"
"  DIR                     the folder: report.json (required), rates.csv\n"
"                          and csources.csv (time charts, when present)\n"
"  -o, --out DIR2          write report.html and charts/ there (default:\n"
"                          DIR)\n"
"      --no-charts         tables only, without gnuplot\n"
"      --gnuplot PROGRAM   the gnuplot to run (default: gnuplot in PATH)\n"
"      --top N             criteria in the top-criteria chart (default 10)\n"
"  -q, --quiet             do not list the files written\n"
"  -h, --help              this text\n"
"\n"
"Writes DIR2/report.html (charts inlined as data: URIs; nothing outside\n"
"the file is loaded) and DIR2/charts/NAME.{png,svg,gp,dat}.\n"
"Exit status: 0 done, 1 failure (unreadable folder, gnuplot missing or\n"
"failing, I/O), 2 bad usage.\n";

static int
cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "no-charts", no_argument, NULL, OPT_R_NO_CHARTS },
		{ "gnuplot", required_argument, NULL, OPT_R_GNUPLOT },
		{ "top", required_argument, NULL, OPT_R_TOP },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned char seen[sizeof(longopts) / sizeof(longopts[0])] = { 0 };
	struct ft_reportgen_opts ro;
	struct ft_err e;
	uint64_t v;
	int c, rc;

	ft_reportgen_opts_default(&ro);
	ro.info = stdout;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
		if (twice(longopts, seen, c))
			return bad_usage("report", "option given twice",
			    opt_name(longopts, c));
		switch (c) {
		case 'o':
			ro.out = optarg;
			break;
		case OPT_R_NO_CHARTS:
			ro.charts = 0;
			break;
		case OPT_R_GNUPLOT:
			ro.gnuplot = optarg;
			break;
		case OPT_R_TOP:
			if (opt_u64(optarg, 100, &v) != 0 || v == 0)
				return bad_usage("report",
				    "bad --top value (1..100)", optarg);
			ro.top = (unsigned)v;
			break;
		case 'q':
			ro.info = NULL;
			break;
		case 'h':
			fputs(usage_report, stdout);
			return 0;
		default:
			return bad_option("report", c, argv);
		}
	}
	if (optind == argc)
		return bad_usage("report", "missing", "DIR");
	if (optind + 1 < argc)
		return bad_usage("report", "unexpected argument",
		    argv[optind + 1]);
	e.msg[0] = '\0';
	rc = make_report(argv[optind], &ro, &e);
	if (rc != 0) {
		fprintf(stderr, "flowtap report: %s\n",
		    e.msg[0] ? e.msg : ft_err_name(rc));
		return 1;
	}
	return 0;
}

static const char usage_plan[] =
"usage: flowtap plan --trace FILE (--script FILE | --criteria FILE)\n"
"                    [options]\n"
"\n"
"The load the criteria would offer the services PIC over a trace, with no\n"
"budget dropping anything: per criterion and per agency, per interval,\n"
"the busiest 1 s and 100 ms windows, the headroom (or overload) of each\n"
"bucket; the drops the PIC's budget would make (exactly as replay's)\n"
"and when it would first be exceeded; and the smallest set of criteria\n"
"whose removal brings the run within budget (docs/reports.md).\n"
"\n"
"  -t, --trace FILE            input capture (pcap or pcapng)\n"
"  -s, --script FILE           DTCP script, as for replay\n"
"      --criteria FILE         or a criteria list: paragraphs of ADD\n"
"                              parameter lines (Source-Address: ...), each\n"
"                              added at time 0\n"
"      --csource NAME          Csource-ID of list entries without one\n"
"                              (default verint)\n"
"  -c, --config FILE           Junos router configuration (default: the\n"
"                              Juniper guide's example)\n"
"  -p, --profile NAME          flowtap (default) | junos | draft\n"
"  -k, --dtcp-key KEY          HMAC-SHA1 key (default: Juniper)\n"
"      --budget-pps N          packet rate per direction (default 20000;\n"
"                              0 = unlimited)\n"
"      --budget-burst N        packet bucket depth (default 2000)\n"
"      --budget-bytes N        byte rate per direction, bytes/s\n"
"                              (default 5120000; 0 = unlimited)\n"
"      --budget-byte-burst N   byte bucket depth (default 512000)\n"
"      --interval SECONDS      per-interval load (default 1; 0.001 to\n"
"                              31622400)\n"
"      --input-interface IFL   as for replay\n"
"      --output-interface IFL  as for replay\n"
"      --classifier NAME       fast (default) | linear\n"
"      --json                  JSON on standard output instead of text\n"
"      --json-file FILE        also write the JSON to FILE\n"
"      --intervals FILE        the per-interval load as CSV (total, each\n"
"                              agency, each criterion)\n"
"      --max-runs N            re-runs of the trace the narrowing may make\n"
"                              (default 200; 0: do not narrow)\n"
"  -h, --help                  this text\n"
"\n"
"Exit status: 0 within budget, 3 over it (for CI gates), 1 failure\n"
"(unreadable input, I/O), 2 bad usage.\n";

static int
cmd_plan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "trace", required_argument, NULL, 't' },
		{ "script", required_argument, NULL, 's' },
		{ "criteria", required_argument, NULL, OPT_P_CRITERIA },
		{ "csource", required_argument, NULL, OPT_P_CSOURCE },
		{ "config", required_argument, NULL, 'c' },
		{ "profile", required_argument, NULL, 'p' },
		{ "dtcp-key", required_argument, NULL, 'k' },
		{ "budget-pps", required_argument, NULL, OPT_PPS },
		{ "budget-burst", required_argument, NULL, OPT_BURST },
		{ "budget-bytes", required_argument, NULL, OPT_BYTES },
		{ "budget-byte-burst", required_argument, NULL, OPT_BYTE_BURST },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "input-interface", required_argument, NULL, OPT_IIF },
		{ "output-interface", required_argument, NULL, OPT_OIF },
		{ "classifier", required_argument, NULL, OPT_CLASSIFIER },
		{ "json", no_argument, NULL, OPT_P_JSON },
		{ "json-file", required_argument, NULL, OPT_P_JSON_FILE },
		{ "intervals", required_argument, NULL, OPT_P_INTERVALS },
		{ "max-runs", required_argument, NULL, OPT_P_MAX_RUNS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned char seen[sizeof(longopts) / sizeof(longopts[0])] = { 0 };
	struct ft_plan_opts o;
	struct ft_plan *plan = NULL;
	struct ft_err e;
	const char *jfile = NULL, *ivfile = NULL;
	FILE *jfp = NULL;
	uint64_t v;
	int c, rc, json = 0, status;

	ft_plan_opts_default(&o);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":t:s:c:p:k:h", longopts,
	    NULL)) != -1) {
		if (twice(longopts, seen, c))
			return bad_usage("plan", "option given twice",
			    opt_name(longopts, c));
		switch (c) {
		case 't':
			o.run.trace = optarg;
			break;
		case 's':
			o.run.script = optarg;
			break;
		case OPT_P_CRITERIA:
			o.criteria = optarg;
			break;
		case OPT_P_CSOURCE:
			if (optarg[0] == '\0' || strlen(optarg) > FT_NAME_MAX)
				return bad_usage("plan",
				    "csource must be 1 to 64 bytes", optarg);
			o.csource = optarg;
			break;
		case 'c':
			o.run.config = optarg;
			break;
		case 'p':
			if (ft_profile_parse(optarg, &o.run.profile) != 0)
				return bad_usage("plan", "unknown profile",
				    optarg);
			break;
		case 'k':
			if (optarg[0] == '\0')
				return bad_usage("plan", "empty DTCP key",
				    optarg);
			o.run.key = optarg;
			break;
		case OPT_PPS:
			if (opt_u64(optarg, RATE_MAX, &o.run.budget.pps) != 0)
				return bad_usage("plan", "bad --budget-pps "
				    "value (0 to " RATE_MAX_S ")", optarg);
			break;
		case OPT_BURST:
			if (opt_u64(optarg, BURST_MAX, &o.run.budget.burst) != 0)
				return bad_usage("plan", "bad --budget-burst "
				    "value (0 to " BURST_MAX_S ")", optarg);
			break;
		case OPT_BYTES:
			if (opt_u64(optarg, RATE_MAX, &o.run.budget.bps) != 0)
				return bad_usage("plan", "bad --budget-bytes "
				    "value (0 to " RATE_MAX_S ")", optarg);
			break;
		case OPT_BYTE_BURST:
			if (opt_u64(optarg, BURST_MAX,
			    &o.run.budget.byte_burst) != 0)
				return bad_usage("plan", "bad "
				    "--budget-byte-burst value (0 to "
				    BURST_MAX_S ")", optarg);
			break;
		case OPT_INTERVAL:
			if (opt_interval(optarg, &o.run.interval_ns) != 0)
				return bad_usage("plan", "bad --interval value "
				    "(0.001 to 31622400 seconds)", optarg);
			break;
		case OPT_IIF:
			o.run.input_interface = optarg;
			break;
		case OPT_OIF:
			o.run.output_interface = optarg;
			break;
		case OPT_CLASSIFIER:
			if (strcmp(optarg, "fast") == 0)
				o.run.classifier = FT_REPLAY_CLASSIFIER_FAST;
			else if (strcmp(optarg, "linear") == 0)
				o.run.classifier = FT_REPLAY_CLASSIFIER_LINEAR;
			else
				return bad_usage("plan", "unknown classifier",
				    optarg);
			break;
		case OPT_P_JSON:
			json = 1;
			break;
		case OPT_P_JSON_FILE:
			jfile = optarg;
			break;
		case OPT_P_INTERVALS:
			ivfile = optarg;
			break;
		case OPT_P_MAX_RUNS:
			if (opt_u64(optarg, 100000, &v) != 0)
				return bad_usage("plan",
				    "bad --max-runs value (0..100000)", optarg);
			o.max_runs = (unsigned)v;
			break;
		case 'h':
			fputs(usage_plan, stdout);
			return 0;
		default:
			return bad_option("plan", c, argv);
		}
	}
	if (optind < argc)
		return bad_usage("plan", "unexpected argument", argv[optind]);
	if (o.run.trace == NULL)
		return bad_usage("plan", "missing option", "--trace");
	if ((o.run.script == NULL) == (o.criteria == NULL))
		return bad_usage("plan", "give one of --script and",
		    "--criteria");

	e.msg[0] = '\0';
	if (ivfile != NULL && (o.intervals = fopen(ivfile, "w")) == NULL) {
		fprintf(stderr, "flowtap plan: cannot write '%s'\n", ivfile);
		return 1;
	}
	rc = ft_plan_run(&o, &plan, &e);
	if (o.intervals != NULL && fclose(o.intervals) != 0 && rc == 0)
		rc = ft_err_set(&e, FT_EIO, "cannot write '%s'", ivfile);
	if (rc == 0 && jfile != NULL) {
		jfp = fopen(jfile, "w");
		if (jfp == NULL)
			rc = ft_err_set(&e, FT_EIO, "cannot write '%s'", jfile);
		else {
			rc = ft_plan_write_json(plan, jfp);
			if (fclose(jfp) != 0 || rc != 0)
				rc = ft_err_set(&e, FT_EIO, "cannot write "
				    "'%s'", jfile);
		}
	}
	if (rc == 0) {
		rc = json ? ft_plan_write_json(plan, stdout) :
		    ft_plan_write_text(plan, stdout);
		if (rc != 0)
			ft_err_set(&e, rc, "cannot write the plan");
	}
	if (rc != 0) {
		ft_plan_free(plan);
		fprintf(stderr, "flowtap plan: %s\n",
		    e.msg[0] ? e.msg : ft_err_name(rc));
		return 1;
	}
	status = ft_plan_within(plan) ? 0 : 3;
	ft_plan_free(plan);
	return status;
}

static const char usage_lint[] =
"usage: flowtap lint [options] FILE...\n"
"\n"
"Judge a mediation device's DTCP output against the spec, message by\n"
"message: each message goes through the engine's own tasking (the same\n"
"parser, validation and order as replay and serve), and every rejection,\n"
"and every mistake a router lets through, is named by its rule\n"
"(docs/rules.md). FILE is a script (docs/scripts.md), a dfcclient.pl\n"
"parameter file (no Authentication-Info: the sender adds it) or a dtcp.log of\n"
"replay or serve, whose replies are judged too; '-' is standard input.\n"
"\n"
"  -k, --key KEY             DTCP HMAC-SHA1 key (default: Juniper);\n"
"      --dtcp-key KEY        the same\n"
"  -p, --profile NAME        flowtap (default) | junos | draft\n"
"  -c, --config FILE         Junos router configuration: users, classes,\n"
"                            interfaces, VRFs, limits (default: the\n"
"                            Juniper guide's example)\n"
"  -u, --user USER           login user of messages outside any @session\n"
"                            (default: each message's Csource-ID)\n"
"      --form NAME           auto (default) | script | dfcclient |\n"
"                            transcript\n"
"  -f, --format NAME         text (default) | json | junit\n"
"      --explain-mac         under a MAC finding, the bytes it covers\n"
"      --rules [text|markdown]  print the rule catalogue and exit\n"
"  -h, --help                this text\n"
"\n"
"Output (text): 'FILE:LINE: RULE-ID SEVERITY: message (reference)', then\n"
"a summary line with the counts. Exit status: 1 when any MUST is broken\n"
"(or a file cannot be read), 0 otherwise, 2 on bad usage.\n";

enum {
	OPT_L_FORM = 0x300,
	OPT_L_EXPLAIN_MAC,
	OPT_L_RULES,
	OPT_L_DTCP_KEY,
};

static int
cmd_lint(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "dtcp-key", required_argument, NULL, OPT_L_DTCP_KEY },
		{ "profile", required_argument, NULL, 'p' },
		{ "config", required_argument, NULL, 'c' },
		{ "user", required_argument, NULL, 'u' },
		{ "form", required_argument, NULL, OPT_L_FORM },
		{ "format", required_argument, NULL, 'f' },
		{ "explain-mac", no_argument, NULL, OPT_L_EXPLAIN_MAC },
		{ "rules", optional_argument, NULL, OPT_L_RULES },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned char seen[sizeof(longopts) / sizeof(longopts[0])] = { 0 };
	struct ft_lint_opts o;
	struct ft_lint_file **files = NULL;
	struct ft_routercfg *router = NULL;
	enum ft_lint_format fmt = FT_LINT_TEXT;
	const char *config = NULL;
	struct ft_err e;
	int c, i, n = 0, status = 0, rc, rules = -1;

	memset(&o, 0, sizeof(o));
	o.profile = FT_PROFILE_FLOWTAP;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:k:p:c:u:f:h", longopts,
	    NULL)) != -1) {
		if (twice(longopts, seen, c))
			return bad_usage("lint", "option given twice",
			    opt_name(longopts, c));
		switch (c) {
		case 'k':
		case OPT_L_DTCP_KEY:
			if (optarg[0] == '\0')
				return bad_usage("lint", "empty --key", "");
			o.key = optarg;
			break;
		case 'p':
			if (ft_profile_parse(optarg, &o.profile) != 0)
				return bad_usage("lint", "unknown profile "
				    "(flowtap, junos, draft)", optarg);
			break;
		case 'c':
			config = optarg;
			break;
		case 'u':
			if (optarg[0] == '\0' || strlen(optarg) > FT_NAME_MAX)
				return bad_usage("lint", "bad --user (1 to 64 "
				    "bytes)", optarg);
			o.user = optarg;
			break;
		case OPT_L_FORM:
			if (strcmp(optarg, "auto") == 0)
				o.form = FT_LINT_AUTO;
			else if (strcmp(optarg, "script") == 0)
				o.form = FT_LINT_SCRIPT;
			else if (strcmp(optarg, "dfcclient") == 0)
				o.form = FT_LINT_DFCCLIENT;
			else if (strcmp(optarg, "transcript") == 0)
				o.form = FT_LINT_TRANSCRIPT;
			else
				return bad_usage("lint", "unknown --form (auto, "
				    "script, dfcclient, transcript)", optarg);
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				fmt = FT_LINT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				fmt = FT_LINT_JSON;
			else if (strcmp(optarg, "junit") == 0)
				fmt = FT_LINT_JUNIT;
			else
				return bad_usage("lint", "unknown --format "
				    "(text, json, junit)", optarg);
			break;
		case OPT_L_EXPLAIN_MAC:
			o.explain_mac = 1;
			break;
		case OPT_L_RULES:
			/* "--rules markdown" as well as "--rules=markdown". */
			if (optarg == NULL && optind < argc &&
			    (strcmp(argv[optind], "text") == 0 ||
			    strcmp(argv[optind], "markdown") == 0))
				optarg = argv[optind++];
			if (optarg == NULL || strcmp(optarg, "text") == 0)
				rules = 0;
			else if (strcmp(optarg, "markdown") == 0)
				rules = 1;
			else
				return bad_usage("lint", "unknown --rules form "
				    "(text, markdown)", optarg);
			break;
		case 'h':
			fputs(usage_lint, stdout);
			return 0;
		default:
			return bad_option("lint", c, argv);
		}
	}
	if (rules >= 0)
		return ft_lint_write_rules(stdout, rules) == 0 ? 0 : 1;
	if (optind >= argc)
		return bad_usage("lint", "missing", "FILE");

	e.msg[0] = '\0';
	if (config != NULL) {
		router = calloc(1, sizeof(*router));
		if (router == NULL) {
			fprintf(stderr, "flowtap lint: out of memory\n");
			return 1;
		}
		if (ft_routercfg_load(router, config, &e) != 0) {
			fprintf(stderr, "flowtap lint: %s\n", e.msg);
			free(router);
			return 1;
		}
		o.router = router;
	}
	files = calloc((size_t)(argc - optind), sizeof(*files));
	if (files == NULL) {
		fprintf(stderr, "flowtap lint: out of memory\n");
		status = 1;
		goto out;
	}
	for (i = optind; i < argc; i++) {
		rc = ft_lint_path(&files[n], argv[i], &o, &e);
		if (rc != 0) {
			fprintf(stderr, "flowtap lint: %s\n",
			    e.msg[0] ? e.msg : ft_err_name(rc));
			status = 1;
			continue;
		}
		n++;
	}
	if (ft_lint_write(stdout, fmt, files, (size_t)n) != 0) {
		fprintf(stderr, "flowtap lint: cannot write the findings\n");
		status = 1;
	}
	if (ft_lint_status(files, (size_t)n) != 0)
		status = 1;
out:
	for (i = 0; i < n; i++)
		ft_lint_file_free(files[i]);
	free(files);
	if (router != NULL) {
		ft_routercfg_wipe(router);
		free(router);
	}
	return status;
}

int
main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (cmd == NULL) {
		fputs(usage_main, stderr);
		return 2;
	}
	if (strcmp(cmd, "replay") == 0)
		return cmd_replay(argc - 1, argv + 1);
	if (strcmp(cmd, "bench") == 0)
		return cmd_bench(argc - 1, argv + 1);
	if (strcmp(cmd, "report") == 0)
		return cmd_report(argc - 1, argv + 1);
	if (strcmp(cmd, "plan") == 0)
		return cmd_plan(argc - 1, argv + 1);
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (strcmp(cmd, "client") == 0)
		return cmd_client(argc - 1, argv + 1);
	if (strcmp(cmd, "lint") == 0)
		return cmd_lint(argc - 1, argv + 1);
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("flowtap %s\n", FLOWTAP_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "-h") == 0) {
		if (argc > 2 && strcmp(argv[2], "replay") == 0) {
			fputs(usage_replay, stdout);
			fputs(usage_replay_outputs, stdout);
		} else if (argc > 2 && strcmp(argv[2], "bench") == 0)
			fputs(usage_bench, stdout);
		else if (argc > 2 && strcmp(argv[2], "report") == 0)
			fputs(usage_report, stdout);
		else if (argc > 2 && strcmp(argv[2], "plan") == 0)
			fputs(usage_plan, stdout);
		else if (argc > 2 && strcmp(argv[2], "serve") == 0)
			serve_help();
		else if (argc > 2 && strcmp(argv[2], "client") == 0)
			fputs(usage_client, stdout);
		else if (argc > 2 && strcmp(argv[2], "lint") == 0)
			fputs(usage_lint, stdout);
		else if (argc > 2 && strcmp(argv[2], "help") != 0 &&
		    strcmp(argv[2], "version") != 0) {
			fprintf(stderr, "flowtap help: unknown command '%s' "
			    "(see 'flowtap --help')\n", argv[2]);
			return 2;
		} else
			fputs(usage_main, stdout);
		return 0;
	}
	fprintf(stderr, "flowtap: unknown command '%s' (see 'flowtap --help')\n",
	    cmd);
	return 2;
}
