/*
 * test_lint.c - flowtap lint (lint.h) on texts in memory: the issue's
 * examples of terse answers each explained by its rule and line, the
 * file forms (script, parameter file, transcript), lines inside
 * messages with comments, the engine's answers recorded per message,
 * and the output formats.
 *
 * Expected codes come from SPEC.md 2-3 (433 without STATIC, 432 for
 * IPv6 match addresses in DTCP/0.6, 901 for a bad X-MD-Intercept-Id,
 * 497 drops), the key from the seed guide (Juniper).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "lint.h"

static struct ft_lint_opts opts;

static struct ft_lint_file *
run(const char *text)
{
	struct ft_lint_file *f = NULL;
	struct ft_err e;

	e.msg[0] = '\0';
	if (ft_lint_text(&f, "t.dtcp", text, strlen(text), &opts, &e) != 0)
		fail_msg("lint: %s", e.msg);
	return f;
}

/* The finding of rule at line, or NULL. */
static const struct ft_lint_finding *
finding(const struct ft_lint_file *f, const char *rule, unsigned line)
{
	size_t i;

	for (i = 0; i < f->nf; i++)
		if (strcmp(ft_rules_get(f->f[i].rule)->id, rule) == 0 &&
		    f->f[i].line == line)
			return &f->f[i];
	return NULL;
}

static void
assert_finding(const struct ft_lint_file *f, const char *rule, unsigned line)
{
	size_t i;

	if (finding(f, rule, line) != NULL)
		return;
	for (i = 0; i < f->nf; i++)
		fprintf(stderr, "  %u: %s %s\n", f->f[i].line,
		    ft_rules_get(f->f[i].rule)->id, f->f[i].text);
	fail_msg("no %s at line %u", rule, line);
}

#define SEED_ADD(version, extra) \
	"ADD DTCP/" version "\n" \
	"Csource-ID: verint\n" \
	"Cdest-ID: cd1\n" \
	extra \
	"X-JTap-Cdest-Dest-Address: 192.168.3.2\n" \
	"X-JTap-Cdest-Dest-Port: 1814\n" \
	"X-JTap-Cdest-Source-Address: 10.209.74.183\n" \
	"X-JTap-Cdest-Source-Port: 65534\n" \
	"Seq: auto\n" \
	"Authentication-Info: auto\n"

/* The issue's list of terse answers, each now named and placed. */
static void
test_lint_issue_examples(void **state)
{
	struct ft_lint_file *f;

	(void)state;
	f = run(
	    SEED_ADD("0.7", "Protocol: 17\n")		/* 1: no STATIC */
	    "\n"
	    SEED_ADD("0.6", "Flags: STATIC\n"		/* 12 */
		"Source-Address: 2001:db8::1\n")	/* 16 */
	    "\n"
	    SEED_ADD("0.7", "Flags: STATIC\n"		/* 24 */
		"X-MD-Intercept-Id: 0x1234\n")		/* 28 */
	    "\n"
	    SEED_ADD("0.7", "Flags: STATIC\n"		/* 36 */
		"X-JTap-Cdest-TL: 64\n")		/* 40 */
	    "\n"
	    "LIST DTCP/0.7\nCsource-ID: verint\nSeq: 20\n"	/* 48 */
	    "\n"
	    "LIST DTCP/0.7\nCsource-ID: verint\nSeq: 21\n"	/* 52 */
	    "Authentication-Info: 0123456789abcdef0123456789abcdef01234567\n");
	assert_int_equal(f->form, FT_LINT_SCRIPT);
	assert_int_equal(f->nmsgs, 6);

	/* 433 ... ERROR-PARAMETERS: Flags, and why. */
	assert_finding(f, "DTCP-ADD-STATIC", 1);
	assert_int_equal(f->msgs[0].outcome, FT_LINT_OUT_REPLY);
	assert_int_equal(f->msgs[0].code, 433);
	assert_non_null(strstr(finding(f, "DTCP-ADD-STATIC", 1)->text,
	    "Flags: STATIC"));
	/* 432 for IPv6 in DTCP/0.6, at the address line. */
	assert_finding(f, "DTCP-ADD-IPV6-V06", 16);
	assert_int_equal(f->msgs[1].code, 432);
	assert_non_null(strstr(finding(f, "DTCP-ADD-IPV6-V06", 16)->text,
	    "DTCP/0.7"));
	/* 901 for a 2-byte intercept ID: 8 or 16 hex digits. */
	assert_finding(f, "DTCP-ADD-INTERCEPT-ID", 28);
	assert_int_equal(f->msgs[2].code, 901);
	assert_non_null(strstr(finding(f, "DTCP-ADD-INTERCEPT-ID", 28)->text,
	    "8 or 16 hex digits"));
	/* The typo: accepted (200), said, TTL stays 255. */
	assert_int_equal(f->msgs[3].code, 200);
	assert_int_equal(f->msgs[3].rule, FT_RULES_NONE);
	assert_finding(f, "DTCP-PARAM-X-NEAR", 40);
	assert_non_null(strstr(finding(f, "DTCP-PARAM-X-NEAR", 40)->text,
	    "X-JTap-Cdest-TTL"));
	assert_non_null(strstr(finding(f, "DTCP-PARAM-X-NEAR", 40)->text,
	    "255"));
	/* Missing and wrong MACs: both 497, told apart. */
	assert_int_equal(f->msgs[4].outcome, FT_LINT_OUT_DROP);
	assert_int_equal(f->msgs[4].code, 497);
	assert_finding(f, "DTCP-AUTH-MAC-MISSING", 50);
	assert_int_equal(f->msgs[5].code, 497);
	assert_finding(f, "DTCP-AUTH-MAC-WRONG", 55);
	assert_int_equal(ft_lint_status(&f, 1), 1);
	ft_lint_file_free(f);
}

