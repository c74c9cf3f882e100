/*
 * test_script.c - fixture script parser (SPEC 9, SPEC 2).
 *
 * Expected MACs come from the verified HMAC test vectors of
 * reference/dtcp-facts.md section 5.4, not from running the code.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "script.h"

#define NAME "t.dtcp"
#define KEY "Juniper"

/* Vector 5: key Juniper over these four CRLF lines. */
#define V5_LINES "LIST DTCP/0.7\r\nCsource-ID: dtcp1\r\nCdest-ID: cd1\r\n" \
	"Seq: 9\r\n"
#define V5_MAC "f6dd64643021debb167ce2fb2d3c7b6622a87e09"
/* Vector 6: key Juniper. */
#define V6_LINES "DELETE DTCP/0.7\r\nCsource-ID: dtcp1\r\n" \
	"CRITERIA-ID: 2\r\nFlags: STATIC\r\nSeq: 10\r\n"
#define V6_MAC "7e84ae871b12f2da023b038774115bb8d955f17e"

static struct ft_err err;

static int
parse(struct ft_script *s, const char *text)
{
	memset(&err, 0, sizeof(err));
	return ft_script_parse(s, text, strlen(text), NAME, KEY,
	    strlen(KEY), &err);
}

/* Parse text expecting failure with code and exactly message msg. */
static void
expect_error(const char *text, int code, const char *msg)
{
	struct ft_script s;

	assert_int_equal(parse(&s, text), code);
	assert_string_equal(err.msg, msg);
	assert_null(s.ev);
	assert_int_equal(s.n, 0);
}

static void
assert_msg(const struct ft_script_event *ev, const char *want)
{
	assert_int_equal(ev->kind, FT_SCRIPT_MSG);
	assert_int_equal(ev->msg_len, strlen(want));
	assert_memory_equal(ev->msg, want, ev->msg_len);
}

static void
test_script_message_lf(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, "LIST DTCP/0.7\nCsource-ID: dtcp1\n\n"),
	    0);
	assert_int_equal(s.n, 1);
	assert_msg(&s.ev[0], "LIST DTCP/0.7\r\nCsource-ID: dtcp1\r\n\r\n");
	assert_int_equal(s.ev[0].line, 1);
	assert_int_equal(s.ev[0].at_ns, 0);
	assert_string_equal(s.ev[0].csource, "dtcp1");
	ft_script_release(&s);
	assert_null(s.ev);
	assert_int_equal(s.n, 0);
}

static void
test_script_crlf_same_as_lf(void **state)
{
	struct ft_script a, b;
	size_t i;

	(void)state;
	assert_int_equal(parse(&a, "# c\nLIST DTCP/0.7\nSeq: 1\n\n"
	    "@at 1\nADD DTCP/0.7\nSeq: 2\nAuthentication-Info: auto\n"), 0);
	assert_int_equal(parse(&b, "# c\r\nLIST DTCP/0.7\r\nSeq: 1\r\n\r\n"
	    "@at 1\r\nADD DTCP/0.7\r\nSeq: 2\r\nAuthentication-Info: auto\r\n"),
	    0);
	assert_int_equal(a.n, 2);
	assert_int_equal(b.n, 2);
	for (i = 0; i < a.n; i++) {
		assert_int_equal(a.ev[i].msg_len, b.ev[i].msg_len);
		assert_memory_equal(a.ev[i].msg, b.ev[i].msg, a.ev[i].msg_len);
		assert_int_equal(a.ev[i].line, b.ev[i].line);
		assert_int_equal(a.ev[i].at_ns, b.ev[i].at_ns);
	}
	assert_msg(&a.ev[0], "LIST DTCP/0.7\r\nSeq: 1\r\n\r\n");
	assert_int_equal(a.ev[1].line, 6);
	assert_int_equal(a.ev[1].at_ns, 1000000000u);
	ft_script_release(&a);
	ft_script_release(&b);
}

static void
test_script_auto_mac_vector5(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, "LIST DTCP/0.7\nCsource-ID: dtcp1\n"
	    "Cdest-ID: cd1\nSeq: 9\nAuthentication-Info: auto\n"), 0);
	assert_int_equal(s.n, 1);
	assert_msg(&s.ev[0], V5_LINES "Authentication-Info: " V5_MAC
	    "\r\n\r\n");
	ft_script_release(&s);
}

