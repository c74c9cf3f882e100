/*
 * classify.h - the criterion table: the active criteria of the chassis in
 * Criteria-ID order and the packet -> matching criteria lookup.
 *
 * This is the linear reference matcher; a faster one must give the same
 * match sets (issue: fast classifier).
 */
#ifndef FT_CLASSIFY_H
#define FT_CLASSIFY_H

#include <stdint.h>

#include "decode.h"
#include "rule.h"

struct ft_classify;

/* A table with room for FT_CRITERIA_MAX criteria. NULL on no memory. */
struct ft_classify *ft_classify_new(void);
void ft_classify_free(struct ft_classify *c);

/*
 * Copy r into the table. r->id must be greater than every id added
 * before (ids are never reused). Returns 0, FT_ELIMIT when full, or
 * FT_EINVAL for a non-increasing id.
 */
int ft_classify_add(struct ft_classify *c, const struct ft_rule *r);

/* Remove criterion id. Returns 0 or FT_ENOENT. */
int ft_classify_del(struct ft_classify *c, uint64_t id);

/* Remove every criterion. */
void ft_classify_clear(struct ft_classify *c);

unsigned ft_classify_count(const struct ft_classify *c);

/* The i-th criterion in Criteria-ID order (i < count), owned by the table. */
struct ft_rule *ft_classify_at(struct ft_classify *c, unsigned i);

/* Criterion id, or NULL. */
struct ft_rule *ft_classify_get(struct ft_classify *c, uint64_t id);

/*
 * Write the criteria matching p into out[0..max) in Criteria-ID order and
 * return how many matched (at most max). No allocation.
 */
unsigned ft_classify_match(struct ft_classify *c, const struct ft_pkt *p,
    struct ft_rule **out, unsigned max);

#endif
