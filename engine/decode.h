/*
 * decode.h - the L2-L4 view of one captured packet (SPEC 6).
 *
 * Every byte is read through a bounds-checked cursor limited by caplen.
 * The decoder never allocates; the view points into the caller's buffer.
 */
#ifndef FT_DECODE_H
#define FT_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* Link types flowtap decodes (LINKTYPE_* values of the pcap format). */
#define FT_LINK_NULL	0	/* BSD loopback, host-endian AF word */
#define FT_LINK_EN10MB	1	/* Ethernet, up to two 802.1Q/802.1ad tags */
#define FT_LINK_RAW	101	/* raw IPv4/IPv6 */
#define FT_LINK_LOOP	108	/* OpenBSD loopback, big-endian AF word */
#define FT_LINK_SLL	113	/* Linux cooked v1 */
#define FT_LINK_IPV4	228	/* raw IPv4 */
#define FT_LINK_IPV6	229	/* raw IPv6 */
#define FT_LINK_SLL2	276	/* Linux cooked v2 */

/*
 * Outcome of decoding one packet. FT_DECODE_OK means the packet is an IP
 * packet the data path may match. Every other value is a skip reason,
 * counted by name in report.json (ft_decode_reason_name).
 */
enum ft_decode_reason {
	FT_DECODE_OK = 0,
	FT_DECODE_NOT_IP,	/* ARP, LLDP...: not IPv4/IPv6, not an error */
	FT_DECODE_MPLS,		/* MPLS / VPLS: never tapped (seed) */
	FT_DECODE_LINKTYPE,	/* link type flowtap does not decode */
	FT_DECODE_TRUNC_L2,	/* capture ends inside the link header/tags */
	FT_DECODE_TRUNC_L3,	/* capture ends inside IP header/ext headers */
	FT_DECODE_BAD_VERSION,	/* IP version field disagrees with L2 type */
	FT_DECODE_BAD_IHL,	/* IPv4 IHL < 5 */
	FT_DECODE_BAD_LENGTH,	/* IPv4 total length < IHL*4 */
	FT_DECODE_BAD_EXTHDR,	/* IPv6 extension header chain malformed */
	FT_DECODE_NONFIRST_FRAG, /* IPv4/IPv6 non-first fragment: never tapped */
	FT_DECODE_REASON_COUNT
};

/* Flags of struct ft_pkt. */
#define FT_PKT_PORTS	0x01	/* sport/dport valid (TCP/UDP/SCTP, 4 bytes) */
#define FT_PKT_ICMP	0x02	/* icmp_type/icmp_code valid (2 bytes) */
#define FT_PKT_FRAG	0x04	/* a first fragment (MF set, offset 0) */

struct ft_pkt {
	uint8_t family;		/* 4 or 6 */
	uint8_t proto;		/* upper-layer protocol after ext headers */
	uint8_t flags;		/* FT_PKT_* */
	uint8_t icmp_type;
	uint8_t icmp_code;
	uint16_t sport;
	uint16_t dport;
	uint8_t src[16];	/* IPv4 uses the first 4 bytes, rest zero */
	uint8_t dst[16];
	/*
	 * The IP packet to copy: from the first byte of its IP header to
	 * where the IP length says it ends or where the capture ends,
	 * whichever is first (link padding is never included).
	 */
	const uint8_t *l3;
	uint32_t l3_len;
	/*
	 * Scope (SPEC 6), set by the caller after decoding (ft_decode
	 * zeroes it): the 1-based ids the router configuration gives the
	 * input and output interface units and the input's VRF
	 * (ft_routercfg_scope); 0 = unknown, never equal to anything.
	 */
	uint16_t iif, oif, vrf;
};

/*
 * Decode one captured packet of link type linktype (FT_LINK_*). buf holds
 * caplen captured bytes. On FT_DECODE_OK fills *pkt; on any other reason
 * *pkt is unspecified. Never reads outside buf[0..caplen).
 */
enum ft_decode_reason ft_decode(int linktype, const uint8_t *buf,
    uint32_t caplen, struct ft_pkt *pkt);

/*
 * The same without ft_decode's fast path for Ethernet + IPv4 + TCP/UDP/
 * SCTP frames: every frame through the general cursor code. Same results;
 * for tests that compare the two.
 */
enum ft_decode_reason ft_decode_general(int linktype, const uint8_t *buf,
    uint32_t caplen, struct ft_pkt *pkt);

/* Stable snake_case name of a reason, for reports ("trunc_l3"...). */
const char *ft_decode_reason_name(enum ft_decode_reason r);

/* 1 if flowtap decodes this link type, else 0. */
int ft_decode_linktype_supported(int linktype);

#endif