/* Comments inside a message are not message lines: lines still map. */
static void
test_lint_lines_with_comments(void **state)
{
	struct ft_lint_file *f;

	(void)state;
	f = run("# a comment\n"
	    "@session s user=verint password=verint123\n"
	    "ADD DTCP/0.7\n"			/* 3 */
	    "# inside\n"
	    "Csource-ID: verint\n"
	    "Cdest-ID: cd1\n"
	    "# inside again\n"
	    "Flags: STATIC\n"
	    "Protocol: 17\n"
	    "Dest-Port: 70000\n"		/* 10 */
	    "X-JTap-Cdest-Dest-Address: 192.168.3.2\n"
	    "X-JTap-Cdest-Dest-Port: 1814\n"
	    "X-JTap-Cdest-Source-Address: 10.209.74.183\n"
	    "X-JTap-Cdest-Source-Port: 65534\n"
	    "Seq: 1\n"
	    "Authentication-Info: auto\n");
	assert_int_equal(f->nmsgs, 1);
	assert_int_equal(f->msgs[0].line, 3);
	assert_int_equal(f->msgs[0].code, 432);
	assert_finding(f, "DTCP-ADD-PORT", 10);
	ft_lint_file_free(f);
}

/* A parameter file: no MAC line, the sender adds it (seed-79). */
static void
test_lint_parameter_file(void **state)
{
	struct ft_lint_file *f;

	(void)state;
	f = run("ADD DTCP/0.7\nCsource-ID: verint\nCdest-ID: cd1\n"
	    "Source-Address: 10.1.1.1\nFlags: STATIC\n"
	    "X-JTap-Cdest-Dest-Address: 192.168.3.2\n"
	    "X-JTap-Cdest-Dest-Port: 1814\n"
	    "X-JTap-Cdest-Source-Address: 10.209.74.183\n"
	    "X-JTap-Cdest-Source-Port: 65534\nSeq: 10\n\n");
	assert_int_equal(f->form, FT_LINT_DFCCLIENT);
	assert_int_equal(f->nmsgs, 1);
	assert_int_equal(f->msgs[0].code, 200);
	assert_int_equal(f->count[FT_RULES_MUST], 0);
	assert_int_equal(f->count[FT_RULES_SHOULD], 0);
	ft_lint_file_free(f);

	/* Without the empty line after it, dfcclient.pl never sends it. */
	f = run("LIST DTCP/0.7\nCsource-ID: verint\nSeq: 1");
	assert_int_equal(f->form, FT_LINT_DFCCLIENT);
	assert_finding(f, "DTCP-DFCCLIENT-LAST", 1);
	ft_lint_file_free(f);
}

/*
 * A transcript in dtcp.log's layout, escapes included: the request is
 * re-judged, the recorded reply checked (here: its SEQ is wrong).
 */
