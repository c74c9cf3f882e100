/*
 * replay.h - the offline engine (SPEC 1-9): a trace, a script and a router
 * configuration in; intercept.pcap, dtcp.log, ledger.tsv, report.json,
 * rates.csv and csources.csv out. Deterministic: the only clock is the
 * trace's.
 */
#ifndef FT_REPLAY_H
#define FT_REPLAY_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "budget.h"
#include "err.h"
#include "pic.h"
#include "sink.h"
#include "tasking.h"

/*
 * The output files, as bits of ft_replay_opts.outputs (replay --outputs),
 * in the order they are written.
 */
enum {
	FT_REPLAY_OUT_PCAP = 1 << 0,		/* intercept.pcap */
	FT_REPLAY_OUT_LOG = 1 << 1,		/* dtcp.log */
	FT_REPLAY_OUT_LEDGER = 1 << 2,		/* ledger.tsv */
	FT_REPLAY_OUT_RATES = 1 << 3,		/* rates.csv */
	FT_REPLAY_OUT_CSOURCES = 1 << 4,	/* csources.csv */
	FT_REPLAY_OUT_REPORT = 1 << 5,		/* report.json */
	FT_REPLAY_OUT_ALL = (1 << 6) - 1
};

/*
 * What a completed run lost or bent without failing (replay --strict
 * reads it): the warnings, the DTCP statistics and the budget's drops.
 */
struct ft_replay_result {
	struct ft_report_warning warn[FT_REPORT_W_COUNT];
	struct ft_tasking_stats stats;
	uint64_t budget_drops;		/* ingress and egress */
	uint64_t skipped_linktype;	/* records of an undecoded link type */
};

/* The criterion table's matcher (classify.h): same outputs, speed differs. */
enum ft_replay_classifier {
	FT_REPLAY_CLASSIFIER_FAST = 0,	/* interval tables (default) */
	FT_REPLAY_CLASSIFIER_LINEAR	/* the linear reference */
};

struct ft_replay_opts {
	const char *trace;	/* pcap/pcapng path */
	const char *script;	/* fixture path */
	const char *config;	/* Junos config path, NULL: the seed's */
	/*
	 * Output folder, created if missing. NULL (with an observer): no
	 * output at all, the run only feeds the observer (the planner).
	 */
	const char *out;
	enum ft_profile profile;
	const char *key;	/* DTCP key, NULL: "Juniper" */
	struct ft_budget_cfg budget;	/* same for ingress and egress */
	uint64_t interval_ns;	/* rates.csv interval, > 0 */
	FILE *summary;		/* a short human summary, or NULL */
	enum ft_replay_classifier classifier;
	/*
	 * Scope (SPEC 6): the interface unit of packets whose record names
	 * none (pcapng if_name wins), and the output interface of every
	 * packet; NULL: unknown. Each must be declared in the configuration.
	 */
	const char *input_interface;
	const char *output_interface;
	/*
	 * replay --explain-mac: a 497's dtcp.log line shows the expected
	 * MAC and the bytes it covers (a test bench's option, tasking.h).
	 */
	int explain_mac;
	/*
	 * intercept.pcap's link layer: raw IP (SPEC 8, the default) or
	 * Ethernet frames with these MACs (replay --copy-linktype ether).
	 */
	struct ft_sink_copyfmt copyfmt;
	/* Every matching packet, before the budget (pic.h); may be NULL. */
	ft_pic_observe_fn observe;
	void *observe_ctx;
	/*
	 * The script as text (the planner's criteria list, made into ADDs):
	 * parsed instead of reading the file `script`, whose name is then
	 * only used in messages. NULL: read the file.
	 */
	const char *script_text;
	size_t script_len;
	/* When not NULL, receives the DTCP statistics at the end of a run. */
	struct ft_tasking_stats *stats;
	/*
	 * The files written (FT_REPLAY_OUT_* bits, default all); the
	 * others are neither written nor removed.
	 */
	unsigned outputs;
	/*
	 * When not NULL: a flag set by a signal handler (the caller's);
	 * once it is non-zero the run stops at the next record, removes
	 * its temporary files and returns FT_EINTR.
	 */
	volatile sig_atomic_t *stop;
	/* When not NULL, filled when the run completed (out != NULL). */
	struct ft_replay_result *result;
	/*
	 * replay --radius: @session logins go through login.h, asking the
	 * configuration's RADIUS servers as its authentication-order says
	 * (the run then depends on them). 0: local users only.
	 */
	int radius;
	/*
	 * replay --threads: 1 reads, decodes and processes every record on
	 * the calling thread; 2 reads and decodes on a second thread
	 * (pipeline.h: the same outputs); 0, the default, is 2 when two
	 * CPUs are online. Traces the pipeline cannot read (ft_trace_batch_
	 * bytes) take one thread.
	 */
	unsigned threads;
};

/*
 * Parse replay --outputs: a comma list of output names, each the file
 * name ("ledger.tsv") or its stem ("ledger"), or "all". Returns 0 with
 * *mask set, or FT_EINVAL with e naming the bad name and the valid ones.
 */
int ft_replay_outputs_parse(const char *list, unsigned *mask,
    struct ft_err *e);

/*
 * Defaults: profile flowtap, key Juniper, the PIC's budget (20 Kpps),
 * 1 s interval, the fast classifier, raw-IP intercept.pcap, every
 * output.
 */
void ft_replay_opts_default(struct ft_replay_opts *o);

/*
 * Run the whole replay. Returns 0 when the run completed (DTCP errors
 * are output, not failures; warnings are counted in report.json and
 * o->result) and every output file was renamed into place; otherwise a
 * negative FT_E* (FT_EINTR when o->stop was raised) with e set to one
 * line, and no output file of this run left behind. The script and the
 * trace may each be "-" (standard input), not both.
 */
int ft_replay_run(const struct ft_replay_opts *o, struct ft_err *e);

#endif
