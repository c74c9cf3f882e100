/*
 * decode.c - the L2-L4 view of one captured packet (SPEC 6).
 *
 * Every packet byte is read through a small cursor that fails cleanly at
 * the end of what was captured; nothing is cast to a struct, nothing is
 * allocated, no system call is made. This is the per-packet hot path.
 */
#include <string.h>

#include "decode.h"
#include "limits.h"

/* EtherTypes (IEEE registry) this decoder looks at. */
#define ETYPE_IPV4	0x0800
#define ETYPE_IPV6	0x86dd
#define ETYPE_8021Q	0x8100
#define ETYPE_8021AD	0x88a8
#define ETYPE_QINQ_OLD	0x9100
#define ETYPE_MPLS_UC	0x8847
#define ETYPE_MPLS_MC	0x8848
#define ETYPE_MIN	0x0600	/* below: an 802.3 length field */

/* Ethernet tags decoded before the EtherType that says IP. */
#define VLAN_TAGS_MAX	2

/* BSD loopback address families (AF_INET6 differs between the BSDs). */
#define BSD_AF_INET		2
#define BSD_AF_INET6_BSD	24	/* NetBSD, OpenBSD */
#define BSD_AF_INET6_FREEBSD	28
#define BSD_AF_INET6_DARWIN	30

/* IP protocol / IPv6 next-header numbers (IANA). */
#define PROTO_HOPOPT	0
#define PROTO_ICMP	1
#define PROTO_TCP	6
#define PROTO_UDP	17
#define PROTO_ROUTING	43
#define PROTO_FRAGMENT	44
#define PROTO_ESP	50
#define PROTO_AH	51
#define PROTO_ICMPV6	58
#define PROTO_NONXT	59
#define PROTO_DSTOPTS	60
#define PROTO_SCTP	132

#define IPV4_HDR_MIN	20
#define IPV6_HDR_LEN	40
#define IPV4_MF		0x2000
#define IPV4_OFFMASK	0x1fff

/*
 * L4 bytes needed before ports / type+code are known: the fields
 * themselves, not the whole fixed header, so that a tiny first fragment
 * or a snapped packet carrying the ports cannot evade a port criterion
 * (RFC 1858, SPEC 6).
 */
#define PORTS_LEN	4	/* TCP, UDP, SCTP: source and dest port */
#define ICMP_TC_LEN	2	/* ICMP, ICMPv6: type and code */

/*
 * The cursor: buf[0..len) is what may be read, off the next byte.
 * Invariant off <= len, so len - off never wraps.
 */
struct cur {
	const uint8_t *buf;
	uint32_t len;
	uint32_t off;
};

static int
has(const struct cur *c, uint32_t n)
{
	return c->len - c->off >= n;
}

static int
skip(struct cur *c, uint32_t n)
{
	if (!has(c, n))
		return -1;
	c->off += n;
	return 0;
}

static int
u8(struct cur *c, uint8_t *v)
{
	if (!has(c, 1))
		return -1;
	*v = c->buf[c->off++];
	return 0;
}

static int
u16be(struct cur *c, uint16_t *v)
{
	if (!has(c, 2))
		return -1;
	*v = (uint16_t)((unsigned)c->buf[c->off] << 8 | c->buf[c->off + 1]);
	c->off += 2;
	return 0;
}

static int
u32be(struct cur *c, uint32_t *v)
{
	if (!has(c, 4))
		return -1;
	*v = (uint32_t)c->buf[c->off] << 24 |
	    (uint32_t)c->buf[c->off + 1] << 16 |
	    (uint32_t)c->buf[c->off + 2] << 8 | c->buf[c->off + 3];
	c->off += 4;
	return 0;
}

static int
bytes(struct cur *c, uint8_t *out, uint32_t n)
{
	if (!has(c, n))
		return -1;
	memcpy(out, c->buf + c->off, n);
	c->off += n;
	return 0;
}

static const char *const reason_names[FT_DECODE_REASON_COUNT] = {
	[FT_DECODE_OK] = "ok",
	[FT_DECODE_NOT_IP] = "not_ip",
	[FT_DECODE_MPLS] = "mpls",
	[FT_DECODE_LINKTYPE] = "linktype",
	[FT_DECODE_TRUNC_L2] = "trunc_l2",
	[FT_DECODE_TRUNC_L3] = "trunc_l3",
	[FT_DECODE_BAD_VERSION] = "bad_version",
	[FT_DECODE_BAD_IHL] = "bad_ihl",
	[FT_DECODE_BAD_LENGTH] = "bad_length",
	[FT_DECODE_BAD_EXTHDR] = "bad_exthdr",
	[FT_DECODE_NONFIRST_FRAG] = "nonfirst_frag",
};

