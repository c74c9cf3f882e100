/*
 * test_rules.c - the rule catalogue (rules.h): every row complete and
 * unique, the framing defects of ft_dtcp_parse mapped, the rule
 * ft_rule_from_add_why names for every ADD failure of SPEC 3, and the
 * X- name typo finder of dtcp.c.
 *
 * Expected codes and rules come from SPEC.md sections 2 and 3 (each
 * case names its sentence); the messages are written by hand.
 */
#include "testutil.h"

#include <stdio.h>

#include "dtcp.h"
#include "rule.h"
#include "rules.h"

static struct ft_dtcp_msg msg;
static struct ft_rule rule;

static int
is_id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

static void
test_rules_table_complete(void **state)
{
	static const int codes[] = {
		400, 430, 431, 432, 433, 497, 498, 499, 500, 501, 505, 550,
		551, 901,
	};
	unsigned i, j;

	(void)state;
	for (i = 1; i < FT_RULES_COUNT; i++) {
		const struct ft_rules_entry *e = ft_rules_get(i);
		size_t k;
		int known = 0;

		assert_non_null(e->id);
		assert_string_not_equal(e->id, "NONE");
		assert_int_equal(strncmp(e->id, "DTCP-", 5), 0);
		for (k = 0; e->id[k] != '\0'; k++)
			assert_true(is_id_char(e->id[k]));
		assert_true(strlen(e->explain) > 10);
		assert_true(strlen(e->ref) > 0);
		assert_true(strlen(e->source) > 0);
		/* A plain reason: one line, no final full stop. */
		assert_null(strchr(e->explain, '\n'));
		assert_int_not_equal(e->explain[strlen(e->explain) - 1], '.');
		for (j = 1; j < i; j++)
			assert_string_not_equal(ft_rules_get(j)->id, e->id);
		assert_int_equal(ft_rules_find(e->id), i);
		if (e->outcome == FT_RULES_REPLY || e->outcome == FT_RULES_DROP) {
			/* Rejections are MUST, with a code SPEC 2 uses. */
			assert_int_equal(e->severity, FT_RULES_MUST);
			for (j = 0; j < sizeof(codes) / sizeof(codes[0]); j++)
				if (codes[j] == e->code)
					known = 1;
			assert_true(known);
		} else {
			assert_int_equal(e->code, 0);
		}
		if (e->outcome == FT_RULES_ACCEPT)
			assert_int_not_equal(e->severity, FT_RULES_MUST);
		/* Dropped: 497, 498, 499, or 400 over the size cap (SPEC 2). */
		if (e->outcome == FT_RULES_DROP)
			assert_true(e->code == 497 || e->code == 498 ||
			    e->code == 499 || (e->code == 400 &&
			    i == FT_RULES_FRAME_MSG_CAP));
	}
	assert_string_equal(ft_rules_get(FT_RULES_COUNT)->id, "NONE");
	assert_int_equal(ft_rules_find("dtcp-add-static"), FT_RULES_ADD_STATIC);
	assert_int_equal(ft_rules_find("DTCP-NO-SUCH"), FT_RULES_NONE);
	assert_string_equal(ft_rules_severity_name(FT_RULES_SHOULD), "SHOULD");
}

