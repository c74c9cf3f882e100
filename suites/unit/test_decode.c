/*
 * test_decode.c - the L2-L4 decoder (SPEC 6) on hand-built packets.
 *
 * Every packet is written out byte by byte below; expected values are
 * read off those bytes (and the field layouts of the RFCs / LINKTYPE
 * registry), never taken from the decoder. Checksums are left zero: the
 * decoder does not look at them.
 */
#include "testutil.h"

#include <stdlib.h>

#include "decode.h"
#include "limits.h"

/* Ethernet addresses: dst 02:00:00:00:00:02, src 02:00:00:00:00:01. */
#define ETH_MACS 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, \
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01

/* 192.0.2.1 -> 198.51.100.2 */
#define V4_ADDRS 0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02

/*
 * IPv4 header, IHL 5: version/IHL, TOS, total length (< 256), ID 1,
 * flags+fragment offset (two bytes), TTL 64, protocol, checksum 0.
 */
#define V4_HDR(tl, fhi, flo, proto) 0x45, 0x00, 0x00, (tl), \
	0x00, 0x01, (fhi), (flo), 0x40, (proto), 0x00, 0x00, V4_ADDRS

/* 2001:db8::1 -> 2001:db8::2 */
#define V6_ADDRS \
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, \
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02

/* IPv6 header: version 6, TC 0, flow 0, payload length (< 256), NH, HL. */
#define V6_HDR(plen, nh) 0x60, 0x00, 0x00, 0x00, 0x00, (plen), (nh), 0x40, \
	V6_ADDRS

/* TCP 1234 -> 80, seq 1, ack 0, data offset 5, SYN, window 0xffff. */
#define TCP_HDR 0x04, 0xd2, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, \
	0x00, 0x00, 0x00, 0x00, 0x50, 0x02, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00

/* UDP 12345 -> 53, length 8, checksum 0. */
#define UDP_HDR 0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00

/* IPv4 UDP, 28 bytes: the payload of most link-type tests. */
#define V4_UDP V4_HDR(28, 0x00, 0x00, 17), UDP_HDR
/* IPv6 TCP, 60 bytes. */
#define V6_TCP V6_HDR(20, 6), TCP_HDR

static const uint8_t v4_src[16] = { 192, 0, 2, 1 };
static const uint8_t v4_dst[16] = { 198, 51, 100, 2 };
static const uint8_t v6_src[16] = { 0x20, 0x01, 0x0d, 0xb8,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 };
static const uint8_t v6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02 };

/* --- Ethernet, IPv4 ------------------------------------------------ */

static const uint8_t eth_v4_tcp[] = {
	ETH_MACS, 0x08, 0x00,			/* EtherType IPv4 */
	V4_HDR(40, 0x00, 0x00, 6),		/* total 40, TCP */
	TCP_HDR,
};

static const uint8_t eth_v4_udp[] = {
	ETH_MACS, 0x08, 0x00,
	V4_UDP,
};

static const uint8_t eth_v4_icmp[] = {
	ETH_MACS, 0x08, 0x00,
	V4_HDR(28, 0x00, 0x00, 1),		/* total 28, ICMP */
	0x08, 0x00, 0xf7, 0xfe,			/* echo request, code 0 */
	0x00, 0x01, 0x00, 0x00,			/* id 1, seq 0 */
};

static const uint8_t eth_v4_sctp[] = {
	ETH_MACS, 0x08, 0x00,
	V4_HDR(32, 0x00, 0x00, 132),		/* total 32, SCTP */
	0x0b, 0x59, 0x0b, 0x5a,			/* 2905 -> 2906 */
	0x00, 0x00, 0x00, 0x07,			/* verification tag */
	0x00, 0x00, 0x00, 0x00,			/* checksum */
};

/* IHL 6: one 4-byte option word (NOP NOP NOP EOL). */
static const uint8_t eth_v4_opt6[] = {
	ETH_MACS, 0x08, 0x00,
	0x46, 0x00, 0x00, 0x20,			/* IHL 6, total 32 */
	0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00, V4_ADDRS,
	0x01, 0x01, 0x01, 0x00,			/* options */
	UDP_HDR,
};

/* IHL 7: two option words. */
static const uint8_t eth_v4_opt7[] = {
	ETH_MACS, 0x08, 0x00,
	0x47, 0x00, 0x00, 0x24,			/* IHL 7, total 36 */
	0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00, V4_ADDRS,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00,
	UDP_HDR,
};

/* First fragment: MF set, offset 0, the UDP header is there. */
static const uint8_t eth_v4_frag1[] = {
	ETH_MACS, 0x08, 0x00,
	V4_HDR(28, 0x20, 0x00, 17),
	0x30, 0x39, 0x00, 0x35, 0x00, 0x40, 0x00, 0x00,	/* UDP len 64 */
};

/* Non-first fragment: offset 185 (x8 = 1480), MF clear. */
static const uint8_t eth_v4_frag2[] = {
	ETH_MACS, 0x08, 0x00,
	V4_HDR(28, 0x00, 0xb9, 17),
	0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00,	/* just data */
};

/* Middle fragment: MF set and offset 185. */
static const uint8_t eth_v4_frag2mf[] = {
	ETH_MACS, 0x08, 0x00,
	V4_HDR(28, 0x20, 0xb9, 17),
	0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00,
};

