/*
 * test_rule.c - one criterion: ADD validation (every reply code of SPEC 3),
 * the filter list grammar and the per-packet match.
 *
 * Expected values come from SPEC.md section 3 and the seed guide's sample
 * ADD; DTCP messages are built by hand so this test needs no dtcp.c.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <stdio.h>

#include "err.h"
#include "rule.h"

static struct ft_dtcp_msg msg;
static struct ft_rule rule;
static char ep[256];

/*
 * The router declares xe-0/0/0.0 (id 1), ge-1/0/0.5 (id 2) and VRF
 * "lea-vrf" (id 1).
 */
static int
has_ifl(void *ctx, const char *name, size_t len)
{
	(void)ctx;
	if (len == 10 && memcmp(name, "xe-0/0/0.0", 10) == 0)
		return 1;
	if (len == 10 && memcmp(name, "ge-1/0/0.5", 10) == 0)
		return 2;
	return 0;
}

static int
has_vrf(void *ctx, const char *name, size_t len)
{
	(void)ctx;
	return len == 7 && memcmp(name, "lea-vrf", 7) == 0;
}

static const struct ft_rule_env flowtap = { 1, 0, has_ifl, has_vrf, NULL };
static const struct ft_rule_env draft = { 0, 1, has_ifl, has_vrf, NULL };
static const struct ft_rule_env bare = { 1, 0, NULL, NULL, NULL };

/* The seed guide's sample ADD (without Seq/Authentication-Info). */
static const char *const base[] = {
	"Csource-ID: verint",
	"Cdest-ID: cd1",
	"Flags: STATIC",
	"X-JTap-Cdest-Dest-Address: 192.168.3.2",
	"X-JTap-Cdest-Dest-Port: 1814",
	"X-JTap-Cdest-Source-Address: 10.209.74.183",
	"X-JTap-Cdest-Source-Port: 65534",
	NULL,
};

static size_t
name_len(const char *line)
{
	const char *c = strchr(line, ':');

	return c == NULL ? strlen(line) : (size_t)(c - line);
}

