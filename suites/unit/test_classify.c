/*
 * test_classify.c - the criterion table: Criteria-ID order, the chassis
 * limit of 100 criteria (SPEC 3), ids never reused, match order; the fast
 * matcher against the linear reference on seeded random criteria sets.
 */
#include "testutil.h"

#include "classify.h"
#include "err.h"

/* An IPv4 criterion matching protocol proto (0: every protocol). */
static struct ft_rule
mkrule(uint64_t id, uint8_t proto)
{
	struct ft_rule r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	r.family = 4;
	if (proto != 0) {
		r.proto.n = 1;
		r.proto.npos = 1;
		r.proto.e[0].lo = proto;
		r.proto.e[0].hi = proto;
	}
	return r;
}

static struct ft_pkt
mkpkt(uint8_t family, uint8_t proto)
{
	struct ft_pkt p;

	memset(&p, 0, sizeof(p));
	p.family = family;
	p.proto = proto;
	p.src[0] = 10;
	p.dst[0] = 192;
	return p;
}

static int
setup(void **state)
{
	*state = ft_classify_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	ft_classify_free(*state);
	return 0;
}

static int
add(struct ft_classify *c, uint64_t id, uint8_t proto)
{
	struct ft_rule r = mkrule(id, proto);

	return ft_classify_add(c, &r);
}

static void
test_classify_add_get_at_order(void **state)
{
	struct ft_classify *c = *state;

	assert_int_equal(ft_classify_count(c), 0);
	assert_int_equal(add(c, 1, 6), 0);
	assert_int_equal(add(c, 2, 17), 0);
	assert_int_equal(add(c, 5, 1), 0);
	assert_int_equal(ft_classify_count(c), 3);
	assert_int_equal(ft_classify_at(c, 0)->id, 1);
	assert_int_equal(ft_classify_at(c, 1)->id, 2);
	assert_int_equal(ft_classify_at(c, 2)->id, 5);
	assert_null(ft_classify_at(c, 3));
	assert_non_null(ft_classify_get(c, 5));
	assert_int_equal(ft_classify_get(c, 5)->proto.e[0].lo, 1);
	assert_int_equal(ft_classify_get(c, 2)->proto.e[0].lo, 17);
	assert_null(ft_classify_get(c, 3));
	assert_null(ft_classify_get(c, 6));
	assert_null(ft_classify_get(c, 0));
}

static void
test_classify_non_increasing_id_rejected(void **state)
{
	struct ft_classify *c = *state;

	assert_int_equal(add(c, 0, 0), FT_EINVAL);
	assert_int_equal(add(c, 3, 0), 0);
	assert_int_equal(add(c, 3, 0), FT_EINVAL);
	assert_int_equal(add(c, 2, 0), FT_EINVAL);
	/* A deleted id is not reused either. */
	assert_int_equal(ft_classify_del(c, 3), 0);
	assert_int_equal(add(c, 3, 0), FT_EINVAL);
	assert_int_equal(add(c, 4, 0), 0);
	assert_int_equal(ft_classify_count(c), 1);
}

static void
test_classify_limit_101(void **state)
{
	struct ft_classify *c = *state;
	uint64_t id;

	for (id = 1; id <= 100; id++)
		assert_int_equal(add(c, id, 0), 0);
	assert_int_equal(ft_classify_count(c), 100);
	assert_int_equal(add(c, 101, 0), FT_ELIMIT);
	assert_int_equal(ft_classify_count(c), 100);
	/* Room again after a delete. */
	assert_int_equal(ft_classify_del(c, 50), 0);
	assert_int_equal(add(c, 101, 0), 0);
	assert_int_equal(ft_classify_at(c, 99)->id, 101);
}

static void
test_classify_delete_middle_keeps_order(void **state)
{
	struct ft_classify *c = *state;
	uint64_t id;

	for (id = 1; id <= 5; id++)
		assert_int_equal(add(c, id, 0), 0);
	assert_int_equal(ft_classify_del(c, 3), 0);
	assert_int_equal(ft_classify_del(c, 3), FT_ENOENT);
	assert_int_equal(ft_classify_del(c, 9), FT_ENOENT);
	assert_int_equal(ft_classify_count(c), 4);
	assert_int_equal(ft_classify_at(c, 0)->id, 1);
	assert_int_equal(ft_classify_at(c, 1)->id, 2);
	assert_int_equal(ft_classify_at(c, 2)->id, 4);
	assert_int_equal(ft_classify_at(c, 3)->id, 5);
	assert_int_equal(ft_classify_get(c, 4)->id, 4);
	assert_int_equal(ft_classify_del(c, 1), 0);
	assert_int_equal(ft_classify_del(c, 5), 0);
	assert_int_equal(ft_classify_at(c, 0)->id, 2);
	assert_int_equal(ft_classify_at(c, 1)->id, 4);
}

