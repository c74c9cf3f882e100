/*
 * test_dtcp.c - DTCP framing, request line, parameters, the MAC span,
 * replies and timestamps (SPEC 2; dtcp-facts.md 2, 5.4, 6).
 */
#include "testutil.h"

#include <stdio.h>

#include <stdlib.h>

#include "auth.h"
#include "dtcp.h"
#include "err.h"
#include "limits.h"

/* Large: one per test program, not on the stack. */
static struct ft_dtcp_msg msg;
static char big[FT_DTCP_MSG_MAX + 64];
static char err[128];

static int
parse(const char *s, size_t len)
{
	return ft_dtcp_parse(&msg, s, len, err, sizeof(err));
}

static int
parses(const char *s)
{
	return parse(s, strlen(s));
}

/* Append s to big at *at. */
static void
cat(size_t *at, const char *s)
{
	size_t n = strlen(s);

	assert_true(*at + n <= sizeof(big));
	memcpy(big + *at, s, n);
	*at += n;
}

/* Append "X-Pad: " + fill bytes of 'a' + CRLF (a line of 7 + fill). */
static void
cat_pad(size_t *at, size_t fill)
{
	cat(at, "X-Pad: ");
	assert_true(*at + fill + 2 <= sizeof(big));
	memset(big + *at, 'a', fill);
	*at += fill;
	cat(at, "\r\n");
}

/*
 * A NOOP of exactly total bytes: request line (15), 8 padding lines,
 * the empty line (2).
 */
static size_t
build_total(size_t total)
{
	size_t at = 0, rest, i;

	cat(&at, "NOOP DTCP/0.7\r\n");
	rest = total - 15 - 2;
	for (i = 0; i < 7; i++)
		cat_pad(&at, 1022 - 9);
	cat_pad(&at, rest - 7 * 1022 - 9);
	cat(&at, "\r\n");
	assert_int_equal(at, total);
	return at;
}

static void
test_dtcp_msg_max_accepted(void **state)
{
	size_t n;

	(void)state;
	n = build_total(FT_DTCP_MSG_MAX);
	assert_int_equal(n, 8192);
	assert_int_equal(parse(big, n), 0);
	assert_int_equal(msg.nparams, 8);
	assert_int_equal(msg.len, 8192);
}

static void
test_dtcp_msg_too_long(void **state)
{
	size_t n;

	(void)state;
	n = build_total(FT_DTCP_MSG_MAX + 1);
	assert_int_equal(n, 8193);
	assert_int_equal(parse(big, n), 400);
	assert_string_equal(err, "message too long");
	/* Never answered: nothing of it is read. */
	assert_true(msg.oversize);
	assert_null(msg.auth);
	assert_int_equal(msg.nparams, 0);
}

static void
test_dtcp_line_max(void **state)
{
	size_t at = 0;

	(void)state;
	cat(&at, "NOOP DTCP/0.7\r\n");
	cat_pad(&at, 1024 - 7);
	cat(&at, "\r\n");
	assert_int_equal(parse(big, at), 0);
	assert_int_equal(msg.p[0].value_len, 1017);
}

static void
test_dtcp_line_too_long(void **state)
{
	size_t at = 0;

	(void)state;
	cat(&at, "NOOP DTCP/0.7\r\n");
	cat_pad(&at, 1025 - 7);
	cat(&at, "\r\n");
	assert_int_equal(parse(big, at), 400);
	assert_string_equal(err, "line too long");
}

static size_t
build_params(unsigned n, int with_auth)
{
	size_t at = 0;
	unsigned i;

	cat(&at, "NOOP DTCP/0.7\r\n");
	for (i = 0; i < n; i++)
		cat(&at, "X-P: 1\r\n");
	if (with_auth)
		cat(&at, "Authentication-Info: 0\r\n");
	cat(&at, "\r\n");
	return at;
}

static void
test_dtcp_params_max(void **state)
{
	(void)state;
	assert_int_equal(parse(big, build_params(64, 0)), 0);
	assert_int_equal(msg.nparams, 64);
	/* Authentication-Info is a parameter line too. */
	assert_int_equal(parse(big, build_params(63, 1)), 0);
	assert_int_equal(msg.nparams, 63);
	assert_non_null(msg.auth);
}

static void
test_dtcp_params_too_many(void **state)
{
	(void)state;
	assert_int_equal(parse(big, build_params(65, 0)), 400);
	assert_string_equal(err, "too many parameters");
	assert_int_equal(parse(big, build_params(64, 1)), 400);
	assert_string_equal(err, "too many parameters");
}