/* SPEC 2's framing defects, each as ft_dtcp_parse names it. */
static void
test_rules_framing_defects(void **state)
{
	static char big[FT_DTCP_MSG_MAX + 100];
	static char longline[FT_DTCP_LINE_MAX + 100];
	static char many[FT_DTCP_MSG_MAX];
	static const struct {
		const char *text;
		size_t len;
		enum ft_rules_id rule;
	} cases[] = {
		{ "LIST DTCP/0.7\nSeq: 1\r\n\r\n", 0, FT_RULES_FRAME_BARE_LF },
		{ "LIST DTCP/0.7\r\nSeq: 1\r2\r\n\r\n", 0,
		    FT_RULES_FRAME_BARE_CR },
		{ "LIST DTCP/0.7\r\nSeq: \0\r\n\r\n", 24, FT_RULES_FRAME_NUL },
		{ "LIST DTCP/0.7\r\nSeq: \xff\r\n\r\n", 0,
		    FT_RULES_FRAME_UTF8 },
		{ "LIST DTCP 0.7\r\nSeq: 1\r\n\r\n", 0,
		    FT_RULES_FRAME_REQLINE },
		{ "LIST DTCP/0.7\r\nSeq 1\r\n\r\n", 0, FT_RULES_FRAME_PARAM },
		{ "LIST DTCP/0.7\r\nSeq: 1\r\n\r\nX: 1\r\n", 0,
		    FT_RULES_FRAME_AFTER_END },
	};
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = cases[i].len ? cases[i].len : strlen(cases[i].text);
		assert_int_equal(ft_dtcp_parse(&msg, cases[i].text, n, NULL,
		    0), 400);
		assert_int_equal(ft_rules_for_defect(msg.defect),
		    cases[i].rule);
	}
	memset(big, 'a', sizeof(big));
	assert_int_equal(ft_dtcp_parse(&msg, big, sizeof(big), NULL, 0), 400);
	assert_int_equal(ft_rules_for_defect(msg.defect),
	    FT_RULES_FRAME_MSG_CAP);

	memcpy(longline, "LIST DTCP/0.7\r\nX-A: ", 20);
	memset(longline + 20, 'a', sizeof(longline) - 24);
	memcpy(longline + sizeof(longline) - 4, "\r\n\r\n", 4);
	assert_int_equal(ft_dtcp_parse(&msg, longline, sizeof(longline), NULL,
	    0), 400);
	assert_int_equal(ft_rules_for_defect(msg.defect),
	    FT_RULES_FRAME_LINE_CAP);

	n = (size_t)snprintf(many, sizeof(many), "LIST DTCP/0.7\r\n");
	for (i = 0; i < FT_DTCP_PARAMS_MAX + 1; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n,
		    "X-P%zu: 1\r\n", i);
	n += (size_t)snprintf(many + n, sizeof(many) - n, "\r\n");
	assert_int_equal(ft_dtcp_parse(&msg, many, n, NULL, 0), 400);
	assert_int_equal(ft_rules_for_defect(msg.defect),
	    FT_RULES_FRAME_PARAM_CAP);

	assert_int_equal(ft_rules_for_defect(NULL), FT_RULES_NONE);
	assert_int_equal(ft_rules_for_defect("no such"), FT_RULES_NONE);
}

/* The seed guide's sample ADD, with one line changed or added. */
static const char seed_add[] =
    "ADD DTCP/0.7\r\n"
    "Csource-ID: verint\r\n"
    "Cdest-ID: cd1\r\n"
    "Protocol: 17\r\n"
    "Flags: STATIC\r\n"
    "X-JTap-Cdest-Dest-Address: 192.168.3.2\r\n"
    "X-JTap-Cdest-Dest-Port: 1814\r\n"
    "X-JTap-Cdest-Source-Address: 10.209.74.183\r\n"
    "X-JTap-Cdest-Source-Port: 65534\r\n"
    "X-JTap-Cdest-TTL: 255\r\n"
    "Seq: 1\r\n";

/*
 * Build the seed ADD with `drop` (a parameter name, or NULL) removed,
 * `add` (a line, or NULL) added before Seq, and the version set.
 */
static void
build(char *out, size_t cap, const char *version, const char *drop,
    const char *add)
{
	const char *p = seed_add;
	size_t n = 0;

	n += (size_t)snprintf(out + n, cap - n, "ADD DTCP/%s\r\n", version);
	p = strchr(p, '\n') + 1;
	while (*p != '\0') {
		const char *e = strchr(p, '\n') + 1;
		size_t len = (size_t)(e - p);

		if (strncmp(p, "Seq:", 4) == 0 && add != NULL)
			n += (size_t)snprintf(out + n, cap - n, "%s\r\n", add);
		if (drop == NULL || strncmp(p, drop, strlen(drop)) != 0 ||
		    p[strlen(drop)] != ':') {
			memcpy(out + n, p, len);
			n += len;
		}
		p = e;
	}
	n += (size_t)snprintf(out + n, cap - n, "Authentication-Info: "
	    "0000000000000000000000000000000000000000\r\n\r\n");
	out[n] = '\0';
}

static int
has_ifl(void *ctx, const char *name, size_t len)
{
	(void)ctx;
	return len == 10 && memcmp(name, "xe-0/0/0.0", 10) == 0;
}

static int
has_vrf(void *ctx, const char *name, size_t len)
{
	(void)ctx;
	return len == 7 && memcmp(name, "lea-vrf", 7) == 0;
}

