/*
 * test_json.c - the bounded JSON reader (json.h) used by flowtap report:
 * values, paths, escapes, and every rejection path.
 */
#include "testutil.h"

#include <stdlib.h>

#include "json.h"
#include "limits.h"

static struct ft_json *
parse_ok(const char *s)
{
	struct ft_json *j = NULL;
	struct ft_err e;

	e.msg[0] = '\0';
	assert_int_equal(ft_json_parse(&j, s, strlen(s), &e), 0);
	assert_non_null(j);
	return j;
}

static int
parse_rc(const char *s, size_t len)
{
	struct ft_json *j = NULL;
	struct ft_err e;
	int rc;

	e.msg[0] = '\0';
	rc = ft_json_parse(&j, s, len, &e);
	if (rc == 0)
		ft_json_free(j);
	else
		assert_true(strncmp(e.msg, "json byte ", 10) == 0 ||
		    strncmp(e.msg, "json: ", 6) == 0);
	return rc;
}

static void
test_json_values_and_paths(void **state)
{
	struct ft_json *j;
	const struct ft_json_node *r;

	(void)state;
	j = parse_ok(" {\"a\": {\"b\": [1, 2.50, -3e2]}, \"s\": \"x\", "
	    "\"t\": true, \"n\": null, \"big\": 18446744073709551615} ");
	r = ft_json_root(j);
	assert_int_equal(r->type, FT_JSON_OBJ);
	assert_int_equal(ft_json_get(r, "a.b")->type, FT_JSON_ARR);
	assert_int_equal(ft_json_u64(ft_json_get(r, "a.b")->child, 9), 1);
	/* Not integers: the default. */
	assert_int_equal(ft_json_u64(ft_json_get(r, "a.b")->child->next, 9),
	    9);
	assert_true(ft_json_num(ft_json_get(r, "a.b")->child->next, 0) == 2.5);
	assert_true(ft_json_num(ft_json_get(r, "a.b")->child->next->next,
	    0) == -300.0);
	assert_string_equal(ft_json_str(ft_json_get(r, "s"), "?"), "x");
	assert_int_equal(ft_json_get(r, "t")->type, FT_JSON_BOOL);
	assert_int_equal(ft_json_get(r, "n")->type, FT_JSON_NULL);
	assert_true(ft_json_u64(ft_json_get(r, "big"), 0) == UINT64_MAX);
	/* Missing members, and a path through a non-object. */
	assert_null(ft_json_get(r, "a.c"));
	assert_null(ft_json_get(r, "s.x"));
	assert_string_equal(ft_json_str(ft_json_get(r, "nope"), "d"), "d");
	ft_json_free(j);
	ft_json_free(NULL);
}

static void
test_json_u64_overflow_is_default(void **state)
{
	struct ft_json *j;

	(void)state;
	j = parse_ok("[18446744073709551616]");
	assert_int_equal(ft_json_u64(ft_json_root(j)->child, 7), 7);
	ft_json_free(j);
}

static void
test_json_escapes_unescaped(void **state)
{
	struct ft_json *j;

	(void)state;
	/* e-acute (2 bytes), the euro (3), G clef by a surrogate pair (4). */
	j = parse_ok("\"a\\\"\\\\\\/\\n\\u00e9\\u20ac\\ud834\\udd1e\"");
	assert_string_equal(ft_json_root(j)->text,
	    "a\"\\/\n\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e");
	ft_json_free(j);
}

static void
test_json_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"", "   ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{1:2}",
		"[1 2]", "01", "-", "1.", "1e", "+1", ".5", "tru", "nul",
		"\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud834\"", "\"\\udd1e\"",
		"\"\\ud834\\u0041\"", "\"\\u0000\"", "\"a\tb\"", "1 2",
		"[1] x", "{\"a\":}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_rc(bad[i], strlen(bad[i])),
		    FT_EFORMAT);
	/* A NUL byte inside the text is not white space. */
	assert_int_equal(parse_rc("[1]\0", 4), FT_EFORMAT);
}

static void
test_json_depth_capped(void **state)
{
	char buf[2 * (FT_JSON_DEPTH_MAX + 1) + 1];
	size_t i, n = FT_JSON_DEPTH_MAX;

	(void)state;
	/* FT_JSON_DEPTH_MAX nested arrays are fine, one more is not. */
	for (i = 0; i < n; i++) {
		buf[i] = '[';
		buf[2 * n - 1 - i] = ']';
	}
	assert_int_equal(parse_rc(buf, 2 * n), 0);
	n++;
	for (i = 0; i < n; i++) {
		buf[i] = '[';
		buf[2 * n - 1 - i] = ']';
	}
	assert_int_equal(parse_rc(buf, 2 * n), FT_ELIMIT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_values_and_paths),
		cmocka_unit_test(test_json_u64_overflow_is_default),
		cmocka_unit_test(test_json_escapes_unescaped),
		cmocka_unit_test(test_json_rejects_malformed),
		cmocka_unit_test(test_json_depth_capped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