static void
test_dtcp_nul_byte(void **state)
{
	static const char m[] = "NOOP DTCP/0.7\r\nSeq: 1\0002\r\n\r\n";

	(void)state;
	assert_int_equal(parse(m, sizeof(m) - 1), 400);
	assert_string_equal(err, "NUL byte");
	assert_int_equal(msg.version, 7);
}

static void
test_dtcp_bare_cr(void **state)
{
	(void)state;
	assert_int_equal(parses("NOOP DTCP/0.7\r\nSeq: 1\r2\r\n\r\n"), 400);
	assert_string_equal(err, "bare CR");
	assert_int_equal(parses("NOOP DTCP/0.7\r\nSeq: 1\r"), 400);
	assert_string_equal(err, "bare CR");
}

static void
test_dtcp_bare_lf(void **state)
{
	(void)state;
	assert_int_equal(parses("NOOP DTCP/0.7\r\nSeq: 1\n\r\n"), 400);
	assert_string_equal(err, "bare LF");
	assert_int_equal(parses("NOOP DTCP/0.7\n"), 400);
	assert_string_equal(err, "bare LF");
	assert_int_equal(parses("\n"), 400);
	assert_string_equal(err, "bare LF");
}

static void
test_dtcp_utf8_overlong(void **state)
{
	(void)state;
	/* '/' as two and as three bytes (RFC 3629 10). */
	assert_int_equal(parses("NOOP DTCP/0.7\r\nX-A: \xc0\xaf\r\n\r\n"),
	    400);
	assert_string_equal(err, "invalid UTF-8");
	assert_int_equal(parses(
	    "NOOP DTCP/0.7\r\nX-A: \xe0\x80\xaf\r\n\r\n"), 400);
	assert_int_equal(parses(
	    "NOOP DTCP/0.7\r\nX-A: \xf0\x80\x80\xaf\r\n\r\n"), 400);
}

static void
test_dtcp_utf8_surrogate(void **state)
{
	(void)state;
	/* U+D800 */
	assert_int_equal(parses(
	    "NOOP DTCP/0.7\r\nX-A: \xed\xa0\x80\r\n\r\n"), 400);
	assert_string_equal(err, "invalid UTF-8");
}

static void
test_dtcp_utf8_above_max(void **state)
{
	(void)state;
	/* U+110000 */
	assert_int_equal(parses(
	    "NOOP DTCP/0.7\r\nX-A: \xf4\x90\x80\x80\r\n\r\n"), 400);
	assert_string_equal(err, "invalid UTF-8");
	assert_int_equal(parses("NOOP DTCP/0.7\r\nX-A: \xff\r\n\r\n"), 400);
}

static void
test_dtcp_utf8_truncated(void **state)
{
	(void)state;
	/* First two bytes of U+20AC at the end of a line, and of data. */
	assert_int_equal(parses("NOOP DTCP/0.7\r\nX-A: \xe2\x82\r\n\r\n"),
	    400);
	assert_string_equal(err, "invalid UTF-8");
	assert_int_equal(parses("NOOP DTCP/0.7\r\nX-A: \xe2\x82"), 400);
	/* A lone continuation byte. */
	assert_int_equal(parses("NOOP DTCP/0.7\r\nX-A: \x82\r\n\r\n"), 400);
}

static void
test_dtcp_utf8_valid(void **state)
{
	(void)state;
	/* U+00E9, U+20AC, U+1F600, U+10FFFF */
	assert_int_equal(parses("NOOP DTCP/0.7\r\nX-A: \xc3\xa9\xe2\x82\xac"
	    "\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\r\n\r\n"), 0);
	assert_int_equal(msg.p[0].value_len, 2 + 3 + 4 + 4);
}

static void
test_dtcp_bad_request_line(void **state)
{
	static const char *const bad[] = {
		"ADD  DTCP/0.7\r\n\r\n",
		"ADD\tDTCP/0.7\r\n\r\n",
		"ADD DTCP/0.\r\n\r\n",
		"ADD DTCP/.7\r\n\r\n",
		"ADD DTCP/07\r\n\r\n",
		"ADD DTCP/x.7\r\n\r\n",
		"ADD dtcp/0.7\r\n\r\n",
		"ADD HTTP/1.0\r\n\r\n",
		"ADD DTCP/0.7 extra\r\n\r\n",
		"DTCP/0.7\r\n\r\n",
		" ADD DTCP/0.7\r\n\r\n",
		"\r\nADD DTCP/0.7\r\n\r\n",
		"",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parses(bad[i]), 400);
		assert_string_equal(err, "request line");
		assert_int_equal(msg.version, 0);
	}
}