static void
test_rules_add_failures(void **state)
{
	static const struct ft_rule_env env = { 1, 0, has_ifl, has_vrf, NULL };
	/* Each: version, parameter removed, line added, SPEC 3's code. */
	static const struct {
		const char *version, *drop, *add;
		int code;
		enum ft_rules_id rule;
	} cases[] = {
		{ "0.7", NULL, NULL, 0, FT_RULES_NONE },
		{ "0.7", "Flags", NULL, 433, FT_RULES_ADD_STATIC },
		{ "0.7", NULL, "Timeout-Idle: 30", 433, FT_RULES_ADD_TIMEOUT },
		{ "0.7", "Cdest-ID", NULL, 400, FT_RULES_ADD_CDEST_ID_MISSING },
		{ "0.7", "X-JTap-Cdest-Source-Port", NULL, 901,
		    FT_RULES_ADD_JTAP_REQUIRED },
		{ "0.7", NULL, "Priority: 256", 400, FT_RULES_ADD_PRIORITY },
		{ "0.7", NULL, "Action: Block", 501, FT_RULES_ADD_ACTION },
		{ "0.7", "Flags", "Flags: STATIC,SendAsync", 501,
		    FT_RULES_ADD_FLAGS },
		{ "0.7", NULL, "Source-Address: 10.1.1.1/33", 432,
		    FT_RULES_ADD_ADDRESS },
		{ "0.7", NULL, "Dest-Port: 70000", 432, FT_RULES_ADD_PORT },
		{ "0.7", "Protocol", "Protocol: 256", 432,
		    FT_RULES_ADD_PROTOCOL },
		{ "0.7", NULL, "ICMP-Type: x", 432, FT_RULES_ADD_ICMP },
		{ "0.7", NULL, "X-JTap-IP-Version: ipv5", 901,
		    FT_RULES_ADD_IP_VERSION },
		{ "0.7", NULL, "X-JTap-IP-Version: ipv6", 0, FT_RULES_NONE },
		{ "0.7", NULL, "Source-Address: 2001:db8::1", 0,
		    FT_RULES_NONE },
		{ "0.6", NULL, "Source-Address: 2001:db8::1", 432,
		    FT_RULES_ADD_IPV6_V06 },
		{ "0.6", NULL, "X-JTap-IP-Version: ipv6", 901,
		    FT_RULES_ADD_IPV6_V06_JTAP },
		{ "0.7", "Protocol", "Dest-Port: 53", 0, FT_RULES_NONE },
		{ "0.7", "Protocol", "Protocol: 1", 0, FT_RULES_NONE },
		{ "0.7", NULL, "Dest-Port: 53,!54", 0, FT_RULES_NONE },
		{ "0.7", NULL, "ICMP-Type: 8", 432, FT_RULES_ADD_ICMP_PROTOCOL },
		{ "0.7", "Cdest-ID", "Cdest-ID: a,b,c", 551,
		    FT_RULES_ADD_CDEST_MAX },
		{ "0.7", "Cdest-ID", "Cdest-ID: a,b", 432,
		    FT_RULES_ADD_CDEST_COUNT },
		{ "0.7", "X-JTap-Cdest-Dest-Address",
		    "X-JTap-Cdest-Dest-Address: 192.168.3", 901,
		    FT_RULES_ADD_CDEST_ADDRESS },
		{ "0.7", "X-JTap-Cdest-Dest-Port", "X-JTap-Cdest-Dest-Port: 0",
		    901, FT_RULES_ADD_CDEST_PORT },
		{ "0.7", "X-JTap-Cdest-Source-Address",
		    "X-JTap-Cdest-Source-Address: 2001:db8::1", 901,
		    FT_RULES_ADD_SOURCE_FAMILY },
		{ "0.7", "X-JTap-Cdest-Source-Address",
		    "X-JTap-Cdest-Source-Address: here", 901,
		    FT_RULES_ADD_SOURCE_ADDRESS },
		{ "0.7", "X-JTap-Cdest-TTL", "X-JTap-Cdest-TTL: 256", 901,
		    FT_RULES_ADD_TTL },
		{ "0.7", NULL, "X-MD-Intercept-Id: 0x1234", 901,
		    FT_RULES_ADD_INTERCEPT_ID },
		{ "0.7", NULL, "X-MD-Intercept-Id: c0000001", 901,
		    FT_RULES_ADD_INTERCEPT_ID_TOP },
		{ "0.7", NULL, "X-JTap-Input-Interface: ge-9/9/9", 901,
		    FT_RULES_ADD_INTERFACE },
		{ "0.7", NULL, "X-JTap-Input-Interface: xe-0/0/0", 0,
		    FT_RULES_NONE },
		{ "0.7", NULL, "X-JTap-VRF-Name: other", 901, FT_RULES_ADD_VRF },
		{ "0.8", NULL, "X-JTap-Filter-Family: ccc", 901,
		    FT_RULES_ADD_FILTER_FAMILY },
	};
	char text[2048], ep[256];
	enum ft_rules_id why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		build(text, sizeof(text), cases[i].version, cases[i].drop,
		    cases[i].add);
		assert_int_equal(ft_dtcp_parse(&msg, text, strlen(text), NULL,
		    0), 0);
		why = FT_RULES_COUNT;
		if (ft_rule_from_add_why(&rule, &msg, &env, ep, sizeof(ep),
		    &why) != cases[i].code)
			fail_msg("case %zu (%s): code %d", i,
			    cases[i].add ? cases[i].add : "", cases[i].code);
		if (why != cases[i].rule)
			fail_msg("case %zu (%s): rule %s, expected %s", i,
			    cases[i].add ? cases[i].add : "",
			    ft_rules_get(why)->id,
			    ft_rules_get(cases[i].rule)->id);
		/* The rule's catalogue code is the one answered. */
		if (cases[i].code != 0)
			assert_int_equal(ft_rules_get(why)->code,
			    cases[i].code);
	}
	/* The rule-less entry point answers the same. */
	build(text, sizeof(text), "0.7", "Flags", NULL);
	assert_int_equal(ft_dtcp_parse(&msg, text, strlen(text), NULL, 0), 0);
	assert_int_equal(ft_rule_from_add(&rule, &msg, &env, ep, sizeof(ep)),
	    433);
	assert_string_equal(ep, "Flags");
}