static void
test_script_auto_mac_name_case_crlf(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, "DELETE DTCP/0.7\r\nCsource-ID: dtcp1\r\n"
	    "CRITERIA-ID: 2\r\nFlags: STATIC\r\nSeq: 10\r\n"
	    "AUTHENTICATION-INFO:auto  \r\n\r\n"), 0);
	assert_int_equal(s.n, 1);
	assert_msg(&s.ev[0], V6_LINES "Authentication-Info: " V6_MAC
	    "\r\n\r\n");
	ft_script_release(&s);
}

static void
test_script_auto_uses_the_key(void **state)
{
	struct ft_script s;
	static const char text[] = "LIST DTCP/0.7\nCsource-ID: dtcp1\n"
	    "Cdest-ID: cd1\nSeq: 9\nAuthentication-Info: auto\n";

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ft_script_parse(&s, text, sizeof(text) - 1, NAME,
	    "juniper", 7, &err), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].msg_len, sizeof(V5_LINES
	    "Authentication-Info: " V5_MAC "\r\n\r\n") - 1);
	/* Another key gives another MAC over the same bytes. */
	assert_memory_not_equal(s.ev[0].msg + sizeof(V5_LINES
	    "Authentication-Info: ") - 1, V5_MAC, 40);
	ft_script_release(&s);
}

static void
test_script_literal_mac_kept(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, "LIST DTCP/0.7\nSeq: 9\n"
	    "Authentication-Info: 3db78d10deb83f8934f021e40dc2b49f45bc6dc7\n"
	    "\nLIST DTCP/0.7\nAuthentication-Info: AUTO\n\n"
	    "LIST DTCP/0.7\nAuthentication-Info: auto2\n"), 0);
	assert_int_equal(s.n, 3);
	assert_msg(&s.ev[0], "LIST DTCP/0.7\r\nSeq: 9\r\nAuthentication-Info:"
	    " 3db78d10deb83f8934f021e40dc2b49f45bc6dc7\r\n\r\n");
	assert_msg(&s.ev[1], "LIST DTCP/0.7\r\nAuthentication-Info: AUTO"
	    "\r\n\r\n");
	assert_msg(&s.ev[2], "LIST DTCP/0.7\r\nAuthentication-Info: auto2"
	    "\r\n\r\n");
	ft_script_release(&s);
}

static void
test_script_lines_after_auth_kept(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, "LIST DTCP/0.7\nCsource-ID: dtcp1\n"
	    "Cdest-ID: cd1\nSeq: 9\nAuthentication-Info: auto\nX-After: 1\n"),
	    0);
	assert_int_equal(s.n, 1);
	assert_msg(&s.ev[0], V5_LINES "Authentication-Info: " V5_MAC
	    "\r\nX-After: 1\r\n\r\n");
	ft_script_release(&s);
}

static void
test_script_comments_inside_and_between(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, "# header\n\n# between\nLIST DTCP/0.7\n"
	    "# inside, dropped\nCsource-ID: dtcp1\n# inside 2\n"
	    "Cdest-ID: cd1\nSeq: 9\n#\nAuthentication-Info: auto\n"
	    "# after\n\n# trailing\n"), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].line, 4);
	/* The dropped comments are not part of the MAC either. */
	assert_msg(&s.ev[0], V5_LINES "Authentication-Info: " V5_MAC
	    "\r\n\r\n");
	ft_script_release(&s);
}

static void
test_script_message_ended_by_directive_and_eof(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, "LIST DTCP/0.7\nSeq: 1\n@at 2\n"
	    "LIST DTCP/0.7\nSeq: 2"), 0);
	assert_int_equal(s.n, 2);
	assert_msg(&s.ev[0], "LIST DTCP/0.7\r\nSeq: 1\r\n\r\n");
	assert_int_equal(s.ev[0].at_ns, 0);
	assert_int_equal(s.ev[0].line, 1);
	assert_msg(&s.ev[1], "LIST DTCP/0.7\r\nSeq: 2\r\n\r\n");
	assert_int_equal(s.ev[1].at_ns, 2000000000u);
	assert_int_equal(s.ev[1].line, 4);
	ft_script_release(&s);
}

static void
test_script_whitespace_line_ends_message(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, "A DTCP/0.7\n \t \nB DTCP/0.7\n\n\n\n"
	    "C DTCP/0.7\r\n\t\r\n"), 0);
	assert_int_equal(s.n, 3);
	assert_msg(&s.ev[0], "A DTCP/0.7\r\n\r\n");
	assert_msg(&s.ev[1], "B DTCP/0.7\r\n\r\n");
	assert_msg(&s.ev[2], "C DTCP/0.7\r\n\r\n");
	assert_int_equal(s.ev[2].line, 7);
	ft_script_release(&s);
}