static void
test_dtcp_missing_colon(void **state)
{
	(void)state;
	assert_int_equal(parses("NOOP DTCP/0.7\r\nSeq 1\r\n\r\n"), 400);
	assert_string_equal(err, "Seq 1");
	/* Empty name. */
	assert_int_equal(parses("NOOP DTCP/0.7\r\n: 1\r\n\r\n"), 400);
	assert_string_equal(err, ": 1");
	/* Invalid name character. */
	assert_int_equal(parses("NOOP DTCP/0.7\r\nSe.q: 1\r\n\r\n"), 400);
	assert_string_equal(err, "Se.q: 1");
	/* Leading whitespace is an empty name. */
	assert_int_equal(parses("NOOP DTCP/0.7\r\n Seq: 1\r\n\r\n"), 400);
	assert_string_equal(err, " Seq: 1");
}

static void
test_dtcp_missing_colon_echo_capped(void **state)
{
	size_t at = 0;

	(void)state;
	cat(&at, "NOOP DTCP/0.7\r\n");
	memset(big + at, 'b', 100);
	at += 100;
	cat(&at, "\r\n\r\n");
	assert_int_equal(parse(big, at), 400);
	assert_int_equal(strlen(err), 64);
	assert_int_equal(err[0], 'b');
}

static void
test_dtcp_data_after_end(void **state)
{
	(void)state;
	assert_int_equal(parses("NOOP DTCP/0.7\r\nSeq: 1\r\n\r\nX"), 400);
	assert_string_equal(err, "data after end of message");
	assert_int_equal(parses("NOOP DTCP/0.7\r\n\r\n\r\n"), 400);
	assert_string_equal(err, "data after end of message");
	assert_int_equal(parses(
	    "NOOP DTCP/0.7\r\n\r\nNOOP DTCP/0.7\r\n\r\n"), 400);
}

static void
test_dtcp_final_empty_line_optional(void **state)
{
	static const char m[] = "NOOP DTCP/0.7\r\nSeq: 1\r\n";

	(void)state;
	assert_int_equal(parses(m), 0);
	assert_int_equal(msg.nparams, 1);
	assert_int_equal(msg.mac_len, sizeof(m) - 1);
	assert_null(msg.auth);
}