static int
same_name(const char *a, const char *b)
{
	size_t la = name_len(a), lb = name_len(b), i;

	if (la != lb)
		return 0;
	for (i = 0; i < la; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

static void
put_line(const char *line)
{
	struct ft_dtcp_param *p = &msg.p[msg.nparams++];
	size_t len = strlen(line), nl = name_len(line), v;
	char *at = msg.buf + msg.len;

	assert_true(msg.len + len + 2 < sizeof(msg.buf));
	assert_true(msg.nparams <= FT_DTCP_PARAMS_MAX);
	memcpy(at, line, len);
	memcpy(at + len, "\r\n", 2);
	msg.len += len + 2;
	p->name = at;
	p->name_len = nl;
	v = nl + 1;
	while (v < len && at[v] == ' ')
		v++;
	p->value = at + v;
	p->value_len = v <= len ? len - v : 0;
	p->line = msg.nparams + 1;
}

/*
 * Build an ADD: the base lines, where a line of mods with the same name
 * replaces the base line, "-Name" removes it, and the others are
 * appended in order. mods may be NULL.
 */
static void
build(unsigned version, const char *const *mods)
{
	const char *const *b, *const *x;
	static const char req[] = "ADD DTCP/0.7\r\n";

	memset(&msg, 0, sizeof(msg));
	msg.version = version;
	msg.m = FT_DTCP_M_ADD;
	memcpy(msg.method, "ADD", 4);
	memcpy(msg.buf, req, sizeof(req) - 1);
	msg.len = sizeof(req) - 1;
	for (b = base; *b != NULL; b++) {
		const char *line = *b;

		for (x = mods; x != NULL && *x != NULL; x++) {
			const char *mm = (*x)[0] == '-' ? *x + 1 : *x;

			if (same_name(mm, *b)) {
				line = (*x)[0] == '-' ? NULL : *x;
				break;
			}
		}
		if (line != NULL)
			put_line(line);
	}
	for (x = mods; x != NULL && *x != NULL; x++) {
		int in_base = 0;

		for (b = base; *b != NULL; b++) {
			const char *mm = (*x)[0] == '-' ? *x + 1 : *x;

			if (same_name(mm, *b))
				in_base = 1;
		}
		if (!in_base)
			put_line(*x);
	}
	msg.mac_len = msg.len;
}

static int
run_v(unsigned version, const struct ft_rule_env *env,
    const char *const *mods)
{
	build(version, mods);
	memset(ep, 0, sizeof(ep));
	return ft_rule_from_add(&rule, &msg, env, ep, sizeof(ep));
}

static int
run(const struct ft_rule_env *env, const char *const *mods)
{
	return run_v(FT_DTCP_V07, env, mods);
}

#define RUN(env, ...) \
	run((env), (const char *const[]){ __VA_ARGS__, NULL })
#define RUN6(env, ...) \
	run_v(FT_DTCP_V06, (env), (const char *const[]){ __VA_ARGS__, NULL })

static void
expect(int got, int code, const char *param)
{
	assert_int_equal(got, code);
	assert_string_equal(ep, param);
}

/* ---- ADD validation ---- */

static void
test_rule_seed_sample_add(void **state)
{
	uint8_t a[4];

	(void)state;
	expect(run_v(FT_DTCP_V06, &flowtap, (const char *const[]){
	    "Source-Address: *", "Dest-Address: *", "Source-Port: *",
	    "Dest-Port: *", "Protocol: 17", "X-JTap-Cdest-TTL: 255",
	    NULL }), 0, "");
	assert_string_equal(rule.csource, "verint");
	assert_int_equal(rule.family, 4);
	assert_int_equal(rule.flags, FT_RULE_STATIC);
	assert_int_equal(rule.src.n, 0);
	assert_int_equal(rule.dst.n, 0);
	assert_int_equal(rule.sport.n, 0);
	assert_int_equal(rule.dport.n, 0);
	assert_int_equal(rule.need_ports, 0);
	assert_int_equal(rule.need_icmp, 0);
	assert_int_equal(rule.proto.n, 1);
	assert_int_equal(rule.proto.e[0].lo, 17);
	assert_int_equal(rule.proto.e[0].hi, 17);
	assert_int_equal(rule.ncdest, 1);
	assert_string_equal(rule.cdest[0].id, "cd1");
	assert_int_equal(rule.cdest[0].family, 4);
	assert_int_equal(inet_pton(AF_INET, "192.168.3.2", a), 1);
	assert_memory_equal(rule.cdest[0].addr, a, 4);
	assert_int_equal(rule.cdest[0].port, 1814);
	assert_int_equal(rule.out_family, 4);
	assert_int_equal(inet_pton(AF_INET, "10.209.74.183", a), 1);
	assert_memory_equal(rule.out_src, a, 4);
	assert_int_equal(rule.out_sport, 65534);
	assert_int_equal(rule.ttl, 255);
	assert_int_equal(rule.jmirror, 0);
	assert_int_equal(rule.id, 0);
	assert_int_equal(rule.match_packets, 0);
}

static void
test_rule_missing_required(void **state)
{
	static const char *const names[] = {
		"Csource-ID", "Cdest-ID", "X-JTap-Cdest-Dest-Address",
		"X-JTap-Cdest-Dest-Port", "X-JTap-Cdest-Source-Address",
		"X-JTap-Cdest-Source-Port",
	};
	char rm[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(rm, sizeof(rm), "-%s", names[i]);
		/* Draft-cavuto-dtcp-03 B.1.1: a missing X-JTap-Cdest-* is 901. */
		expect(run(&flowtap, (const char *const[]){ rm, NULL }),
		    i < 2 ? 400 : 901, names[i]);
	}
}

/* SPEC 3: DTCP/0.6 has no IPv6 anywhere. */
static void
test_rule_v06_no_ipv6_901(void **state)
{
	(void)state;
	expect(RUN6(&flowtap, "X-JTap-IP-Version: ipv6"), 901,
	    "X-JTap-IP-Version: ipv6");
	expect(RUN6(&flowtap, "X-JTap-Cdest-Dest-Address: 2001:db8::1",
	    "X-JTap-Cdest-Source-Address: 2001:db8::2"), 901,
	    "X-JTap-Cdest-Dest-Address: 2001:db8::1");
	expect(RUN6(&flowtap, "X-JTap-Cdest-Source-Address: 2001:db8::2"),
	    901, "X-JTap-Cdest-Source-Address: 2001:db8::2");
	/* IPv6 match addresses stay 432, checked first. */
	expect(RUN6(&flowtap, "Dest-Address: 2001:db8::9",
	    "X-JTap-IP-Version: ipv6"), 432, "Dest-Address: 2001:db8::9");
	/* The same in 0.7 is fine. */
	expect(RUN(&flowtap, "X-JTap-IP-Version: ipv6"), 0, "");
	expect(RUN(&flowtap, "X-JTap-Cdest-Dest-Address: 2001:db8::1",
	    "X-JTap-Cdest-Source-Address: 2001:db8::2"), 0, "");
}

static void
test_rule_bad_ids_400(void **state)
{
#define A65 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	(void)state;
	expect(RUN(&flowtap, "Csource-ID: ver int"), 400,
	    "Csource-ID: ver int");
	expect(RUN(&flowtap, "Csource-ID: a,b"), 400, "Csource-ID: a,b");
	expect(RUN(&flowtap, "Csource-ID:"), 400, "Csource-ID: ");
	expect(RUN(&flowtap, "Cdest-ID: cd1,",
	    "X-JTap-Cdest-Dest-Address: 1.1.1.1,1.1.1.2",
	    "X-JTap-Cdest-Dest-Port: 1,2"), 400, "Cdest-ID: cd1,");
	/* 65 characters: one over FT_NAME_MAX. */
	expect(RUN(&flowtap, "Cdest-ID: " A65), 400, "Cdest-ID: " A65);
	expect(RUN(&flowtap, "Priority: high"), 400, "Priority: high");
	expect(RUN(&flowtap, "Priority: 3"), 0, "");
}

static void
test_rule_bad_filter_syntax_432(void **state)
{
	(void)state;
	expect(RUN(&flowtap, "Source-Address: 10.0.0.300"), 432,
	    "Source-Address: 10.0.0.300");
	expect(RUN(&flowtap, "Dest-Address: 10.0.0.0/33"), 432,
	    "Dest-Address: 10.0.0.0/33");
	expect(RUN(&flowtap, "Dest-Port: 65536"), 432, "Dest-Port: 65536");
	expect(RUN(&flowtap, "Source-Port: http"), 432, "Source-Port: http");
	expect(RUN(&flowtap, "Protocol: 256"), 432, "Protocol: 256");
	expect(RUN(&flowtap, "ICMP-Code: 1,,2"), 432, "ICMP-Code: 1,,2");
	expect(RUN(&flowtap, "Dest-Port: 2000-1000"), 432,
	    "Dest-Port: 2000-1000");
	expect(RUN(&flowtap, "Source-Port:"), 432, "Source-Port: ");
	expect(RUN(&flowtap, "Source-Address:"), 432, "Source-Address: ");
	expect(RUN(&flowtap, "Source-Address: 10.0.0.9-10.0.0.1"), 432,
	    "Source-Address: 10.0.0.9-10.0.0.1");
}

static void
test_rule_too_many_entries_432(void **state)
{
	char line[512];
	size_t off;
	int i;

	(void)state;
	off = (size_t)snprintf(line, sizeof(line), "Dest-Port: 1");
	for (i = 2; i <= FT_FILTER_ENTRIES_MAX + 1; i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off,
		    ",%d", i);
	expect(run(&flowtap, (const char *const[]){ line, NULL }), 432,
	    line);
	/* Exactly FT_FILTER_ENTRIES_MAX entries are fine. */
	line[off - 3] = '\0';
	expect(run(&flowtap, (const char *const[]){ line, NULL }), 0, "");
	assert_int_equal(rule.dport.n, FT_FILTER_ENTRIES_MAX);
}

static void
test_rule_port_needs_l4_protocol_432(void **state)
{
	(void)state;
	expect(RUN(&flowtap, "Protocol: 1", "Source-Port: 23"), 432,
	    "Source-Port: 23");
	expect(RUN(&flowtap, "Protocol: 47", "Dest-Port: 80"), 432,
	    "Dest-Port: 80");
	/* The protocol list selects none of 6, 17, 132. */
	expect(RUN(&flowtap, "Protocol: !6,!17,!132", "Dest-Port: 80"), 432,
	    "Dest-Port: 80");
	expect(RUN(&flowtap, "Protocol: 132", "Dest-Port: 80"), 0, "");
	expect(RUN(&flowtap, "Protocol: 1-10", "Dest-Port: 80"), 0, "");
	assert_int_equal(rule.need_ports, 1);
	expect(RUN(&flowtap, "Dest-Port: 80"), 0, "");
	assert_int_equal(rule.need_ports, 1);
}

static void
test_rule_icmp_needs_icmp_protocol_432(void **state)
{
	(void)state;
	expect(RUN(&flowtap, "Protocol: 6", "ICMP-Type: 8"), 432,
	    "ICMP-Type: 8");
	expect(RUN(&flowtap, "Protocol: 17", "ICMP-Code: 0"), 432,
	    "ICMP-Code: 0");
	expect(RUN(&flowtap, "Protocol: 58", "ICMP-Type: 128"), 0, "");
	expect(RUN(&flowtap, "ICMP-Type: 8"), 0, "");
	assert_int_equal(rule.need_icmp, 1);
	assert_int_equal(rule.need_ports, 0);
}

static void
test_rule_family_rules(void **state)
{
	(void)state;
	/* Mixed families in one criterion. */
	expect(RUN(&flowtap, "Source-Address: 10.0.0.1",
	    "Dest-Address: 2001:db8::1"), 432, "Dest-Address: 2001:db8::1");
	expect(RUN(&flowtap, "Source-Address: 10.0.0.1, 2001:db8::1"), 432,
	    "Source-Address: 10.0.0.1, 2001:db8::1");
	/* Addresses of the other family than X-JTap-IP-Version. */
	expect(RUN(&flowtap, "X-JTap-IP-Version: ipv6",
	    "Source-Address: 10.0.0.1"), 432, "Source-Address: 10.0.0.1");
	/* IPv6 addresses need DTCP/0.7. */
	expect(RUN6(&flowtap, "Dest-Address: 2001:db8::/32"), 432,
	    "Dest-Address: 2001:db8::/32");
	expect(RUN(&flowtap, "Dest-Address: 2001:db8::/32"), 0, "");
	assert_int_equal(rule.family, 6);
	/* Other values of X-JTap-IP-Version: 901. */
	expect(RUN(&flowtap, "X-JTap-IP-Version: ipv5"), 901,
	    "X-JTap-IP-Version: ipv5");
	expect(RUN(&flowtap, "X-JTap-IP-Version: IPv6"), 0, "");
	assert_int_equal(rule.family, 6);
	/* Default IPv4, deduced from either address. */
	expect(RUN(&flowtap, "Protocol: 6"), 0, "");
	assert_int_equal(rule.family, 4);
	expect(RUN(&flowtap, "Source-Address: *",
	    "Dest-Address: fe80::/10"), 0, "");
	assert_int_equal(rule.family, 6);
	/* IPv6 criteria with an IPv4 content destination are fine. */
	assert_int_equal(rule.out_family, 4);
}

static void
test_rule_cdest_counts(void **state)
{
	(void)state;
	expect(RUN(&flowtap, "Cdest-ID: a,b,c",
	    "X-JTap-Cdest-Dest-Address: 1.1.1.1,1.1.1.2,1.1.1.3",
	    "X-JTap-Cdest-Dest-Port: 1,2,3"), 551, "Cdest-ID: a,b,c");
	/* Over the cap is checked before equality. */
	expect(RUN(&flowtap,
	    "X-JTap-Cdest-Dest-Address: 1.1.1.1, 1.1.1.2, 1.1.1.3"), 551,
	    "X-JTap-Cdest-Dest-Address: 1.1.1.1, 1.1.1.2, 1.1.1.3");
	expect(RUN(&flowtap, "Cdest-ID: cd1, cd2"), 432,
	    "X-JTap-Cdest-Dest-Address: 192.168.3.2");
	expect(RUN(&flowtap, "Cdest-ID: cd1, cd2",
	    "X-JTap-Cdest-Dest-Address: 192.168.3.2, 192.168.3.3"), 432,
	    "X-JTap-Cdest-Dest-Port: 1814");
	expect(RUN(&flowtap, "Cdest-ID: cd1, cd2",
	    "X-JTap-Cdest-Dest-Address: 2001:db8::2, 2001:db8::3",
	    "X-JTap-Cdest-Dest-Port: 1814,1815",
	    "X-JTap-Cdest-Source-Address: 2001:db8::1"), 0, "");
	assert_int_equal(rule.ncdest, 2);
	assert_string_equal(rule.cdest[1].id, "cd2");
	assert_int_equal(rule.cdest[1].family, 6);
	assert_int_equal(rule.cdest[1].port, 1815);
	assert_int_equal(rule.cdest[1].addr[15], 3);
	assert_int_equal(rule.out_family, 6);
	assert_int_equal(rule.family, 4);
}

static void
test_rule_timeouts_433(void **state)
{
	(void)state;
	/* flowtap profile: STATIC required, no timeouts at all. */
	expect(RUN(&flowtap, "-Flags"), 433, "Flags");
	expect(RUN(&flowtap, "Timeout-Idle: 60"), 433, "Timeout-Idle: 60");
	expect(RUN(&flowtap, "Timeout-Bytes: 1000"), 433,
	    "Timeout-Bytes: 1000");
	/* draft profile: a timeout or STATIC. */
	expect(RUN(&draft, "-Flags"), 433, "Flags");
	expect(RUN(&draft, "-Flags", "Timeout-Idle: 0"), 433,
	    "Timeout-Idle: 0");
	expect(RUN(&draft, "-Flags", "Timeout-Total: 86401"), 433,
	    "Timeout-Total: 86401");
	expect(RUN(&draft, "-Flags", "Timeout-Packets: 4294967296"), 433,
	    "Timeout-Packets: 4294967296");
	expect(RUN(&draft, "-Flags", "Timeout-Idle: 60",
	    "Timeout-Bytes: 18446744073709551615"), 0, "");
	assert_int_equal(rule.flags, 0);
	assert_true(rule.timeout_idle_ns == 60000000000ULL);
	assert_true(rule.timeout_bytes == UINT64_MAX);
	expect(RUN(&draft, "Flags: SendAsync", "Timeout-Total: 86400"), 0,
	    "");
	assert_true(rule.timeout_total_ns == 86400000000000ULL);
	expect(run(&draft, NULL), 0, "");
	assert_int_equal(rule.flags, FT_RULE_STATIC);
}

static void
test_rule_not_implemented_501(void **state)
{
	(void)state;
	expect(RUN(&flowtap, "Flags: STATIC, Frobnicate"), 501,
	    "Flags: STATIC, Frobnicate");
	/* SendAsync is a draft flag: not on flow-tap. */
	expect(RUN(&flowtap, "Flags: STATIC,SendAsync"), 501,
	    "Flags: STATIC,SendAsync");
	expect(RUN(&flowtap, "Action: Block"), 501, "Action: Block");
	expect(RUN(&flowtap, "Action: copy", "Flags: static"), 0, "");
}

static void
test_rule_jtap_901(void **state)
{
	(void)state;
	expect(RUN(&flowtap, "X-JTap-Cdest-Dest-Address: 2001:db8::2"), 901,
	    "X-JTap-Cdest-Source-Address: 10.209.74.183");
	expect(RUN(&flowtap, "X-JTap-Cdest-Dest-Address: 192.168.3"), 901,
	    "X-JTap-Cdest-Dest-Address: 192.168.3");
	expect(RUN(&flowtap, "X-JTap-Cdest-Dest-Port: 0"), 901,
	    "X-JTap-Cdest-Dest-Port: 0");
	expect(RUN(&flowtap, "X-JTap-Cdest-Source-Port: 65536"), 901,
	    "X-JTap-Cdest-Source-Port: 65536");
	expect(RUN(&flowtap, "X-JTap-Cdest-TTL: 256"), 901,
	    "X-JTap-Cdest-TTL: 256");
	expect(RUN(&flowtap, "X-JTap-Cdest-TTL: 0"), 0, "");
	assert_int_equal(rule.ttl, 0);
	/* Default 255. */
	expect(RUN(&flowtap, "-X-JTap-Cdest-TTL"), 0, "");
	assert_int_equal(rule.ttl, 255);
	expect(RUN(&flowtap, "X-JTap-Input-Interface: xe-9/9/9"), 901,
	    "X-JTap-Input-Interface: xe-9/9/9");
	expect(RUN(&flowtap, "X-JTap-Output-Interface: ge-1/0/0"), 901,
	    "X-JTap-Output-Interface: ge-1/0/0");
	expect(RUN(&flowtap, "X-JTap-VRF-Name: other"), 901,
	    "X-JTap-VRF-Name: other");
	expect(RUN(&flowtap, "X-JTap-Filter-Family: ccc"), 901,
	    "X-JTap-Filter-Family: ccc");
	/* No configuration callbacks: nothing is declared. */
	expect(RUN(&bare, "X-JTap-VRF-Name: lea-vrf"), 901,
	    "X-JTap-VRF-Name: lea-vrf");
}

static void
test_rule_interfaces_and_vrf(void **state)
{
	(void)state;
	/* A name without ".unit" is unit 0. */
	expect(RUN(&flowtap, "X-JTap-Input-Interface: xe-0/0/0, ge-1/0/0.5",
	    "X-JTap-Output-Interface: xe-0/0/0.0"), 0, "");
	expect(RUN(&flowtap, "X-JTap-VRF-Name: lea-vrf"), 0, "");
	/* A VRF together with an interface (D03 A.3). */
	expect(RUN(&flowtap, "X-JTap-VRF-Name: lea-vrf",
	    "X-JTap-Input-Interface: xe-0/0/0"), 432,
	    "X-JTap-VRF-Name: lea-vrf");
	/* More than FT_IFL_PER_ADD_MAX (8) interfaces. */
	expect(RUN(&flowtap, "X-JTap-Input-Interface: xe-0/0/0,xe-0/0/0,"
	    "xe-0/0/0,xe-0/0/0,xe-0/0/0,xe-0/0/0,xe-0/0/0,xe-0/0/0,xe-0/0/0"),
	    901, "X-JTap-Input-Interface: xe-0/0/0,xe-0/0/0,"
	    "xe-0/0/0,xe-0/0/0,xe-0/0/0,xe-0/0/0,xe-0/0/0,xe-0/0/0,xe-0/0/0");
}

static void
test_rule_jmirror_ids(void **state)
{
	(void)state;
	expect(RUN(&flowtap, "X-MD-Intercept-Id: 0x0000000100000002"), 0, "");
	assert_int_equal(rule.jmirror, 1);
	assert_int_equal(rule.intercept_id, 1);
	assert_int_equal(rule.session_id, 2);
	assert_int_equal(rule.session_is_id, 0);
	expect(RUN(&flowtap, "X-MD-Intercept-Id: 3FFFFFFF"), 0, "");
	assert_int_equal(rule.jmirror, 1);
	assert_int_equal(rule.intercept_id, 0x3fffffff);
	assert_int_equal(rule.session_is_id, 1);
	expect(RUN(&flowtap, "X-MD-Intercept-Id: 0X01414141"), 0, "");
	assert_int_equal(rule.intercept_id, 0x01414141);
	/* 0x41: the second bit is set. */
	expect(RUN(&flowtap, "X-MD-Intercept-Id: 41414141"), 901,
	    "X-MD-Intercept-Id: 41414141");
	/* Lengths other than 4 or 8 bytes. */
	expect(RUN(&flowtap, "X-MD-Intercept-Id: 0x0102"), 901,
	    "X-MD-Intercept-Id: 0x0102");
	expect(RUN(&flowtap, "X-MD-Intercept-Id: 001122334455667788"), 901,
	    "X-MD-Intercept-Id: 001122334455667788");
	expect(RUN(&flowtap, "X-MD-Intercept-Id: 0x0000000g"), 901,
	    "X-MD-Intercept-Id: 0x0000000g");
	/* The top two bits must be zero. */
	expect(RUN(&flowtap, "X-MD-Intercept-Id: 0xC0000001"), 901,
	    "X-MD-Intercept-Id: 0xC0000001");
	expect(RUN(&flowtap, "X-MD-Intercept-Id: 8000000000000001"), 901,
	    "X-MD-Intercept-Id: 8000000000000001");
}

static void
test_rule_echo_contents(void **state)
{
	static const char want[] =
	    "X-JTAP-CDEST-DEST-ADDRESS: 192.168.3.2\r\n"
	    "X-JTAP-CDEST-DEST-PORT: 1814\r\n"
	    "X-JTAP-CDEST-SOURCE-ADDRESS: 10.209.74.183\r\n"
	    "X-JTAP-CDEST-SOURCE-PORT: 65534\r\n"
	    "SOURCE-PORT: 23\r\n"
	    "PROTOCOL: 6\r\n"
	    "X-MD-INTERCEPT-ID: 0x00000001\r\n"
	    "DEST-ADDRESS: 10.0.0.0/8\r\n";

	(void)state;
	expect(RUN(&flowtap, "source-port: 23", "Protocol: 6", "Priority: 1",
	    "Seq: 5", "X-MD-Intercept-Id: 0x00000001", "Protocol: 17",
	    "Dest-Address: 10.0.0.0/8"), 0, "");
	/* The first Protocol counts. */
	assert_int_equal(rule.proto.e[0].lo, 6);
	assert_string_equal(rule.echo, want);
	assert_int_equal(rule.echo_len, strlen(want));
}

static void
test_rule_echo_overflow_400(void **state)
{
	char s[1024], d[1024];
	size_t o1, o2;
	int i;

	(void)state;
	o1 = (size_t)snprintf(s, sizeof(s), "Source-Address: ");
	o2 = (size_t)snprintf(d, sizeof(d), "Dest-Address: ");
	for (i = 0; i < 24; i++) {
		o1 += (size_t)snprintf(s + o1, sizeof(s) - o1,
		    "%s2001:db8:ffff:ffff:ffff:ffff:ffff:%04x",
		    i ? ", " : "", i);
		o2 += (size_t)snprintf(d + o2, sizeof(d) - o2,
		    "%s2001:db9:ffff:ffff:ffff:ffff:ffff:%04x",
		    i ? ", " : "", i);
	}
	assert_true(o1 < FT_DTCP_LINE_MAX && o2 < FT_DTCP_LINE_MAX);
	assert_int_equal(run(&flowtap, (const char *const[]){ s, d, NULL }),
	    400);
	assert_memory_equal(ep, "Dest-Address: 2001:db9:", 23);
}

/* ---- Filter grammar ---- */

static void
test_rule_parse_nums_grammar(void **state)
{
	static const char many[] = "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,"
	    "17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33";
	struct ft_num_filter f;

	(void)state;
	assert_int_equal(ft_rule_parse_nums("*", 1, 65535, 5, 1, &f), 0);
	assert_int_equal(f.n, 0);
	assert_int_equal(ft_rule_parse_nums("1-*, !3", 7, 255, 3, 1, &f), 0);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.npos, 1);
	assert_true(f.e[0].lo == 1 && f.e[0].hi == 255);
	assert_true(f.e[1].neg == 1 && f.e[1].lo == 3);
	assert_int_equal(ft_rule_parse_nums("!3", 2, 255, 3, 0, &f),
	    FT_EINVAL);
	assert_int_equal(ft_rule_parse_nums("00023", 5, 65535, 5, 1, &f), 0);
	assert_int_equal(ft_rule_parse_nums("000023", 6, 65535, 5, 1, &f),
	    FT_EINVAL);
	assert_int_equal(ft_rule_parse_nums("5-4", 3, 255, 3, 1, &f),
	    FT_EINVAL);
	assert_int_equal(ft_rule_parse_nums("", 0, 255, 3, 1, &f), FT_EINVAL);
	assert_int_equal(ft_rule_parse_nums("1,", 2, 255, 3, 1, &f),
	    FT_EINVAL);
	assert_int_equal(ft_rule_parse_nums("-5", 2, 255, 3, 1, &f),
	    FT_EINVAL);
	assert_int_equal(ft_rule_parse_nums(many, strlen(many), 255, 3, 1,
	    &f), FT_ELIMIT);
}

static void
test_rule_num_match_semantics(void **state)
{
	struct ft_num_filter f;

	(void)state;
	/* "6,17,!17": TCP yes, UDP no (negated), ICMP no. */
	assert_int_equal(ft_rule_parse_nums("6,17,!17", 8, 255, 3, 1, &f), 0);
	assert_int_equal(ft_rule_num_match(&f, 6), 1);
	assert_int_equal(ft_rule_num_match(&f, 17), 0);
	assert_int_equal(ft_rule_num_match(&f, 1), 0);
	/* Only negated entries: everything else matches. */
	assert_int_equal(ft_rule_parse_nums("!80", 3, 65535, 5, 1, &f), 0);
	assert_int_equal(ft_rule_num_match(&f, 80), 0);
	assert_int_equal(ft_rule_num_match(&f, 81), 1);
	assert_int_equal(ft_rule_parse_nums("*-10", 4, 65535, 5, 1, &f), 0);
	assert_int_equal(ft_rule_num_match(&f, 0), 1);
	assert_int_equal(ft_rule_num_match(&f, 10), 1);
	assert_int_equal(ft_rule_num_match(&f, 11), 0);
	assert_int_equal(ft_rule_parse_nums("60000-*", 7, 65535, 5, 1, &f),
	    0);
	assert_int_equal(ft_rule_num_match(&f, 59999), 0);
	assert_int_equal(ft_rule_num_match(&f, 65535), 1);
}

static void
test_rule_parse_addrs_grammar(void **state)
{
	struct ft_addr_filter f;
	uint8_t fam;

	(void)state;
	assert_int_equal(ft_rule_parse_addrs("*", 1, &f, &fam), 0);
	assert_int_equal(f.n, 0);
	assert_int_equal(fam, 0);
	assert_int_equal(ft_rule_parse_addrs("10.0.0.1-*", 10, &f, &fam), 0);
	assert_int_equal(fam, 4);
	assert_int_equal(f.n, 1);
	assert_int_equal(ft_rule_parse_addrs("*-::1", 5, &f, &fam), 0);
	assert_int_equal(fam, 6);
	assert_int_equal(ft_rule_parse_addrs("10.0.0.1, ::1", 13, &f, &fam),
	    FT_EINVAL);
	assert_int_equal(ft_rule_parse_addrs("10.0.0.1/", 9, &f, &fam),
	    FT_EINVAL);
	assert_int_equal(ft_rule_parse_addrs("::/129", 6, &f, &fam),
	    FT_EINVAL);
	assert_int_equal(ft_rule_parse_addrs("!", 1, &f, &fam), FT_EINVAL);
	assert_int_equal(ft_rule_parse_addrs("10.0.0.1,", 9, &f, &fam),
	    FT_EINVAL);
}

/* ---- Matching ---- */

static struct ft_pkt
pkt(const char *src, const char *dst, uint8_t proto, uint8_t flags,
    uint16_t sport, uint16_t dport)
{
	struct ft_pkt p;
	int v6 = strchr(src, ':') != NULL;

	memset(&p, 0, sizeof(p));
	p.family = v6 ? 6 : 4;
	assert_int_equal(inet_pton(v6 ? AF_INET6 : AF_INET, src, p.src), 1);
	assert_int_equal(inet_pton(v6 ? AF_INET6 : AF_INET, dst, p.dst), 1);
	p.proto = proto;
	p.flags = flags;
	p.sport = sport;
	p.dport = dport;
	if (flags & FT_PKT_ICMP) {
		p.icmp_type = (uint8_t)sport;
		p.icmp_code = (uint8_t)dport;
		p.sport = p.dport = 0;
	}
	return p;
}

static int
m(const struct ft_pkt p)
{
	return ft_rule_match(&rule, &p);
}

/* SPEC 6: a scoped criterion matches only a known and equal scope. */
static void
test_rule_match_scope(void **state)
{
	struct ft_pkt p = pkt("10.0.0.1", "10.0.0.2", 6, FT_PKT_PORTS, 1, 2);

	(void)state;
	expect(RUN(&flowtap, "X-JTap-Input-Interface: ge-1/0/0.5, xe-0/0/0"),
	    0, "");
	assert_true(rule.scoped);
	assert_int_equal(rule.niif, 2);
	assert_false(m(p));		/* input unknown */
	p.iif = 1;
	assert_true(m(p));
	p.iif = 2;
	assert_true(m(p));
	p.iif = 3;			/* another, declared or not */
	assert_false(m(p));
	p.oif = 1;			/* the output is not the input */
	assert_false(m(p));

	expect(RUN(&flowtap, "X-JTap-Output-Interface: xe-0/0/0"), 0, "");
	p = pkt("10.0.0.1", "10.0.0.2", 6, FT_PKT_PORTS, 1, 2);
	p.iif = 1;
	assert_false(m(p));		/* output unknown */
	p.oif = 1;
	assert_true(m(p));
	p.oif = 2;
	assert_false(m(p));

	expect(RUN(&flowtap, "X-JTap-VRF-Name: lea-vrf"), 0, "");
	p = pkt("10.0.0.1", "10.0.0.2", 6, FT_PKT_PORTS, 1, 2);
	p.iif = 1;
	assert_false(m(p));		/* VRF unknown */
	p.vrf = 1;
	assert_true(m(p));
	p.vrf = 2;
	assert_false(m(p));

	/* Unscoped: every scope, unknown included. */
	expect(RUN(&flowtap, "Protocol: 6"), 0, "");
	assert_false(rule.scoped);
	p.vrf = 0;
	p.iif = 0;
	assert_true(m(p));
}

static void
test_rule_match_source_port_alone(void **state)
{
	(void)state;
	/* SPEC 3: "Source-Port: 23 alone selects TCP, UDP and SCTP". */
	expect(RUN(&flowtap, "Source-Port: 23"), 0, "");
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 6, FT_PKT_PORTS, 23,
	    1024)), 1);
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 17, FT_PKT_PORTS, 23,
	    53)), 1);
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 132, FT_PKT_PORTS, 23,
	    9)), 1);
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 6, FT_PKT_PORTS, 24,
	    23)), 0);
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 1, FT_PKT_ICMP, 8,
	    0)), 0);
	/* A TCP packet cut before its ports (flag clear). */
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 6, 0, 23, 0)), 0);
	/* The same packet matches a criterion without port conditions. */
	expect(RUN(&flowtap, "Protocol: 6"), 0, "");
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 6, 0, 0, 0)), 1);
}