static void
test_script_bare_cr_kept(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, "LIST DTCP/0.7\rSeq: 1\r\r\nX: 1\r"), 0);
	assert_int_equal(s.n, 1);
	assert_msg(&s.ev[0], "LIST DTCP/0.7\rSeq: 1\r\r\nX: 1\r\r\n\r\n");
	ft_script_release(&s);
}

static void
test_script_csource(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, "ADD DTCP/0.7\nCSOURCE-id:  verint \t\n"
	    "Csource-ID: other\n\nLIST DTCP/0.7\nSeq: 1\n\n"
	    "LIST DTCP/0.7\nX-Csource-ID: no\ncsource-id:ft-user\n"), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.ev[0].csource, "verint");
	assert_string_equal(s.ev[1].csource, "");
	assert_string_equal(s.ev[2].csource, "ft-user");
	/* The line itself is kept as written. */
	assert_msg(&s.ev[0], "ADD DTCP/0.7\r\nCSOURCE-id:  verint \t\r\n"
	    "Csource-ID: other\r\n\r\n");
	ft_script_release(&s);
}

static void
test_script_big_message_kept(void **state)
{
	struct ft_script s;
	size_t n = FT_DTCP_MSG_MAX + 100, i;
	char *text = malloc(n + 32);
	size_t len;

	(void)state;
	assert_non_null(text);
	memcpy(text, "LIST DTCP/0.7\nX-Pad: ", 21);
	for (i = 21; i < n; i++)
		text[i] = 'a';
	text[n] = '\n';
	len = n + 1;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ft_script_parse(&s, text, len, NAME, KEY, 7, &err),
	    0);
	assert_int_equal(s.n, 1);
	/* Both LFs became CRLF, plus the final empty line. */
	assert_int_equal(s.ev[0].msg_len, len + 2 + 2);
	assert_true(s.ev[0].msg_len > FT_DTCP_MSG_MAX);
	assert_memory_equal(s.ev[0].msg + s.ev[0].msg_len - 6, "aa\r\n\r\n",
	    6);
	ft_script_release(&s);
	free(text);
}

static void
test_script_at_fractions(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, "@close\n@at 1.5\n@close\n@at 1.5\n@close\n"
	    "@at 2.000000001\n@close\n@at  7\t\n@close\n"), 0);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.ev[0].at_ns, 0);
	assert_int_equal(s.ev[1].at_ns, 1500000000u);
	assert_int_equal(s.ev[2].at_ns, 1500000000u);
	assert_int_equal(s.ev[3].at_ns, 2000000001u);
	assert_int_equal(s.ev[4].at_ns, 7000000000u);
	assert_int_equal(s.ev[4].line, 9);
	ft_script_release(&s);

	assert_int_equal(parse(&s, "@at 0.000000001\n@close\n"), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].at_ns, 1);
	ft_script_release(&s);
}

static void
test_script_at_errors(void **state)
{
	(void)state;
	expect_error("@at 2\n@close\n@at 1.5\n", FT_EINVAL,
	    NAME ":3: @at 1.5 goes back in time (last 2)");
	expect_error("@at 2.50\n@at 2.4999\n", FT_EINVAL,
	    NAME ":2: @at 2.4999 goes back in time (last 2.50)");
	expect_error("\n@at 0.0000000001\n", FT_EINVAL,
	    NAME ":2: bad time '0.0000000001' (decimal seconds, up to 9 "
	    "fractional digits)");
	expect_error("@at 1.\n", FT_EINVAL, NAME ":1: bad time '1.' "
	    "(decimal seconds, up to 9 fractional digits)");
	expect_error("@at -1\n", FT_EINVAL, NAME ":1: bad time '-1' "
	    "(decimal seconds, up to 9 fractional digits)");
	expect_error("@at 1e3\n", FT_EINVAL, NAME ":1: bad time '1e3' "
	    "(decimal seconds, up to 9 fractional digits)");
	expect_error("@at 99999999999999999999\n", FT_EINVAL,
	    NAME ":1: bad time '99999999999999999999' (decimal seconds, "
	    "up to 9 fractional digits)");
	expect_error("@at\n", FT_EINVAL, NAME ":1: @at needs SECONDS");
	expect_error("@at 1 2\n", FT_EINVAL,
	    NAME ":1: @at takes one argument, not '2'");
}