static void
test_rules_x_near(void **state)
{
	static const struct {
		const char *name;
		unsigned version;
		const char *near;
	} cases[] = {
		/* The example: the TTL typo stays 255. */
		{ "X-JTap-Cdest-TL", 7, "X-JTap-Cdest-TTL" },
		{ "X-Jtap-Cdest-Dest-Adress", 7, "X-JTap-Cdest-Dest-Address" },
		/* Not an X- name: the engine answers it 501. */
		{ "X_JTap_Cdest_Dest_Port", 7, NULL },
		{ "X-JTap-Dest-Address", 7, "X-JTap-Cdest-Dest-Address" },
		{ "X-JTap-Cdest-Dest-Address", 7, NULL },	/* known */
		{ "X-MD-Intercept-ID", 7, NULL },		/* known */
		{ "X-MD-Interceptid", 7, "X-MD-Intercept-Id" },
		{ "X-MD-Intercep-Id", 7, "X-MD-Intercept-Id" },
		{ "X-JTap-Filter-Famly", 8, "X-JTap-Filter-Family" },
		{ "X-JTap-Filter-Famly", 7, NULL },	/* 0.8 only */
		{ "X-Interface-Id", 7, NULL },	/* subscriber LI: not near */
		{ "X-Frob", 7, NULL },
		{ "Cdest-IDs", 7, NULL },	/* not an X- name */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = ft_dtcp_param_near(cases[i].name,
		    strlen(cases[i].name), cases[i].version);

		if (cases[i].near == NULL && got != NULL)
			fail_msg("%s: near %s, expected none", cases[i].name,
			    got);
		if (cases[i].near != NULL && (got == NULL ||
		    strcmp(got, cases[i].near) != 0))
			fail_msg("%s: near %s, expected %s", cases[i].name,
			    got ? got : "(none)", cases[i].near);
	}
	assert_string_equal(ft_dtcp_param_name(0, 7), "Csource-ID");
	assert_null(ft_dtcp_param_name(1000, 8));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_table_complete),
		cmocka_unit_test(test_rules_framing_defects),
		cmocka_unit_test(test_rules_add_failures),
		cmocka_unit_test(test_rules_x_near),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