static void
test_rule_match_negation_lists(void **state)
{
	(void)state;
	expect(RUN(&flowtap, "Source-Address: !10.0.0.0/8, *"), 0, "");
	assert_int_equal(m(pkt("10.1.2.3", "2.2.2.2", 6, 0, 0, 0)), 0);
	assert_int_equal(m(pkt("11.0.0.1", "2.2.2.2", 6, 0, 0, 0)), 1);
	assert_int_equal(m(pkt("9.255.255.255", "2.2.2.2", 6, 0, 0, 0)), 1);
	expect(RUN(&flowtap, "Protocol: 6,17,!17"), 0, "");
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 6, 0, 0, 0)), 1);
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 17, 0, 0, 0)), 0);
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 1, 0, 0, 0)), 0);
}

static void
test_rule_match_ranges(void **state)
{
	(void)state;
	expect(RUN(&flowtap, "Dest-Port: 1000-2000"), 0, "");
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 6, FT_PKT_PORTS, 1,
	    999)), 0);
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 6, FT_PKT_PORTS, 1,
	    1000)), 1);
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 6, FT_PKT_PORTS, 1,
	    2000)), 1);
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 6, FT_PKT_PORTS, 1,
	    2001)), 0);
	expect(RUN(&flowtap, "Dest-Address: 10.0.0.5-10.0.0.9"), 0, "");
	assert_int_equal(m(pkt("1.1.1.1", "10.0.0.4", 6, 0, 0, 0)), 0);
	assert_int_equal(m(pkt("1.1.1.1", "10.0.0.5", 6, 0, 0, 0)), 1);
	assert_int_equal(m(pkt("1.1.1.1", "10.0.0.9", 6, 0, 0, 0)), 1);
	assert_int_equal(m(pkt("1.1.1.1", "10.0.0.10", 6, 0, 0, 0)), 0);
	expect(RUN(&flowtap, "Source-Address: 10.0.0.5-*"), 0, "");
	assert_int_equal(m(pkt("10.0.0.4", "1.1.1.1", 6, 0, 0, 0)), 0);
	assert_int_equal(m(pkt("255.255.255.255", "1.1.1.1", 6, 0, 0, 0)),
	    1);
	expect(RUN(&flowtap, "Source-Address: *-10.0.0.5"), 0, "");
	assert_int_equal(m(pkt("0.0.0.0", "1.1.1.1", 6, 0, 0, 0)), 1);
	assert_int_equal(m(pkt("10.0.0.6", "1.1.1.1", 6, 0, 0, 0)), 0);
}

