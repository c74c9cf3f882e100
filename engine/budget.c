/*
 * budget.c - the services PIC budget (SPEC 7): two token buckets per
 * direction, levels in nano-units, exact integer arithmetic.
 *
 * A rate of R units/s is R * 10^9 nano-units per 10^9 ns, i.e. R
 * nano-units per ns: the gain over dt ns is dt * R nano-units.
 */
#include "budget.h"

#include <stddef.h>

#define NANO	1000000000ULL

__extension__ typedef unsigned __int128 u128;

void
ft_budget_cfg_default(struct ft_budget_cfg *cfg)
{
	cfg->pps = FT_BUDGET_PPS_DEF;
	cfg->burst = FT_BUDGET_BURST_DEF;
	cfg->bps = FT_BUDGET_BPS_DEF;
	cfg->byte_burst = FT_BUDGET_BYTE_BURST_DEF;
}

/*
 * A depth that does not fit 64 bits (burst > 18446744073) saturates; the
 * CLI is expected to refuse such values before they get here.
 */
static void
bucket_init(struct ft_bucket *k, uint64_t rate, uint64_t burst)
{
	u128 d = (u128)burst * NANO;

	k->rate = rate;
	k->depth = d > UINT64_MAX ? UINT64_MAX : (uint64_t)d;
	k->level = k->depth;
}

/* Rate 0 or depth 0 (SPEC 8: budget values of 0 mean unlimited). */
static int
unlimited(const struct ft_bucket *k)
{
	return k->rate == 0 || k->depth == 0;
}

static void
refill(struct ft_bucket *k, uint64_t dt)
{
	u128 l;

	if (unlimited(k))
		return;
	l = (u128)k->level + (u128)dt * k->rate;
	k->level = l > k->depth ? k->depth : (uint64_t)l;
}

static int
holds(const struct ft_bucket *k, u128 cost)
{
	return unlimited(k) || (u128)k->level >= cost;
}

static void
charge(struct ft_bucket *k, u128 cost)
{
	if (!unlimited(k))
		k->level -= (uint64_t)cost;
}

void
ft_budget_init(struct ft_budget *b, const struct ft_budget_cfg *cfg)
{
	bucket_init(&b->pkt, cfg->pps, cfg->burst);
	bucket_init(&b->byte, cfg->bps, cfg->byte_burst);
	b->t_last = 0;
	b->started = 0;
	b->offered = 0;
	b->passed = 0;
	b->dropped = 0;
	b->bytes_offered = 0;
	b->bytes_passed = 0;
	b->bytes_dropped = 0;
	b->drop_pkt = 0;
	b->drop_byte = 0;
	b->drop_both = 0;
}

int
ft_budget_judge(struct ft_budget *b, uint64_t t_ns, uint64_t bytes)
{
	u128 pcost = NANO, bcost = (u128)bytes * NANO;
	int why = 0;

	if (!b->started) {
		/* Both buckets are full at the first packet's time. */
		b->started = 1;
		b->t_last = t_ns;
	}
	if (t_ns < b->t_last)
		t_ns = b->t_last;	/* the engine clock never goes back */
	refill(&b->pkt, t_ns - b->t_last);
	refill(&b->byte, t_ns - b->t_last);
	b->t_last = t_ns;

	b->offered++;
	b->bytes_offered += bytes;
	if (!holds(&b->pkt, pcost))
		why |= FT_BUDGET_SHORT_PKT;
	if (!holds(&b->byte, bcost))
		why |= FT_BUDGET_SHORT_BYTE;
	if (why == 0) {
		charge(&b->pkt, pcost);
		charge(&b->byte, bcost);
		b->passed++;
		b->bytes_passed += bytes;
		return 0;
	}
	b->dropped++;
	b->bytes_dropped += bytes;
	if (why == FT_BUDGET_SHORT_PKT)
		b->drop_pkt++;
	else if (why == FT_BUDGET_SHORT_BYTE)
		b->drop_byte++;
	else
		b->drop_both++;
	return why;
}

int
ft_budget_offer(struct ft_budget *b, uint64_t t_ns, uint64_t bytes)
{
	return ft_budget_judge(b, t_ns, bytes) == 0;
}
