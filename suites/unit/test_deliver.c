/*
 * test_deliver.c - what the delivery module decides without a network:
 * mode and failure names, a copy it cannot read (counted, said once),
 * mode none. Sending is checked end to end by harness/check_live.sh in
 * network namespaces (no network in unit tests).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "deliver.h"

static void
test_deliver_mode_parse(void **state)
{
	enum ft_deliver_mode m = FT_DELIVER_NONE;

	(void)state;
	assert_int_equal(ft_deliver_mode_parse("auto", &m), 0);
	assert_int_equal(m, FT_DELIVER_AUTO);
	assert_int_equal(ft_deliver_mode_parse("raw", &m), 0);
	assert_int_equal(m, FT_DELIVER_RAW);
	assert_int_equal(ft_deliver_mode_parse("udp", &m), 0);
	assert_int_equal(m, FT_DELIVER_UDP);
	assert_int_equal(ft_deliver_mode_parse("none", &m), 0);
	assert_int_equal(m, FT_DELIVER_NONE);
	assert_int_equal(ft_deliver_mode_parse("RAW", &m), FT_EINVAL);
	assert_int_equal(ft_deliver_mode_parse("", &m), FT_EINVAL);
	assert_int_equal(ft_deliver_mode_parse("udp6", &m), FT_EINVAL);
	assert_int_equal(m, FT_DELIVER_NONE);
}

static void
test_deliver_fail_names(void **state)
{
	static const char *const want[FT_DELIVER_F_COUNT] = {
		"again", "toobig", "unreach", "refused", "perm", "bad", "other",
	};
	int i;

	(void)state;
	for (i = 0; i < FT_DELIVER_F_COUNT; i++)
		assert_string_equal(ft_deliver_fail_name(
		    (enum ft_deliver_fail)i), want[i]);
	assert_string_equal(ft_deliver_fail_name(FT_DELIVER_F_COUNT), "?");
}

/* An IPv4/UDP copy as encap.c builds it: 20 + 8 + 4 bytes of payload. */
static const uint8_t copy4[32] = {
	0x45, 0x00, 0x00, 0x20, 0x00, 0x07, 0x00, 0x00,
	0xff, 0x11, 0x00, 0x00, 10, 209, 74, 183,
	192, 168, 3, 2,
	0xff, 0xfe, 0x07, 0x16, 0x00, 0x0c, 0x00, 0x00,
	0xde, 0xad, 0xbe, 0xef,
};

static void
test_deliver_none_sends_nothing(void **state)
{
	struct ft_deliver *d;
	const struct ft_deliver_stats *st;
	struct ft_err e;

	(void)state;
	assert_int_equal(ft_deliver_new(FT_DELIVER_NONE, NULL, &d, &e), 0);
	assert_string_equal(ft_deliver_mode_name(d), "none");
	assert_int_equal(ft_deliver_send(d, copy4, sizeof(copy4)), 0);
	assert_int_equal(ft_deliver_copy(d, 5, copy4, sizeof(copy4), &e), 0);
	st = ft_deliver_stats(d);
	assert_true(st->sent == 0 && st->failed == 0);
	ft_deliver_free(d);
	ft_deliver_free(NULL);
}

static void
test_deliver_unreadable_copy_counted_and_said_once(void **state)
{
	struct ft_deliver *d;
	const struct ft_deliver_stats *st;
	struct ft_err e;
	uint8_t bad[32];
	char *text = NULL;
	size_t tlen = 0;
	FILE *info;

	(void)state;
	info = open_memstream(&text, &tlen);
	assert_non_null(info);
	assert_int_equal(ft_deliver_new(FT_DELIVER_NONE, info, &d, &e), 0);
	/* Not IP; IPv4 but not UDP; IPv6 too short; IPv4 IHL 4; empty. */
	memcpy(bad, copy4, sizeof(bad));
	bad[0] = 0x55;
	assert_int_equal(ft_deliver_send(d, bad, sizeof(bad)),
	    FT_DELIVER_F_BAD + 1);
	bad[0] = 0x45;
	bad[9] = 6;
	assert_int_equal(ft_deliver_send(d, bad, sizeof(bad)),
	    FT_DELIVER_F_BAD + 1);
	bad[0] = 0x60;
	assert_int_equal(ft_deliver_send(d, bad, sizeof(bad)),
	    FT_DELIVER_F_BAD + 1);
	bad[0] = 0x44;
	bad[9] = 17;
	assert_int_equal(ft_deliver_send(d, bad, sizeof(bad)),
	    FT_DELIVER_F_BAD + 1);
	assert_int_equal(ft_deliver_send(d, bad, 0), FT_DELIVER_F_BAD + 1);
	/* 28 bytes is the shortest IPv4 copy; 27 is not one. */
	assert_int_equal(ft_deliver_send(d, copy4, 28), 0);
	assert_int_equal(ft_deliver_send(d, copy4, 27), FT_DELIVER_F_BAD + 1);
	/* ft_deliver_copy never stops the packet: 0 even then. */
	assert_int_equal(ft_deliver_copy(d, 0, bad, sizeof(bad), &e), 0);
	st = ft_deliver_stats(d);
	assert_true(st->failed == 7);
	assert_true(st->fail[FT_DELIVER_F_BAD] == 7);
	assert_true(st->sent == 0);
	fclose(info);
	/* The mode line, then the first failure of the kind, once. */
	assert_non_null(strstr(text, "delivery: none"));
	assert_non_null(strstr(text, "(bad: not an IP/UDP copy)"));
	assert_null(strstr(strstr(text, "(bad:") + 1, "(bad:"));
	free(text);
	ft_deliver_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deliver_mode_parse),
		cmocka_unit_test(test_deliver_fail_names),
		cmocka_unit_test(test_deliver_none_sends_nothing),
		cmocka_unit_test(
		    test_deliver_unreadable_copy_counted_and_said_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