const char *
ft_decode_reason_name(enum ft_decode_reason r)
{
	if ((unsigned)r >= FT_DECODE_REASON_COUNT)
		return "unknown";
	return reason_names[r];
}

int
ft_decode_linktype_supported(int linktype)
{
	switch (linktype) {
	case FT_LINK_NULL:
	case FT_LINK_EN10MB:
	case FT_LINK_RAW:
	case FT_LINK_LOOP:
	case FT_LINK_SLL:
	case FT_LINK_IPV4:
	case FT_LINK_IPV6:
	case FT_LINK_SLL2:
		return 1;
	default:
		return 0;
	}
}

/*
 * An EtherType (Ethernet, SLL, SLL2), after at most VLAN_TAGS_MAX
 * 802.1Q/802.1ad tags, into the IP version it announces (*fam).
 */
static enum ft_decode_reason
ethertype(struct cur *c, uint16_t type, int *fam)
{
	int tags = 0;

	while (type == ETYPE_8021Q || type == ETYPE_8021AD ||
	    type == ETYPE_QINQ_OLD) {
		if (tags++ == VLAN_TAGS_MAX)
			return FT_DECODE_NOT_IP;
		/* TCI, then the inner EtherType. */
		if (skip(c, 2) != 0 || u16be(c, &type) != 0)
			return FT_DECODE_TRUNC_L2;
	}
	switch (type) {
	case ETYPE_IPV4:
		*fam = 4;
		return FT_DECODE_OK;
	case ETYPE_IPV6:
		*fam = 6;
		return FT_DECODE_OK;
	case ETYPE_MPLS_UC:
	case ETYPE_MPLS_MC:
		return FT_DECODE_MPLS;
	default:
		/* ARP, LLDP..., and 802.3 length fields (< ETYPE_MIN). */
		return FT_DECODE_NOT_IP;
	}
}

/* A BSD loopback address family into an IP version. */
static enum ft_decode_reason
bsd_af(uint32_t af, int *fam)
{
	switch (af) {
	case BSD_AF_INET:
		*fam = 4;
		return FT_DECODE_OK;
	case BSD_AF_INET6_BSD:
	case BSD_AF_INET6_FREEBSD:
	case BSD_AF_INET6_DARWIN:
		*fam = 6;
		return FT_DECODE_OK;
	default:
		return FT_DECODE_NOT_IP;
	}
}

/*
 * The L4 fields matched on: p[0..len) are the bytes that are both
 * captured and inside the IP length. Fewer than the fields themselves
 * leave the flags clear.
 */
static void
l4(struct ft_pkt *pkt, const uint8_t *p, uint32_t len)
{
	struct cur c = { p, len, 0 };

	switch (pkt->proto) {
	case PROTO_TCP:
	case PROTO_UDP:
	case PROTO_SCTP:
		break;
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		if ((pkt->proto == PROTO_ICMP) != (pkt->family == 4))
			return;
		if (!has(&c, ICMP_TC_LEN))
			return;
		(void)u8(&c, &pkt->icmp_type);
		(void)u8(&c, &pkt->icmp_code);
		pkt->flags |= FT_PKT_ICMP;
		return;
	default:
		return;
	}
	if (!has(&c, PORTS_LEN))
		return;
	(void)u16be(&c, &pkt->sport);
	(void)u16be(&c, &pkt->dport);
	pkt->flags |= FT_PKT_PORTS;
}

static enum ft_decode_reason
ipv4(struct ft_pkt *pkt, const uint8_t *p, uint32_t cap)
{
	struct cur c = { p, cap, 0 };
	uint8_t vihl, proto;
	uint16_t tot, frag;
	uint32_t ihl;

	if (u8(&c, &vihl) != 0)
		return FT_DECODE_TRUNC_L3;
	ihl = (uint32_t)(vihl & 0x0f) * 4;
	if (ihl < IPV4_HDR_MIN)
		return FT_DECODE_BAD_IHL;
	if (cap < ihl)
		return FT_DECODE_TRUNC_L3;
	/* The whole header is captured: these reads cannot fail. */
	if (skip(&c, 1) != 0 || u16be(&c, &tot) != 0 || skip(&c, 2) != 0 ||
	    u16be(&c, &frag) != 0 || skip(&c, 1) != 0 ||
	    u8(&c, &proto) != 0 || skip(&c, 2) != 0 ||
	    bytes(&c, pkt->src, 4) != 0 || bytes(&c, pkt->dst, 4) != 0)
		return FT_DECODE_TRUNC_L3;
	if (tot < ihl)
		return FT_DECODE_BAD_LENGTH;
	if ((frag & IPV4_OFFMASK) != 0)
		return FT_DECODE_NONFIRST_FRAG;
	if ((frag & IPV4_MF) != 0)
		pkt->flags |= FT_PKT_FRAG;
	pkt->family = 4;
	pkt->proto = proto;
	pkt->l3 = p;
	pkt->l3_len = tot < cap ? tot : cap;
	l4(pkt, p + ihl, pkt->l3_len - ihl);
	return FT_DECODE_OK;
}

