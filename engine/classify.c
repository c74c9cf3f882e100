/*
 * classify.c - the linear reference criterion table. Criteria are kept in
 * Criteria-ID order in one array sized at creation: ids only grow, so an
 * add appends and a delete shifts the tail down.
 */
#include "classify.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

struct ft_classify {
	unsigned n;
	uint64_t last_id;	/* largest id ever added: never reused */
	struct ft_rule *r;	/* FT_CRITERIA_MAX entries */
};

struct ft_classify *
ft_classify_new(void)
{
	struct ft_classify *c;

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->r = calloc(FT_CRITERIA_MAX, sizeof(*c->r));
	if (c->r == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
ft_classify_free(struct ft_classify *c)
{
	if (c == NULL)
		return;
	free(c->r);
	free(c);
}

int
ft_classify_add(struct ft_classify *c, const struct ft_rule *r)
{
	/* Criteria-IDs start at 1 and only grow (SPEC 3). */
	if (r->id == 0 || r->id <= c->last_id)
		return FT_EINVAL;
	if (c->n >= FT_CRITERIA_MAX)
		return FT_ELIMIT;
	c->r[c->n++] = *r;
	c->last_id = r->id;
	return 0;
}

/* Index of id, or -1. */
static long
find_idx(const struct ft_classify *c, uint64_t id)
{
	unsigned lo = 0, hi = c->n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (c->r[mid].id == id)
			return (long)mid;
		if (c->r[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int
ft_classify_del(struct ft_classify *c, uint64_t id)
{
	long i = find_idx(c, id);

	if (i < 0)
		return FT_ENOENT;
	memmove(&c->r[i], &c->r[i + 1],
	    (c->n - (unsigned)i - 1) * sizeof(c->r[0]));
	c->n--;
	return 0;
}

void
ft_classify_clear(struct ft_classify *c)
{
	/* last_id stays: ids are not reused across a restart either. */
	c->n = 0;
}

unsigned
ft_classify_count(const struct ft_classify *c)
{
	return c->n;
}

struct ft_rule *
ft_classify_at(struct ft_classify *c, unsigned i)
{
	if (i >= c->n)
		return NULL;
	return &c->r[i];
}

struct ft_rule *
ft_classify_get(struct ft_classify *c, uint64_t id)
{
	long i = find_idx(c, id);

	return i < 0 ? NULL : &c->r[i];
}

unsigned
ft_classify_match(struct ft_classify *c, const struct ft_pkt *p,
    struct ft_rule **out, unsigned max)
{
	unsigned i, k = 0;

	for (i = 0; i < c->n && k < max; i++) {
		if (ft_rule_match(&c->r[i], p))
			out[k++] = &c->r[i];
	}
	return k;
}
