/*
 * report.h - run accounting for report.json and rates.csv (SPEC 8).
 *
 * Counters are bumped on the per-packet path (no allocation there except
 * when a criterion is matched for the first time); rates.csv is streamed
 * interval by interval; report.json is written once at the end with keys
 * in a fixed order, so identical runs give identical bytes.
 */
#ifndef FT_REPORT_H
#define FT_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "budget.h"
#include "decode.h"
#include "err.h"
#include "limits.h"
#include "tasking.h"

struct ft_report_crit {
	uint64_t id;
	char csource[FT_NAME_MAX + 1];
	uint64_t packets, bytes;	/* matched at the PIC */
	uint64_t copies_passed, copies_dropped;
	size_t src;		/* its control source's row in src[] */
};

struct ft_report_src {
	char csource[FT_NAME_MAX + 1];
	uint64_t packets, bytes, copies_passed, copies_dropped;
};

/* Per-direction counters of one window (a rates interval or a second). */
struct ft_report_win {
	uint64_t packets;	/* records read */
	uint64_t in_off, in_pass, in_drop;
	uint64_t eg_off, eg_pass, eg_drop;
};

struct ft_report {
	uint64_t interval_ns;
	FILE *rates;
	int started;
	uint64_t base_ns;

	uint64_t read;
	uint64_t skip[FT_DECODE_REASON_COUNT];
	uint64_t family_off;	/* IP family not configured on the unit */
	uint64_t encap_errors;	/* copy too big for the outer header */

	struct ft_report_crit *crit;	/* ascending id */
	size_t ncrit, capcrit;
	struct ft_report_src *src;
	size_t nsrc, capsrc;

	uint64_t cur_iv;	/* current rates interval index */
	struct ft_report_win iv;
	uint64_t cur_sec;	/* current 1-second window index */
	struct ft_report_win sec, peak;
	/*
	 * Offsets [lo, hi) covered by cur_iv and cur_sec, so a record
	 * inside both windows costs no division.
	 */
	uint64_t iv_lo, iv_hi, sec_lo, sec_hi;
};

/* What the final report states besides the counters. */
struct ft_report_info {
	const char *trace, *script, *config, *profile;
	int linktype;
	const struct ft_budget_cfg *budget;
	const struct ft_budget *ingress, *egress;
	const struct ft_tasking_stats *tasking;
};

/* rates receives the CSV header now and a row per non-empty interval. */
int ft_report_init(struct ft_report *r, uint64_t interval_ns, FILE *rates,
    struct ft_err *e);
void ft_report_release(struct ft_report *r);

/* A record read at engine clock t (called first for every record). */
void ft_report_packet(struct ft_report *r, uint64_t t);
void ft_report_skip(struct ft_report *r, enum ft_decode_reason why);
void ft_report_ingress(struct ft_report *r, int passed);
/*
 * A packet that passed ingress matched criterion id of csource. Returns
 * the criterion's row for the ft_report_egress calls of this packet's
 * copies (valid until the next ft_report_match), or NULL on no memory.
 */
struct ft_report_crit *ft_report_match(struct ft_report *r, uint64_t id,
    const char *csource, uint64_t bytes);
/* A copy of that criterion was offered to the egress budget. c may be NULL. */
void ft_report_egress(struct ft_report *r, struct ft_report_crit *c,
    int passed);

/*
 * Flush the last rates row, write report.json to json and, when summary
 * is not NULL, a few human lines. Returns 0 or FT_EIO / FT_ENOMEM.
 */
int ft_report_finish(struct ft_report *r, const struct ft_report_info *info,
    FILE *json, FILE *summary);

#endif
