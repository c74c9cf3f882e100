/*
 * test_framer.c - DTCP messages out of a byte stream (framer.h).
 */
#include "testutil.h"

#include <stdlib.h>

#include "framer.h"

#define GOT_MAX 8

struct got {
	unsigned n;
	char msg[GOT_MAX][FT_DTCP_MSG_MAX + 2];
	size_t len[GOT_MAX];
	int oversize[GOT_MAX];
};

static void
collect(void *ctx, const char *msg, size_t len, int oversize)
{
	struct got *g = ctx;

	assert_true(g->n < GOT_MAX);
	assert_true(len <= FT_DTCP_MSG_MAX + 1);
	memcpy(g->msg[g->n], msg, len);
	g->msg[g->n][len] = '\0';
	g->len[g->n] = len;
	g->oversize[g->n] = oversize;
	g->n++;
}

static struct got *
got_new(void)
{
	struct got *g = calloc(1, sizeof(*g));

	assert_non_null(g);
	return g;
}

static const char two[] =
    "LIST DTCP/0.7\r\nSeq: 1\r\n\r\n"
    "LIST DTCP/0.7\r\nSeq: 2\r\n\r\n";

static void
test_framer_two_messages_in_one_read(void **state)
{
	struct ft_framer f;
	struct got *g = got_new();

	(void)state;
	ft_framer_init(&f);
	ft_framer_feed(&f, two, sizeof(two) - 1, collect, g);
	assert_int_equal(g->n, 2);
	assert_string_equal(g->msg[0], "LIST DTCP/0.7\r\nSeq: 1\r\n\r\n");
	assert_string_equal(g->msg[1], "LIST DTCP/0.7\r\nSeq: 2\r\n\r\n");
	assert_int_equal(g->oversize[0], 0);
	assert_int_equal(ft_framer_pending(&f), 0);
	free(g);
}

static void
test_framer_message_split_byte_by_byte(void **state)
{
	struct ft_framer f;
	struct got *g = got_new();
	size_t i;

	(void)state;
	ft_framer_init(&f);
	for (i = 0; i < sizeof(two) - 1; i++)
		ft_framer_feed(&f, two + i, 1, collect, g);
	assert_int_equal(g->n, 2);
	assert_string_equal(g->msg[0], "LIST DTCP/0.7\r\nSeq: 1\r\n\r\n");
	assert_string_equal(g->msg[1], "LIST DTCP/0.7\r\nSeq: 2\r\n\r\n");
	free(g);
}

static void
test_framer_lf_lines_become_crlf(void **state)
{
	struct ft_framer f;
	struct got *g = got_new();
	static const char lf[] = "LIST DTCP/0.7\nSeq: 1\r\nX: a\rb\n\n";

	(void)state;
	ft_framer_init(&f);
	ft_framer_feed(&f, lf, sizeof(lf) - 1, collect, g);
	assert_int_equal(g->n, 1);
	/* The bare CR inside a line stays for the parser to refuse. */
	assert_string_equal(g->msg[0],
	    "LIST DTCP/0.7\r\nSeq: 1\r\nX: a\rb\r\n\r\n");
	free(g);
}

static void
test_framer_cr_before_lf_kept_once(void **state)
{
	struct ft_framer f;
	struct got *g = got_new();
	static const char s[] = "A: 1\r\r\n\r\n";

	(void)state;
	ft_framer_init(&f);
	ft_framer_feed(&f, s, sizeof(s) - 1, collect, g);
	assert_int_equal(g->n, 1);
	assert_string_equal(g->msg[0], "A: 1\r\r\n\r\n");
	free(g);
}

static void
test_framer_blank_lines_between_messages_skipped(void **state)
{
	struct ft_framer f;
	struct got *g = got_new();
	static const char s[] = "\r\n\n\r\nLIST DTCP/0.7\n\n\r\n\nNOOP DTCP/0.7\n";

	(void)state;
	ft_framer_init(&f);
	ft_framer_feed(&f, s, sizeof(s) - 1, collect, g);
	assert_int_equal(g->n, 1);
	assert_string_equal(g->msg[0], "LIST DTCP/0.7\r\n\r\n");
	assert_int_equal(ft_framer_pending(&f), strlen("NOOP DTCP/0.7\r\n"));
	free(g);
}

static void
test_framer_finish_hands_on_last_message(void **state)
{
	struct ft_framer f;
	struct got *g = got_new();
	static const char s[] = "LIST DTCP/0.7\nSeq: 3";

	(void)state;
	ft_framer_init(&f);
	ft_framer_feed(&f, s, sizeof(s) - 1, collect, g);
	assert_int_equal(g->n, 0);
	assert_int_equal(ft_framer_finish(&f, collect, g), 1);
	assert_int_equal(g->n, 1);
	assert_string_equal(g->msg[0], "LIST DTCP/0.7\r\nSeq: 3\r\n\r\n");
	assert_int_equal(ft_framer_finish(&f, collect, g), 0);
	free(g);
}