static void
test_rule_match_prefixes(void **state)
{
	(void)state;
	/* Host bits beyond the prefix are masked. */
	expect(RUN(&flowtap, "Dest-Address: 192.168.1.77/24"), 0, "");
	assert_int_equal(m(pkt("1.1.1.1", "192.168.1.0", 6, 0, 0, 0)), 1);
	assert_int_equal(m(pkt("1.1.1.1", "192.168.1.255", 6, 0, 0, 0)), 1);
	assert_int_equal(m(pkt("1.1.1.1", "192.168.2.0", 6, 0, 0, 0)), 0);
	assert_int_equal(m(pkt("1.1.1.1", "192.168.0.255", 6, 0, 0, 0)), 0);
	expect(RUN(&flowtap, "Source-Address: 10.0.0.1/0"), 0, "");
	assert_int_equal(m(pkt("200.1.1.1", "1.1.1.1", 6, 0, 0, 0)), 1);
	expect(RUN(&flowtap, "Source-Address: 2001:db8::1/32"), 0, "");
	assert_int_equal(rule.family, 6);
	assert_int_equal(m(pkt("2001:db8:ffff::1", "::1", 6, 0, 0, 0)), 1);
	assert_int_equal(m(pkt("2001:db9::", "::1", 6, 0, 0, 0)), 0);
	expect(RUN(&flowtap, "Dest-Address: 2001:db8::/127"), 0, "");
	assert_int_equal(m(pkt("::1", "2001:db8::1", 6, 0, 0, 0)), 1);
	assert_int_equal(m(pkt("::1", "2001:db8::2", 6, 0, 0, 0)), 0);
}