/* UDP padded to the 60-byte Ethernet minimum: 18 bytes of padding. */
static const uint8_t eth_v4_pad[] = {
	ETH_MACS, 0x08, 0x00,
	V4_UDP,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Total length 24: only 4 UDP bytes are IP, the rest is padding. */
/* IP length 24: the UDP ports, and nothing more, inside the packet. */
static const uint8_t eth_v4_l4_in_pad[] = {
	ETH_MACS, 0x08, 0x00,
	V4_HDR(24, 0x00, 0x00, 17),
	UDP_HDR,
};

/* IP length 23: three bytes of UDP; the rest is link padding. */
static const uint8_t eth_v4_l4_in_pad23[] = {
	ETH_MACS, 0x08, 0x00,
	V4_HDR(23, 0x00, 0x00, 17),
	UDP_HDR,
};

static const uint8_t eth_v4_bad_ihl[] = {
	ETH_MACS, 0x08, 0x00,
	0x44, 0x00, 0x00, 0x1c,			/* IHL 4 */
	0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00, V4_ADDRS,
	UDP_HDR,
};

static const uint8_t eth_v4_bad_len[] = {
	ETH_MACS, 0x08, 0x00,
	V4_HDR(16, 0x00, 0x00, 17),		/* total 16 < 20 */
	UDP_HDR,
};

/* IHL 6 but the capture stops after 20 header bytes. */
static const uint8_t eth_v4_opt_cut[] = {
	ETH_MACS, 0x08, 0x00,
	0x46, 0x00, 0x00, 0x20,
	0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00, V4_ADDRS,
};

/* EtherType IPv4, but the version nibble is 6. */
static const uint8_t eth_v4_says_v6[] = {
	ETH_MACS, 0x08, 0x00,
	V6_TCP,
};

/* --- Ethernet tags, MPLS, non-IP ------------------------------------ */

static const uint8_t eth_vlan[] = {
	ETH_MACS,
	0x81, 0x00, 0x00, 0x64,			/* 802.1Q, VID 100 */
	0x08, 0x00,
	V4_UDP,
};

static const uint8_t eth_qinq[] = {
	ETH_MACS,
	0x88, 0xa8, 0x00, 0xc8,			/* 802.1ad, VID 200 */
	0x81, 0x00, 0x00, 0x64,			/* 802.1Q, VID 100 */
	0x08, 0x00,
	V4_UDP,
};

static const uint8_t eth_qinq_9100_v6[] = {
	ETH_MACS,
	0x91, 0x00, 0x00, 0xc8,			/* old QinQ TPID */
	0x81, 0x00, 0x00, 0x64,
	0x86, 0xdd,
	V6_TCP,
};

static const uint8_t eth_3tags[] = {
	ETH_MACS,
	0x88, 0xa8, 0x00, 0xc8,
	0x81, 0x00, 0x00, 0x64,
	0x81, 0x00, 0x00, 0x65,			/* a third tag */
	0x08, 0x00,
	V4_UDP,
};

static const uint8_t eth_vlan_cut[] = {
	ETH_MACS,
	0x81, 0x00, 0x00, 0x64,
	0x08,					/* EtherType cut */
};

static const uint8_t eth_mpls[] = {
	ETH_MACS,
	0x88, 0x47,				/* MPLS unicast */
	0x00, 0x01, 0x01, 0x40,			/* label 16, S, TTL 64 */
	V4_UDP,
};

static const uint8_t eth_mpls_mc[] = {
	ETH_MACS,
	0x88, 0x48,				/* MPLS multicast */
	0x00, 0x01, 0x01, 0x40,
	V4_UDP,
};

static const uint8_t eth_vlan_mpls[] = {
	ETH_MACS,
	0x81, 0x00, 0x00, 0x64,
	0x88, 0x47,
	0x00, 0x01, 0x01, 0x40,
	V4_UDP,
};

static const uint8_t eth_arp[] = {
	ETH_MACS,
	0x08, 0x06,				/* ARP */
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,	/* request */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x02, 0x02,
};

static const uint8_t eth_8023[] = {
	ETH_MACS,
	0x00, 0x26,				/* 802.3 length 38 */
	0x42, 0x42, 0x03,			/* LLC: STP */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* --- IPv6 ------------------------------------------------------------ */

static const uint8_t eth_v6_tcp[] = {
	ETH_MACS, 0x86, 0xdd,
	V6_TCP,
};

/* Hop-by-hop, destination options, routing (type 0, 1 address), TCP. */
static const uint8_t eth_v6_ext[] = {
	ETH_MACS, 0x86, 0xdd,
	V6_HDR(60, 0),				/* 8 + 8 + 24 + 20 */
	0x3c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,	/* HBH -> 60 */
	0x2b, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,	/* DST -> 43 */
	0x06, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* RT -> 6, 24 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x03,
	TCP_HDR,
};

/* Fragment header, offset 0, M set: first fragment of UDP. */
static const uint8_t eth_v6_frag1[] = {
	ETH_MACS, 0x86, 0xdd,
	V6_HDR(16, 44),
	0x11, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x2a,	/* -> UDP, M */
	0x30, 0x39, 0x00, 0x35, 0x00, 0x40, 0x00, 0x00,
};

/* Fragment header, offset 23 (0x00b8 >> 3), M clear. */
static const uint8_t eth_v6_frag2[] = {
	ETH_MACS, 0x86, 0xdd,
	V6_HDR(16, 44),
	0x11, 0x00, 0x00, 0xb8, 0x00, 0x00, 0x00, 0x2a,
	0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00,
};

/* AH, payload length 4: (4 + 2) * 4 = 24 bytes, then TCP. */
static const uint8_t eth_v6_ah[] = {
	ETH_MACS, 0x86, 0xdd,
	V6_HDR(44, 51),
	0x06, 0x04, 0x00, 0x00,			/* -> TCP, len 4 */
	0x00, 0x00, 0x01, 0x00,			/* SPI 256 */
	0x00, 0x00, 0x00, 0x01,			/* sequence 1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* ICV */
	0x00, 0x00, 0x00, 0x00,
	TCP_HDR,
};

static const uint8_t eth_v6_icmp6[] = {
	ETH_MACS, 0x86, 0xdd,
	V6_HDR(8, 58),
	0x80, 0x00, 0x00, 0x00,			/* echo request, code 0 */
	0x00, 0x01, 0x00, 0x01,
};

/* ICMP (1, the IPv4 one) over IPv6: no type/code. */
static const uint8_t eth_v6_icmp4[] = {
	ETH_MACS, 0x86, 0xdd,
	V6_HDR(8, 1),
	0x08, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01,
};

/* ICMPv6 (58) over IPv4: no type/code. */
static const uint8_t eth_v4_icmp6[] = {
	ETH_MACS, 0x08, 0x00,
	V4_HDR(28, 0x00, 0x00, 58),
	0x80, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01,
};

static const uint8_t eth_v6_esp[] = {
	ETH_MACS, 0x86, 0xdd,
	V6_HDR(8, 50),
	0x30, 0x39, 0x00, 0x35, 0x00, 0x00, 0x00, 0x01,	/* SPI, seq */
};

/* HBH then No Next Header: proto 59, nothing after. */
static const uint8_t eth_v6_nonxt[] = {
	ETH_MACS, 0x86, 0xdd,
	V6_HDR(16, 0),
	0x3b, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
	0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00,
};

/* UDP plus 4 trailer bytes past payload length. */
static const uint8_t eth_v6_pad[] = {
	ETH_MACS, 0x86, 0xdd,
	V6_HDR(8, 17),
	UDP_HDR,
	0xde, 0xad, 0xbe, 0xef,
};

/* HBH says 16 bytes but payload length is 8: malformed chain. */
static const uint8_t eth_v6_ext_past_len[] = {
	ETH_MACS, 0x86, 0xdd,
	V6_HDR(8, 0),
	0x06, 0x01, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	TCP_HDR,
};

/* Payload length 28 (HBH + TCP) but capture ends 5 bytes into HBH. */
static const uint8_t eth_v6_ext_cut[] = {
	ETH_MACS, 0x86, 0xdd,
	V6_HDR(28, 0),
	0x06, 0x00, 0x01, 0x04, 0x00,
};

/* Jumbogram: payload length 0, HBH with a jumbo option (RFC 2675). */
static const uint8_t v6_jumbo[] = {
	V6_HDR(0, 0),
	0x06, 0x00, 0xc2, 0x04, 0x00, 0x00, 0x00, 0x1c,	/* jumbo 28 */
	TCP_HDR,
};

/* --- other link types ------------------------------------------------ */

static const uint8_t null_le_v4[] = { 0x02, 0x00, 0x00, 0x00, V4_UDP };
static const uint8_t null_be_v4[] = { 0x00, 0x00, 0x00, 0x02, V4_UDP };
static const uint8_t null_le24_v6[] = { 0x18, 0x00, 0x00, 0x00, V6_TCP };
static const uint8_t null_be28_v6[] = { 0x00, 0x00, 0x00, 0x1c, V6_TCP };
static const uint8_t null_le30_v6[] = { 0x1e, 0x00, 0x00, 0x00, V6_TCP };
static const uint8_t null_af7[] = { 0x07, 0x00, 0x00, 0x00, V4_UDP };
static const uint8_t loop_v4[] = { 0x00, 0x00, 0x00, 0x02, V4_UDP };
static const uint8_t loop_v6[] = { 0x00, 0x00, 0x00, 0x18, V6_TCP };
static const uint8_t loop_le_v4[] = { 0x02, 0x00, 0x00, 0x00, V4_UDP };

static const uint8_t sll_v4[] = {
	0x00, 0x00,				/* packet type: to us */
	0x00, 0x01,				/* ARPHRD_ETHER */
	0x00, 0x06,				/* address length */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x08, 0x00,				/* protocol IPv4 */
	V4_UDP,
};

static const uint8_t sll_mpls[] = {
	0x00, 0x00, 0x00, 0x01, 0x00, 0x06,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x88, 0x47,
	0x00, 0x01, 0x01, 0x40,
	V4_UDP,
};

static const uint8_t sll2_v4[] = {
	0x08, 0x00,				/* protocol IPv4 */
	0x00, 0x00,				/* reserved */
	0x00, 0x00, 0x00, 0x02,			/* interface index */
	0x00, 0x01,				/* ARPHRD_ETHER */
	0x00,					/* packet type */
	0x06,					/* address length */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	V4_UDP,
};

static const uint8_t sll2_v6[] = {
	0x86, 0xdd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x01, 0x00, 0x06,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	V6_TCP,
};

static const uint8_t sll2_arp[] = {
	0x08, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x01, 0x00, 0x06,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x01, 0x08, 0x00,
};

static const uint8_t raw_v4[] = { V4_UDP };
static const uint8_t raw_v6[] = { V6_TCP };
static const uint8_t raw_v5[] = {
	0x55, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11,
	0x00, 0x00, V4_ADDRS, UDP_HDR,
};

/* --- helpers --------------------------------------------------------- */

static enum ft_decode_reason
dec(int link, const uint8_t *b, size_t n, struct ft_pkt *p)
{
	return ft_decode(link, b, (uint32_t)n, p);
}

#define DEC(link, arr, p) dec((link), (arr), sizeof(arr), (p))

static void
assert_v4_udp(const struct ft_pkt *p, const uint8_t *l3)
{
	assert_int_equal(p->family, 4);
	assert_int_equal(p->proto, 17);
	assert_int_equal(p->flags, FT_PKT_PORTS);
	assert_int_equal(p->sport, 12345);
	assert_int_equal(p->dport, 53);
	assert_memory_equal(p->src, v4_src, 16);
	assert_memory_equal(p->dst, v4_dst, 16);
	assert_ptr_equal(p->l3, l3);
	assert_int_equal(p->l3_len, 28);
}

static void
assert_v6_tcp(const struct ft_pkt *p, const uint8_t *l3, uint32_t l3_len)
{
	assert_int_equal(p->family, 6);
	assert_int_equal(p->proto, 6);
	assert_int_equal(p->flags, FT_PKT_PORTS);
	assert_int_equal(p->sport, 1234);
	assert_int_equal(p->dport, 80);
	assert_memory_equal(p->src, v6_src, 16);
	assert_memory_equal(p->dst, v6_dst, 16);
	assert_ptr_equal(p->l3, l3);
	assert_int_equal(p->l3_len, l3_len);
}

/* --- tests ----------------------------------------------------------- */

static void
test_decode_eth_ipv4_tcp(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_tcp, &p), FT_DECODE_OK);
	assert_int_equal(p.family, 4);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.flags, FT_PKT_PORTS);
	assert_int_equal(p.sport, 1234);
	assert_int_equal(p.dport, 80);
	assert_memory_equal(p.src, v4_src, 16);
	assert_memory_equal(p.dst, v4_dst, 16);
	assert_ptr_equal(p.l3, eth_v4_tcp + 14);
	assert_int_equal(p.l3_len, 40);
}