static void
test_lint_transcript(void **state)
{
	struct ft_lint_file *f;

	(void)state;
	f = run("[1297612600.000000000 2011-02-13 15:56:40.000] open "
	    "session=s user=verint\n"
	    "[1297612600.000000000 2011-02-13 15:56:40.000] request "
	    "session=s user=verint\n"
	    "  LIST DTCP/0.7\n"
	    "  Csource-ID: verint\n"
	    "  X-Note: a\\\\b\n"
	    "  Seq: 1\n"
	    "  Authentication-Info: 0000000000000000000000000000000000000000\n"
	    "  \n"
	    "[1297612600.000000000 2011-02-13 15:56:40.000] drop "
	    "session=s user=verint code=497: invalid authentication\n");
	assert_int_equal(f->form, FT_LINT_TRANSCRIPT);
	assert_int_equal(f->nmsgs, 1);
	assert_int_equal(f->msgs[0].line, 3);
	assert_int_equal(f->msgs[0].outcome, FT_LINT_OUT_DROP);
	assert_int_equal(f->msgs[0].recorded, FT_LINT_OUT_DROP);
	assert_int_equal(f->msgs[0].recorded_code, 497);
	/* The MAC line is the transcript's line 7. */
	assert_finding(f, "DTCP-AUTH-MAC-WRONG", 7);
	/* The router dropped it as SPEC says: nothing on its side. */
	assert_null(finding(f, "DTCP-REPLY-TO-DROP", 9));
	ft_lint_file_free(f);

	/* A request the router answered though SPEC drops it. */
	f = run("[1.000000000 1970-01-01 00:00:01.000] open session=s "
	    "user=verint\n"
	    "[1.000000000 1970-01-01 00:00:01.000] request session=s "
	    "user=verint\n"
	    "  LIST DTCP/0.7\n  Csource-ID: verint\n  Seq: 1\n  \n"
	    "[1.000000000 1970-01-01 00:00:01.000] reply session=s "
	    "user=verint code=400\n"
	    "  DTCP/0.7 400 Bad Request\n  SEQ: 1\n"
	    "  AUTHENTICATION-INFO: 0000000000000000000000000000000000000000\n"
	    "  \n");
	assert_finding(f, "DTCP-AUTH-MAC-MISSING", 5);
	assert_finding(f, "DTCP-REPLY-TO-DROP", 7);
	ft_lint_file_free(f);
}

/* What does not parse as its form is a finding, not an error. */
static void
test_lint_file_syntax(void **state)
{
	struct ft_lint_file *f;

	(void)state;
	f = run("@at 1\n@frob\n");
	assert_finding(f, "DTCP-FILE-SYNTAX", 2);
	assert_int_equal(ft_lint_status(&f, 1), 1);
	ft_lint_file_free(f);
}

static char *
written(struct ft_lint_file *f, enum ft_lint_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(ft_lint_write(fp, fmt, &f, 1), 0);
	fclose(fp);
	return buf;
}

static void
test_lint_formats(void **state)
{
	struct ft_lint_file *f;
	char *out;

	(void)state;
	f = run(SEED_ADD("0.7", "Protocol: 17\n"));
	out = written(f, FT_LINT_TEXT);
	assert_non_null(strstr(out, "t.dtcp:1: DTCP-ADD-STATIC MUST: "));
	assert_non_null(strstr(out, "(docs/parameters.md; seed-69)\n"));
	assert_non_null(strstr(out, "1 file, 1 message: 1 MUST, "));
	free(out);
	out = written(f, FT_LINT_JSON);
	assert_non_null(strstr(out, "\"rule\": \"DTCP-ADD-STATIC\""));
	assert_non_null(strstr(out, "\"outcome\": \"reply\", \"code\": 433"));
	assert_non_null(strstr(out, "\"must\": 1"));
	free(out);
	out = written(f, FT_LINT_JUNIT);
	assert_non_null(strstr(out, "<testsuite name=\"t.dtcp\" tests=\"2\" "
	    "failures=\"1\""));
	assert_non_null(strstr(out, "<failure type=\"DTCP-ADD-STATIC\""));
	free(out);
	ft_lint_file_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lint_issue_examples),
		cmocka_unit_test(test_lint_lines_with_comments),
		cmocka_unit_test(test_lint_parameter_file),
		cmocka_unit_test(test_lint_transcript),
		cmocka_unit_test(test_lint_file_syntax),
		cmocka_unit_test(test_lint_formats),
	};

	memset(&opts, 0, sizeof(opts));
	opts.profile = FT_PROFILE_FLOWTAP;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
