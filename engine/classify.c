/*
 * classify.c - the criterion table and its two matchers.
 *
 * Criteria are kept in Criteria-ID order in one array sized at creation:
 * ids only grow, so an add appends and a delete shifts the tail down.
 * Criterion i of the array is bit i of every bitset below.
 *
 * The linear matcher (the reference) runs ft_rule_match on each criterion.
 *
 * The fast matcher cuts every packet field's value space into elementary
 * intervals: the boundaries are the lo and hi + 1 of every filter entry
 * of every criterion, so inside one interval each criterion's filter
 * gives one answer. Each interval holds the bitset of criteria whose
 * filter accepts it, negation and wildcards included (a wildcard sets its
 * bit everywhere); intervals with equal bitsets share one row. A packet
 * looks each field up (direct tables for the 8- and 16-bit fields, a /16
 * then /24 index and a count of the next starts for IPv4, a binary search
 * for IPv6), ANDs the rows and walks the set bits in order. Family is
 * carried by the address tables: the IPv4 tables hold only family-4
 * criteria and the IPv6 ones only family-6 criteria. A packet without
 * ports or ICMP values also ANDs the set of criteria with no such
 * condition, exactly as ft_rule_match tests need_ports and need_icmp;
 * that set is folded into the protocol's, so every packet ANDs five rows.
 *
 * Each row has a summary word (bit w: word w is not zero), so the AND
 * only visits words where every field has a candidate; FT_CLASSIFY_CAP_MAX
 * keeps the words within 64.
 *
 * Tables are rebuilt from scratch after a change, lazily, at the next
 * match or ft_classify_build: changes come between packets and a whole
 * burst of ADDs then costs one rebuild.
 */
#include "classify.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "limits.h"

/* A 128-bit key: addresses big-endian, numbers in lo. */
struct k128 {
	uint64_t hi, lo;
};

/* One filter entry of one criterion, for the builder. */
struct bent {
	struct k128 lo, hi;
	uint32_t bit;
	uint8_t neg;
};

/*
 * The bitsets of one field: n distinct rows of c->stride words (intervals
 * with equal sets share a row) and each row's summary word (bit w: word
 * w is not zero), kept apart so that the summaries of a large table stay
 * in a few cache lines.
 */
struct sets {
	uint64_t *bits;
	uint64_t *sum;
	uint32_t n;
};

/*
 * An 8- or 16-bit field: value -> row through a direct table. The 16-bit
 * ones are looked up in two levels, 256 blocks of 256 values: top names
 * the block's copy in blk, where blocks whose values all have the same
 * row share one copy, so most lookups touch a few KiB rather than a
 * 128 KiB table, without a branch.
 */
struct dtab {
	struct sets s;
	uint16_t *idx;		/* size entries (16-bit: build only) */
	uint32_t size;
	uint16_t top[256];
	uint16_t *blk;		/* up to 256 blocks of 256 */
};

/*
 * IPv4 addresses: the intervals (start, row and the row's summary, in
 * one cache line with the next starts) and a two-level index. An l1
 * entry holds the interval containing the first address of its /16; with
 * TOP_BLK set, a start lies inside the /16 and the entry names the
 * block's 256 l2 entries, each the interval containing the first address
 * of its /24. The last few starts up to the address are counted from
 * there. A4_PAD entries past the last interval start at UINT32_MAX.
 */
#define TOP_BLK		0x80000000u
#define A4_BLOCKS	65536u
#define A4_PAD		4
struct a4ent {
	uint32_t start, row;
	uint64_t sum;
};

struct a4tab {
	struct sets s;
	struct a4ent *e;	/* n intervals, A4_PAD sentinels */
	uint32_t n;
	uint32_t *l1;		/* A4_BLOCKS entries */
	uint32_t *l2;		/* 256 per block with starts inside */
};

/* IPv6 addresses: interval starts and rows, binary search. */
struct a6tab {
	struct sets s;
	struct k128 *start;	/* n starts, start[0] == 0 */
	uint32_t *row;
	uint32_t n;
};

struct ft_classify {
	unsigned n, cap;
	uint64_t last_id;	/* largest id ever added: never reused */
	struct ft_rule *r;	/* cap entries */

	int linear;		/* use the reference matcher */
	int stale;		/* the fast tables predate a change */
	int failed;		/* last build ran out of memory */

	unsigned words;		/* (n + 63) / 64 at the last build */
	unsigned stride;	/* a row's words: max(words, 2) */
	struct dtab proto, sport, dport, itype, icode;
	struct a4tab src4, dst4;
	struct a6tab src6, dst6;
	/*
	 * The protocol's set with the packet's kind (its FT_PKT_PORTS and
	 * FT_PKT_ICMP flags) folded in: without ports, the criteria with a
	 * port condition are out (need_ports); likewise without ICMP values.
	 * Then a packet without ports needs no port lookup when every
	 * criterion without need_ports has no port filter, as rule.c makes
	 * them (and likewise for ICMP): it ANDs five rows, its addresses',
	 * this one and its two ports' or its two ICMP values' (or the ones
	 * row twice). A table with hand-made criteria whose flags disagree
	 * with their filters (loose), and a packet with both flags, AND all
	 * seven, which is exact for any criteria.
	 */
	struct sets pk;
	uint16_t pkidx[4][256];
	uint64_t *ones;		/* a row of every bit */
	int loose;