static enum ft_decode_reason
ipv6(struct ft_pkt *pkt, const uint8_t *p, uint32_t cap)
{
	struct cur c = { p, cap, 0 };
	uint16_t plen, fragfield;
	uint8_t nh, next, hlen;
	uint32_t iplen, lim, size, start;
	int n, cut_by_cap = 0;

	if (skip(&c, 4) != 0 || u16be(&c, &plen) != 0 || u8(&c, &nh) != 0 ||
	    skip(&c, 1) != 0 || bytes(&c, pkt->src, 16) != 0 ||
	    bytes(&c, pkt->dst, 16) != 0)
		return FT_DECODE_TRUNC_L3;
	iplen = IPV6_HDR_LEN + (uint32_t)plen;
	if (plen == 0 && nh == PROTO_HOPOPT) {
		/* Jumbogram (RFC 2675): runs to the end of the capture. */
		iplen = cap;
		cut_by_cap = 1;
	}
	if (iplen > cap)
		cut_by_cap = 1;
	lim = iplen < cap ? iplen : cap;
	/*
	 * Walk the extension headers inside lim. A header that runs past
	 * lim is truncated when the capture ended first, malformed when
	 * the IP length itself ends inside it.
	 */
	c.len = lim;
	for (n = 0;; n++) {
		switch (nh) {
		case PROTO_HOPOPT:
		case PROTO_ROUTING:
		case PROTO_FRAGMENT:
		case PROTO_DSTOPTS:
		case PROTO_AH:
			break;
		default:
			goto done;
		}
		if (n == FT_DECODE_EXTHDR_MAX)
			return FT_DECODE_BAD_EXTHDR;
		start = c.off;
		if (u8(&c, &next) != 0 || u8(&c, &hlen) != 0)
			goto short_hdr;
		if (nh == PROTO_FRAGMENT)
			size = 8;
		else if (nh == PROTO_AH)
			size = ((uint32_t)hlen + 2) * 4;
		else
			size = ((uint32_t)hlen + 1) * 8;
		if (nh == PROTO_FRAGMENT) {
			if (u16be(&c, &fragfield) != 0)
				goto short_hdr;
			/* Offset in the top 13 bits, M in bit 0. */
			if ((fragfield >> 3) != 0)
				return FT_DECODE_NONFIRST_FRAG;
			if ((fragfield & 1) != 0)
				pkt->flags |= FT_PKT_FRAG;
		}
		c.off = start;
		if (skip(&c, size) != 0)
			goto short_hdr;
		nh = next;
	}
done:
	pkt->family = 6;
	pkt->proto = nh;
	pkt->l3 = p;
	pkt->l3_len = lim;
	if (nh != PROTO_NONXT && nh != PROTO_ESP)
		l4(pkt, p + c.off, lim - c.off);
	return FT_DECODE_OK;
short_hdr:
	return cut_by_cap ? FT_DECODE_TRUNC_L3 : FT_DECODE_BAD_EXTHDR;
}

/*
 * The most common frame, Ethernet without tags + IPv4 without options,
 * not a fragment, + TCP, UDP or SCTP with its ports inside the captured
 * IP length: decoded straight from fixed offsets. Returns 1 with *pkt
 * filled exactly as the general path fills it, 0 for every other frame
 * (the general path then decides, *pkt untouched).
 */