static void
test_decode_eth_ipv4_udp(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_udp, &p), FT_DECODE_OK);
	assert_v4_udp(&p, eth_v4_udp + 14);
}

static void
test_decode_eth_ipv4_icmp(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_icmp, &p), FT_DECODE_OK);
	assert_int_equal(p.family, 4);
	assert_int_equal(p.proto, 1);
	assert_int_equal(p.flags, FT_PKT_ICMP);
	assert_int_equal(p.icmp_type, 8);
	assert_int_equal(p.icmp_code, 0);
	assert_int_equal(p.l3_len, 28);
}

static void
test_decode_sctp_ports(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_sctp, &p), FT_DECODE_OK);
	assert_int_equal(p.proto, 132);
	assert_int_equal(p.flags, FT_PKT_PORTS);
	assert_int_equal(p.sport, 2905);
	assert_int_equal(p.dport, 2906);
	/* 4 bytes of SCTP: the ports (SPEC 6); 3: none. */
	assert_int_equal(dec(FT_LINK_EN10MB, eth_v4_sctp,
	    sizeof(eth_v4_sctp) - 8, &p), FT_DECODE_OK);
	assert_int_equal(p.flags, FT_PKT_PORTS);
	assert_int_equal(p.sport, 2905);
	assert_int_equal(p.dport, 2906);
	assert_int_equal(dec(FT_LINK_EN10MB, eth_v4_sctp,
	    sizeof(eth_v4_sctp) - 9, &p), FT_DECODE_OK);
	assert_int_equal(p.flags, 0);
}