/* A message of exactly n bytes (CRLFs and the empty line included). */
static char *
message_of(size_t n)
{
	static const char head[] = "LIST DTCP/0.7\r\nX-Pad: ";
	char *m = malloc(n + 1);
	size_t i;

	assert_non_null(m);
	assert_true(n > sizeof(head) + 4);
	memcpy(m, head, sizeof(head) - 1);
	for (i = sizeof(head) - 1; i < n - 4; i++)
		m[i] = 'a';
	memcpy(m + n - 4, "\r\n\r\n", 4);
	m[n] = '\0';
	return m;
}

static void
test_framer_message_at_cap_passes_whole(void **state)
{
	struct ft_framer f;
	struct got *g = got_new();
	char *m = message_of(FT_DTCP_MSG_MAX);

	(void)state;
	ft_framer_init(&f);
	ft_framer_feed(&f, m, FT_DTCP_MSG_MAX, collect, g);
	assert_int_equal(g->n, 1);
	assert_int_equal(g->len[0], FT_DTCP_MSG_MAX);
	assert_int_equal(g->oversize[0], 0);
	assert_memory_equal(g->msg[0], m, FT_DTCP_MSG_MAX);
	free(m);
	free(g);
}

static void
test_framer_message_over_cap_handed_on_as_cap_plus_one(void **state)
{
	struct ft_framer f;
	struct got *g = got_new();
	char *m = message_of(FT_DTCP_MSG_MAX + 1);

	(void)state;
	ft_framer_init(&f);
	ft_framer_feed(&f, m, FT_DTCP_MSG_MAX + 1, collect, g);
	assert_int_equal(g->n, 1);
	assert_int_equal(g->len[0], FT_DTCP_MSG_MAX + 1);
	assert_int_equal(g->oversize[0], 1);
	/* The message ended with it: the next one is read normally. */
	ft_framer_feed(&f, two, sizeof(two) - 1, collect, g);
	assert_int_equal(g->n, 3);
	assert_string_equal(g->msg[1], "LIST DTCP/0.7\r\nSeq: 1\r\n\r\n");
	free(m);
	free(g);
}

/* LF-only input that becomes 1 byte over the cap only once normalised. */
static void
test_framer_cap_counts_normalised_bytes(void **state)
{
	struct ft_framer f;
	struct got *g = got_new();
	/* n LF-only bytes: "L\n" + pad + "\n\n" -> 3 CRs more. */
	size_t n = FT_DTCP_MSG_MAX - 2, i;
	char *m = malloc(n);

	(void)state;
	assert_non_null(m);
	memcpy(m, "L\n", 2);
	for (i = 2; i < n - 2; i++)
		m[i] = 'a';
	m[n - 2] = '\n';
	m[n - 1] = '\n';
	ft_framer_init(&f);
	ft_framer_feed(&f, m, n, collect, g);
	assert_int_equal(g->n, 1);
	assert_int_equal(g->oversize[0], 1);
	assert_int_equal(g->len[0], FT_DTCP_MSG_MAX + 1);
	free(m);
	free(g);
}

static void
test_framer_endless_message_bounded_and_rest_discarded(void **state)
{
	struct ft_framer f;
	struct got *g = got_new();
	char chunk[4096];
	unsigned i;

	(void)state;
	memset(chunk, 'x', sizeof(chunk));
	chunk[100] = '\n';	/* lines, but never an empty one */
	ft_framer_init(&f);
	ft_framer_feed(&f, "ADD DTCP/0.7\r\n", 14, collect, g);
	for (i = 0; i < 1000; i++)	/* 4 MB */
		ft_framer_feed(&f, chunk, sizeof(chunk), collect, g);
	assert_int_equal(g->n, 1);
	assert_int_equal(g->oversize[0], 1);
	assert_int_equal(g->len[0], FT_DTCP_MSG_MAX + 1);
	assert_true(f.discarded > 4000000);
	assert_int_equal(ft_framer_pending(&f), 0);
	/* Its empty line ends the discarding; then a normal message. */
	ft_framer_feed(&f, "\r\n\r\n", 4, collect, g);
	ft_framer_feed(&f, two, sizeof(two) - 1, collect, g);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->oversize[1], 0);
	assert_string_equal(g->msg[1], "LIST DTCP/0.7\r\nSeq: 1\r\n\r\n");
	/* finish() while discarding hands nothing on. */
	ft_framer_feed(&f, chunk, sizeof(chunk), collect, g);
	ft_framer_feed(&f, chunk, sizeof(chunk), collect, g);
	ft_framer_feed(&f, chunk, sizeof(chunk), collect, g);
	assert_int_equal(g->n, 4);
	assert_int_equal(ft_framer_finish(&f, collect, g), 0);
	assert_int_equal(g->n, 4);
	free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framer_two_messages_in_one_read),
		cmocka_unit_test(test_framer_message_split_byte_by_byte),
		cmocka_unit_test(test_framer_lf_lines_become_crlf),
		cmocka_unit_test(test_framer_cr_before_lf_kept_once),
		cmocka_unit_test(test_framer_blank_lines_between_messages_skipped),
		cmocka_unit_test(test_framer_finish_hands_on_last_message),
		cmocka_unit_test(test_framer_message_at_cap_passes_whole),
		cmocka_unit_test(
		    test_framer_message_over_cap_handed_on_as_cap_plus_one),
		cmocka_unit_test(test_framer_cap_counts_normalised_bytes),
		cmocka_unit_test(
		    test_framer_endless_message_bounded_and_rest_discarded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