#define ETH_HDR_LEN	14
static int
fast_eth_ipv4(const uint8_t *b, uint32_t caplen, struct ft_pkt *pkt)
{
	const uint8_t *ip = b + ETH_HDR_LEN;
	uint32_t tot, cap;

	if (caplen < ETH_HDR_LEN + IPV4_HDR_MIN + PORTS_LEN ||
	    b[12] != ETYPE_IPV4 >> 8 || b[13] != (ETYPE_IPV4 & 0xff) ||
	    ip[0] != 0x45)
		return 0;
	/* MF and the offset clear (DF and the reserved bit do not matter). */
	if ((ip[6] & 0x3f) != 0 || ip[7] != 0)
		return 0;
	if (ip[9] != PROTO_TCP && ip[9] != PROTO_UDP && ip[9] != PROTO_SCTP)
		return 0;
	tot = (uint32_t)ip[2] << 8 | ip[3];
	if (tot < IPV4_HDR_MIN + PORTS_LEN)
		return 0;
	cap = caplen - ETH_HDR_LEN;
	memset(pkt, 0, sizeof(*pkt));
	pkt->family = 4;
	pkt->proto = ip[9];
	pkt->flags = FT_PKT_PORTS;
	memcpy(pkt->src, ip + 12, 4);
	memcpy(pkt->dst, ip + 16, 4);
	pkt->l3 = ip;
	pkt->l3_len = tot < cap ? tot : cap;
	pkt->sport = (uint16_t)(ip[20] << 8 | ip[21]);
	pkt->dport = (uint16_t)(ip[22] << 8 | ip[23]);
	return 1;
}

enum ft_decode_reason
ft_decode(int linktype, const uint8_t *buf, uint32_t caplen,
    struct ft_pkt *pkt)
{
	if (linktype == FT_LINK_EN10MB && buf != NULL &&
	    fast_eth_ipv4(buf, caplen, pkt))
		return FT_DECODE_OK;
	return ft_decode_general(linktype, buf, caplen, pkt);
}

enum ft_decode_reason
ft_decode_general(int linktype, const uint8_t *buf, uint32_t caplen,
    struct ft_pkt *pkt)
{
	struct cur c = { buf, buf != NULL ? caplen : 0, 0 };
	enum ft_decode_reason r = FT_DECODE_OK;
	uint16_t type;
	uint32_t af;
	uint8_t ver;
	int fam = 0;

	memset(pkt, 0, sizeof(*pkt));
	switch (linktype) {
	case FT_LINK_EN10MB:
		/* Destination and source MAC, then the EtherType. */
		if (skip(&c, 12) != 0 || u16be(&c, &type) != 0)
			return FT_DECODE_TRUNC_L2;
		r = ethertype(&c, type, &fam);
		break;
	case FT_LINK_SLL:
		/* Packet type, ARPHRD, address length, address[8]. */
		if (skip(&c, 14) != 0 || u16be(&c, &type) != 0)
			return FT_DECODE_TRUNC_L2;
		r = ethertype(&c, type, &fam);
		break;
	case FT_LINK_SLL2:
		/*
		 * Protocol first; then reserved, ifindex, ARPHRD, packet
		 * type, address length, address[8]: 20 bytes in all.
		 */
		if (u16be(&c, &type) != 0 || skip(&c, 18) != 0)
			return FT_DECODE_TRUNC_L2;
		r = ethertype(&c, type, &fam);
		break;
	case FT_LINK_NULL:
		/*
		 * Host order of the capturing machine, unknown here: every
		 * valid family is below 2^16, so a value above it is the
		 * other byte order.
		 */
		if (u32be(&c, &af) != 0)
			return FT_DECODE_TRUNC_L2;
		if (af > 0xffff)
			af = (af >> 24) | ((af >> 8) & 0xff00) |
			    ((af << 8) & 0xff0000) | (af << 24);
		r = bsd_af(af, &fam);
		break;
	case FT_LINK_LOOP:
		if (u32be(&c, &af) != 0)
			return FT_DECODE_TRUNC_L2;
		r = bsd_af(af, &fam);
		break;
	case FT_LINK_RAW:
		fam = 0;	/* the version nibble decides */
		break;
	case FT_LINK_IPV4:
		fam = 4;
		break;
	case FT_LINK_IPV6:
		fam = 6;
		break;
	default:
		return FT_DECODE_LINKTYPE;
	}
	if (r != FT_DECODE_OK)
		return r;
	if (!has(&c, 1))
		return FT_DECODE_TRUNC_L3;
	ver = c.buf[c.off] >> 4;
	if (fam == 0 && (ver == 4 || ver == 6))
		fam = ver;
	if (ver != fam)
		return FT_DECODE_BAD_VERSION;
	if (fam == 4)
		return ipv4(pkt, c.buf + c.off, c.len - c.off);
	return ipv6(pkt, c.buf + c.off, c.len - c.off);
}