static void
test_decode_icmpv6(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v6_icmp6, &p), FT_DECODE_OK);
	assert_int_equal(p.family, 6);
	assert_int_equal(p.proto, 58);
	assert_int_equal(p.flags, FT_PKT_ICMP);
	assert_int_equal(p.icmp_type, 128);
	assert_int_equal(p.icmp_code, 0);
	assert_int_equal(p.l3_len, 48);
}

static void
test_decode_icmp_family_mismatch(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v6_icmp4, &p), FT_DECODE_OK);
	assert_int_equal(p.proto, 1);
	assert_int_equal(p.flags, 0);
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_icmp6, &p), FT_DECODE_OK);
	assert_int_equal(p.proto, 58);
	assert_int_equal(p.flags, 0);
}

static void
test_decode_vlan(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_vlan, &p), FT_DECODE_OK);
	assert_v4_udp(&p, eth_vlan + 18);
}

static void
test_decode_qinq(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_qinq, &p), FT_DECODE_OK);
	assert_v4_udp(&p, eth_qinq + 22);
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_qinq_9100_v6, &p),
	    FT_DECODE_OK);
	assert_v6_tcp(&p, eth_qinq_9100_v6 + 22, 60);
}

static void
test_decode_three_tags_not_ip(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_3tags, &p), FT_DECODE_NOT_IP);
}

static void
test_decode_mpls(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_mpls, &p), FT_DECODE_MPLS);
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_mpls_mc, &p), FT_DECODE_MPLS);
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_vlan_mpls, &p),
	    FT_DECODE_MPLS);
	assert_int_equal(DEC(FT_LINK_SLL, sll_mpls, &p), FT_DECODE_MPLS);
}

static void
test_decode_not_ip(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_arp, &p), FT_DECODE_NOT_IP);
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_8023, &p), FT_DECODE_NOT_IP);
	assert_int_equal(DEC(FT_LINK_SLL2, sll2_arp, &p), FT_DECODE_NOT_IP);
	assert_int_equal(DEC(FT_LINK_NULL, null_af7, &p), FT_DECODE_NOT_IP);
	assert_int_equal(DEC(FT_LINK_LOOP, loop_le_v4, &p), FT_DECODE_NOT_IP);
}