static void
test_script_session(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, "@at 3\n@session lea1 user=verint "
	    "password=verint123\n@session s2 from=2001:db8::1 password=p "
	    "user=u\n@session s3 from=192.0.2.7 user=a password=b\n"), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ev[0].kind, FT_SCRIPT_SESSION);
	assert_int_equal(s.ev[0].line, 2);
	assert_int_equal(s.ev[0].at_ns, 3000000000u);
	assert_string_equal(s.ev[0].name, "lea1");
	assert_string_equal(s.ev[0].user, "verint");
	assert_string_equal(s.ev[0].password, "verint123");
	assert_string_equal(s.ev[0].from, "");
	assert_null(s.ev[0].msg);
	assert_string_equal(s.ev[1].name, "s2");
	assert_string_equal(s.ev[1].user, "u");
	assert_string_equal(s.ev[1].password, "p");
	assert_string_equal(s.ev[1].from, "2001:db8::1");
	assert_string_equal(s.ev[2].from, "192.0.2.7");
	ft_script_release(&s);
}

static void
test_script_session_errors(void **state)
{
	char text[256], want[256];

	(void)state;
	expect_error("@session\n", FT_EINVAL, NAME ":1: @session needs NAME "
	    "user=U password=P [from=ADDR]");
	expect_error("@session user=a password=b\n", FT_EINVAL,
	    NAME ":1: @session needs a NAME before 'KEY=VALUE'");
	expect_error("@session s password=b\n", FT_EINVAL,
	    NAME ":1: @session: missing user=");
	expect_error("@session s user=a\n", FT_EINVAL,
	    NAME ":1: @session: missing password=");
	expect_error("@session s user=a password=b port=22\n", FT_EINVAL,
	    NAME ":1: @session: unknown key 'port'");
	expect_error("@session s user=a User=c password=b\n", FT_EINVAL,
	    NAME ":1: @session: unknown key 'User'");
	expect_error("@session s user=a password=b user=c\n", FT_EINVAL,
	    NAME ":1: @session: duplicate key 'user'");
	expect_error("@session s user=a password=b password=b\n", FT_EINVAL,
	    NAME ":1: @session: duplicate key 'password'");
	expect_error("@session s user=a password=b from=1.1.1.1 "
	    "from=1.1.1.1\n", FT_EINVAL,
	    NAME ":1: @session: duplicate key 'from'");
	expect_error("@session s user= password=b\n", FT_EINVAL,
	    NAME ":1: @session: empty user=");
	expect_error("@session s user=a password=b extra\n", FT_EINVAL,
	    NAME ":1: @session: 'extra' is not KEY=VALUE");
	expect_error("@session s user=a password=b from=1.2.3\n", FT_EINVAL,
	    NAME ":1: @session: from= '1.2.3' is not an IPv4 or IPv6 "
	    "address");
	/* 65-byte name and values: one over FT_NAME_MAX. */
	snprintf(text, sizeof(text), "@session %065d user=a password=b\n",
	    0);
	snprintf(want, sizeof(want), "%s:1: @session: name '%064d...' "
	    "longer than 64 bytes", NAME, 0);
	expect_error(text, FT_EINVAL, want);
	snprintf(text, sizeof(text), "@session s user=%065d password=b\n",
	    0);
	expect_error(text, FT_EINVAL,
	    NAME ":1: @session: user= longer than 64 bytes");
	snprintf(text, sizeof(text), "@session s user=a password=%065d\n",
	    0);
	expect_error(text, FT_EINVAL,
	    NAME ":1: @session: password= longer than 64 bytes");
	expect_error("@session s user=a password=b\x7f\n", FT_EINVAL,
	    NAME ":1: @session: password= has a byte that is not printable "
	    "ASCII");
}