static void
test_classify_match_in_id_order(void **state)
{
	struct ft_classify *c = *state;
	struct ft_rule *out[FT_MATCH_MAX];
	struct ft_pkt tcp = mkpkt(4, 6), udp = mkpkt(4, 17);
	struct ft_pkt v6 = mkpkt(6, 6);

	assert_int_equal(add(c, 1, 17), 0);
	assert_int_equal(add(c, 2, 0), 0);
	assert_int_equal(add(c, 3, 6), 0);
	assert_int_equal(add(c, 7, 0), 0);
	assert_int_equal(ft_classify_match(c, &tcp, out, FT_MATCH_MAX), 3);
	assert_int_equal(out[0]->id, 2);
	assert_int_equal(out[1]->id, 3);
	assert_int_equal(out[2]->id, 7);
	assert_int_equal(ft_classify_match(c, &udp, out, FT_MATCH_MAX), 3);
	assert_int_equal(out[0]->id, 1);
	assert_int_equal(out[1]->id, 2);
	assert_int_equal(out[2]->id, 7);
	/* IPv4 criteria never match an IPv6 packet. */
	assert_int_equal(ft_classify_match(c, &v6, out, FT_MATCH_MAX), 0);
	/* At most max results, the first ones in order. */
	assert_int_equal(ft_classify_match(c, &tcp, out, 2), 2);
	assert_int_equal(out[0]->id, 2);
	assert_int_equal(out[1]->id, 3);
	/* Matching goes through the table's own copy. */
	assert_ptr_equal(out[0], ft_classify_get(c, 2));
}

static void
test_classify_clear(void **state)
{
	struct ft_classify *c = *state;
	struct ft_rule *out[FT_MATCH_MAX];
	struct ft_pkt tcp = mkpkt(4, 6);

	assert_int_equal(add(c, 1, 0), 0);
	assert_int_equal(add(c, 2, 0), 0);
	ft_classify_clear(c);
	assert_int_equal(ft_classify_count(c), 0);
	assert_null(ft_classify_get(c, 1));
	assert_int_equal(ft_classify_match(c, &tcp, out, FT_MATCH_MAX), 0);
	/* Ids continue after a restart: never reused. */
	assert_int_equal(add(c, 2, 0), FT_EINVAL);
	assert_int_equal(add(c, 3, 0), 0);
	assert_int_equal(ft_classify_count(c), 1);
}

static void
test_classify_free_null(void **state)
{
	(void)state;
	ft_classify_free(NULL);
	assert_true(1);
}

/* --- the fast matcher against the linear reference ------------------ */

static uint64_t rng_state;

/*
 * 1: criteria whose need_ports/need_icmp now and then disagree with their
 * filters, and packets with both FT_PKT_PORTS and FT_PKT_ICMP, neither
 * of which rule.c or the decoder makes (the fast tables then AND every
 * field). 0: only what they make (the five-row path).
 */
static int hand_made = 1;