static void
test_decode_ipv4_options(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_opt6, &p), FT_DECODE_OK);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.flags, FT_PKT_PORTS);
	assert_int_equal(p.sport, 12345);
	assert_int_equal(p.dport, 53);
	assert_int_equal(p.l3_len, 32);
	assert_memory_equal(p.dst, v4_dst, 16);
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_opt7, &p), FT_DECODE_OK);
	assert_int_equal(p.flags, FT_PKT_PORTS);
	assert_int_equal(p.sport, 12345);
	assert_int_equal(p.dport, 53);
	assert_int_equal(p.l3_len, 36);
}

static void
test_decode_ipv4_fragments(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_frag1, &p), FT_DECODE_OK);
	assert_int_equal(p.flags, FT_PKT_PORTS | FT_PKT_FRAG);
	assert_int_equal(p.sport, 12345);
	assert_int_equal(p.dport, 53);
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_frag2, &p),
	    FT_DECODE_NONFIRST_FRAG);
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_frag2mf, &p),
	    FT_DECODE_NONFIRST_FRAG);
}

static void
test_decode_ipv6_tcp(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v6_tcp, &p), FT_DECODE_OK);
	assert_v6_tcp(&p, eth_v6_tcp + 14, 60);
}

static void
test_decode_ipv6_ext_chain(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v6_ext, &p), FT_DECODE_OK);
	assert_v6_tcp(&p, eth_v6_ext + 14, 100);
}

static void
test_decode_ipv6_fragments(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v6_frag1, &p), FT_DECODE_OK);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.flags, FT_PKT_PORTS | FT_PKT_FRAG);
	assert_int_equal(p.sport, 12345);
	assert_int_equal(p.dport, 53);
	assert_int_equal(p.l3_len, 56);
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v6_frag2, &p),
	    FT_DECODE_NONFIRST_FRAG);
}

static void
test_decode_ipv6_ah(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v6_ah, &p), FT_DECODE_OK);
	assert_v6_tcp(&p, eth_v6_ah + 14, 84);
}

static void
test_decode_ipv6_esp_nonxt(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v6_esp, &p), FT_DECODE_OK);
	assert_int_equal(p.proto, 50);
	assert_int_equal(p.flags, 0);
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v6_nonxt, &p), FT_DECODE_OK);
	assert_int_equal(p.proto, 59);
	assert_int_equal(p.flags, 0);
	assert_int_equal(p.l3_len, 56);
}

static void
test_decode_ipv6_jumbogram(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_RAW, v6_jumbo, &p), FT_DECODE_OK);
	assert_v6_tcp(&p, v6_jumbo, sizeof(v6_jumbo));
}

static void
test_decode_ipv6_bad_exthdr(void **state)
{
	/* 17 destination-options headers, one over the cap, then UDP. */
	uint8_t b[40 + (FT_DECODE_EXTHDR_MAX + 1) * 8 + 8];
	struct ft_pkt p;
	size_t i, off, plen;

	(void)state;
	assert_int_equal(FT_DECODE_EXTHDR_MAX, 16);
	memset(b, 0, sizeof(b));
	plen = sizeof(b) - 40;
	b[0] = 0x60;
	b[4] = (uint8_t)(plen >> 8);
	b[5] = (uint8_t)plen;
	b[6] = 60;				/* first: dest options */
	b[7] = 64;
	for (i = 0; i <= FT_DECODE_EXTHDR_MAX; i++) {
		off = 40 + i * 8;
		b[off] = i < FT_DECODE_EXTHDR_MAX ? 60 : 17;
		b[off + 2] = 0x01;		/* PadN, 4 bytes */
		b[off + 3] = 0x04;
	}
	assert_int_equal(dec(FT_LINK_RAW, b, sizeof(b), &p),
	    FT_DECODE_BAD_EXTHDR);
	/* One header fewer walks fine (16 headers, then UDP). */
	b[40 + 15 * 8] = 17;
	assert_int_equal(dec(FT_LINK_RAW, b, sizeof(b), &p), FT_DECODE_OK);
	assert_int_equal(p.proto, 17);
	/* The IP length ending inside an extension header. */
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v6_ext_past_len, &p),
	    FT_DECODE_BAD_EXTHDR);
}