static void
test_script_session_name_max_ok(void **state)
{
	struct ft_script s;
	char text[256];

	(void)state;
	snprintf(text, sizeof(text), "@session %064d user=%064d "
	    "password=%064d\n", 1, 2, 3);
	assert_int_equal(parse(&s, text), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(strlen(s.ev[0].name), FT_NAME_MAX);
	assert_int_equal(strlen(s.ev[0].user), FT_NAME_MAX);
	assert_int_equal(strlen(s.ev[0].password), FT_NAME_MAX);
	ft_script_release(&s);
}

static void
test_script_close(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, "@close\n@close lea1\n@close\tlea2 \n"), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ev[0].kind, FT_SCRIPT_CLOSE);
	assert_string_equal(s.ev[0].name, "");
	assert_string_equal(s.ev[1].name, "lea1");
	assert_string_equal(s.ev[2].name, "lea2");
	assert_int_equal(s.ev[2].line, 3);
	ft_script_release(&s);
	expect_error("@close a b\n", FT_EINVAL,
	    NAME ":1: @close takes at most one NAME, not 'b'");
}

static void
test_script_restart(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, "@restart\n@restart   GRES switchover "
	    " now \n@restart\t \n"), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ev[0].kind, FT_SCRIPT_RESTART);
	assert_string_equal(s.ev[0].reason, "");
	assert_string_equal(s.ev[1].reason, "GRES switchover  now");
	assert_string_equal(s.ev[2].reason, "");
	ft_script_release(&s);
	expect_error("@restart a\rb\n", FT_EINVAL,
	    NAME ":1: @restart: control character in the reason");
}

static void
test_script_restart_reason_cap(void **state)
{
	struct ft_script s;
	size_t n = 9 + FT_DTCP_LINE_MAX + 1, i;
	char *text = malloc(n);

	(void)state;
	assert_non_null(text);
	memcpy(text, "@restart ", 9);
	for (i = 9; i < n; i++)
		text[i] = 'r';
	/* Exactly FT_DTCP_LINE_MAX bytes of reason: accepted. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(ft_script_parse(&s, text, n - 1, NAME, KEY, 7, &err),
	    0);
	assert_int_equal(s.n, 1);
	assert_int_equal(strlen(s.ev[0].reason), FT_DTCP_LINE_MAX);
	ft_script_release(&s);
	/* One more: refused. */
	assert_int_equal(ft_script_parse(&s, text, n, NAME, KEY, 7, &err),
	    FT_EINVAL);
	assert_string_equal(err.msg,
	    NAME ":1: @restart: reason longer than 1024 bytes");
	free(text);
}

static void
test_script_unknown_directive(void **state)
{
	(void)state;
	expect_error("LIST DTCP/0.7\n\n\n@foo bar\n", FT_EINVAL,
	    NAME ":4: unknown directive '@foo'");
	expect_error("@AT 1\n", FT_EINVAL, NAME ":1: unknown directive '@AT'");
	expect_error("@\n", FT_EINVAL, NAME ":1: unknown directive '@'");
	expect_error("@at1\n", FT_EINVAL, NAME ":1: unknown directive '@at1'");
}

static void
test_script_nul_byte(void **state)
{
	struct ft_script s;
	static const char text[] = "LIST DTCP/0.7\nSeq: 1\n\nX\0Y\n";

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ft_script_parse(&s, text, sizeof(text) - 1, NAME,
	    KEY, 7, &err), FT_EINVAL);
	assert_string_equal(err.msg, NAME ":4: NUL byte");
	assert_null(s.ev);
}

static void
test_script_file_cap(void **state)
{
	struct ft_script s;
	char *text = calloc(1, (size_t)FT_SCRIPT_FILE_MAX + 1);

	(void)state;
	assert_non_null(text);
	memset(&err, 0, sizeof(err));
	assert_int_equal(ft_script_parse(&s, text, (size_t)FT_SCRIPT_FILE_MAX
	    + 1, NAME, KEY, 7, &err), FT_ELIMIT);
	assert_string_equal(err.msg, "script '" NAME "': 16777217 bytes, "
	    "over the cap of 16777216");
	assert_int_equal(s.n, 0);
	free(text);
}

static void
test_script_events_cap(void **state)
{
	struct ft_script s;
	size_t n = (size_t)FT_SCRIPT_EVENTS_MAX + 1, i;
	char *text = malloc(n * 7);
	char want[64];

	(void)state;
	assert_non_null(text);
	for (i = 0; i < n; i++)
		memcpy(text + i * 7, "@close\n", 7);
	memset(&err, 0, sizeof(err));
	assert_int_equal(ft_script_parse(&s, text, (n - 1) * 7, NAME, KEY, 7,
	    &err), 0);
	assert_int_equal(s.n, FT_SCRIPT_EVENTS_MAX);
	ft_script_release(&s);
	assert_int_equal(ft_script_parse(&s, text, n * 7, NAME, KEY, 7, &err),
	    FT_ELIMIT);
	snprintf(want, sizeof(want), NAME ":%zu: more than %d events", n,
	    FT_SCRIPT_EVENTS_MAX);
	assert_string_equal(err.msg, want);
	assert_int_equal(s.n, 0);
	free(text);
}

