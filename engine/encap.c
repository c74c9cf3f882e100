/*
 * encap.c - the copy sent to a content destination (SPEC 6).
 *
 * Every multi-byte field is written byte by byte in network order, so
 * the result does not depend on the host. Nothing is allocated: the
 * caller owns out[].
 */
#include "encap.h"

#include "csum.h"

#include <string.h>

#include "err.h"

#define IP4_HLEN	20
#define IP6_HLEN	40
#define UDP_HLEN	8
#define JMIRROR_HLEN	8
#define IPPROTO_UDP_NUM	17
#define LEN16_MAX	65535u

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Bytes between the start of the outer packet and the payload. */
static size_t
hdr_len(const struct ft_rule *r)
{
	size_t n;

	n = (r->out_family == 6 ? IP6_HLEN : IP4_HLEN) + UDP_HLEN;
	if (r->jmirror)
		n += JMIRROR_HLEN;
	return n;
}

size_t
ft_encap_len(const struct ft_rule *r, unsigned ci, size_t plen)
{
	(void)ci;	/* the outer family is the rule's, shared by all */
	return hdr_len(r) + plen;
}

int
ft_encap_build(uint8_t *out, size_t cap, const struct ft_rule *r,
    unsigned ci, uint16_t ipid, const uint8_t *payload, size_t plen)
{
	const struct ft_cdest *cd;
	size_t hlen, iplen, udplen, total;
	uint8_t *udp;
	uint64_t sum;
	uint16_t ck;

	if (ci >= r->ncdest || ci >= FT_CDEST_MAX)
		return FT_EINVAL;
	cd = &r->cdest[ci];
	hlen = hdr_len(r);
	iplen = r->out_family == 6 ? IP6_HLEN : IP4_HLEN;
	if (plen > LEN16_MAX)
		return FT_ELIMIT;
	total = hlen + plen;
	udplen = total - iplen;
	/* IPv4 total length / IPv6 payload length are 16-bit fields. */
	if (r->out_family == 6 ? udplen > LEN16_MAX : total > LEN16_MAX)
		return FT_ELIMIT;
	if (total > cap)
		return FT_ELIMIT;

	if (r->out_family == 6) {
		out[0] = 0x60;		/* version 6, traffic class 0 */
		out[1] = 0;		/* flow label 0 */
		out[2] = 0;
		out[3] = 0;
		put16(out + 4, (uint32_t)udplen);
		out[6] = IPPROTO_UDP_NUM;
		out[7] = r->ttl;	/* hop limit */
		memcpy(out + 8, r->out_src, 16);
		memcpy(out + 24, cd->addr, 16);
	} else {
		out[0] = 0x45;		/* version 4, IHL 5 */
		out[1] = 0;		/* TOS */
		put16(out + 2, (uint32_t)total);
		put16(out + 4, ipid);
		put16(out + 6, 0);	/* flags, fragment offset */
		out[8] = r->ttl;
		out[9] = IPPROTO_UDP_NUM;
		put16(out + 10, 0);
		memcpy(out + 12, r->out_src, 4);
		memcpy(out + 16, cd->addr, 4);
		put16(out + 10, ft_csum_fold(ft_csum_add(0, out, IP4_HLEN)));
	}

	udp = out + iplen;
	put16(udp, r->out_sport);
	put16(udp + 2, cd->port);
	put16(udp + 4, (uint32_t)udplen);
	put16(udp + 6, 0);
	if (r->jmirror) {
		put32(udp + UDP_HLEN, r->intercept_id & 0x3fffffffu);
		put32(udp + UDP_HLEN + 4, r->session_id);
	}
	if (plen > 0)
		memcpy(out + hlen, payload, plen);

	if (r->out_family == 6) {
		/* RFC 8200 8.1 pseudo-header: src, dst, length, next header. */
		uint8_t ph[8];

		sum = ft_csum_add(0, out + 8, 32);
		put32(ph, (uint32_t)udplen);
		put32(ph + 4, IPPROTO_UDP_NUM);
		sum = ft_csum_add(sum, ph, sizeof(ph));
		sum = ft_csum_add(sum, udp, udplen);
		ck = ft_csum_fold(sum);
		if (ck == 0)
			ck = 0xffff;	/* RFC 768: 0 means "no checksum" */
		put16(udp + 6, ck);
	}
	return (int)total;
}