static void
test_decode_truncated(void **state)
{
	struct ft_pkt p;

	(void)state;
	/* Inside the Ethernet header, inside a tag. */
	assert_int_equal(dec(FT_LINK_EN10MB, eth_v4_tcp, 13, &p),
	    FT_DECODE_TRUNC_L2);
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_vlan_cut, &p),
	    FT_DECODE_TRUNC_L2);
	/* No IP byte at all, then 19 of 20 IPv4 header bytes. */
	assert_int_equal(dec(FT_LINK_EN10MB, eth_v4_tcp, 14, &p),
	    FT_DECODE_TRUNC_L3);
	assert_int_equal(dec(FT_LINK_EN10MB, eth_v4_tcp, 14 + 19, &p),
	    FT_DECODE_TRUNC_L3);
	/* Options announced by IHL, not captured. */
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_opt_cut, &p),
	    FT_DECODE_TRUNC_L3);
	/* 39 of 40 IPv6 header bytes; inside an extension header. */
	assert_int_equal(dec(FT_LINK_EN10MB, eth_v6_tcp, 14 + 39, &p),
	    FT_DECODE_TRUNC_L3);
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v6_ext_cut, &p),
	    FT_DECODE_TRUNC_L3);
	assert_int_equal(dec(FT_LINK_EN10MB, eth_v6_ext, 14 + 40 + 8 + 8 + 23,
	    &p), FT_DECODE_TRUNC_L3);
	/*
	 * TCP cut at 3 bytes: still OK, no ports, copy ends at capture;
	 * at 4 the ports are known (SPEC 6, RFC 1858).
	 */
	assert_int_equal(dec(FT_LINK_EN10MB, eth_v4_tcp, 14 + 20 + 3, &p),
	    FT_DECODE_OK);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.flags, 0);
	assert_int_equal(p.l3_len, 23);
	assert_int_equal(dec(FT_LINK_EN10MB, eth_v4_tcp, 14 + 20 + 4, &p),
	    FT_DECODE_OK);
	assert_int_equal(p.flags, FT_PKT_PORTS);
	assert_int_equal(p.l3_len, 24);
	assert_int_equal(dec(FT_LINK_EN10MB, eth_v6_tcp, 14 + 40 + 3, &p),
	    FT_DECODE_OK);
	assert_int_equal(p.flags, 0);
	assert_int_equal(p.l3_len, 43);
	/* UDP: exactly 4 bytes give ports, 3 do not. */
	assert_int_equal(dec(FT_LINK_EN10MB, eth_v4_udp, 14 + 24, &p),
	    FT_DECODE_OK);
	assert_int_equal(p.flags, FT_PKT_PORTS);
	assert_int_equal(p.sport, 12345);
	assert_int_equal(p.dport, 53);
	assert_int_equal(dec(FT_LINK_EN10MB, eth_v4_udp, 14 + 23, &p),
	    FT_DECODE_OK);
	assert_int_equal(p.flags, 0);
	/* ICMP: 2 bytes give type/code, 1 does not. */
	assert_int_equal(dec(FT_LINK_EN10MB, eth_v4_icmp, 14 + 22, &p),
	    FT_DECODE_OK);
	assert_int_equal(p.flags, FT_PKT_ICMP);
	assert_int_equal(dec(FT_LINK_EN10MB, eth_v4_icmp, 14 + 21, &p),
	    FT_DECODE_OK);
	assert_int_equal(p.flags, 0);
	/* Other link headers cut short. */
	assert_int_equal(dec(FT_LINK_SLL, sll_v4, 15, &p), FT_DECODE_TRUNC_L2);
	assert_int_equal(dec(FT_LINK_SLL2, sll2_v4, 19, &p),
	    FT_DECODE_TRUNC_L2);
	assert_int_equal(dec(FT_LINK_NULL, null_le_v4, 3, &p),
	    FT_DECODE_TRUNC_L2);
	assert_int_equal(dec(FT_LINK_LOOP, loop_v4, 0, &p), FT_DECODE_TRUNC_L2);
	assert_int_equal(dec(FT_LINK_RAW, raw_v4, 0, &p), FT_DECODE_TRUNC_L3);
	assert_int_equal(ft_decode(FT_LINK_RAW, NULL, 0, &p),
	    FT_DECODE_TRUNC_L3);
}

static void
test_decode_bad_ihl(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_bad_ihl, &p),
	    FT_DECODE_BAD_IHL);
}

static void
test_decode_bad_total_length(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_bad_len, &p),
	    FT_DECODE_BAD_LENGTH);
}

static void
test_decode_bad_version(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_RAW, raw_v5, &p), FT_DECODE_BAD_VERSION);
	assert_int_equal(DEC(FT_LINK_IPV4, raw_v6, &p), FT_DECODE_BAD_VERSION);
	assert_int_equal(DEC(FT_LINK_IPV6, raw_v4, &p), FT_DECODE_BAD_VERSION);
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_says_v6, &p),
	    FT_DECODE_BAD_VERSION);
}

static void
test_decode_padding_excluded(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_pad, &p), FT_DECODE_OK);
	assert_v4_udp(&p, eth_v4_pad + 14);
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v6_pad, &p), FT_DECODE_OK);
	assert_int_equal(p.l3_len, 48);
	assert_int_equal(p.flags, FT_PKT_PORTS);
	/* L4 bytes in the padding are not L4 bytes. */
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_l4_in_pad23, &p),
	    FT_DECODE_OK);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.flags, 0);
	assert_int_equal(p.l3_len, 23);
	/* Four inside the IP length are the ports (SPEC 6, RFC 1858). */
	assert_int_equal(DEC(FT_LINK_EN10MB, eth_v4_l4_in_pad, &p),
	    FT_DECODE_OK);
	assert_int_equal(p.flags, FT_PKT_PORTS);
	assert_int_equal(p.l3_len, 24);
}

static void
test_decode_link_null(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_NULL, null_le_v4, &p), FT_DECODE_OK);
	assert_v4_udp(&p, null_le_v4 + 4);
	assert_int_equal(DEC(FT_LINK_NULL, null_be_v4, &p), FT_DECODE_OK);
	assert_v4_udp(&p, null_be_v4 + 4);
	assert_int_equal(DEC(FT_LINK_NULL, null_le24_v6, &p), FT_DECODE_OK);
	assert_v6_tcp(&p, null_le24_v6 + 4, 60);
	assert_int_equal(DEC(FT_LINK_NULL, null_be28_v6, &p), FT_DECODE_OK);
	assert_v6_tcp(&p, null_be28_v6 + 4, 60);
	assert_int_equal(DEC(FT_LINK_NULL, null_le30_v6, &p), FT_DECODE_OK);
	assert_v6_tcp(&p, null_le30_v6 + 4, 60);
}

