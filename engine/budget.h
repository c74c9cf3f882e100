/*
 * budget.h - the services PIC budget (SPEC 7): per direction a packet and
 * a byte token bucket, driven by trace time, exact integer arithmetic.
 */
#ifndef FT_BUDGET_H
#define FT_BUDGET_H

#include <stdint.h>

#define FT_BUDGET_PPS_DEF	20000ULL	/* seed: 20 Kpps */
#define FT_BUDGET_BURST_DEF	2000ULL		/* packets */
#define FT_BUDGET_BPS_DEF	(20000ULL * 256)	/* bytes/s: 256 B/packet */
#define FT_BUDGET_BYTE_BURST_DEF 512000ULL	/* bytes */

/* Rates per second and depths in whole units; a rate of 0 = unlimited. */
struct ft_budget_cfg {
	uint64_t pps, burst;
	uint64_t bps, byte_burst;
};

struct ft_bucket {
	uint64_t rate;		/* units per second (0: unlimited) */
	uint64_t depth;		/* nano-units */
	uint64_t level;		/* nano-units */
};

/*
 * Why a packet was dropped: the bucket(s) that did not hold its cost
 * (both bits when both were short). 0 means it passed.
 */
#define FT_BUDGET_SHORT_PKT	0x1
#define FT_BUDGET_SHORT_BYTE	0x2

/* One direction (ingress or egress). */
struct ft_budget {
	struct ft_bucket pkt, byte;
	uint64_t t_last;	/* ns */
	int started;
	uint64_t offered, passed, dropped;		/* packets */
	uint64_t bytes_offered, bytes_passed, bytes_dropped;
	/* Drops by cause: only the packet bucket, only the byte bucket, both. */
	uint64_t drop_pkt, drop_byte, drop_both;
};

/* The defaults of SPEC 7. */
void ft_budget_cfg_default(struct ft_budget_cfg *cfg);

/* Both buckets full; they start at the first ft_budget_offer's time. */
void ft_budget_init(struct ft_budget *b, const struct ft_budget_cfg *cfg);

/*
 * Judge one packet of `bytes` bytes at engine clock t_ns (never less than
 * a previous call's). Refills, then passes (returns 1, both buckets
 * charged) or drops (returns 0, nothing charged). Counts either way.
 */
int ft_budget_offer(struct ft_budget *b, uint64_t t_ns, uint64_t bytes);

/*
 * The same judgement, saying why: returns 0 when the packet passed, else
 * the FT_BUDGET_SHORT_* bits of the bucket(s) that did not hold its cost.
 */
int ft_budget_judge(struct ft_budget *b, uint64_t t_ns, uint64_t bytes);

#endif