	/*
	 * Bit order: criteria grouped by which address filters are
	 * wildcards, then by address, so that an address interval's set
	 * keeps its specific criteria in few words and the summaries of
	 * source and destination seldom share a word. perm[bit] is the
	 * criterion's index; pos[index] its bit. scratch: one match list.
	 */
	uint32_t *perm, *pos, *scratch;
};

/* --- keys ------------------------------------------------------------ */

/* Eight bytes, big-endian, as one load. */
static uint64_t
be64(const uint8_t *b)
{
	uint64_t v;

	memcpy(&v, b, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static struct k128
key_bytes(const uint8_t b[16])
{
	struct k128 k;

	k.hi = be64(b);
	k.lo = be64(b + 8);
	return k;
}

static int
key_cmp(struct k128 a, struct k128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	if (a.lo != b.lo)
		return a.lo < b.lo ? -1 : 1;
	return 0;
}

static int
key_is_max(struct k128 k)
{
	return k.hi == UINT64_MAX && k.lo == UINT64_MAX;
}

static struct k128
key_next(struct k128 k)
{
	k.lo++;
	if (k.lo == 0)
		k.hi++;
	return k;
}

static int
key_qcmp(const void *a, const void *b)
{
	return key_cmp(*(const struct k128 *)a, *(const struct k128 *)b);
}

/* --- table memory ---------------------------------------------------- */

static void
sets_free(struct sets *s)
{
	free(s->bits);
	free(s->sum);
	s->bits = NULL;
	s->sum = NULL;
	s->n = 0;
}

static void
tables_free(struct ft_classify *c)
{
	sets_free(&c->proto.s);
	sets_free(&c->sport.s);
	sets_free(&c->dport.s);
	sets_free(&c->itype.s);
	sets_free(&c->icode.s);
	sets_free(&c->src4.s);
	sets_free(&c->dst4.s);
	sets_free(&c->src6.s);
	sets_free(&c->dst6.s);
	sets_free(&c->pk);
	free(c->ones);
	free(c->src4.e);
	free(c->dst4.e);
	free(c->src4.l2);
	free(c->dst4.l2);
	free(c->src6.start);
	free(c->dst6.start);
	free(c->src6.row);
	free(c->dst6.row);
	c->ones = NULL;
	c->src4.e = c->dst4.e = NULL;
	c->src4.l2 = c->dst4.l2 = NULL;
	c->src6.start = c->dst6.start = NULL;
	c->src6.row = c->dst6.row = NULL;
}

/* --- the builder ----------------------------------------------------- */

/* Entries and the wildcard set of one field while it is being built. */
struct field {
	struct bent *e;
	size_t n, cap;
	uint64_t *base;		/* criteria accepting every value */
};

struct build {
	struct ft_classify *c;
	unsigned words;
	struct field f;
	/* Elementary intervals of the field being built. */
	struct k128 *starts;
	uint64_t *bits;
	size_t m;
	/* The projected, merged intervals. */
	uint64_t *pstart;
	uint32_t *pset;		/* bits index of each projected one */
	size_t pm;
};

static int
field_push(struct field *f, struct k128 lo, struct k128 hi, uint32_t bit,
    uint8_t neg)
{
	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 256;
		struct bent *ne = realloc(f->e, ncap * sizeof(*ne));

		if (ne == NULL)
			return FT_ENOMEM;
		f->e = ne;
		f->cap = ncap;
	}
	f->e[f->n].lo = lo;
	f->e[f->n].hi = hi;
	f->e[f->n].bit = bit;
	f->e[f->n].neg = neg;
	f->n++;
	return 0;
}

static void
bit_set(uint64_t *w, uint32_t bit)
{
	w[bit / 64] |= 1ULL << (bit % 64);
}

static void
bit_clr(uint64_t *w, uint32_t bit)
{
	w[bit / 64] &= ~(1ULL << (bit % 64));
}

/* Criterion bit's numeric filter f (SPEC 3 list semantics). */
static int
add_num(struct field *fl, const struct ft_num_filter *f, uint32_t bit)
{
	unsigned i;
	int rc;

	if (f->n == 0 || f->npos == 0)
		bit_set(fl->base, bit);
	for (i = 0; i < f->n && i < FT_FILTER_ENTRIES_MAX; i++) {
		struct k128 lo = { 0, f->e[i].lo }, hi = { 0, f->e[i].hi };

		rc = field_push(fl, lo, hi, bit, f->e[i].neg);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
add_addr(struct field *fl, const struct ft_addr_filter *f, uint32_t bit)
{
	unsigned i;
	int rc;

	if (f->n == 0 || f->npos == 0)
		bit_set(fl->base, bit);
	for (i = 0; i < f->n && i < FT_FILTER_ENTRIES_MAX; i++) {
		rc = field_push(fl, key_bytes(f->e[i].lo),
		    key_bytes(f->e[i].hi), bit, f->e[i].neg);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* First start index >= k among b->starts (k is one of them). */
static size_t
start_index(const struct build *b, struct k128 k)
{
	size_t lo = 0, hi = b->m;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key_cmp(b->starts[mid], k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Elementary intervals of the field in b->f: sorted unique starts (the
 * first is 0) and one bitset each, wildcards, then positive entries set,
 * then negated entries cleared (a negation wins).
 */
static int
intervals(struct build *b)
{
	struct field *f = &b->f;
	size_t i, k, w, m = 0;
	struct k128 zero = { 0, 0 };

	free(b->starts);
	free(b->bits);
	b->bits = NULL;
	b->starts = malloc((2 * f->n + 1) * sizeof(*b->starts));
	if (b->starts == NULL)
		return FT_ENOMEM;
	b->starts[m++] = zero;
	for (i = 0; i < f->n; i++) {
		b->starts[m++] = f->e[i].lo;
		if (!key_is_max(f->e[i].hi))
			b->starts[m++] = key_next(f->e[i].hi);
	}
	qsort(b->starts, m, sizeof(*b->starts), key_qcmp);
	for (i = 1, k = 1; i < m; i++) {
		if (key_cmp(b->starts[i], b->starts[k - 1]) != 0)
			b->starts[k++] = b->starts[i];
	}
	b->m = m = k;

	b->bits = malloc(m * b->words * sizeof(*b->bits));
	if (b->bits == NULL)
		return FT_ENOMEM;
	for (k = 0; k < m; k++)
		for (w = 0; w < b->words; w++)
			b->bits[k * b->words + w] = f->base[w];
	for (i = 0; i < f->n; i++) {
		if (f->e[i].neg)
			continue;
		for (k = start_index(b, f->e[i].lo); k < m &&
		    key_cmp(b->starts[k], f->e[i].hi) <= 0; k++)
			bit_set(&b->bits[k * b->words], f->e[i].bit);
	}
	for (i = 0; i < f->n; i++) {
		if (!f->e[i].neg)
			continue;
		for (k = start_index(b, f->e[i].lo); k < m &&
		    key_cmp(b->starts[k], f->e[i].hi) <= 0; k++)
			bit_clr(&b->bits[k * b->words], f->e[i].bit);
	}
	return 0;
}

/*
 * The value a packet key of this kind has at the start of interval k:
 * kind 0 numbers (exact, huge when over 64 bits), kind 4 IPv4 (the
 * smallest a with a << 96 >= start), kind 6 not projected.
 */
static uint64_t
proj(struct k128 s, int kind)
{
	if (kind == 0)
		return s.hi != 0 ? UINT64_MAX : s.lo;
	/* kind 4: ceil(s / 2^96) */
	return (s.hi >> 32) + ((s.hi & 0xffffffffULL) != 0 || s.lo != 0);
}

static int
same_set(const struct build *b, size_t x, size_t y)
{
	return memcmp(&b->bits[x * b->words], &b->bits[y * b->words],
	    b->words * sizeof(*b->bits)) == 0;
}

/*
 * Project the intervals onto a key space whose values run 0..max (kind 0
 * or 4), dropping empty ones and merging neighbours with equal sets.
 */
static int
project(struct build *b, int kind, uint64_t max)
{
	size_t k;

	free(b->pstart);
	free(b->pset);
	b->pstart = malloc(b->m * sizeof(*b->pstart));
	b->pset = malloc(b->m * sizeof(*b->pset));
	if (b->pstart == NULL || b->pset == NULL)
		return FT_ENOMEM;
	b->pm = 0;
	for (k = 0; k < b->m; k++) {
		uint64_t v = proj(b->starts[k], kind), next;

		next = k + 1 < b->m ? proj(b->starts[k + 1], kind) : UINT64_MAX;
		if (v > max || next <= v)
			continue;	/* holds no value of this space */
		if (b->pm > 0 && same_set(b, b->pset[b->pm - 1], k))
			continue;
		b->pstart[b->pm] = v;
		b->pset[b->pm] = (uint32_t)k;
		b->pm++;
	}
	return 0;
}

static uint64_t
row_hash(const uint64_t *r, size_t words)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t w;

	for (w = 0; w < words; w++)
		h = (h ^ r[w]) * 0x100000001b3ULL;	/* FNV-1a by word */
	return h ^ h >> 29;
}

/*
 * Copy the sets b->bits[sel[i]] (or [i]), i < n, into s, equal sets once:
 * map[i] is set i's row. Rows get their summaries.
 */
static int
keep_sets(struct build *b, struct sets *s, const uint32_t *sel, size_t n,
    uint32_t *map)
{
	size_t i, w, hsize = 2, row = b->c->stride, words = b->words;
	uint32_t *ht, nr = 0;
	uint64_t *shrunk;

	while (hsize < 2 * n)
		hsize *= 2;
	ht = malloc(hsize * sizeof(*ht));
	s->bits = calloc((n ? n : 1) * row, sizeof(*s->bits));
	s->sum = calloc(n ? n : 1, sizeof(*s->sum));
	if (ht == NULL || s->bits == NULL || s->sum == NULL) {
		free(ht);
		return FT_ENOMEM;
	}
	memset(ht, 0xff, hsize * sizeof(*ht));
	for (i = 0; i < n; i++) {
		const uint64_t *from = &b->bits[(sel != NULL ? sel[i] : i) *
		    words];
		size_t h = row_hash(from, words) & (hsize - 1);

		while (ht[h] != UINT32_MAX &&
		    memcmp(&s->bits[ht[h] * row], from, words * sizeof(*from)))
			h = (h + 1) & (hsize - 1);
		if (ht[h] == UINT32_MAX) {
			uint64_t sum = 0;

			memcpy(&s->bits[nr * row], from, words * sizeof(*from));
			for (w = 0; w < words; w++)
				if (from[w] != 0)
					sum |= 1ULL << w;
			s->sum[nr] = sum;
			ht[h] = nr++;
		}
		map[i] = ht[h];
	}
	free(ht);
	s->n = nr;
	shrunk = realloc(s->bits, (nr ? nr : 1) * row * sizeof(*s->bits));
	if (shrunk != NULL)
		s->bits = shrunk;
	return 0;
}

static void
field_reset(struct build *b)
{
	b->f.n = 0;
	memset(b->f.base, 0, b->words * sizeof(*b->f.base));
}

static int
make_direct(struct build *b, struct dtab *t)
{
	uint32_t *map, v, i, blk, nb = 0, j;
	int rc;

	rc = intervals(b);
	if (rc == 0)
		rc = project(b, 0, t->size - 1);
	if (rc != 0)
		return rc;
	map = malloc((b->pm ? b->pm : 1) * sizeof(*map));
	if (map == NULL)
		return FT_ENOMEM;
	rc = keep_sets(b, &t->s, b->pset, b->pm, map);
	for (i = 0; rc == 0 && i < b->pm; i++) {
		uint64_t end = i + 1 < b->pm ? b->pstart[i + 1] : t->size;

		for (v = (uint32_t)b->pstart[i]; v < end; v++)
			t->idx[v] = (uint16_t)map[i];
	}
	free(map);
	if (rc != 0 || t->size != 65536)
		return rc;
	/* Blocks: a block of one row shares the copy of an equal one. */
	for (blk = 0; blk < 256; blk++) {
		const uint16_t *x = &t->idx[blk << 8];

		for (v = 1; v < 256 && x[v] == x[0]; v++)
			;
		for (j = 0; v == 256 && j < nb; j++)
			if (memcmp(&t->blk[j << 8], x, 256 * sizeof(*x)) == 0)
				break;
		if (v < 256 || j == nb) {
			memcpy(&t->blk[nb << 8], x, 256 * sizeof(*x));
			j = nb++;
		}
		t->top[blk] = (uint16_t)j;
	}
	return 0;
}

static int
make_a4(struct build *b, struct a4tab *t)
{
	size_t i, nl2;
	uint64_t blk;
	uint32_t *map;
	int rc;

	rc = intervals(b);
	if (rc == 0)
		rc = project(b, 4, UINT32_MAX);
	if (rc != 0)
		return rc;
	map = malloc((b->pm ? b->pm : 1) * sizeof(*map));
	t->e = malloc((b->pm + A4_PAD) * sizeof(*t->e));
	if (map == NULL || t->e == NULL) {
		free(map);
		return FT_ENOMEM;
	}
	rc = keep_sets(b, &t->s, b->pset, b->pm, map);
	if (rc != 0) {
		free(map);
		return rc;
	}
	t->n = (uint32_t)b->pm;
	for (i = 0; i < b->pm; i++) {
		t->e[i].start = (uint32_t)b->pstart[i];
		t->e[i].row = map[i];
		t->e[i].sum = t->s.sum[map[i]];
	}
	free(map);
	for (i = b->pm; i < b->pm + A4_PAD; i++) {
		t->e[i].start = UINT32_MAX;
		t->e[i].row = 0;
		t->e[i].sum = 0;
	}
	/* Blocks with a start inside get an l2 table: count them. */
	nl2 = 0;
	blk = UINT64_MAX;
	for (i = 0; i < b->pm; i++) {
		if ((b->pstart[i] & 0xffff) != 0 &&
		    b->pstart[i] >> 16 != blk) {
			blk = b->pstart[i] >> 16;
			nl2++;
		}
	}
	t->l2 = malloc((nl2 ? nl2 : 1) * 256 * sizeof(*t->l2));
	if (t->l2 == NULL)
		return FT_ENOMEM;
	nl2 = 0;
	i = 0;		/* starts <= the region's first address */
	for (blk = 0; blk < A4_BLOCKS; blk++) {
		uint64_t base = blk << 16, sub, j;

		while (i < b->pm && b->pstart[i] <= base)
			i++;
		if (i == b->pm || b->pstart[i] >= base + 65536) {
			t->l1[blk] = (uint32_t)(i - 1);
			continue;
		}
		t->l1[blk] = TOP_BLK | (uint32_t)nl2;
		j = i;
		for (sub = 0; sub < 256; sub++) {
			uint64_t b2 = base + (sub << 8);

			while (j < b->pm && b->pstart[j] <= b2)
				j++;
			t->l2[nl2 * 256 + sub] = (uint32_t)(j - 1);
		}
		nl2++;
	}
	return 0;
}

static int
make_a6(struct build *b, struct a6tab *t)
{
	size_t i, n = 0;
	uint32_t *sel;
	int rc;

	rc = intervals(b);
	if (rc != 0)
		return rc;
	sel = malloc((b->m ? b->m : 1) * sizeof(*sel));
	t->start = malloc((b->m ? b->m : 1) * sizeof(*t->start));
	t->row = malloc((b->m ? b->m : 1) * sizeof(*t->row));
	if (sel == NULL || t->start == NULL || t->row == NULL) {
		free(sel);
		return FT_ENOMEM;
	}
	for (i = 0; i < b->m; i++) {
		if (n > 0 && same_set(b, sel[n - 1], i))
			continue;
		sel[n] = (uint32_t)i;
		t->start[n] = b->starts[i];
		n++;
	}
	t->n = (uint32_t)n;
	rc = keep_sets(b, &t->s, sel, n, t->row);
	free(sel);
	return rc;
}

enum { F_PROTO, F_SPORT, F_DPORT, F_ITYPE, F_ICODE };

/*
 * The protocol's sets with each packet kind folded in (c->pk, c->pkidx):
 * np holds the criteria without need_ports, ni those without need_icmp.
 * Also the ones row.
 */
static int
make_kinds(struct build *b, const uint64_t *np, const uint64_t *ni)
{
	struct ft_classify *c = b->c;
	uint32_t kind, v, map[4 * 256];
	size_t w, words = b->words;
	int rc;

	free(b->bits);
	b->bits = malloc(4 * 256 * words * sizeof(*b->bits));
	if (b->bits == NULL)
		return FT_ENOMEM;
	for (kind = 0; kind < 4; kind++) {
		for (v = 0; v < 256; v++) {
			const uint64_t *pr = c->proto.s.bits +
			    (size_t)c->proto.idx[v] * c->stride;
			uint64_t *t = &b->bits[(kind * 256 + v) * words];

			for (w = 0; w < words; w++)
				t[w] = pr[w] &
				    (kind & FT_PKT_PORTS ? UINT64_MAX : np[w]) &
				    (kind & FT_PKT_ICMP ? UINT64_MAX : ni[w]);
		}
	}
	rc = keep_sets(b, &c->pk, NULL, 4 * 256, map);
	if (rc != 0)
		return rc;
	for (kind = 0; kind < 4; kind++)
		for (v = 0; v < 256; v++)
			c->pkidx[kind][v] = (uint16_t)map[kind * 256 + v];
	c->ones = malloc(c->stride * sizeof(*c->ones));
	if (c->ones == NULL)
		return FT_ENOMEM;
	for (w = 0; w < c->stride; w++)
		c->ones[w] = UINT64_MAX;
	return 0;
}

static int
build_num(struct build *b, int which, struct dtab *t)
{
	struct ft_classify *c = b->c;
	unsigned i;
	int rc;

	field_reset(b);
	for (i = 0; i < c->n; i++) {
		const struct ft_rule *r = &c->r[i];
		const struct ft_num_filter *f =
		    which == F_PROTO ? &r->proto :
		    which == F_SPORT ? &r->sport :
		    which == F_DPORT ? &r->dport :
		    which == F_ITYPE ? &r->icmp_type : &r->icmp_code;

		rc = add_num(&b->f, f, c->pos[i]);
		if (rc != 0)
			return rc;
	}
	return make_direct(b, t);
}

static int
build_addr(struct build *b, int family, int dst)
{
	struct ft_classify *c = b->c;
	unsigned i;
	int rc;

	field_reset(b);
	for (i = 0; i < c->n; i++) {
		const struct ft_rule *r = &c->r[i];

		if (r->family != family)
			continue;	/* absent: never matches this family */
		rc = add_addr(&b->f, dst ? &r->dst : &r->src, c->pos[i]);
		if (rc != 0)
			return rc;
	}
	if (family == 4)
		return make_a4(b, dst ? &c->dst4 : &c->src4);
	return make_a6(b, dst ? &c->dst6 : &c->src6);
}

/* Sort key of a criterion for the bit order. */
struct okey {
	unsigned cls;		/* 0 both addresses given ... 3 both '*' */
	struct k128 a, b;	/* first entries' lo, the given one first */
	uint32_t idx;
};

static int
okey_cmp(const void *x, const void *y)
{
	const struct okey *p = x, *q = y;
	int c;

	if (p->cls != q->cls)
		return p->cls < q->cls ? -1 : 1;
	c = key_cmp(p->a, q->a);
	if (c == 0)
		c = key_cmp(p->b, q->b);
	if (c == 0)
		c = p->idx < q->idx ? -1 : p->idx > q->idx;
	return c;
}

static int
order_bits(struct ft_classify *c)
{
	static const struct k128 zero = { 0, 0 };
	struct okey *k;
	unsigned i;

	k = malloc((c->n ? c->n : 1) * sizeof(*k));
	if (k == NULL)
		return FT_ENOMEM;
	for (i = 0; i < c->n; i++) {
		const struct ft_rule *r = &c->r[i];
		int s_any = r->src.n == 0, d_any = r->dst.n == 0;

		k[i].cls = (unsigned)(s_any << 1 | d_any);
		k[i].a = !s_any ? key_bytes(r->src.e[0].lo) :
		    !d_any ? key_bytes(r->dst.e[0].lo) : zero;
		k[i].b = !s_any && !d_any ? key_bytes(r->dst.e[0].lo) : zero;
		k[i].idx = i;
	}
	qsort(k, c->n, sizeof(*k), okey_cmp);
	for (i = 0; i < c->n; i++) {
		c->perm[i] = k[i].idx;
		c->pos[k[i].idx] = i;
	}
	free(k);
	return 0;
}

static int
direct_alloc(struct dtab *t, uint32_t size)
{
	if (t->idx == NULL) {
		t->idx = calloc(size, sizeof(*t->idx));
		if (t->idx == NULL)
			return FT_ENOMEM;
	}
	if (size == 65536 && t->blk == NULL) {
		t->blk = calloc(size, sizeof(*t->blk));
		if (t->blk == NULL)
			return FT_ENOMEM;
	}
	t->size = size;
	return 0;
}

static int
build_all(struct ft_classify *c)
{
	struct build b;
	uint64_t np[FT_CLASSIFY_CAP_MAX / 64], ni[FT_CLASSIFY_CAP_MAX / 64];
	unsigned i;
	int rc;

	tables_free(c);
	c->words = c->n == 0 ? 1 : (c->n + 63) / 64;
	/* One or two words: rows of three (summary, two words, 0 past n). */
	c->stride = c->words < 2 ? 2 : c->words;
	rc = direct_alloc(&c->proto, 256);
	if (rc == 0)
		rc = direct_alloc(&c->sport, 65536);
	if (rc == 0)
		rc = direct_alloc(&c->dport, 65536);
	if (rc == 0)
		rc = direct_alloc(&c->itype, 256);
	if (rc == 0)
		rc = direct_alloc(&c->icode, 256);
	if (rc != 0)
		return rc;
	if (c->src4.l1 == NULL)
		c->src4.l1 = malloc(A4_BLOCKS * sizeof(uint32_t));
	if (c->dst4.l1 == NULL)
		c->dst4.l1 = malloc(A4_BLOCKS * sizeof(uint32_t));
	if (c->src4.l1 == NULL || c->dst4.l1 == NULL)
		return FT_ENOMEM;

	memset(&b, 0, sizeof(b));
	b.c = c;
	b.words = c->words;
	b.f.base = calloc(c->words, sizeof(*b.f.base));
	if (b.f.base == NULL)
		return FT_ENOMEM;
	memset(np, 0, sizeof(np));
	memset(ni, 0, sizeof(ni));
	rc = order_bits(c);
	if (rc != 0) {
		free(b.f.base);
		return rc;
	}
	c->loose = 0;
	for (i = 0; i < c->n; i++) {
		const struct ft_rule *r = &c->r[i];

		if (!r->need_ports && (r->sport.n != 0 || r->dport.n != 0))
			c->loose = 1;
		if (!r->need_icmp &&
		    (r->icmp_type.n != 0 || r->icmp_code.n != 0))
			c->loose = 1;
		if (!r->need_ports)
			bit_set(np, c->pos[i]);
		if (!r->need_icmp)
			bit_set(ni, c->pos[i]);
	}

	rc = build_num(&b, F_PROTO, &c->proto);
	if (rc == 0)
		rc = build_num(&b, F_SPORT, &c->sport);
	if (rc == 0)
		rc = build_num(&b, F_DPORT, &c->dport);
	if (rc == 0)
		rc = build_num(&b, F_ITYPE, &c->itype);
	if (rc == 0)
		rc = build_num(&b, F_ICODE, &c->icode);
	if (rc == 0)
		rc = build_addr(&b, 4, 0);
	if (rc == 0)
		rc = build_addr(&b, 4, 1);
	if (rc == 0)
		rc = build_addr(&b, 6, 0);
	if (rc == 0)
		rc = build_addr(&b, 6, 1);
	if (rc == 0)
		rc = make_kinds(&b, np, ni);

	free(b.f.e);
	free(b.f.base);
	free(b.starts);
	free(b.bits);
	free(b.pstart);
	free(b.pset);
	return rc;
}

int
ft_classify_build(struct ft_classify *c)
{
	int rc;

	if (!c->stale)
		return c->failed ? FT_ENOMEM : 0;
	rc = build_all(c);
	c->stale = 0;
	c->failed = rc != 0;
	if (rc != 0) {
		tables_free(c);
		return FT_ENOMEM;
	}
	return 0;
}

/* --- the table ------------------------------------------------------- */

struct ft_classify *
ft_classify_new_cap(unsigned capacity, int linear)
{
	struct ft_classify *c;

	if (capacity == 0 || capacity > FT_CLASSIFY_CAP_MAX)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->r = calloc(capacity, sizeof(*c->r));
	c->perm = calloc(capacity, sizeof(*c->perm));
	c->pos = calloc(capacity, sizeof(*c->pos));
	c->scratch = calloc(capacity, sizeof(*c->scratch));
	if (c->r == NULL || c->perm == NULL || c->pos == NULL ||
	    c->scratch == NULL) {
		ft_classify_free(c);
		return NULL;
	}
	c->cap = capacity;
	c->linear = linear != 0;
	c->stale = 1;
	return c;
}

struct ft_classify *
ft_classify_new(void)
{
	return ft_classify_new_cap(FT_CRITERIA_MAX, 0);
}

void
ft_classify_free(struct ft_classify *c)
{
	if (c == NULL)
		return;
	tables_free(c);
	free(c->proto.idx);
	free(c->sport.idx);
	free(c->dport.idx);
	free(c->itype.idx);
	free(c->icode.idx);
	free(c->sport.blk);
	free(c->dport.blk);
	free(c->src4.l1);
	free(c->dst4.l1);
	free(c->perm);
	free(c->pos);
	free(c->scratch);
	free(c->r);
	free(c);
}

void
ft_classify_set_linear(struct ft_classify *c, int linear)
{
	c->linear = linear != 0;
}

int
ft_classify_is_linear(const struct ft_classify *c)
{
	return c->linear;
}

int
ft_classify_add(struct ft_classify *c, const struct ft_rule *r)
{
	/* Criteria-IDs start at 1 and only grow (SPEC 3). */
	if (r->id == 0 || r->id <= c->last_id)
		return FT_EINVAL;
	if (c->n >= c->cap)
		return FT_ELIMIT;
	c->r[c->n++] = *r;
	c->last_id = r->id;
	c->stale = 1;
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
	c->stale = 1;
	return 0;
}

void
ft_classify_clear(struct ft_classify *c)
{
	/* last_id stays: ids are not reused across a restart either. */
	c->n = 0;
	c->stale = 1;
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

/* --- matching -------------------------------------------------------- */

static unsigned
match_linear(struct ft_classify *c, const struct ft_pkt *p,
    struct ft_rule **out, unsigned max)
{
	unsigned i, k = 0;

	for (i = 0; i < c->n && k < max; i++) {
		if (ft_rule_match(&c->r[i], p))
			out[k++] = &c->r[i];
	}
	return k;
}

/* Row of a 16-bit value: its block's copy, then the value in it. */
static uint32_t
look16(const struct dtab *t, uint32_t v)
{
	return t->blk[(uint32_t)t->top[v >> 8] << 8 | (v & 255)];
}

static uint32_t
a4_addr(const uint8_t *a)
{
	uint32_t v;

	memcpy(&v, a, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

/* Interval of IPv4 address a: the last start <= a. */
static const struct a4ent *
find4(const struct a4tab *t, uint32_t a)
{
	const struct a4ent *e;
	uint32_t x = t->l1[a >> 16], k, lo, hi;

	if (x & TOP_BLK)
		x = t->l2[(x & ~TOP_BLK) << 8 | ((a >> 8) & 255)];
	/*
	 * x holds the first address of a's /24 (or /16 when no start lies
	 * inside it). The starts after it up to a: none, or a few; counted
	 * without a branch, the sentinels stopping the count at the end.
	 */
	e = &t->e[x];
	k = x + (e[1].start <= a) + (e[2].start <= a) + (e[3].start <= a) +
	    (e[4].start <= a);
	if (k == x + 4) {
		/* At most 255 starts lie inside a /24. */
		lo = x + 4;
		hi = x + 257 < t->n ? x + 257 : t->n;
		while (lo + 1 < hi) {
			uint32_t mid = lo + (hi - lo) / 2;

			if (t->e[mid].start <= a)
				lo = mid;
			else
				hi = mid;
		}
		k = lo;
	}
	/* a == UINT32_MAX counts the sentinels too. */
	return &t->e[k < t->n ? k : t->n - 1];
}

/* Interval of IPv6 address a: the last start <= a. */
static uint32_t
find6(const struct a6tab *t, struct k128 a)
{
	uint32_t lo = 0, hi = t->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (key_cmp(t->start[mid], a) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The k matches in c->scratch (criterion indexes) into out in
 * Criteria-ID order (index order), scope checked.
 */
static unsigned
finish(struct ft_classify *c, const struct ft_pkt *p, unsigned k,
    struct ft_rule **out, unsigned max)
{
	unsigned j, n = 0;

	if (k > 16) {
		qsort(c->scratch, k, sizeof(*c->scratch), u32_cmp);
	} else {
		for (j = 1; j < k; j++) {
			uint32_t v = c->scratch[j], i = j;

			for (; i > 0 && c->scratch[i - 1] > v; i--)
				c->scratch[i] = c->scratch[i - 1];
			c->scratch[i] = v;
		}
	}
	/*
	 * Interface and VRF scope is not in the tables: the few criteria
	 * that have one are checked here, on the packets they would match.
	 */
	for (j = 0; j < k && n < max; j++) {
		struct ft_rule *r = &c->r[c->scratch[j]];

		if (!r->scoped || ft_rule_scope_match(r, p))
			out[n++] = r;
	}
	return n;
}

/* Row x of s into *r, its summary ANDed into *sum. */
static inline void
take(const struct ft_classify *c, const struct sets *s, uint32_t x,
    const uint64_t **r, uint64_t *sum)
{
	*r = s->bits + (size_t)x * c->stride;
	*sum &= s->sum[x];
}

/* The rows of the packet's source and destination ports into r[0..2). */
static inline void
take_ports(const struct ft_classify *c, const struct ft_pkt *p,
    const uint64_t **r, uint64_t *sum)
{
	take(c, &c->sport.s, look16(&c->sport, p->sport), &r[0], sum);
	take(c, &c->dport.s, look16(&c->dport, p->dport), &r[1], sum);
}

/* The rows of the packet's ICMP type and code into r[0..2). */
static inline void
take_icmp(const struct ft_classify *c, const struct ft_pkt *p,
    const uint64_t **r, uint64_t *sum)
{
	take(c, &c->itype.s, c->itype.idx[p->icmp_type], &r[0], sum);
	take(c, &c->icode.s, c->icode.idx[p->icmp_code], &r[1], sum);
}

/*
 * The rows of a packet's sets into r (five, or seven for a loose table or
 * a packet with ports and ICMP values), the AND of their summaries into
 * *sum. Returns the number of rows, 0 when nothing can match: the family
 * has no tables, or the addresses leave no word (the other fields are
 * then not looked up).
 */
static unsigned
rows_of(const struct ft_classify *c, const struct ft_pkt *p,
    const uint64_t *r[7], uint64_t *sum)
{
	unsigned kind = p->flags & (FT_PKT_PORTS | FT_PKT_ICMP);

	*sum = UINT64_MAX;
	if (p->family == 4) {
		/* The entries carry their rows' summaries. */
		const struct a4ent *s = find4(&c->src4, a4_addr(p->src));
		const struct a4ent *d = find4(&c->dst4, a4_addr(p->dst));

		r[0] = c->src4.s.bits + (size_t)s->row * c->stride;
		r[1] = c->dst4.s.bits + (size_t)d->row * c->stride;
		*sum = s->sum & d->sum;
	} else if (p->family == 6) {
		take(c, &c->src6.s, c->src6.row[find6(&c->src6,
		    key_bytes(p->src))], &r[0], sum);
		take(c, &c->dst6.s, c->dst6.row[find6(&c->dst6,
		    key_bytes(p->dst))], &r[1], sum);
	} else {
		return 0;
	}
	if (*sum == 0)
		return 0;
	take(c, &c->pk, c->pkidx[kind][p->proto], &r[2], sum);
	if (c->loose || kind == (FT_PKT_PORTS | FT_PKT_ICMP)) {
		take_ports(c, p, &r[3], sum);
		take_icmp(c, p, &r[5], sum);
		return *sum != 0 ? 7 : 0;
	}
	if (kind == FT_PKT_PORTS)
		take_ports(c, p, &r[3], sum);
	else if (kind == FT_PKT_ICMP)
		take_icmp(c, p, &r[3], sum);
	else
		r[3] = r[4] = c->ones;
	return *sum != 0 ? 5 : 0;
}

/*
 * The criteria in every row's word w (of the words sum marks) into
 * c->scratch as indexes; returns how many. nr is 5 or 7, a constant
 * where this is inlined.
 */
static inline unsigned
and_rows(struct ft_classify *c, const uint64_t *const r[7], unsigned nr,
    uint64_t sum)
{
	unsigned k = 0;

	while (sum != 0) {
		unsigned w = (unsigned)__builtin_ctzll(sum);
		uint64_t acc = r[0][w] & r[1][w] & r[2][w] & r[3][w] & r[4][w];

		sum &= sum - 1;
		if (nr == 7)
			acc &= r[5][w] & r[6][w];
		while (acc != 0) {
			unsigned b = (unsigned)__builtin_ctzll(acc);

			acc &= acc - 1;
			c->scratch[k++] = c->perm[w * 64 + b];
		}
	}
	return k;
}

/*
 * At most 128 criteria (a chassis holds 100): both words ANDed in
 * registers, without the summaries' loop.
 */
static inline unsigned
and_small(struct ft_classify *c, const uint64_t *const r[7], unsigned nr)
{
	uint64_t a0 = r[0][0] & r[1][0] & r[2][0] & r[3][0] & r[4][0];
	uint64_t a1 = r[0][1] & r[1][1] & r[2][1] & r[3][1] & r[4][1];
	unsigned k = 0, b;

	if (nr == 7) {
		a0 &= r[5][0] & r[6][0];
		a1 &= r[5][1] & r[6][1];
	}
	while (a0 != 0) {
		b = (unsigned)__builtin_ctzll(a0);
		a0 &= a0 - 1;
		c->scratch[k++] = c->perm[b];
	}
	while (a1 != 0) {
		b = (unsigned)__builtin_ctzll(a1);
		a1 &= a1 - 1;
		c->scratch[k++] = c->perm[64 + b];
	}
	return k;
}

unsigned
ft_classify_match(struct ft_classify *c, const struct ft_pkt *p,
    struct ft_rule **out, unsigned max)
{
	const uint64_t *r[7];
	uint64_t sum;
	unsigned nr, k;

	if (c->n == 0 || max == 0)
		return 0;
	if (c->linear)
		return match_linear(c, p, out, max);
	if (c->stale)
		(void)ft_classify_build(c);
	if (c->failed)
		return match_linear(c, p, out, max);
	nr = rows_of(c, p, r, &sum);
	if (nr == 0)
		return 0;
	/* Beyond two words, only those every row's summary marks. */
	if (c->words <= 2)
		k = nr == 5 ? and_small(c, r, 5) : and_small(c, r, 7);
	else
		k = nr == 5 ? and_rows(c, r, 5, sum) : and_rows(c, r, 7, sum);
	return k == 0 ? 0 : finish(c, p, k, out, max);
}