static void
test_decode_link_loop(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_LOOP, loop_v4, &p), FT_DECODE_OK);
	assert_v4_udp(&p, loop_v4 + 4);
	assert_int_equal(DEC(FT_LINK_LOOP, loop_v6, &p), FT_DECODE_OK);
	assert_v6_tcp(&p, loop_v6 + 4, 60);
}

static void
test_decode_link_sll(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_SLL, sll_v4, &p), FT_DECODE_OK);
	assert_v4_udp(&p, sll_v4 + 16);
	assert_int_equal(DEC(FT_LINK_SLL2, sll2_v4, &p), FT_DECODE_OK);
	assert_v4_udp(&p, sll2_v4 + 20);
	assert_int_equal(DEC(FT_LINK_SLL2, sll2_v6, &p), FT_DECODE_OK);
	assert_v6_tcp(&p, sll2_v6 + 20, 60);
}

static void
test_decode_link_raw(void **state)
{
	struct ft_pkt p;

	(void)state;
	assert_int_equal(DEC(FT_LINK_RAW, raw_v4, &p), FT_DECODE_OK);
	assert_v4_udp(&p, raw_v4);
	assert_int_equal(DEC(FT_LINK_RAW, raw_v6, &p), FT_DECODE_OK);
	assert_v6_tcp(&p, raw_v6, 60);
	assert_int_equal(DEC(FT_LINK_IPV4, raw_v4, &p), FT_DECODE_OK);
	assert_v4_udp(&p, raw_v4);
	assert_int_equal(DEC(FT_LINK_IPV6, raw_v6, &p), FT_DECODE_OK);
	assert_v6_tcp(&p, raw_v6, 60);
}

static void
test_decode_link_unsupported(void **state)
{
	struct ft_pkt p;
	static const int ok[] = { 0, 1, 101, 108, 113, 228, 229, 276 };
	size_t i;

	(void)state;
	assert_int_equal(DEC(105, raw_v4, &p), FT_DECODE_LINKTYPE);
	assert_int_equal(DEC(12, raw_v4, &p), FT_DECODE_LINKTYPE);
	assert_int_equal(DEC(-1, raw_v4, &p), FT_DECODE_LINKTYPE);
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_int_equal(ft_decode_linktype_supported(ok[i]), 1);
	assert_int_equal(ft_decode_linktype_supported(105), 0);
	assert_int_equal(ft_decode_linktype_supported(12), 0);
	assert_int_equal(ft_decode_linktype_supported(-1), 0);
}

static void
test_decode_reason_names(void **state)
{
	(void)state;
	assert_string_equal(ft_decode_reason_name(FT_DECODE_OK), "ok");
	assert_string_equal(ft_decode_reason_name(FT_DECODE_NOT_IP),
	    "not_ip");
	assert_string_equal(ft_decode_reason_name(FT_DECODE_MPLS), "mpls");
	assert_string_equal(ft_decode_reason_name(FT_DECODE_LINKTYPE),
	    "linktype");
	assert_string_equal(ft_decode_reason_name(FT_DECODE_TRUNC_L2),
	    "trunc_l2");
	assert_string_equal(ft_decode_reason_name(FT_DECODE_TRUNC_L3),
	    "trunc_l3");
	assert_string_equal(ft_decode_reason_name(FT_DECODE_BAD_VERSION),
	    "bad_version");
	assert_string_equal(ft_decode_reason_name(FT_DECODE_BAD_IHL),
	    "bad_ihl");
	assert_string_equal(ft_decode_reason_name(FT_DECODE_BAD_LENGTH),
	    "bad_length");
	assert_string_equal(ft_decode_reason_name(FT_DECODE_BAD_EXTHDR),
	    "bad_exthdr");
	assert_string_equal(ft_decode_reason_name(FT_DECODE_NONFIRST_FRAG),
	    "nonfirst_frag");
	assert_string_equal(ft_decode_reason_name(FT_DECODE_REASON_COUNT),
	    "unknown");
}

/*
 * Every prefix of a few valid packets, each in a heap buffer of exactly
 * that size so ASan flags any read past caplen. l2 is the link header
 * length, hdr the IP header plus extension headers, l4 the fixed L4
 * header, iplen the IP length.
 */
struct prefix_case {
	int link;
	const uint8_t *pkt;
	size_t size;
	uint32_t l2, hdr, iplen;
};

static void
test_decode_every_prefix(void **state)
{
	static const struct prefix_case cases[] = {
		{ FT_LINK_EN10MB, eth_v4_tcp, sizeof(eth_v4_tcp),
		    14, 20, 40 },
		{ FT_LINK_EN10MB, eth_qinq, sizeof(eth_qinq), 22, 20, 28 },
		{ FT_LINK_EN10MB, eth_v4_opt7, sizeof(eth_v4_opt7),
		    14, 28, 36 },
		{ FT_LINK_EN10MB, eth_v6_ext, sizeof(eth_v6_ext),
		    14, 80, 100 },
		{ FT_LINK_EN10MB, eth_v6_ah, sizeof(eth_v6_ah),
		    14, 64, 84 },
		{ FT_LINK_SLL2, sll2_v6, sizeof(sll2_v6), 20, 40, 60 },
		{ FT_LINK_SLL, sll_v4, sizeof(sll_v4), 16, 20, 28 },
		{ FT_LINK_NULL, null_le_v4, sizeof(null_le_v4), 4, 20, 28 },
		{ FT_LINK_RAW, v6_jumbo, sizeof(v6_jumbo), 0, 48, 68 },
	};
	const struct prefix_case *c;
	enum ft_decode_reason r;
	struct ft_pkt p;
	uint8_t *b;
	size_t i, n;
	uint32_t l3cap;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = &cases[i];
		for (n = 0; n <= c->size; n++) {
			b = malloc(n > 0 ? n : 1);
			assert_non_null(b);
			memcpy(b, c->pkt, n);
			r = ft_decode(c->link, b, (uint32_t)n, &p);
			if (n < c->l2) {
				assert_int_equal(r, FT_DECODE_TRUNC_L2);
			} else if (n < c->l2 + c->hdr) {
				assert_int_equal(r, FT_DECODE_TRUNC_L3);
			} else {
				l3cap = (uint32_t)n - c->l2;
				assert_int_equal(r, FT_DECODE_OK);
				assert_ptr_equal(p.l3, b + c->l2);
				assert_int_equal(p.l3_len, c->link ==
				    FT_LINK_RAW || l3cap < c->iplen ?
				    l3cap : c->iplen);
				/* Ports: the first 4 L4 bytes (SPEC 6). */
				assert_int_equal(p.flags & FT_PKT_PORTS,
				    l3cap >= c->hdr + 4 ? FT_PKT_PORTS : 0);
			}
			free(b);
		}
	}
}