static void
test_script_empty_and_comments_only(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s, ""), 0);
	assert_int_equal(s.n, 0);
	ft_script_release(&s);
	assert_int_equal(parse(&s, "# only\n\n  \n#x"), 0);
	assert_int_equal(s.n, 0);
	ft_script_release(&s);
}

static void
test_script_error_after_events_frees(void **state)
{
	(void)state;
	/* Under ASan, a leak of the first events fails the run. */
	expect_error("LIST DTCP/0.7\n\n@session a user=u password=p\n"
	    "@restart r\n@nope\n", FT_EINVAL,
	    NAME ":5: unknown directive '@nope'");
}

/* The Seq value written into message i of s ("Seq: N" line), as a number. */
static uint64_t
seq_of(const struct ft_script *s, size_t i)
{
	assert_true(i < s->n);
	assert_int_equal(s->ev[i].has_seq, 1);
	return s->ev[i].seq;
}

static void
test_script_seq_auto_per_csource(void **state)
{
	struct ft_script s;

	(void)state;
	assert_int_equal(parse(&s,
	    "LIST DTCP/0.7\nCsource-ID: a\nSeq: auto\n\n"
	    "LIST DTCP/0.7\nCsource-ID: b\nSeq: auto\n\n"
	    "@at 1\n"
	    "LIST DTCP/0.7\nCsource-ID: a\nSeq: auto\n\n"
	    "@restart r\n"
	    "LIST DTCP/0.7\nCsource-ID: a\nSeq: auto\n\n"
	    "LIST DTCP/0.7\nCsource-ID: b\nSeq: auto\n"), 0);
	assert_int_equal(s.n, 6);
	assert_msg(&s.ev[0], "LIST DTCP/0.7\r\nCsource-ID: a\r\nSeq: 1\r\n"
	    "\r\n");
	assert_msg(&s.ev[1], "LIST DTCP/0.7\r\nCsource-ID: b\r\nSeq: 1\r\n"
	    "\r\n");
	assert_msg(&s.ev[2], "LIST DTCP/0.7\r\nCsource-ID: a\r\nSeq: 2\r\n"
	    "\r\n");
	assert_int_equal(s.ev[3].kind, FT_SCRIPT_RESTART);
	/* A restart does not reset the numbering (any Seq is fresh then). */
	assert_int_equal(seq_of(&s, 4), 3);
	assert_string_equal(s.ev[4].csource, "a");
	assert_int_equal(seq_of(&s, 5), 2);
	assert_string_equal(s.ev[5].csource, "b");
	ft_script_release(&s);
}