static void
test_rule_match_family_separation(void **state)
{
	(void)state;
	expect(RUN(&flowtap, "Source-Address: *"), 0, "");
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 6, 0, 0, 0)), 1);
	assert_int_equal(m(pkt("::1", "::2", 6, 0, 0, 0)), 0);
	expect(RUN(&flowtap, "X-JTap-IP-Version: ipv6"), 0, "");
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 6, 0, 0, 0)), 0);
	assert_int_equal(m(pkt("::1", "::2", 6, 0, 0, 0)), 1);
	/* A v4 range with a '*' end does not reach IPv6 packets. */
	expect(RUN(&flowtap, "Dest-Address: 0.0.0.0-*"), 0, "");
	assert_int_equal(m(pkt("::1", "ffff::2", 6, 0, 0, 0)), 0);
}

static void
test_rule_match_icmp(void **state)
{
	struct ft_pkt p;

	(void)state;
	expect(RUN(&flowtap, "ICMP-Type: 8", "ICMP-Code: 0"), 0, "");
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 1, FT_PKT_ICMP, 8, 0)),
	    1);
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 1, FT_PKT_ICMP, 0, 0)),
	    0);
	/* An ICMP header cut short: type and code unknown (flag clear). */
	p = pkt("1.1.1.1", "2.2.2.2", 1, FT_PKT_ICMP, 8, 0);
	p.flags = 0;
	assert_int_equal(m(p), 0);
	assert_int_equal(m(pkt("1.1.1.1", "2.2.2.2", 6, FT_PKT_PORTS, 8, 0)),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_seed_sample_add),
		cmocka_unit_test(test_rule_missing_required),
		cmocka_unit_test(test_rule_v06_no_ipv6_901),
		cmocka_unit_test(test_rule_bad_ids_400),
		cmocka_unit_test(test_rule_bad_filter_syntax_432),
		cmocka_unit_test(test_rule_too_many_entries_432),
		cmocka_unit_test(test_rule_port_needs_l4_protocol_432),
		cmocka_unit_test(test_rule_icmp_needs_icmp_protocol_432),
		cmocka_unit_test(test_rule_family_rules),
		cmocka_unit_test(test_rule_cdest_counts),
		cmocka_unit_test(test_rule_timeouts_433),
		cmocka_unit_test(test_rule_not_implemented_501),
		cmocka_unit_test(test_rule_jtap_901),
		cmocka_unit_test(test_rule_interfaces_and_vrf),
		cmocka_unit_test(test_rule_jmirror_ids),
		cmocka_unit_test(test_rule_echo_contents),
		cmocka_unit_test(test_rule_echo_overflow_400),
		cmocka_unit_test(test_rule_parse_nums_grammar),
		cmocka_unit_test(test_rule_num_match_semantics),
		cmocka_unit_test(test_rule_parse_addrs_grammar),
		cmocka_unit_test(test_rule_match_scope),
		cmocka_unit_test(test_rule_match_source_port_alone),
		cmocka_unit_test(test_rule_match_negation_lists),
		cmocka_unit_test(test_rule_match_ranges),
		cmocka_unit_test(test_rule_match_prefixes),
		cmocka_unit_test(test_rule_match_family_separation),
		cmocka_unit_test(test_rule_match_icmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