/*
 * ft_decode's fast path for Ethernet + IPv4 + TCP/UDP/SCTP gives what the
 * general path gives: the reason, and every byte of the view. Each byte
 * of the frames' Ethernet, IP and port fields set to values that change
 * the path taken (EtherType, version/IHL, length, fragment bits,
 * protocol), at every capture length.
 */
static void
test_decode_fast_path_equals_general(void **state)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x04, 0x08, 0x11, 0x14,
	    0x18, 0x1b, 0x1c, 0x20, 0x3f, 0x40, 0x45, 0x46, 0x60, 0x80, 0x84,
	    0x86, 0xdd, 0xff };
	const uint8_t *frames[] = { eth_v4_tcp, eth_v4_udp };
	const size_t sizes[] = { sizeof(eth_v4_tcp), sizeof(eth_v4_udp) };
	uint8_t b[64];
	size_t f, pos, v, n;
	unsigned fast_ok = 0, compared = 0;

	(void)state;
	for (f = 0; f < 2; f++) {
		for (pos = 0; pos < sizes[f]; pos++) {
			for (v = 0; v <= sizeof(vals); v++) {
				memcpy(b, frames[f], sizes[f]);
				if (v < sizeof(vals))
					b[pos] = vals[v];	/* else as is */
				for (n = 0; n <= sizes[f]; n++) {
					struct ft_pkt a, g;
					enum ft_decode_reason ra, rg;

					memset(&a, 0xa5, sizeof(a));
					memset(&g, 0xa5, sizeof(g));
					ra = ft_decode(FT_LINK_EN10MB, b,
					    (uint32_t)n, &a);
					rg = ft_decode_general(FT_LINK_EN10MB,
					    b, (uint32_t)n, &g);
					assert_int_equal(ra, rg);
					if (ra == FT_DECODE_OK) {
						assert_memory_equal(&a, &g,
						    sizeof(a));
						fast_ok += a.family == 4 &&
						    (a.flags & FT_PKT_PORTS);
					}
					compared++;
				}
			}
		}
	}
	/*
	 * Not vacuous: at least every unchanged frame (v == sizeof(vals))
	 * captured through its ports (14 + 20 + 4 bytes or more) decoded
	 * with ports, for each of its positions.
	 */
	assert_true(compared > 0);
	assert_true(fast_ok >= sizes[0] * (sizes[0] - (14 + 20 + 4 - 1)) +
	    sizes[1] * (sizes[1] - (14 + 20 + 4 - 1)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_eth_ipv4_tcp),
		cmocka_unit_test(test_decode_eth_ipv4_udp),
		cmocka_unit_test(test_decode_eth_ipv4_icmp),
		cmocka_unit_test(test_decode_sctp_ports),
		cmocka_unit_test(test_decode_icmpv6),
		cmocka_unit_test(test_decode_icmp_family_mismatch),
		cmocka_unit_test(test_decode_vlan),
		cmocka_unit_test(test_decode_qinq),
		cmocka_unit_test(test_decode_three_tags_not_ip),
		cmocka_unit_test(test_decode_mpls),
		cmocka_unit_test(test_decode_not_ip),
		cmocka_unit_test(test_decode_ipv4_options),
		cmocka_unit_test(test_decode_ipv4_fragments),
		cmocka_unit_test(test_decode_ipv6_tcp),
		cmocka_unit_test(test_decode_ipv6_ext_chain),
		cmocka_unit_test(test_decode_ipv6_fragments),
		cmocka_unit_test(test_decode_ipv6_ah),
		cmocka_unit_test(test_decode_ipv6_esp_nonxt),
		cmocka_unit_test(test_decode_ipv6_jumbogram),
		cmocka_unit_test(test_decode_ipv6_bad_exthdr),
		cmocka_unit_test(test_decode_truncated),
		cmocka_unit_test(test_decode_bad_ihl),
		cmocka_unit_test(test_decode_bad_total_length),
		cmocka_unit_test(test_decode_bad_version),
		cmocka_unit_test(test_decode_padding_excluded),
		cmocka_unit_test(test_decode_link_null),
		cmocka_unit_test(test_decode_link_loop),
		cmocka_unit_test(test_decode_link_sll),
		cmocka_unit_test(test_decode_link_raw),
		cmocka_unit_test(test_decode_link_unsupported),
		cmocka_unit_test(test_decode_reason_names),
		cmocka_unit_test(test_decode_every_prefix),
		cmocka_unit_test(test_decode_fast_path_equals_general),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
