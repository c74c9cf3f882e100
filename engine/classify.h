/*
 * classify.h - the criterion table: the active criteria of the chassis in
 * Criteria-ID order and the packet -> matching criteria lookup.
 *
 * Two matchers give the same match sets: the fast one (default) looks each
 * packet field up in per-field elementary-interval tables and ANDs the
 * criterion bitsets; the linear one (the reference) runs ft_rule_match on
 * every criterion. The fast tables are rebuilt after a change, at the
 * next ft_classify_match or ft_classify_build: between packets, never per
 * packet.
 */
#ifndef FT_CLASSIFY_H
#define FT_CLASSIFY_H

#include <stdint.h>

#include "decode.h"
#include "rule.h"

struct ft_classify;

/* A fast table with room for FT_CRITERIA_MAX criteria. NULL on no memory. */
struct ft_classify *ft_classify_new(void);

/*
 * A table with room for capacity criteria (1..FT_CLASSIFY_CAP_MAX), the
 * linear reference matcher if linear != 0. NULL on no memory or a bad
 * capacity.
 */
struct ft_classify *ft_classify_new_cap(unsigned capacity, int linear);

/* Switch matcher (linear != 0: the reference). Criteria are kept. */
void ft_classify_set_linear(struct ft_classify *c, int linear);

/* 1 if the table uses the linear reference matcher. */
int ft_classify_is_linear(const struct ft_classify *c);

/*
 * Rebuild the fast lookup tables now if a change made them stale (match
 * does it otherwise). Returns 0, or FT_ENOMEM: the table then falls back
 * to the linear matcher until the next successful build.
 */
int ft_classify_build(struct ft_classify *c);
void ft_classify_free(struct ft_classify *c);

/*
 * Copy r into the table. r->id must be greater than every id added
 * before (ids are never reused). Returns 0, FT_ELIMIT when full (the
 * capacity), or
 * FT_EINVAL for a non-increasing id.
 */
int ft_classify_add(struct ft_classify *c, const struct ft_rule *r);

/* Remove criterion id. Returns 0 or FT_ENOENT. */
int ft_classify_del(struct ft_classify *c, uint64_t id);

/* Remove every criterion. */
void ft_classify_clear(struct ft_classify *c);

unsigned ft_classify_count(const struct ft_classify *c);

/*
 * The i-th criterion in Criteria-ID order (i < count), owned by the table.
 * Callers may change its counters and timeouts, not its match fields.
 */
struct ft_rule *ft_classify_at(struct ft_classify *c, unsigned i);

/* Criterion id, or NULL (same rule as ft_classify_at). */
struct ft_rule *ft_classify_get(struct ft_classify *c, uint64_t id);

/*
 * Write the criteria matching p into out[0..max) in Criteria-ID order and
 * return how many matched (at most max). No allocation, except once after
 * a change when the fast tables are rebuilt.
 */
unsigned ft_classify_match(struct ft_classify *c, const struct ft_pkt *p,
    struct ft_rule **out, unsigned max);

#endif