static void
test_dtcp_version_parsing(void **state)
{
	static const struct {
		const char *line;
		unsigned v;
	} tab[] = {
		{ "ADD DTCP/0.6\r\n\r\n", 6 },
		{ "ADD DTCP/0.7\r\n\r\n", 7 },
		{ "ADD DTCP/0.8\r\n\r\n", 8 },
		{ "ADD DTCP/0.9\r\n\r\n", 9 },
		{ "ADD DTCP/1.0\r\n\r\n", 10 },
		{ "ADD DTCP/0.5\r\n\r\n", 5 },
		/* Not one digit each side (D03 6.7), or 0.0: unsupported. */
		{ "ADD DTCP/0.10\r\n\r\n", FT_DTCP_V_OTHER },
		{ "ADD DTCP/0.07\r\n\r\n", FT_DTCP_V_OTHER },
		{ "ADD DTCP/10.7\r\n\r\n", FT_DTCP_V_OTHER },
		{ "ADD DTCP/0.0\r\n\r\n", FT_DTCP_V_OTHER },
		{ "ADD DTCP/0.77777777777777777777777\r\n\r\n",
		    FT_DTCP_V_OTHER },
		/* Trailing whitespace ignored (D03 5, draft vectors). */
		{ "ADD DTCP/0.6 \r\n\r\n", 6 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		assert_int_equal(parses(tab[i].line), 0);
		assert_int_equal(msg.version, tab[i].v);
	}
	assert_true(FT_DTCP_V_OTHER > FT_DTCP_V_MAX);
}

static void
test_dtcp_method_mapping(void **state)
{
	static const struct {
		const char *line;
		enum ft_dtcp_method m;
		const char *tok;
	} tab[] = {
		{ "ADD DTCP/0.7\r\n\r\n", FT_DTCP_M_ADD, "ADD" },
		{ "DELETE DTCP/0.7\r\n\r\n", FT_DTCP_M_DELETE, "DELETE" },
		{ "LIST DTCP/0.7\r\n\r\n", FT_DTCP_M_LIST, "LIST" },
		{ "REFRESH DTCP/0.7\r\n\r\n", FT_DTCP_M_REFRESH, "REFRESH" },
		{ "NOOP DTCP/0.7\r\n\r\n", FT_DTCP_M_NOOP, "NOOP" },
		{ "add DTCP/0.7\r\n\r\n", FT_DTCP_M_OTHER, "add" },
		{ "Delete DTCP/0.7\r\n\r\n", FT_DTCP_M_OTHER, "Delete" },
		{ "ENABLE DTCP/0.8\r\n\r\n", FT_DTCP_M_OTHER, "ENABLE" },
		{ "ADDX DTCP/0.7\r\n\r\n", FT_DTCP_M_OTHER, "ADDX" },
		/* 20 characters: kept as the first 15. */
		{ "ADDADDADDADDADDADDAD DTCP/0.7\r\n\r\n", FT_DTCP_M_OTHER,
		    "ADDADDADDADDADD" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		assert_int_equal(parses(tab[i].line), 0);
		assert_int_equal(msg.m, tab[i].m);
		assert_string_equal(msg.method, tab[i].tok);
	}
}

static void
test_dtcp_find_case_insensitive_first_wins(void **state)
{
	const struct ft_dtcp_param *p;

	(void)state;
	assert_int_equal(parses("DELETE DTCP/0.7\r\n"
	    "CRITERIA-ID: 2\r\n"
	    "Csource-ID: dtcp1\r\n"
	    "criteria-id: 3\r\n"
	    "\r\n"), 0);
	assert_int_equal(msg.nparams, 3);
	p = ft_dtcp_find(&msg, "Criteria-ID");
	assert_non_null(p);
	assert_int_equal(p->value_len, 1);
	assert_memory_equal(p->value, "2", 1);
	assert_int_equal(p->line, 2);
	p = ft_dtcp_find(&msg, "CSOURCE-ID");
	assert_non_null(p);
	assert_int_equal(p->value_len, 5);
	assert_memory_equal(p->value, "dtcp1", 5);
	assert_null(ft_dtcp_find(&msg, "Csource"));
	assert_null(ft_dtcp_find(&msg, "Csource-ID-X"));
	assert_null(ft_dtcp_find(&msg, "Seq"));
}

static void
test_dtcp_mac_len_is_auth_offset(void **state)
{
	/* Vector 6 of dtcp-facts.md 5.4 (Junos DELETE, key Juniper). */
	static const char covered[] = "DELETE DTCP/0.7\r\n"
	    "Csource-ID: dtcp1\r\n"
	    "CRITERIA-ID: 2\r\n"
	    "Flags: STATIC\r\n"
	    "Seq: 10\r\n";
	static const char mac[] = "7e84ae871b12f2da023b038774115bb8d955f17e";
	size_t at = 0;

	(void)state;
	cat(&at, covered);
	cat(&at, "Authentication-Info: ");
	cat(&at, mac);
	cat(&at, "\r\n\r\n");
	assert_int_equal(parse(big, at), 0);
	assert_int_equal(msg.mac_len, sizeof(covered) - 1);
	assert_non_null(msg.auth);
	assert_int_equal(msg.auth_len, 40);
	assert_memory_equal(msg.auth, mac, 40);
	assert_int_equal(msg.nparams, 4);
	assert_int_equal(ft_auth_check(FT_AUTH_DEFAULT_KEY, 7, msg.buf,
	    msg.mac_len, msg.auth, msg.auth_len), 1);
}

static void
test_dtcp_auth_name_case_insensitive(void **state)
{
	static const char covered[] = "NOOP DTCP/0.7\r\nSeq: 1\r\n";

	(void)state;
	assert_int_equal(parses("NOOP DTCP/0.7\r\nSeq: 1\r\n"
	    "AUTHENTICATION-INFO: abc\r\n\r\n"), 0);
	assert_int_equal(msg.mac_len, sizeof(covered) - 1);
	assert_int_equal(msg.auth_len, 3);
}

static void
test_dtcp_no_auth_mac_len_is_empty_line(void **state)
{
	static const char covered[] = "NOOP DTCP/0.7\r\nSeq: 1\r\n";

	(void)state;
	assert_int_equal(parses("NOOP DTCP/0.7\r\nSeq: 1\r\n\r\n"), 0);
	assert_null(msg.auth);
	assert_int_equal(msg.auth_len, 0);
	assert_int_equal(msg.mac_len, sizeof(covered) - 1);
}

static void
test_dtcp_params_after_auth_ignored(void **state)
{
	static const char m[] = "NOOP DTCP/0.7\r\nSeq: 1\r\n"
	    "Authentication-Info: 00\r\n"
	    "Seq: 2\r\n"
	    "Csource-ID: x\r\n"
	    "no colon here\r\n"
	    "Authentication-Info: 11\r\n\r\n";
	const struct ft_dtcp_param *p;

	(void)state;
	assert_int_equal(parses(m), 0);
	assert_int_equal(msg.nparams, 1);
	p = ft_dtcp_find(&msg, "Seq");
	assert_non_null(p);
	assert_memory_equal(p->value, "1", 1);
	assert_null(ft_dtcp_find(&msg, "Csource-ID"));
	assert_memory_equal(msg.auth, "00", 2);
	assert_int_equal(msg.auth_len, 2);
}

static void
test_dtcp_after_auth_ignored(void **state)
{
	static const char m[] = "NOOP DTCP/0.7\r\n"
	    "Authentication-Info: 00\r\nX-A: \0\r\n\r\n";
	char many[4096];
	size_t n = 0;
	int i;

	(void)state;
	/* SPEC 2: not parsed, not checked for UTF-8, NUL, CR/LF. */
	assert_int_equal(parse(m, sizeof(m) - 1), 0);
	assert_null(msg.defect);
	assert_int_equal(parses("NOOP DTCP/0.7\r\n"
	    "Authentication-Info: 00\r\nX-A: \xc0\xaf\r\n\r\n"), 0);
	assert_int_equal(parses("NOOP DTCP/0.7\r\n"
	    "Authentication-Info: 00\r\nno colon\nbare\rCR\r\n\r\nX"), 0);
	assert_int_equal(msg.mac_len, 15);
	assert_memory_equal(msg.auth, "00", 2);
	/* Nor counted against the parameter cap. */
	n = (size_t)snprintf(many, sizeof(many),
	    "NOOP DTCP/0.7\r\nAuthentication-Info: 00\r\n");
	for (i = 0; i < FT_DTCP_PARAMS_MAX + 5; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n,
		    "X-%d: 1\r\n", i);
	assert_int_equal(parse(many, n), 0);
	assert_int_equal(msg.nparams, 0);
	/* Before it, the same lines are defects. */
	assert_int_equal(parses("NOOP DTCP/0.7\r\nX-A: \xc0\xaf\r\n"
	    "Authentication-Info: 00\r\n\r\n"), 400);
	assert_string_equal(err, "invalid UTF-8");
	assert_string_equal(msg.defect, "invalid UTF-8");
}

/*
 * A framing defect does not stop the parser: the MAC span, the MAC and
 * the well-formed parameters are still there to authenticate with.
 */
static void
test_dtcp_defect_reads_on(void **state)
{
	static const char m[] = "LIST DTCP/0.7\r\nCsource-ID: verint\r\n"
	    "bad line\r\nSeq: 9\nX-B: 1\r\nAuthentication-Info: ab\r\n\r\n";

	(void)state;
	assert_int_equal(parse(m, sizeof(m) - 1), 400);
	assert_string_equal(msg.defect, "line without ':'");
	assert_string_equal(err, "bad line");
	assert_int_equal(msg.version, 7);
	assert_int_equal(msg.nparams, 3);
	assert_non_null(ft_dtcp_find(&msg, "Csource-ID"));
	assert_memory_equal(ft_dtcp_find(&msg, "Seq")->value, "9", 1);
	/* mac_len: through the CRLF before Authentication-Info. */
	assert_int_equal(msg.mac_len, 60);	/* 15 + 20 + 10 + 7 + 8 */
	assert_memory_equal(msg.auth, "ab", 2);
}

static void
test_dtcp_trailing_whitespace_trimmed(void **state)
{
	const struct ft_dtcp_param *p;

	(void)state;
	assert_int_equal(parses("NOOP DTCP/0.7\r\n"
	    "Seq \t:\t 5 \t \r\n"
	    "Cdest-ID: a b  \r\n"
	    "X-Empty:   \r\n"
	    "Authentication-Info: ab \r\n\r\n"), 0);
	p = ft_dtcp_find(&msg, "seq");
	assert_non_null(p);
	assert_int_equal(p->name_len, 3);
	assert_memory_equal(p->name, "Seq", 3);
	assert_int_equal(p->value_len, 1);
	assert_memory_equal(p->value, "5", 1);
	p = ft_dtcp_find(&msg, "cdest-id");
	assert_non_null(p);
	assert_int_equal(p->value_len, 3);
	assert_memory_equal(p->value, "a b", 3);
	p = ft_dtcp_find(&msg, "X-Empty");
	assert_non_null(p);
	assert_int_equal(p->value_len, 0);
	assert_int_equal(msg.auth_len, 2);
}

static void
test_dtcp_draft_vector_parses(void **state)
{
	/* Vector 1 of dtcp-facts.md 5.4 (D00, trailing spaces, key secret). */
	static const char covered[] = "ADD DTCP/0.6 \r\n"
	    "Source-Address: 192.168.10.4 \r\n"
	    "Dest-Address: 10.1.1.1-10.1.1.10 \r\n"
	    "Protocol: 6,17 \r\n"
	    "Dest-Port: 53 \r\n"
	    "Timeout-Idle: 600 \r\n"
	    "Action: Copy \r\n"
	    "Priority: 2 \r\n"
	    "Flags: SendAsync \r\n"
	    "Cdest-ID: cdst_b \r\n"
	    "Csource-ID: csrc_a \r\n"
	    "Seq: 3827443 \r\n";
	const struct ft_dtcp_param *p;
	size_t at = 0;

	(void)state;
	cat(&at, covered);
	cat(&at, "Authentication-Info: "
	    "28eb606458ba46160d7a59da48763020f5aef9f5 \r\n\r\n");
	assert_int_equal(parse(big, at), 0);
	assert_int_equal(msg.version, 6);
	assert_int_equal(msg.m, FT_DTCP_M_ADD);
	assert_int_equal(msg.nparams, 11);
	assert_int_equal(msg.mac_len, 237);
	p = ft_dtcp_find(&msg, "Seq");
	assert_non_null(p);
	assert_int_equal(p->value_len, 7);
	assert_int_equal(ft_auth_check("secret", 6, msg.buf, msg.mac_len,
	    msg.auth, msg.auth_len), 1);
}

static void
check_reply(const char *covered, const char *mac, uint64_t seq,
    const char *name, uint64_t val, const char *ts)
{
	struct ft_dtcp_reply *r = malloc(sizeof(*r));
	char want[512];
	size_t n = strlen(covered);

	assert_non_null(r);
	ft_dtcp_reply_start(r, FT_DTCP_V07, 200);
	ft_dtcp_reply_addu(r, "SEQ", seq);
	ft_dtcp_reply_addu(r, name, val);
	ft_dtcp_reply_add(r, "TIMESTAMP", ts);
	assert_int_equal(ft_dtcp_reply_finish(r, FT_AUTH_DEFAULT_KEY, 7), 0);
	assert_int_equal(r->overflow, 0);
	assert_int_equal(r->mac_len, n);
	assert_true(n + 21 + 40 + 4 < sizeof(want));
	memcpy(want, covered, n);
	memcpy(want + n, "AUTHENTICATION-INFO: ", 21);
	memcpy(want + n + 21, mac, 40);
	memcpy(want + n + 61, "\r\n\r\n", 4);
	assert_int_equal(r->len, n + 65);
	assert_memory_equal(r->buf, want, n + 65);
	free(r);
}

static void
test_dtcp_reply_vector7(void **state)
{
	(void)state;
	check_reply("DTCP/0.7 200 OK\r\n"
	    "SEQ: 10\r\n"
	    "CRITERIA-COUNT: 1\r\n"
	    "TIMESTAMP: 2011-02-13 16:00:02.802\r\n",
	    "2834ff32ec07d84753a046cfb552e072cc27d50b", 10,
	    "CRITERIA-COUNT", 1, "2011-02-13 16:00:02.802");
}

static void
test_dtcp_reply_vector8(void **state)
{
	(void)state;
	check_reply("DTCP/0.7 200 OK\r\n"
	    "SEQ: 7\r\n"
	    "CRITERIA-ID: 2\r\n"
	    "TIMESTAMP: 2011-02-13 15:56:49.609\r\n",
	    "4880de4b8cead98c95813fd9b95e240b107d4693", 7,
	    "CRITERIA-ID", 2, "2011-02-13 15:56:49.609");
}

static void
test_dtcp_reply_vector2_draft(void **state)
{
	/* Vector 2 (D00, key secret): reply lines with a trailing space. */
	static const char want[] = "DTCP/0.6 200 OK \r\n";
	struct ft_dtcp_reply *r = malloc(sizeof(*r));
	char hex[FT_AUTH_HEX_LEN + 1];

	(void)state;
	assert_non_null(r);
	ft_dtcp_reply_start(r, FT_DTCP_V06, 200);
	assert_int_equal(r->len, 17);
	assert_memory_equal(r->buf, "DTCP/0.6 200 OK\r\n", 17);
	/* The draft's text has trailing spaces: rebuild those bytes. */
	r->len = 0;
	memcpy(r->buf, want, sizeof(want) - 1);
	r->len = sizeof(want) - 1;
	ft_dtcp_reply_add(r, "Criteria-ID", "38224 ");
	ft_dtcp_reply_add(r, "Timestamp", "2005-01-01 12:01:01.111 ");
	ft_dtcp_reply_add(r, "Seq", "3827443 ");
	assert_int_equal(ft_dtcp_reply_finish(r, "secret", 6), 0);
	assert_int_equal(ft_auth_hex("secret", 6, r->buf, r->mac_len, hex),
	    0);
	assert_string_equal(hex, "38099d03fcb5b12a849b36f9bdccc757303fafd0");
	free(r);
}

static void
test_dtcp_reply_error_line(void **state)
{
	struct ft_dtcp_reply *r = malloc(sizeof(*r));
	static const char want[] = "DTCP/0.8 505 DTCP Version Not Supported\r\n"
	    "ERROR-PARAMETERS: a\\013\\010b\r\n"
	    "SEQ: 18446744073709551615\r\n";

	(void)state;
	assert_non_null(r);
	ft_dtcp_reply_start(r, FT_DTCP_V08, 505);
	/* CR and LF in an echoed value are escaped (D03 5). */
	ft_dtcp_reply_add(r, "ERROR-PARAMETERS", "a\r\nb");
	ft_dtcp_reply_addu(r, "SEQ", UINT64_MAX);
	assert_int_equal(r->overflow, 0);
	assert_int_equal(r->len, sizeof(want) - 1);
	assert_memory_equal(r->buf, want, sizeof(want) - 1);
	free(r);
}

static void
test_dtcp_reply_overflow(void **state)
{
	struct ft_dtcp_reply *r = malloc(sizeof(*r));
	char *v = malloc(1001);
	unsigned i;

	(void)state;
	assert_non_null(r);
	assert_non_null(v);
	memset(v, 'v', 1000);
	v[1000] = '\0';
	memset(r->buf, 'x', sizeof(r->buf));
	ft_dtcp_reply_start(r, FT_DTCP_V07, 200);
	for (i = 0; i < FT_DTCP_REPLY_MAX / 1000 + 1; i++)
		ft_dtcp_reply_add(r, "X", v);
	assert_int_equal(r->overflow, 1);
	assert_true(r->len <= FT_DTCP_REPLY_MAX);
	assert_int_equal(ft_dtcp_reply_finish(r, "k", 1), FT_ELIMIT);

	/* Room for the lines but not for AUTHENTICATION-INFO. */
	ft_dtcp_reply_start(r, FT_DTCP_V07, 200);
	while (r->len + 1006 <= FT_DTCP_REPLY_MAX - 60)
		ft_dtcp_reply_add(r, "X", v);
	assert_int_equal(r->overflow, 0);
	r->len = FT_DTCP_REPLY_MAX - 60;
	assert_int_equal(ft_dtcp_reply_finish(r, "k", 1), FT_ELIMIT);
	assert_int_equal(r->overflow, 1);
	free(v);
	free(r);
}

static void
test_dtcp_reason_phrases(void **state)
{
	static const struct {
		int code;
		const char *s;
	} tab[] = {
		{ 200, "OK" },
		{ 400, "Bad Request" },
		{ 430, "Unknown Content Destination" },
		{ 431, "Unknown Criteria ID" },
		{ 432, "Improper Filter Specification" },
		{ 433, "Improper Timeout Specification" },
		{ 497, "Invalid Authentication" },
		{ 498, "Invalid Sequence Number" },
		{ 499, "Unknown Control Source" },
		{ 500, "Server Internal Error" },
		{ 501, "Not Implemented" },
		{ 505, "DTCP Version Not Supported" },
		{ 550, "Max Criteria Limit Exceeded" },
		{ 551, "Max Content Destination Exceeded" },
		{ 901, "JTap-Failure" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		assert_string_equal(ft_dtcp_reason(tab[i].code), tab[i].s);
}

static void
test_dtcp_timestamp(void **state)
{
	char out[24];

	(void)state;
	/* 2011-02-13 15:56:49 UTC = 1297612609 s (independently computed). */
	ft_dtcp_timestamp(1297612609609000000ull, out);
	assert_string_equal(out, "2011-02-13 15:56:49.609");
	/* Milliseconds truncated, not rounded. */
	ft_dtcp_timestamp(1297612802802999999ull, out);
	assert_string_equal(out, "2011-02-13 16:00:02.802");
	ft_dtcp_timestamp(0, out);
	assert_string_equal(out, "1970-01-01 00:00:00.000");
	/* 2000-02-29 23:59:59.999 = 951868799 s. */
	ft_dtcp_timestamp(951868799999999999ull, out);
	assert_string_equal(out, "2000-02-29 23:59:59.999");
}

static void
test_dtcp_param_known(void **state)
{
	static const char *const known[] = {
		"Csource-ID", "Cdest-ID", "Seq", "Authentication-Info",
		"Source-Address", "Dest-Address", "Source-Port", "Dest-Port",
		"Protocol", "ICMP-Type", "ICMP-Code", "Timeout-Idle",
		"Timeout-Total", "Timeout-Packets", "Timeout-Bytes",
		"Priority", "Action", "Flags", "Criteria-ID",
		"Csource-Address", "Timestamp", "Criteria-Count",
		"Criteria-Num", "X-JTap-Cdest-Dest-Address",
		"X-JTap-Cdest-Dest-Port", "X-JTap-Cdest-Source-Address",
		"X-JTap-Cdest-Source-Port", "X-JTap-Cdest-TTL",
		"X-JTap-VRF-Name", "X-JTap-Input-Interface",
		"X-JTap-Output-Interface", "X-JTap-IP-Version",
		"X-MD-Intercept-Id", "CDEST-ID", "seq", "x-jtap-cdest-ttl",
	};
	size_t i;
	unsigned v;

	(void)state;
	for (v = FT_DTCP_V06; v <= FT_DTCP_V08; v++)
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			assert_int_equal(ft_dtcp_param_known(known[i],
			    strlen(known[i]), v), 1);
	assert_int_equal(ft_dtcp_param_known("X-JTap-Filter-Family", 20,
	    FT_DTCP_V08), 1);
	assert_int_equal(ft_dtcp_param_known("X-Jtap-Filter-Family", 20,
	    FT_DTCP_V08), 1);
	assert_int_equal(ft_dtcp_param_known("X-JTap-Filter-Family", 20,
	    FT_DTCP_V07), 0);
	assert_int_equal(ft_dtcp_param_known("X-JTap-Filter-Family", 20,
	    FT_DTCP_V06), 0);
	assert_int_equal(ft_dtcp_param_known("X-Drop-Policy", 13, 8), 0);
	assert_int_equal(ft_dtcp_param_known("Foo", 3, 7), 0);
	/* Length counts: a prefix or an extension is another name. */
	assert_int_equal(ft_dtcp_param_known("Seq", 2, 7), 0);
	assert_int_equal(ft_dtcp_param_known("Seqx", 4, 7), 0);
	assert_int_equal(ft_dtcp_param_known("Seq", 3, 7), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dtcp_msg_max_accepted),
		cmocka_unit_test(test_dtcp_msg_too_long),
		cmocka_unit_test(test_dtcp_line_max),
		cmocka_unit_test(test_dtcp_line_too_long),
		cmocka_unit_test(test_dtcp_params_max),
		cmocka_unit_test(test_dtcp_params_too_many),
		cmocka_unit_test(test_dtcp_nul_byte),
		cmocka_unit_test(test_dtcp_bare_cr),
		cmocka_unit_test(test_dtcp_bare_lf),
		cmocka_unit_test(test_dtcp_utf8_overlong),
		cmocka_unit_test(test_dtcp_utf8_surrogate),
		cmocka_unit_test(test_dtcp_utf8_above_max),
		cmocka_unit_test(test_dtcp_utf8_truncated),
		cmocka_unit_test(test_dtcp_utf8_valid),
		cmocka_unit_test(test_dtcp_bad_request_line),
		cmocka_unit_test(test_dtcp_missing_colon),
		cmocka_unit_test(test_dtcp_missing_colon_echo_capped),
		cmocka_unit_test(test_dtcp_data_after_end),
		cmocka_unit_test(test_dtcp_final_empty_line_optional),
		cmocka_unit_test(test_dtcp_version_parsing),
		cmocka_unit_test(test_dtcp_method_mapping),
		cmocka_unit_test(test_dtcp_find_case_insensitive_first_wins),
		cmocka_unit_test(test_dtcp_mac_len_is_auth_offset),
		cmocka_unit_test(test_dtcp_auth_name_case_insensitive),
		cmocka_unit_test(test_dtcp_no_auth_mac_len_is_empty_line),
		cmocka_unit_test(test_dtcp_params_after_auth_ignored),
		cmocka_unit_test(test_dtcp_after_auth_ignored),
		cmocka_unit_test(test_dtcp_defect_reads_on),
		cmocka_unit_test(test_dtcp_trailing_whitespace_trimmed),
		cmocka_unit_test(test_dtcp_draft_vector_parses),
		cmocka_unit_test(test_dtcp_reply_vector7),
		cmocka_unit_test(test_dtcp_reply_vector8),
		cmocka_unit_test(test_dtcp_reply_vector2_draft),
		cmocka_unit_test(test_dtcp_reply_error_line),
		cmocka_unit_test(test_dtcp_reply_overflow),
		cmocka_unit_test(test_dtcp_reason_phrases),
		cmocka_unit_test(test_dtcp_timestamp),
		cmocka_unit_test(test_dtcp_param_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
