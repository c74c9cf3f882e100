/*
 * fuzz_decode.c - libFuzzer target: captured packets (SPEC 6).
 *
 * Input byte 0 selects the link type (index into linktypes[], modulo
 * its size; the last entry is one flowtap does not decode), the rest
 * is the captured packet. ft_decode must stay inside the capture; a
 * packet it accepts is matched against a few fixed criteria both one
 * by one (ft_rule_match) and through the table (ft_classify_match),
 * which must agree, and copied behind every criterion's outer headers
 * (ft_encap_build).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "decode.h"
#include "dtcp.h"
#include "encap.h"
#include "limits.h"
#include "rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int linktypes[] = {
	FT_LINK_NULL, FT_LINK_EN10MB, FT_LINK_RAW, FT_LINK_LOOP,
	FT_LINK_SLL, FT_LINK_IPV4, FT_LINK_IPV6, FT_LINK_SLL2,
	147,	/* LINKTYPE_USER0: not decoded */
};
#define NLINK (sizeof(linktypes) / sizeof(linktypes[0]))

#define MAC "Authentication-Info: 0000000000000000000000000000000000000000\r\n"

/* Criterion i gets Criteria-ID i + 1. */
static const char *const adds[] = {
	/* Every IPv4 packet, to an IPv4 destination. */
	"ADD DTCP/0.7\r\nCsource-ID: verint\r\nCdest-ID: cd1\r\n"
	"X-JTap-Cdest-Dest-Address: 192.0.2.1\r\n"
	"X-JTap-Cdest-Dest-Port: 30030\r\n"
	"X-JTap-Cdest-Source-Address: 192.0.2.254\r\n"
	"X-JTap-Cdest-Source-Port: 49153\r\nFlags: STATIC\r\nSeq: 1\r\n"
	MAC "\r\n",
	/* Every IPv6 packet, two destinations, jmirror framing. */
	"ADD DTCP/0.7\r\nCsource-ID: verint\r\nCdest-ID: cd6,cd4\r\n"
	"X-JTap-IP-Version: ipv6\r\nX-MD-Intercept-Id: 0x00001234\r\n"
	"X-JTap-Cdest-Dest-Address: 2001:db8::2,2001:db8::3\r\n"
	"X-JTap-Cdest-Dest-Port: 1815,1816\r\n"
	"X-JTap-Cdest-Source-Address: 2001:db8::1\r\n"
	"X-JTap-Cdest-Source-Port: 65533\r\nX-JTap-Cdest-TTL: 1\r\n"
	"Flags: STATIC\r\nSeq: 2\r\n" MAC "\r\n",
	/* UDP from 10/8 to some ports, one negated, IPv6 destination. */
	"ADD DTCP/0.7\r\nCsource-ID: verint\r\nCdest-ID: cdu\r\n"
	"Source-Address: 10.0.0.0/8\r\nProtocol: 17\r\n"
	"Dest-Port: 53,1000-2000,!1500\r\n"
	"X-JTap-Cdest-Dest-Address: 2001:db8::9\r\n"
	"X-JTap-Cdest-Dest-Port: 9\r\n"
	"X-JTap-Cdest-Source-Address: 2001:db8::1\r\n"
	"X-JTap-Cdest-Source-Port: 9\r\nFlags: STATIC\r\nSeq: 3\r\n"
	MAC "\r\n",
	/* Telnet into a range with a hole (the seed's LEA2 term). */
	"ADD DTCP/0.6\r\nCsource-ID: verint\r\nCdest-ID: cdt\r\n"
	"Dest-Address: 192.168.0.0-192.168.255.255,!192.168.1.1\r\n"
	"Source-Port: 23\r\nProtocol: 6\r\n"
	"X-MD-Intercept-Id: 0x0000123400005678\r\n"
	"X-JTap-Cdest-Dest-Address: 192.0.2.7\r\n"
	"X-JTap-Cdest-Dest-Port: 2000\r\n"
	"X-JTap-Cdest-Source-Address: 192.0.2.254\r\n"
	"X-JTap-Cdest-Source-Port: 2001\r\nFlags: STATIC\r\nSeq: 4\r\n"
	MAC "\r\n",
	/* ICMPv6 echo requests from 2001:db8::/32. */
	"ADD DTCP/0.8\r\nCsource-ID: verint\r\nCdest-ID: cdi\r\n"
	"Source-Address: 2001:db8::/32\r\nProtocol: 58\r\n"
	"ICMP-Type: 128\r\nICMP-Code: 0\r\n"
	"X-JTap-Cdest-Dest-Address: 192.0.2.8\r\n"
	"X-JTap-Cdest-Dest-Port: 2002\r\n"
	"X-JTap-Cdest-Source-Address: 192.0.2.254\r\n"
	"X-JTap-Cdest-Source-Port: 2003\r\nFlags: STATIC\r\nSeq: 5\r\n"
	MAC "\r\n",
};
#define NRULE (sizeof(adds) / sizeof(adds[0]))

