/*
 * main.c - the flowtap command: git-style subcommands, each with --help.
 * Exit status: 0 done, 1 failure (one line on stderr), 2 bad usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "err.h"
#include "num.h"
#include "replay.h"
#include "tasking.h"

#define FLOWTAP_VERSION "0.1.0"

/* Largest burst whose depth in nano-units fits 64 bits (SPEC 7). */
#define BURST_MAX 18000000000ULL
/* Largest rate accepted: 10^12 units/s (far above any PIC). */
#define RATE_MAX 1000000000000ULL

static const char usage_main[] =
"usage: flowtap <command> [options]\n"
"\n"
"flowtap emulates a Juniper flow-tap router: DTCP intercept requests from\n"
"mediation devices, packet matching against up to 100 criteria, copies to\n"
"content destinations in a new IP/UDP header, the services PIC's budget.\n"
"\n"
"commands:\n"
"  replay    run the offline engine: trace + script (+ config) -> outputs\n"
"  help      show this text, or 'flowtap help <command>'\n"
"  version   print the version\n"
"\n"
"Each command takes --help.\n";

static const char usage_replay[] =
"usage: flowtap replay --trace FILE --script FILE --out DIR [options]\n"
"\n"
"Replay a pcap/pcapng trace through the emulated router while applying the\n"
"DTCP requests and events of a script at their trace times (SPEC 8, 9).\n"
"\n"
"  -t, --trace FILE            input capture (pcap or pcapng)\n"
"  -s, --script FILE           DTCP script (fixture) file\n"
"  -o, --out DIR               output folder (created if missing)\n"
"  -c, --config FILE           Junos router configuration\n"
"                              (default: the seed guide's example)\n"
"  -p, --profile NAME          flowtap (default) | junos | draft\n"
"  -k, --dtcp-key KEY          HMAC-SHA1 key (default: Juniper)\n"
"      --budget-pps N          packet rate per direction (default 20000;\n"
"                              0 = unlimited)\n"
"      --budget-burst N        packet bucket depth (default 2000)\n"
"      --budget-bytes N        byte rate per direction, bytes/s\n"
"                              (default 5120000; 0 = unlimited)\n"
"      --budget-byte-burst N   byte bucket depth (default 512000)\n"
"      --interval SECONDS      rates.csv interval (default 1; up to ns)\n"
"  -q, --quiet                 no summary on standard output\n"
"  -h, --help                  this text\n"
"\n"
"Outputs in DIR: intercept.pcap, dtcp.log, ledger.tsv, report.json,\n"
"rates.csv; each is written under a temporary name and renamed into place\n"
"only when the whole run succeeded.\n"
"Exit status: 0 run completed (DTCP errors are output, not failures),\n"
"1 failure (unreadable input, I/O), 2 bad usage.\n";

static int
bad_usage(const char *cmd, const char *what, const char *arg)
{
	fprintf(stderr, "flowtap %s: %s '%s' (see 'flowtap %s --help')\n",
	    cmd, what, arg ? arg : "", cmd);
	return 2;
}

static int
opt_u64(const char *arg, uint64_t max, uint64_t *out)
{
	return ft_num_u64(arg, strlen(arg), 20, 0, max, out);
}

enum {
	OPT_PPS = 256,
	OPT_BURST,
	OPT_BYTES,
	OPT_BYTE_BURST,
	OPT_INTERVAL,
};

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
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ft_replay_opts o;
	struct ft_err e;
	int c, quiet = 0, rc;

	ft_replay_opts_default(&o);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":t:s:o:c:p:k:qh", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 't':
			o.trace = optarg;
			break;
		case 's':
			o.script = optarg;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'c':
			o.config = optarg;
			break;
		case 'p':
			if (ft_profile_parse(optarg, &o.profile) != 0)
				return bad_usage("replay", "unknown profile",
				    optarg);
			break;
		case 'k':
			if (optarg[0] == '\0')
				return bad_usage("replay", "empty DTCP key",
				    optarg);
			o.key = optarg;
			break;
		case OPT_PPS:
			if (opt_u64(optarg, RATE_MAX, &o.budget.pps) != 0)
				return bad_usage("replay",
				    "bad --budget-pps value", optarg);
			break;
		case OPT_BURST:
			if (opt_u64(optarg, BURST_MAX, &o.budget.burst) != 0)
				return bad_usage("replay",
				    "bad --budget-burst value", optarg);
			break;
		case OPT_BYTES:
			if (opt_u64(optarg, RATE_MAX, &o.budget.bps) != 0)
				return bad_usage("replay",
				    "bad --budget-bytes value", optarg);
			break;
		case OPT_BYTE_BURST:
			if (opt_u64(optarg, BURST_MAX, &o.budget.byte_burst) != 0)
				return bad_usage("replay",
				    "bad --budget-byte-burst value", optarg);
			break;
		case OPT_INTERVAL:
			if (ft_num_seconds_ns(optarg, strlen(optarg), 86400 * 366,
			    &o.interval_ns) != 0 || o.interval_ns == 0)
				return bad_usage("replay",
				    "bad --interval value", optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(usage_replay, stdout);
			return 0;
		case ':':
			return bad_usage("replay", "missing value for option",
			    argv[optind - 1]);
		default:
			return bad_usage("replay", "unknown option",
			    argv[optind - 1]);
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
	o.summary = quiet ? NULL : stdout;

	e.msg[0] = '\0';
	rc = ft_replay_run(&o, &e);
	if (rc != 0) {
		fprintf(stderr, "flowtap replay: %s\n",
		    e.msg[0] ? e.msg : ft_err_name(rc));
		return 1;
	}
	return 0;
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
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("flowtap %s\n", FLOWTAP_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "-h") == 0) {
		if (argc > 2 && strcmp(argv[2], "replay") == 0)
			fputs(usage_replay, stdout);
		else
			fputs(usage_main, stdout);
		return 0;
	}
	fprintf(stderr, "flowtap: unknown command '%s' (see 'flowtap --help')\n",
	    cmd);
	return 2;
}