static uint64_t
rnd(void)
{
	/* xorshift64 (Marsaglia 2003): reproducible on every host. */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned
rndn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* Values drawn from a small pool so that filters overlap and collide. */
static const uint16_t port_pool[] = { 0, 1, 22, 23, 53, 79, 80, 81, 443,
    1023, 1024, 8080, 65534, 65535 };
static const uint8_t byte_pool[] = { 0, 1, 2, 3, 6, 8, 17, 58, 128, 132,
    254, 255 };

static uint64_t
rnd_port(void)
{
	if (rndn(4) == 0)
		return rndn(65536);
	return port_pool[rndn(sizeof(port_pool) / sizeof(port_pool[0]))];
}

static uint64_t
rnd_byte(void)
{
	if (rndn(4) == 0)
		return rndn(256);
	return byte_pool[rndn(sizeof(byte_pool))];
}

/* An address of family fam near a few hot spots, in a[0..16). */
static void
rnd_addr(uint8_t fam, uint8_t a[16])
{
	unsigned i, n = fam == 4 ? 4 : 16;

	memset(a, 0, 16);
	for (i = 0; i < n; i++)
		a[i] = (uint8_t)rnd();
	switch (rndn(4)) {
	case 0:		/* 10.0.0.0/22 or 2001:db8::/118 */
		if (fam == 4) {
			a[0] = 10;
			a[1] = 0;
			a[2] &= 3;
		} else {
			memset(a, 0, 14);
			a[0] = 0x20;
			a[1] = 0x01;
			a[2] = 0x0d;
			a[3] = 0xb8;
			a[14] &= 3;
		}
		break;
	case 1:		/* an edge of the space */
		memset(a, rndn(2) ? 0xff : 0x00, n);
		a[n - 1] = (uint8_t)rndn(3);
		break;
	default:
		break;
	}
}

static void
rnd_num_filter(struct ft_num_filter *f, uint64_t (*val)(void),
    uint64_t max)
{
	unsigned i, n;

	memset(f, 0, sizeof(*f));
	if (rndn(2) == 0)
		return;		/* wildcard */
	n = 1 + rndn(rndn(4) == 0 ? 6 : 2);
	for (i = 0; i < n; i++) {
		struct ft_num_ent *e = &f->e[i];
		uint64_t a = val(), b = val();

		switch (rndn(4)) {
		case 0:		/* range */
			e->lo = a < b ? a : b;
			e->hi = a < b ? b : a;
			break;
		case 1:		/* '*' or an open range */
			e->lo = rndn(2) ? 0 : a;
			e->hi = max;
			break;
		default:
			e->lo = e->hi = a;
			break;
		}
		e->neg = rndn(4) == 0;
		if (!e->neg)
			f->npos++;
	}
	f->n = (uint8_t)n;
}

/* Prefix a/len of family fam into e (host bits masked, as rule.c). */
static void
prefix_ent(struct ft_addr_ent *e, const uint8_t a[16], unsigned len,
    uint8_t fam)
{
	unsigned i, n = fam == 4 ? 4 : 16;

	memset(e->lo, 0, 16);
	memset(e->hi, 0, 16);
	for (i = 0; i < n; i++) {
		unsigned bits = len >= 8 * (i + 1) ? 8 :
		    len > 8 * i ? len - 8 * i : 0;
		uint8_t mask = (uint8_t)(bits == 0 ? 0 : 0xff << (8 - bits));

		e->lo[i] = a[i] & mask;
		e->hi[i] = (uint8_t)(a[i] | (uint8_t)~mask);
	}
}

static void
rnd_addr_filter(struct ft_addr_filter *f, uint8_t fam)
{
	unsigned i, n;

	memset(f, 0, sizeof(*f));
	if (rndn(3) == 0)
		return;		/* wildcard */
	n = 1 + rndn(rndn(4) == 0 ? 5 : 2);
	for (i = 0; i < n; i++) {
		struct ft_addr_ent *e = &f->e[i];
		uint8_t a[16], b[16];
		unsigned maxlen = fam == 4 ? 32 : 128;

		rnd_addr(fam, a);
		rnd_addr(fam, b);
		switch (rndn(5)) {
		case 0:		/* a-b */
			if (memcmp(a, b, 16) <= 0) {
				memcpy(e->lo, a, 16);
				memcpy(e->hi, b, 16);
			} else {
				memcpy(e->lo, b, 16);
				memcpy(e->hi, a, 16);
			}
			break;
		case 1:		/* '*', a-* or *-b (hi: 16 bytes 0xff) */
			memset(e->lo, 0, 16);
			memset(e->hi, 0xff, 16);
			if (rndn(2))
				memcpy(e->lo, a, 16);
			else if (rndn(2))
				memcpy(e->hi, b, 16);
			break;
		case 2:		/* host */
			memcpy(e->lo, a, 16);
			memcpy(e->hi, a, 16);
			break;
		default:	/* prefix, long ones more often */
			prefix_ent(e, a, rndn(2) ? maxlen - rndn(12) :
			    rndn(maxlen + 1), fam);
			break;
		}
		e->neg = rndn(4) == 0;
		if (!e->neg)
			f->npos++;
	}
	f->n = (uint8_t)n;
}

static void
rnd_rule(struct ft_rule *r, uint64_t id)
{
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->family = rndn(2) ? 4 : 6;
	rnd_addr_filter(&r->src, r->family);
	rnd_addr_filter(&r->dst, r->family);
	rnd_num_filter(&r->proto, rnd_byte, 255);
	if (rndn(3) == 0) {
		rnd_num_filter(&r->icmp_type, rnd_byte, 255);
		rnd_num_filter(&r->icmp_code, rnd_byte, 255);
	} else {
		rnd_num_filter(&r->sport, rnd_port, 65535);
		rnd_num_filter(&r->dport, rnd_port, 65535);
	}
	r->need_ports = r->sport.n != 0 || r->dport.n != 0;
	r->need_icmp = r->icmp_type.n != 0 || r->icmp_code.n != 0;
	/* Now and then flags that disagree with the filters (hand-made). */
	if (hand_made && rndn(20) == 0)
		r->need_ports = (uint8_t)rndn(2);
	if (hand_made && rndn(20) == 0)
		r->need_icmp = (uint8_t)rndn(2);
}

/* One address value of an entry of r, or next to one: the edges. */
static void
edge_addr(const struct ft_addr_filter *f, uint8_t fam, uint8_t a[16])
{
	const struct ft_addr_ent *e;
	int i;

	if (f->n == 0) {
		rnd_addr(fam, a);
		return;
	}
	e = &f->e[rndn(f->n)];
	memcpy(a, rndn(2) ? e->lo : e->hi, 16);
	if (fam == 4)
		memset(a + 4, 0, 12);
	switch (rndn(3)) {
	case 0:		/* one above */
		for (i = fam == 4 ? 3 : 15; i >= 0 && ++a[i] == 0; i--)
			;
		break;
	case 1:		/* one below */
		for (i = fam == 4 ? 3 : 15; i >= 0 && a[i]-- == 0; i--)
			;
		break;
	default:
		break;
	}
}

static uint64_t
edge_num(const struct ft_num_filter *f, uint64_t (*val)(void))
{
	const struct ft_num_ent *e;
	uint64_t v;

	if (f->n == 0)
		return val();
	e = &f->e[rndn(f->n)];
	v = rndn(2) ? e->lo : e->hi;
	return v + rndn(3) - 1;	/* wraps harmlessly: callers truncate */
}

/* A packet near a random criterion of c (or a random one). */
static void
rnd_pkt(struct ft_classify *c, struct ft_pkt *p)
{
	unsigned n = ft_classify_count(c);
	const struct ft_rule *r = n ? ft_classify_at(c, rndn(n)) : NULL;

	memset(p, 0, sizeof(*p));
	p->family = rndn(50) == 0 ? 5 : rndn(2) ? 4 : 6;
	if (r != NULL && rndn(4) != 0 && r->family == 4 + 2 * rndn(2))
		p->family = r->family;
	if (r != NULL && p->family == r->family && rndn(5) != 0) {
		edge_addr(&r->src, p->family, p->src);
		edge_addr(&r->dst, p->family, p->dst);
		p->proto = (uint8_t)edge_num(&r->proto, rnd_byte);
		p->sport = (uint16_t)edge_num(&r->sport, rnd_port);
		p->dport = (uint16_t)edge_num(&r->dport, rnd_port);
		p->icmp_type = (uint8_t)edge_num(&r->icmp_type, rnd_byte);
		p->icmp_code = (uint8_t)edge_num(&r->icmp_code, rnd_byte);
	} else {
		rnd_addr(p->family == 6 ? 6 : 4, p->src);
		rnd_addr(p->family == 6 ? 6 : 4, p->dst);
		p->proto = (uint8_t)rnd_byte();
		p->sport = (uint16_t)rnd_port();
		p->dport = (uint16_t)rnd_port();
		p->icmp_type = (uint8_t)rnd_byte();
		p->icmp_code = (uint8_t)rnd_byte();
	}
	/* FT_PKT_PORTS, FT_PKT_ICMP: both only in hand-made packets. */
	p->flags = (uint8_t)rndn(hand_made ? 4 : 3);
}

/* Packets through both tables: identical id lists. Returns matches. */
static unsigned
compare(struct ft_classify *fast, struct ft_classify *lin, unsigned npkts)
{
	static struct ft_rule *a[FT_CLASSIFY_CAP_MAX], *b[FT_CLASSIFY_CAP_MAX];
	unsigned i, j, na, nb, total = 0;

	for (i = 0; i < npkts; i++) {
		struct ft_pkt p;
		unsigned max = rndn(10) == 0 ? 1 + rndn(3) :
		    FT_CLASSIFY_CAP_MAX;

		rnd_pkt(lin, &p);
		na = ft_classify_match(fast, &p, a, max);
		nb = ft_classify_match(lin, &p, b, max);
		assert_int_equal(na, nb);
		for (j = 0; j < na; j++)
			assert_int_equal(a[j]->id, b[j]->id);
		total += na;
	}
	return total;
}

/* The same add/delete/clear on both tables; both must agree. */
static void
mutate(struct ft_classify *fast, struct ft_classify *lin, uint64_t *next_id,
    unsigned target, unsigned del_pct)
{
	static struct ft_rule r;
	unsigned n = ft_classify_count(lin), x;

	x = rndn(100);
	if (x == 0) {
		ft_classify_clear(fast);
		ft_classify_clear(lin);
	} else if (n > 0 && (n >= target || x < del_pct)) {
		uint64_t id = ft_classify_at(lin, rndn(n))->id;

		assert_int_equal(ft_classify_del(fast, id), 0);
		assert_int_equal(ft_classify_del(lin, id), 0);
	} else {
		rnd_rule(&r, (*next_id)++);
		assert_int_equal(ft_classify_add(fast, &r),
		    ft_classify_add(lin, &r));
	}
	assert_int_equal(ft_classify_count(fast), ft_classify_count(lin));
}

static void
random_sets(uint64_t seed)
{
	struct ft_classify *fast, *lin;
	uint64_t next_id = 1;
	unsigned set, step, hits = 0, checks = 0;

	rng_state = seed;
	fast = ft_classify_new();
	lin = ft_classify_new_cap(FT_CRITERIA_MAX, 1);
	assert_non_null(fast);
	assert_non_null(lin);
	assert_false(ft_classify_is_linear(fast));
	assert_true(ft_classify_is_linear(lin));
	for (set = 0; set < 1000; set++) {
		unsigned target = rndn(101), steps = 1 + rndn(4);

		/* A fresh set of about target criteria, then small changes. */
		ft_classify_clear(fast);
		ft_classify_clear(lin);
		while (ft_classify_count(lin) < target)
			mutate(fast, lin, &next_id, target, 5);
		for (step = 0; step < steps; step++) {
			unsigned k = rndn(4);

			while (k-- > 0)
				mutate(fast, lin, &next_id, target, 40);
			hits += compare(fast, lin, 16);
			checks += 16;
		}
	}
	/* Not vacuous: a good share of packets matched something. */
	assert_true(hits > checks / 4);
	ft_classify_free(fast);
	ft_classify_free(lin);
}

static void
test_classify_fast_equals_linear_random(void **state)
{
	(void)state;
	hand_made = 1;
	random_sets(0x2545f4914f6cdd1dULL);
}

static void
test_classify_fast_equals_linear_random_decoded(void **state)
{
	(void)state;
	hand_made = 0;
	random_sets(0x6a09e667f3bcc909ULL);
	hand_made = 1;
}

static void
sets_3000(uint64_t seed)
{
	struct ft_classify *fast, *lin;
	uint64_t next_id = 1;
	unsigned set, i, hits = 0;

	rng_state = seed;
	fast = ft_classify_new_cap(3000, 0);
	lin = ft_classify_new_cap(3000, 1);
	assert_non_null(fast);
	assert_non_null(lin);
	for (set = 0; set < 2; set++) {
		for (i = 0; i < 3100; i++)
			mutate(fast, lin, &next_id, 3000, 1);
		hits += compare(fast, lin, 1500);
	}
	assert_true(hits > 1000);
	/* A full table refuses one more. */
	while (ft_classify_count(lin) < 3000) {
		struct ft_rule r;

		rnd_rule(&r, next_id++);
		assert_int_equal(ft_classify_add(fast, &r), 0);
		assert_int_equal(ft_classify_add(lin, &r), 0);
	}
	{
		struct ft_rule r;

		rnd_rule(&r, next_id++);
		assert_int_equal(ft_classify_add(fast, &r), FT_ELIMIT);
	}
	hits = compare(fast, lin, 1500);
	assert_true(hits > 0);
	ft_classify_free(fast);
	ft_classify_free(lin);
}

static void
test_classify_fast_equals_linear_3000(void **state)
{
	(void)state;
	hand_made = 1;
	sets_3000(0x9e3779b97f4a7c15ULL);
}

static void
test_classify_fast_equals_linear_3000_decoded(void **state)
{
	(void)state;
	hand_made = 0;
	sets_3000(0xbb67ae8584caa73bULL);
	hand_made = 1;
}

/*
 * Hand-checked cases of SPEC 3 list semantics on the fast matcher:
 * "Dest-Port: !80" matches every other port and no portless packet;
 * "Source-Address: 10.0.0.0/8,!10.1.0.0/16" excludes the /16.
 */
static void
test_classify_fast_negation_and_no_ports(void **state)
{
	struct ft_classify *c = *state;
	struct ft_rule r, *out[FT_MATCH_MAX];
	struct ft_pkt p;

	memset(&r, 0, sizeof(r));
	r.id = 1;
	r.family = 4;
	r.dport.n = 1;
	r.dport.e[0].lo = r.dport.e[0].hi = 80;
	r.dport.e[0].neg = 1;
	r.need_ports = 1;
	assert_int_equal(ft_classify_add(c, &r), 0);
	memset(&r, 0, sizeof(r));
	r.id = 2;
	r.family = 4;
	r.src.n = 2;
	r.src.npos = 1;
	r.src.e[0].lo[0] = 10;
	memset(r.src.e[0].hi, 0, 16);
	r.src.e[0].hi[0] = 10;
	r.src.e[0].hi[1] = r.src.e[0].hi[2] = r.src.e[0].hi[3] = 255;
	r.src.e[1].lo[0] = 10;
	r.src.e[1].lo[1] = 1;
	r.src.e[1].hi[0] = 10;
	r.src.e[1].hi[1] = 1;
	r.src.e[1].hi[2] = r.src.e[1].hi[3] = 255;
	r.src.e[1].neg = 1;
	assert_int_equal(ft_classify_add(c, &r), 0);

	p = mkpkt(4, 6);
	p.flags = FT_PKT_PORTS;
	p.dport = 80;
	p.src[1] = 2;		/* 10.2.0.0 */
	assert_int_equal(ft_classify_match(c, &p, out, FT_MATCH_MAX), 1);
	assert_int_equal(out[0]->id, 2);
	p.dport = 81;
	assert_int_equal(ft_classify_match(c, &p, out, FT_MATCH_MAX), 2);
	p.src[1] = 1;		/* 10.1.0.0: negated */
	assert_int_equal(ft_classify_match(c, &p, out, FT_MATCH_MAX), 1);
	assert_int_equal(out[0]->id, 1);
	p.flags = 0;		/* no ports: criterion 1 cannot match */
	assert_int_equal(ft_classify_match(c, &p, out, FT_MATCH_MAX), 0);
	p.src[0] = 11;
	p.flags = FT_PKT_PORTS;
	assert_int_equal(ft_classify_match(c, &p, out, FT_MATCH_MAX), 1);
	/* The same answers from the reference matcher. */
	ft_classify_set_linear(c, 1);
	assert_int_equal(ft_classify_match(c, &p, out, FT_MATCH_MAX), 1);
	assert_int_equal(out[0]->id, 1);
	assert_int_equal(ft_classify_build(c), 0);
}

static void
test_classify_new_cap_bounds(void **state)
{
	(void)state;
	assert_null(ft_classify_new_cap(0, 0));
	assert_null(ft_classify_new_cap(FT_CLASSIFY_CAP_MAX + 1, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_classify_add_get_at_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_classify_non_increasing_id_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_classify_limit_101, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_classify_delete_middle_keeps_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_classify_match_in_id_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_classify_clear, setup,
		    teardown),
		cmocka_unit_test(test_classify_free_null),
		cmocka_unit_test_setup_teardown(
		    test_classify_fast_negation_and_no_ports, setup, teardown),
		cmocka_unit_test(test_classify_new_cap_bounds),
		cmocka_unit_test(test_classify_fast_equals_linear_random),
		cmocka_unit_test(test_classify_fast_equals_linear_random_decoded),
		cmocka_unit_test(test_classify_fast_equals_linear_3000),
		cmocka_unit_test(test_classify_fast_equals_linear_3000_decoded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