static struct ft_rule rules[NRULE];
static struct ft_classify *table;
static struct ft_dtcp_msg msg;
static uint8_t out[FT_ENCAP_HDR_MAX + FT_SNAPLEN_MAX];

static int
yes(void *ctx, const char *name, size_t len)
{
	(void)ctx;
	(void)name;
	(void)len;
	return 1;
}

/* Build the fixed criteria once; any failure is a broken target. */
static void
setup(void)
{
	struct ft_rule_env env;
	char errparam[256];
	unsigned i;

	memset(&env, 0, sizeof(env));
	env.require_static = 1;
	env.has_ifl = yes;
	env.has_vrf = yes;
	if ((table = ft_classify_new()) == NULL)
		abort();
	for (i = 0; i < NRULE; i++) {
		if (ft_dtcp_parse(&msg, adds[i], strlen(adds[i]), errparam,
		    sizeof(errparam)) != 0)
			abort();
		if (ft_rule_from_add(&rules[i], &msg, &env, errparam,
		    sizeof(errparam)) != 0)
			abort();
		rules[i].id = i + 1;
		if (ft_classify_add(table, &rules[i]) != 0)
			abort();
	}
}

static void
check_pkt(const struct ft_pkt *p, const uint8_t *buf, size_t caplen)
{
	struct ft_rule *hit[NRULE];
	unsigned i, n, k, ci;
	int want, len;

	if (p->family != 4 && p->family != 6)
		abort();
	if (p->l3 < buf || p->l3 > buf + caplen ||
	    p->l3_len > (size_t)(buf + caplen - p->l3))
		abort();
	if ((p->flags & FT_PKT_PORTS) && p->proto != 6 && p->proto != 17 &&
	    p->proto != 132)
		abort();
	if ((p->flags & FT_PKT_ICMP) && p->proto != 1 && p->proto != 58)
		abort();

	/* The table gives exactly the criteria that match one by one. */
	n = ft_classify_match(table, p, hit, NRULE);
	if (n > NRULE)
		abort();
	for (i = 0, k = 0; i < NRULE; i++) {
		want = ft_rule_match(&rules[i], p);
		if (want && rules[i].family != p->family)
			abort();
		if (!want)
			continue;
		if (k >= n || hit[k]->id != rules[i].id)
			abort();
		k++;
	}
	if (k != n)
		abort();

	for (i = 0; i < NRULE; i++) {
		for (ci = 0; ci < rules[i].ncdest; ci++) {
			len = ft_encap_build(out, sizeof(out), &rules[i], ci,
			    (uint16_t)caplen, p->l3, p->l3_len);
			if (len < 0)
				continue;
			if ((size_t)len != ft_encap_len(&rules[i], ci,
			    p->l3_len) || (size_t)len < p->l3_len ||
			    (size_t)len > sizeof(out))
				abort();
			if (p->l3_len > 0 && memcmp(out + len - p->l3_len,
			    p->l3, p->l3_len) != 0)
				abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum ft_decode_reason r;
	struct ft_pkt pkt;
	int lt;

	if (table == NULL)
		setup();
	if (size < 1)
		return 0;
	lt = linktypes[data[0] % NLINK];
	memset(&pkt, 0, sizeof(pkt));
	r = ft_decode(lt, data + 1, (uint32_t)(size - 1), &pkt);
	if ((int)r < 0 || r >= FT_DECODE_REASON_COUNT ||
	    ft_decode_reason_name(r) == NULL)
		abort();
	if (!ft_decode_linktype_supported(lt) && r != FT_DECODE_LINKTYPE)
		abort();
	if (r == FT_DECODE_OK)
		check_pkt(&pkt, data + 1, size - 1);
	return 0;
}
