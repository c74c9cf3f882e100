/*
 * replay.h - the offline engine (SPEC 1-9): a trace, a script and a router
 * configuration in; intercept.pcap, dtcp.log, ledger.tsv, report.json,
 * rates.csv and csources.csv out. Deterministic: the only clock is the
 * trace's.
 */
#ifndef FT_REPLAY_H
#define FT_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "budget.h"
#include "err.h"
#include "pic.h"
#include "sink.h"
#include "tasking.h"

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
};

/*
 * Defaults: profile flowtap, key Juniper, SPEC 7 budget, 1 s interval,
 * the fast classifier, raw-IP intercept.pcap.
 */
void ft_replay_opts_default(struct ft_replay_opts *o);

/*
 * Run the whole replay. Returns 0 when the run completed (DTCP errors
 * are output, not failures) and every output file was renamed into
 * place; otherwise a negative FT_E* with e set to one line, and no
 * output file of this run left behind.
 */
int ft_replay_run(const struct ft_replay_opts *o, struct ft_err *e);

#endif
