/*
 * plan.h - `flowtap plan` (SPEC 10, docs/reports.md): the load criteria
 * would offer the services PIC over a trace, with no budget dropping
 * anything; the headroom or overload of each bucket; the drops the SPEC 7
 * budget would make and when it would first be exceeded; and which
 * criteria to narrow first.
 *
 * The trace and the script (or a criteria list made into ADDs at time 0)
 * go through the replay driver without outputs (replay.h); the planner
 * observes every matching packet before the budget (pic.h) and runs its
 * own pair of budgets over that load, so its predicted drops are the
 * replay's to the packet. Criteria are grouped by owner and ADD text (a
 * filter replayed after a restart gets a new Criteria-ID but is the same
 * filter); narrowing removes whole groups and re-runs the trace.
 */
#ifndef FT_PLAN_H
#define FT_PLAN_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "replay.h"

/* Re-runs the narrowing may make at most, by default. */
#define FT_PLAN_RUNS_DEF	200

struct ft_plan_opts {
	/*
	 * trace, script, config, profile, key, budget, interval,
	 * classifier, interfaces; out, observe and stats are the planner's.
	 */
	struct ft_replay_opts run;
	/*
	 * A criteria list instead of a script (run.script is then NULL):
	 * paragraphs of ADD parameter lines, each made into an ADD at time
	 * 0 (docs/reports.md).
	 */
	const char *criteria;
	const char *csource;	/* criteria list's default Csource-ID */
	unsigned max_runs;	/* narrowing re-runs, 0: none */
	FILE *intervals;	/* per-interval load CSV, or NULL */
};

struct ft_plan;

/* Defaults: replay's, csource "verint", FT_PLAN_RUNS_DEF re-runs. */
void ft_plan_opts_default(struct ft_plan_opts *o);

/*
 * Run the plan. Returns 0 with *out set (free with ft_plan_free), or a
 * negative FT_E* with e set: unreadable inputs, a bad criteria list, no
 * memory.
 */
int ft_plan_run(const struct ft_plan_opts *o, struct ft_plan **out,
    struct ft_err *e);

/* 1 when the budget would drop nothing, else 0. */
int ft_plan_within(const struct ft_plan *p);

/* The plan as text for people, or as JSON. Return 0 or FT_EIO. */
int ft_plan_write_text(const struct ft_plan *p, FILE *fp);
int ft_plan_write_json(const struct ft_plan *p, FILE *fp);

/* The predicted drops per direction (for tests and the check script). */
void ft_plan_drops(const struct ft_plan *p, uint64_t *ingress,
    uint64_t *egress);

/* NULL is a no-op. */
void ft_plan_free(struct ft_plan *p);

#endif
