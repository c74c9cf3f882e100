/*
 * test_classify.c - the criterion table: Criteria-ID order, the chassis
 * limit of 100 criteria (SPEC 3), ids never reused, match order.
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