static void
test_script_seq_auto_then_mac(void **state)
{
	struct ft_script s;

	(void)state;
	/* Literal 8, then auto gives 9: the MAC covers "Seq: 9" (vector 5). */
	assert_int_equal(parse(&s,
	    "LIST DTCP/0.7\nCsource-ID: dtcp1\nSeq: 8\n\n"
	    "LIST DTCP/0.7\nCsource-ID: dtcp1\nCdest-ID: cd1\nSeq: auto\n"
	    "Authentication-Info: auto\n"), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(seq_of(&s, 0), 8);
	assert_msg(&s.ev[1], V5_LINES "Authentication-Info: " V5_MAC
	    "\r\n\r\n");
	assert_int_equal(seq_of(&s, 1), 9);
	ft_script_release(&s);
}

static void
test_script_seq_auto_after_literals(void **state)
{
	struct ft_script s;

	(void)state;
	/* One more than the highest so far: a stale literal does not pull
	 * auto back, so auto never repeats a number. */
	assert_int_equal(parse(&s,
	    "LIST DTCP/0.7\nCsource-ID: a\nSeq: 5\n\n"
	    "LIST DTCP/0.7\nCsource-ID: a\nSeq: auto\n\n"
	    "LIST DTCP/0.7\nCsource-ID: a\nSeq: 2\n\n"
	    "LIST DTCP/0.7\nCsource-ID: a\nSeq: auto\n\n"
	    "LIST DTCP/0.7\nCsource-ID: a\nSeq: x7\n\n"
	    "LIST DTCP/0.7\nCsource-ID: a\nSeq: auto\n\n"), 0);
	assert_int_equal(s.n, 6);
	assert_int_equal(seq_of(&s, 1), 6);
	assert_int_equal(seq_of(&s, 2), 2);
	assert_int_equal(seq_of(&s, 3), 7);
	/* Not a number: kept as written, not recorded, not counted. */
	assert_int_equal(s.ev[4].has_seq, 0);
	assert_int_equal(s.ev[4].seq, 0);
	assert_int_equal(seq_of(&s, 5), 8);
	ft_script_release(&s);
}

static void
test_script_seq_auto_forms(void **state)
{
	struct ft_script s;

	(void)state;
	/* Name in any case, blanks around the value; "AUTO" is a literal. */
	assert_int_equal(parse(&s,
	    "LIST DTCP/0.7\ncsource-id:  a \nSEQ:auto\t\n\n"
	    "LIST DTCP/0.7\nCsource-ID: a\nSeq: AUTO\n\n"
	    "LIST DTCP/0.7\nSeq: 4\nCsource-ID: a\n\n"), 0);
	assert_int_equal(s.n, 3);
	assert_msg(&s.ev[0], "LIST DTCP/0.7\r\ncsource-id:  a \r\nSeq: 1\r\n"
	    "\r\n");
	assert_msg(&s.ev[1], "LIST DTCP/0.7\r\nCsource-ID: a\r\nSeq: AUTO\r\n"
	    "\r\n");
	assert_int_equal(s.ev[1].has_seq, 0);
	/* A literal Seq before the Csource-ID line counts for its source. */
	assert_int_equal(seq_of(&s, 2), 4);
	ft_script_release(&s);
}

static void
test_script_seq_first_line_counts(void **state)
{
	struct ft_script s;

	(void)state;
	/* The first Seq before Authentication-Info is the message's. */
	assert_int_equal(parse(&s,
	    "LIST DTCP/0.7\nCsource-ID: a\nSeq: 3\nSeq: 9\n\n"
	    "LIST DTCP/0.7\nCsource-ID: b\nAuthentication-Info: x\n"
	    "Seq: 7\n\n"
	    "LIST DTCP/0.7\nCsource-ID: b\nSeq: auto\n\n"
	    "LIST DTCP/0.7\nCsource-ID: a\nSeq: auto\n\n"), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(seq_of(&s, 0), 3);
	assert_int_equal(s.ev[1].has_seq, 0);
	assert_int_equal(seq_of(&s, 2), 1);
	assert_int_equal(seq_of(&s, 3), 4);
	ft_script_release(&s);
}

static void
test_script_seq_auto_from(void **state)
{
	struct ft_script s;
	static const char text[] = "LIST DTCP/0.7\nCsource-ID: a\nSeq: auto\n\n"
	    "LIST DTCP/0.7\nCsource-ID: b\nSeq: 5\n\n"
	    "LIST DTCP/0.7\nCsource-ID: b\nSeq: auto\n\n"
	    "LIST DTCP/0.7\nCsource-ID: a\nSeq: 2000\n\n"
	    "LIST DTCP/0.7\nCsource-ID: a\nSeq: auto\n\n";

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ft_script_parse_seq(&s, text, sizeof(text) - 1, NAME,
	    KEY, 7, 1000, &err), 0);
	assert_int_equal(s.n, 5);
	/* The first auto of a control source is seq_first... */
	assert_int_equal(seq_of(&s, 0), 1000);
	/* ...also after a lower literal, and a higher one counts. */
	assert_int_equal(seq_of(&s, 2), 1000);
	assert_int_equal(seq_of(&s, 4), 2001);
	ft_script_release(&s);
	/* 0 counts as 1. */
	assert_int_equal(ft_script_parse_seq(&s, text, sizeof(text) - 1, NAME,
	    KEY, 7, 0, &err), 0);
	assert_int_equal(seq_of(&s, 0), 1);
	assert_int_equal(seq_of(&s, 2), 6);
	ft_script_release(&s);
}

static void
test_script_seq_auto_errors(void **state)
{
	(void)state;
	expect_error("LIST DTCP/0.7\nSeq: auto\nCsource-ID: a\n", FT_EINVAL,
	    NAME ":2: Seq: auto needs a Csource-ID line before it in the "
	    "message");
	expect_error("LIST DTCP/0.7\nCsource-ID: \nSeq: auto\n", FT_EINVAL,
	    NAME ":3: Seq: auto needs a Csource-ID of 1 to 64 bytes");
	expect_error("LIST DTCP/0.7\nCsource-ID: "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "\nSeq: auto\n", FT_EINVAL,
	    NAME ":3: Seq: auto needs a Csource-ID of 1 to 64 bytes");
	expect_error("LIST DTCP/0.7\nCsource-ID: a\nSeq: 18446744073709551615"
	    "\n\nLIST DTCP/0.7\nCsource-ID: a\nSeq: auto\n", FT_ELIMIT,
	    NAME ":7: Seq: auto would go past 18446744073709551615 for "
	    "Csource-ID 'a'");
}

static void
test_script_seq_auto_many_sources(void **state)
{
	struct ft_script s;
	char *text, *p;
	size_t i, n = 3000, cap = n * 2 * 64;

	(void)state;
	/* Enough control sources to grow the table several times. */
	text = malloc(cap);
	assert_non_null(text);
	p = text;
	for (i = 0; i < 2 * n; i++)
		p += snprintf(p, cap - (size_t)(p - text),
		    "LIST DTCP/0.7\nCsource-ID: cs%zu\nSeq: auto\n\n", i % n);
	assert_int_equal(parse(&s, text), 0);
	assert_int_equal(s.n, 2 * n);
	for (i = 0; i < 2 * n; i++)
		assert_int_equal(seq_of(&s, i), i < n ? 1 : 2);
	ft_script_release(&s);
	free(text);
}

static void
test_script_load_missing_file(void **state)
{
	struct ft_script s;

	(void)state;
	memset(&err, 0, sizeof(err));
	/* No file is created: a path that cannot exist. */
	assert_int_equal(ft_script_load(&s, "/nonexistent-dir/x.dtcp", KEY,
	    7, &err), FT_EIO);
	assert_string_equal(err.msg, "script '/nonexistent-dir/x.dtcp': "
	    "No such file or directory");
	assert_int_equal(s.n, 0);
}

static void
test_script_release_zeroed(void **state)
{
	struct ft_script s;

	(void)state;
	memset(&s, 0, sizeof(s));
	ft_script_release(&s);
	ft_script_release(NULL);
	assert_null(s.ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_message_lf),
		cmocka_unit_test(test_script_crlf_same_as_lf),
		cmocka_unit_test(test_script_auto_mac_vector5),
		cmocka_unit_test(test_script_auto_mac_name_case_crlf),
		cmocka_unit_test(test_script_auto_uses_the_key),
		cmocka_unit_test(test_script_literal_mac_kept),
		cmocka_unit_test(test_script_lines_after_auth_kept),
		cmocka_unit_test(test_script_comments_inside_and_between),
		cmocka_unit_test(test_script_message_ended_by_directive_and_eof),
		cmocka_unit_test(test_script_whitespace_line_ends_message),
		cmocka_unit_test(test_script_bare_cr_kept),
		cmocka_unit_test(test_script_csource),
		cmocka_unit_test(test_script_big_message_kept),
		cmocka_unit_test(test_script_at_fractions),
		cmocka_unit_test(test_script_at_errors),
		cmocka_unit_test(test_script_session),
		cmocka_unit_test(test_script_session_errors),
		cmocka_unit_test(test_script_session_name_max_ok),
		cmocka_unit_test(test_script_close),
		cmocka_unit_test(test_script_restart),
		cmocka_unit_test(test_script_restart_reason_cap),
		cmocka_unit_test(test_script_unknown_directive),
		cmocka_unit_test(test_script_nul_byte),
		cmocka_unit_test(test_script_file_cap),
		cmocka_unit_test(test_script_events_cap),
		cmocka_unit_test(test_script_empty_and_comments_only),
		cmocka_unit_test(test_script_error_after_events_frees),
		cmocka_unit_test(test_script_seq_auto_per_csource),
		cmocka_unit_test(test_script_seq_auto_then_mac),
		cmocka_unit_test(test_script_seq_auto_after_literals),
		cmocka_unit_test(test_script_seq_auto_forms),
		cmocka_unit_test(test_script_seq_first_line_counts),
		cmocka_unit_test(test_script_seq_auto_from),
		cmocka_unit_test(test_script_seq_auto_errors),
		cmocka_unit_test(test_script_seq_auto_many_sources),
		cmocka_unit_test(test_script_load_missing_file),
		cmocka_unit_test(test_script_release_zeroed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
