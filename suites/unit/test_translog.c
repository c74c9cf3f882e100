/*
 * test_translog.c - dtcp.log's byte escaping (translog.h): printable
 * valid UTF-8 as is; controls, a BOM and every byte of invalid UTF-8
 * (RFC 3629: overlong forms, surrogates, code points above U+10FFFF,
 * cut sequences, stray continuation bytes) as \xHH.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "rules.h"
#include "translog.h"

/* What ft_translog_text writes for len bytes of text, in a static buffer. */
static const char *
shown(const char *text, size_t len)
{
	static char out[1024];
	char *buf = NULL;
	size_t n = 0;
	FILE *fp;

	fp = open_memstream(&buf, &n);
	assert_non_null(fp);
	ft_translog_text(fp, text, len);
	assert_int_equal(fclose(fp), 0);
	assert_true(n < sizeof(out));
	memcpy(out, buf, n + 1);
	free(buf);
	return out;
}

#define SHOWN(lit) shown(lit, sizeof(lit) - 1)

static void
test_translog_ascii_and_lines(void **state)
{
	(void)state;
	assert_string_equal(SHOWN("LIST DTCP/0.7\r\nSeq: 1\r\n\r\n"),
	    "  LIST DTCP/0.7\n  Seq: 1\n  \n");
	/* A backslash doubles; controls, a bare CR and NUL are escaped. */
	assert_string_equal(SHOWN("a\\b\r\n"), "  a\\\\b\n");
	assert_string_equal(SHOWN("a\tb\rc\0d\x7f\r\n"),
	    "  a\\x09b\\x0dc\\x00d\\x7f\n");
	assert_string_equal(SHOWN("no end"), "  no end\\ (no line end)\n");
}

static void
test_translog_utf8_valid_printable(void **state)
{
	(void)state;
	/* é (2 bytes), € (3), 😀 (4): written as they are. */
	assert_string_equal(SHOWN("X-Name: caf\xc3\xa9 \xe2\x82\xac "
	    "\xf0\x9f\x98\x80\r\n"), "  X-Name: caf\xc3\xa9 \xe2\x82\xac "
	    "\xf0\x9f\x98\x80\n");
	/* The highest code point, U+10FFFD (U+10FFFF is a noncharacter). */
	assert_string_equal(SHOWN("\xf4\x8f\xbf\xbd\r\n"),
	    "  \xf4\x8f\xbf\xbd\n");
}

static void
test_translog_utf8_invalid_bytes(void **state)
{
	(void)state;
	/* A Latin-1 byte (é as 0xe9) is invalid UTF-8. */
	assert_string_equal(SHOWN("caf\xe9\r\n"), "  caf\\xe9\n");
	/* A stray continuation byte, a cut sequence. */
	assert_string_equal(SHOWN("\x80x\xe2\x82\r\n"), "  \\x80x\\xe2\\x82\n");
	/* Overlong '/' (c0 af, e0 80 af), a surrogate (ed a0 80). */
	assert_string_equal(SHOWN("\xc0\xaf\xe0\x80\xaf\xed\xa0\x80\r\n"),
	    "  \\xc0\\xaf\\xe0\\x80\\xaf\\xed\\xa0\\x80\n");
	/* Above U+10FFFF (f4 90 80 80), and f5..ff never start a sequence. */
	assert_string_equal(SHOWN("\xf4\x90\x80\x80\xff\r\n"),
	    "  \\xf4\\x90\\x80\\x80\\xff\n");
}

static void
test_translog_utf8_not_printable(void **state)
{
	(void)state;
	/* A byte-order mark, anywhere. */
	assert_string_equal(SHOWN("\xef\xbb\xbfLIST\r\n"),
	    "  \\xef\\xbb\\xbfLIST\n");
	/* C1 control U+0085, line separator U+2028, bidi override U+202E. */
	assert_string_equal(SHOWN("a\xc2\x85" "b\xe2\x80\xa8" "c\xe2\x80\xae"
	    "d\r\n"), "  a\\xc2\\x85b\\xe2\\x80\\xa8c\\xe2\\x80\\xae" "d\n");
	/* Noncharacter U+FFFE. */
	assert_string_equal(SHOWN("\xef\xbf\xbe\r\n"), "  \\xef\\xbf\\xbe\n");
}

/* An event line: origin, code, rule and reason, then the detail lines. */
static void
test_translog_event_rule_origin_detail(void **state)
{
	struct ft_event ev;
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	(void)state;
	assert_non_null(fp);
	memset(&ev, 0, sizeof(ev));
	ev.kind = FT_EV_REQUEST;
	ev.t_ns = 1297612600000000000ULL;
	ev.session = "s";
	ev.user = "verint";
	ev.origin = "script=case.dtcp:12";
	ev.text = "LIST DTCP/0.7\r\n\r\n";
	ev.text_len = 17;
	ft_translog_event(fp, &ev);
	memset(&ev, 0, sizeof(ev));
	ev.kind = FT_EV_DROP;
	ev.t_ns = 1297612600000000000ULL;
	ev.session = "s";
	ev.user = "verint";
	ev.code = 497;
	ev.rule = FT_RULES_AUTH_MAC_WRONG;
	ev.reason = "the MAC does not verify";
	ev.detail = "expected MAC 00 over these 2 bytes:\n| \\r\\n";
	ft_translog_event(fp, &ev);
	fclose(fp);
	assert_string_equal(buf,
	    "[1297612600.000000000 2011-02-13 15:56:40.000] request "
	    "session=s user=verint script=case.dtcp:12\n"
	    "  LIST DTCP/0.7\n"
	    "  \n"
	    "[1297612600.000000000 2011-02-13 15:56:40.000] drop "
	    "session=s user=verint code=497 rule=DTCP-AUTH-MAC-WRONG: "
	    "the MAC does not verify\n"
	    "  expected MAC 00 over these 2 bytes:\n"
	    "  | \\r\\n\n");
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_translog_ascii_and_lines),
		cmocka_unit_test(test_translog_utf8_valid_printable),
		cmocka_unit_test(test_translog_utf8_invalid_bytes),
		cmocka_unit_test(test_translog_utf8_not_printable),
		cmocka_unit_test(test_translog_event_rule_origin_detail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
