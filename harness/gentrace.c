/*
 * gentrace.c - deterministic generator of the default scenario's trace.
 *
 *   gentrace [--seed N] [--packets N] OUT.pcap
 *
 * Writes a standard pcap (Ethernet, nanosecond timestamps) through
 * libpcap. Everything comes from a xorshift64 generator with a fixed
 * seed: no clock, no rand(), so two runs give byte-identical files on
 * hosts of the same byte order.
 *
 * Content (see traces/README.md): about 10 s of background traffic from
 * 2011-02-13 15:56:40 UTC (IPv4 and ~25 % IPv6; TCP, UDP, ICMP, ICMPv6;
 * ~30 % with one 802.1Q tag, a few QinQ), a few ARP frames, one MPLS
 * packet, one IPv4 non-first fragment, one capture cut inside the IPv4
 * header, and a burst of UDP (5/6 of the packets within 10 ms at 5 s)
 * that overflows the default 20 Kpps ingress budget.
 *
 * Checksums (IPv4 header, TCP, UDP, ICMP, ICMPv6) are all computed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "csum.h"

#define START_SEC	1297612600u	/* 2011-02-13 15:56:40 UTC */
#define SPAN_NS		10000000000ull	/* background spread over 10 s */
#define BURST_AT_NS	5000000000ull	/* the burst starts at 5 s */
#define BURST_SPAN_NS	10000000ull	/* and lasts 10 ms */
#define DEF_SEED	1u
#define DEF_PACKETS	3000u
#define PACKETS_MAX	10000000u
#define FRAME_MAX	1600
#define ETH_MIN		60		/* minimum frame, FCS excluded */

struct rng {
	uint64_t s;
};

/* xorshift64 (Marsaglia 2003), shifts 13, 7, 17. */
static uint64_t
rnd(struct rng *r)
{
	uint64_t x = r->s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	r->s = x;
	return x;
}

/* Uniform-enough value in [0, n) for the small n used here. */
static uint32_t
below(struct rng *r, uint32_t n)
{
	return (uint32_t)(rnd(r) % n);
}

struct frame {
	uint8_t b[FRAME_MAX];
	size_t len;
};

static void
put8(struct frame *f, unsigned v)
{
	if (f->len < FRAME_MAX)
		f->b[f->len++] = (uint8_t)v;
}

static void
put16(struct frame *f, unsigned v)
{
	put8(f, (v >> 8) & 0xff);
	put8(f, v & 0xff);
}

static void
put32(struct frame *f, uint32_t v)
{
	put16(f, v >> 16);
	put16(f, v & 0xffff);
}

static void
putn(struct frame *f, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put8(f, p[i]);
}

static void
set16(struct frame *f, size_t off, unsigned v)
{
	f->b[off] = (uint8_t)(v >> 8);
	f->b[off + 1] = (uint8_t)v;
}

/* An endpoint: IPv4 or IPv6 address, MAC. */
struct host {
	int v6;
	uint8_t a[16];
	uint8_t mac[6];
};

static void
host_set(struct host *h, int v6, const uint8_t *a, unsigned macid)
{
	memset(h, 0, sizeof(*h));
	h->v6 = v6;
	memcpy(h->a, a, v6 ? 16 : 4);
	h->mac[0] = 0x02;	/* locally administered */
	h->mac[4] = (uint8_t)(macid >> 8);
	h->mac[5] = (uint8_t)macid;
}

static void
v4(uint8_t *a, unsigned x, unsigned y, unsigned z, unsigned w)
{
	a[0] = (uint8_t)x;
	a[1] = (uint8_t)y;
	a[2] = (uint8_t)z;
	a[3] = (uint8_t)w;
}

/* 2001:db8::<last> (last up to 16 bits). */
static void
v6(uint8_t *a, unsigned last)
{
	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	a[14] = (uint8_t)(last >> 8);
	a[15] = (uint8_t)last;
}

enum { P_TCP = 6, P_UDP = 17, P_ICMP = 1, P_ICMP6 = 58 };

/* A background flow: who talks to whom, how, and how often. */
struct flow {
	unsigned weight;	/* out of 100 */
	int v6;
	unsigned proto;
	uint8_t src[16], dst[16];
	unsigned sport, dport;	/* 0: random ephemeral */
	unsigned maxpay;	/* payload 0..maxpay bytes */
	uint32_t seq;		/* TCP sequence, advanced per packet */
};

static struct flow flows[16];
static size_t nflows;

static struct flow *
flow_add(unsigned weight, int isv6, unsigned proto, unsigned sport,
    unsigned dport, unsigned maxpay)
{
	struct flow *fl = &flows[nflows++];

	memset(fl, 0, sizeof(*fl));
	fl->weight = weight;
	fl->v6 = isv6;
	fl->proto = proto;
	fl->sport = sport;
	fl->dport = dport;
	fl->maxpay = maxpay;
	fl->seq = 0x10000000u * (uint32_t)nflows;
	return fl;
}

/*
 * The background mix. The default scenario's criteria select: UDP
 * (Protocol 17) between several hosts, TCP 1.2.3.4 -> 3.4.5.6,
 * TCP from 10.1.1.1 port 23, IPv6 TCP to 2001:db8::10 port 80.
 */
static void
flows_init(void)
{
	struct flow *f;

	nflows = 0;
	f = flow_add(10, 0, P_TCP, 0, 80, 400);
	v4(f->src, 1, 2, 3, 4), v4(f->dst, 3, 4, 5, 6);
	f = flow_add(8, 0, P_TCP, 80, 0, 1200);
	v4(f->src, 3, 4, 5, 6), v4(f->dst, 1, 2, 3, 4);
	f = flow_add(8, 0, P_TCP, 23, 0, 200);
	v4(f->src, 10, 1, 1, 1), v4(f->dst, 10, 20, 30, 40);
	f = flow_add(4, 0, P_TCP, 0, 23, 40);
	v4(f->src, 10, 20, 30, 40), v4(f->dst, 10, 1, 1, 1);
	f = flow_add(8, 0, P_UDP, 0, 53, 60);
	v4(f->src, 192, 168, 1, 10), v4(f->dst, 8, 8, 8, 8);
	f = flow_add(6, 0, P_UDP, 53, 0, 300);
	v4(f->src, 8, 8, 8, 8), v4(f->dst, 192, 168, 1, 10);
	f = flow_add(4, 0, P_UDP, 123, 123, 48);
	v4(f->src, 192, 168, 1, 11), v4(f->dst, 192, 168, 1, 1);
	f = flow_add(4, 0, P_UDP, 514, 514, 200);
	v4(f->src, 10, 0, 0, 5), v4(f->dst, 10, 0, 0, 9);
	f = flow_add(15, 0, P_TCP, 0, 443, 1400);
	v4(f->src, 172, 16, 0, 5), v4(f->dst, 203, 0, 113, 8);
	f = flow_add(5, 0, P_ICMP, 8, 0, 56);	/* echo request */
	v4(f->src, 192, 168, 1, 10), v4(f->dst, 1, 1, 1, 1);
	f = flow_add(3, 0, P_ICMP, 0, 0, 56);	/* echo reply */
	v4(f->src, 1, 1, 1, 1), v4(f->dst, 192, 168, 1, 10);
	f = flow_add(10, 1, P_TCP, 0, 80, 600);
	v6(f->src, 1), v6(f->dst, 0x10);
	f = flow_add(6, 1, P_TCP, 80, 0, 1200);
	v6(f->src, 0x10), v6(f->dst, 1);
	f = flow_add(5, 1, P_UDP, 0, 53, 60);
	v6(f->src, 2), v6(f->dst, 0x53);
	f = flow_add(4, 1, P_ICMP6, 128, 0, 56);	/* echo request */
	v6(f->src, 2), v6(f->dst, 1);
}

static const uint8_t router_mac[6] = { 0x00, 0x05, 0x85, 0x00, 0x00, 0x01 };

/* Ethernet header with 0, 1 (802.1Q) or 2 (802.1ad + 802.1Q) tags. */
static void
eth(struct frame *f, const uint8_t *smac, int tags, unsigned vid,
    unsigned type)
{
	putn(f, router_mac, 6);
	putn(f, smac, 6);
	if (tags == 2) {
		put16(f, 0x88a8);
		put16(f, 100);
	}
	if (tags >= 1) {
		put16(f, 0x8100);
		put16(f, vid & 0x0fff);
	}
	put16(f, type);
}

static void
fill_random(struct rng *r, uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(rnd(r) >> 56);
}

/* Printable text, so that text protocols (HTTP, telnet) decode. */
static void
fill_text(struct rng *r, uint8_t *p, size_t n)
{
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789 ";
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)alpha[below(r, sizeof(alpha) - 1)];
	if (n >= 2) {
		p[n - 2] = '\r';
		p[n - 1] = '\n';
	}
}

/*
 * A DNS query (to port 53) or its answer (from port 53) for one of a few
 * names, type A over IPv4 and AAAA over IPv6 (RFC 1035 section 4).
 */
static size_t
fill_dns(struct rng *r, uint8_t *p, int answer, int isv6)
{
	static const char *const names[] = { "\7example\3com",
	    "\3www\7example\3org", "\4mail\7example\3net" };
	const char *q = names[below(r, 3)];
	size_t n = 0, ql = strlen(q) + 1;
	unsigned id = below(r, 65536), type = isv6 ? 28 : 1;

	p[n++] = (uint8_t)(id >> 8);
	p[n++] = (uint8_t)id;
	p[n++] = answer ? 0x81 : 0x01;	/* QR, RD */
	p[n++] = answer ? 0x80 : 0x00;	/* RA, NOERROR */
	p[n++] = 0, p[n++] = 1;		/* QDCOUNT */
	p[n++] = 0, p[n++] = answer ? 1 : 0;	/* ANCOUNT */
	memset(p + n, 0, 4);		/* NSCOUNT, ARCOUNT */
	n += 4;
	memcpy(p + n, q, ql);
	n += ql;
	p[n++] = 0, p[n++] = (uint8_t)type;
	p[n++] = 0, p[n++] = 1;		/* IN */
	if (answer) {
		p[n++] = 0xc0, p[n++] = 12;	/* the name in the question */
		p[n++] = 0, p[n++] = (uint8_t)type;
		p[n++] = 0, p[n++] = 1;
		p[n++] = 0, p[n++] = 0, p[n++] = 0x01, p[n++] = 0x2c;
		p[n++] = 0, p[n++] = isv6 ? 16 : 4;
		if (isv6) {
			v6(p + n, 0x80);
			n += 16;
		} else {
			v4(p + n, 93, 184, 216, 34);
			n += 4;
		}
	}
	return n;
}

/* NTPv4 client request (RFC 5905): only the transmit timestamp set. */
static size_t
fill_ntp(struct rng *r, uint8_t *p)
{
	memset(p, 0, 48);
	p[0] = 0x23;			/* LI 0, VN 4, mode 3 */
	/* Transmit time: 2011-02-13 15:56:40 UTC in NTP seconds. */
	p[40] = 0xd1, p[41] = 0x02, p[42] = 0x7d, p[43] = 0xb8;
	fill_random(r, p + 44, 4);
	return 48;
}

/* RTP (RFC 3550) header, PCMU, then 160 audio bytes. */
static size_t
fill_rtp(struct rng *r, uint8_t *p, unsigned src, uint32_t seq)
{
	uint32_t ts = seq * 160;

	p[0] = 0x80;			/* V 2 */
	p[1] = 0x00;			/* PT 0 */
	p[2] = (uint8_t)(seq >> 8), p[3] = (uint8_t)seq;
	p[4] = (uint8_t)(ts >> 24), p[5] = (uint8_t)(ts >> 16);
	p[6] = (uint8_t)(ts >> 8), p[7] = (uint8_t)ts;
	p[8] = 0x5e, p[9] = 0xed, p[10] = 0x00, p[11] = (uint8_t)src;
	fill_random(r, p + 12, 160);
	return 172;
}

/* A payload that tshark decodes without complaint for this flow. */
static size_t
fill_payload(struct rng *r, uint8_t *p, const struct flow *fl,
    unsigned sport, unsigned dport)
{
	size_t n = below(r, fl->maxpay + 1);

	if (fl->proto == P_UDP && (sport == 53 || dport == 53))
		return fill_dns(r, p, sport == 53, fl->v6);
	if (fl->proto == P_UDP && dport == 123)
		return fill_ntp(r, p);
	if (fl->proto == P_UDP && dport == 514) {
		static const char msg[] = "<13>Feb 13 15:56:40 core1 flowd: "
		    "session ";
		memcpy(p, msg, sizeof(msg) - 1);
		fill_text(r, p + sizeof(msg) - 1, 20);
		return sizeof(msg) - 1 + 20;
	}
	if (fl->proto == P_TCP && fl->dport != 443 && fl->sport != 443)
		fill_text(r, p, n);
	else
		fill_random(r, p, n);
	return n;
}

/*
 * IP header, L4 header and payload pay[0..paylen) of one packet, with
 * lengths and checksums; ipid is the IPv4 identification.
 */
static void
ip_l4(struct frame *f, int isv6, const uint8_t *src, const uint8_t *dst,
    unsigned proto, unsigned sport, unsigned dport, uint32_t seq,
    const uint8_t *pay, size_t paylen, unsigned ipid)
{
	size_t ip = f->len, l4, l4len, csoff = 0;
	uint64_t sum;

	if (!isv6) {
		put16(f, 0x4500);
		put16(f, 0);		/* total length, set below */
		put16(f, ipid);
		put16(f, 0x4000);	/* DF */
		put8(f, 64);
		put8(f, proto);
		put16(f, 0);		/* checksum, set below */
		putn(f, src, 4);
		putn(f, dst, 4);
	} else {
		put32(f, 0x60000000u);
		put16(f, 0);		/* payload length, set below */
		put8(f, proto);
		put8(f, 64);
		putn(f, src, 16);
		putn(f, dst, 16);
	}
	l4 = f->len;
	switch (proto) {
	case P_TCP:
		put16(f, sport);
		put16(f, dport);
		put32(f, seq);
		put32(f, seq ^ 0x5a5a5a5au);
		put16(f, 0x5018);	/* data offset 5, ACK PSH */
		put16(f, 65535);
		csoff = f->len;
		put16(f, 0);
		put16(f, 0);
		break;
	case P_UDP:
		put16(f, sport);
		put16(f, dport);
		put16(f, (unsigned)(8 + paylen));
		csoff = f->len;
		put16(f, 0);
		break;
	default:			/* ICMP, ICMPv6: echo */
		put8(f, sport);		/* type */
		put8(f, 0);		/* code */
		csoff = f->len;
		put16(f, 0);
		put16(f, 0x1234);	/* identifier */
		put16(f, seq & 0xffff);	/* sequence */
		break;
	}
	putn(f, pay, paylen);
	l4len = f->len - l4;
	if (!isv6) {
		set16(f, ip + 2, (unsigned)(f->len - ip));
		set16(f, ip + 10, ft_csum_fold(ft_csum_add(0, f->b + ip, 20)));
	} else {
		set16(f, ip + 4, (unsigned)l4len);
	}
	/* Pseudo-header (RFC 793, 768, 8200 section 8.1); none for ICMP. */
	sum = 0;
	if (proto != P_ICMP) {
		if (!isv6) {
			sum = ft_csum_add(sum, src, 4);
			sum = ft_csum_add(sum, dst, 4);
		} else {
			sum = ft_csum_add(sum, src, 16);
			sum = ft_csum_add(sum, dst, 16);
		}
		sum += proto;
		sum += (uint32_t)l4len;
	}
	sum = ft_csum_fold(ft_csum_add(sum, f->b + l4, l4len));
	if (proto == P_UDP && sum == 0)
		sum = 0xffff;
	set16(f, csoff, (unsigned)sum);
}

static void
pad(struct frame *f)
{
	while (f->len < ETH_MIN)
		put8(f, 0);
}

static int
pick_tags(struct rng *r, unsigned *vid)
{
	uint32_t x = below(r, 100);

	*vid = 10 * (1 + below(r, 3));
	if (x < 3)
		return 2;
	if (x < 30)
		return 1;
	return 0;
}

static unsigned
ephemeral(struct rng *r)
{
	return 49152 + below(r, 16384);
}

static void
background(struct frame *f, struct rng *r, unsigned ipid)
{
	uint32_t x = below(r, 100), acc = 0;
	struct flow *fl = &flows[0];
	uint8_t pay[FRAME_MAX];
	struct host h;
	unsigned vid, sport, dport;
	size_t i, paylen;
	int tags;

	for (i = 0; i < nflows; i++) {
		acc += flows[i].weight;
		if (x < acc) {
			fl = &flows[i];
			break;
		}
	}
	tags = pick_tags(r, &vid);
	host_set(&h, fl->v6, fl->src, 0x100 + (unsigned)(fl - flows));
	eth(f, h.mac, tags, vid, fl->v6 ? 0x86dd : 0x0800);
	sport = fl->sport != 0 ? fl->sport : ephemeral(r);
	dport = fl->dport != 0 ? fl->dport : ephemeral(r);
	if (fl->proto == P_ICMP || fl->proto == P_ICMP6)
		dport = 0;
	paylen = fill_payload(r, pay, fl, sport, dport);
	ip_l4(f, fl->v6, fl->src, fl->dst, fl->proto, sport, dport,
	    fl->seq, pay, paylen, ipid);
	fl->seq += (uint32_t)paylen + 1;
	pad(f);
}

/* The burst: UDP from 8 sources to 4 receivers, RTP-sized payloads. */
static void
burst(struct frame *f, struct rng *r, unsigned ipid)
{
	static uint32_t rtpseq[8];
	uint8_t src[4], dst[4], pay[256];
	struct host h;
	unsigned vid, s = below(r, 8);
	size_t paylen;
	int tags;

	v4(src, 198, 51, 100, 1 + s);
	v4(dst, 192, 0, 2, 10 + below(r, 4));
	tags = pick_tags(r, &vid);
	host_set(&h, 0, src, 0x200 + s);
	eth(f, h.mac, tags, vid, 0x0800);
	paylen = fill_rtp(r, pay, s, rtpseq[s]++);
	ip_l4(f, 0, src, dst, P_UDP, 16384 + 2 * s, 5004, 0, pay, paylen,
	    ipid);
	pad(f);
}

/* ARP request: who has 192.168.1.1, tell 192.168.1.x. */
static void
arp(struct frame *f, unsigned k)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t smac[6] = { 0x02, 0, 0, 0, 0x03, 0 };
	uint8_t spa[4], tpa[4];

	smac[5] = (uint8_t)k;
	v4(spa, 192, 168, 1, 20 + k);
	v4(tpa, 192, 168, 1, 1);
	putn(f, bcast, 6);
	putn(f, smac, 6);
	put16(f, 0x0806);
	put16(f, 1);		/* Ethernet */
	put16(f, 0x0800);	/* IPv4 */
	put8(f, 6);
	put8(f, 4);
	put16(f, 1);		/* request */
	putn(f, smac, 6);
	putn(f, spa, 4);
	put32(f, 0);
	put16(f, 0);
	putn(f, tpa, 4);
	pad(f);
}

/* One MPLS packet (label 1000) carrying IPv4/UDP: never tapped. */
static void
mpls(struct frame *f, struct rng *r, unsigned ipid)
{
	uint8_t src[4], dst[4], pay[256];
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0x04, 0x01 };
	size_t paylen = fill_dns(r, pay, 0, 0);

	v4(src, 192, 168, 1, 10);
	v4(dst, 8, 8, 8, 8);
	eth(f, mac, 0, 0, 0x8847);
	put32(f, 1000u << 12 | 1u << 8 | 64u);	/* label, S, TTL */
	ip_l4(f, 0, src, dst, P_UDP, 40000, 53, 0, pay, paylen, ipid);
	pad(f);
}

/* An IPv4 non-first fragment of a UDP datagram (offset 1480). */
static void
fragment(struct frame *f, struct rng *r, unsigned ipid)
{
	uint8_t src[4], dst[4], pay[200];
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0x05, 0x01 };
	size_t ip;

	v4(src, 8, 8, 8, 8);
	v4(dst, 192, 168, 1, 10);
	eth(f, mac, 0, 0, 0x0800);
	ip = f->len;
	put16(f, 0x4500);
	put16(f, 20 + 200);
	put16(f, ipid);
	put16(f, 1480 / 8);	/* MF 0, offset 185 */
	put8(f, 64);
	put8(f, P_UDP);
	put16(f, 0);
	putn(f, src, 4);
	putn(f, dst, 4);
	set16(f, ip + 10, ft_csum_fold(ft_csum_add(0, f->b + ip, 20)));
	fill_random(r, pay, sizeof(pay));
	putn(f, pay, sizeof(pay));
}

/* A TCP packet 1.2.3.4 -> 3.4.5.6 captured only 10 bytes into IPv4. */
static size_t
truncated(struct frame *f, struct rng *r, unsigned ipid)
{
	uint8_t src[4], dst[4], pay[300];
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0x06, 0x01 };

	v4(src, 1, 2, 3, 4);
	v4(dst, 3, 4, 5, 6);
	eth(f, mac, 0, 0, 0x0800);
	fill_text(r, pay, sizeof(pay));
	ip_l4(f, 0, src, dst, P_TCP, 40001, 80, 7, pay, sizeof(pay), ipid);
	return 14 + 10;
}

static int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (s[0] == '\0' || strlen(s) > 10)
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: gentrace [--seed N] [--packets N] "
	    "OUT.pcap\n");
}

/* What the special background slots hold. */
enum special { S_NONE, S_ARP, S_MPLS, S_FRAG, S_TRUNC };

static enum special
special_at(uint32_t j, uint32_t nbg, unsigned *k)
{
	/* Positions as fractions (per mille) of the background. */
	static const unsigned arp_pm[] = { 50, 250, 450, 650, 850 };
	size_t i;

	for (i = 0; i < sizeof(arp_pm) / sizeof(arp_pm[0]); i++)
		if (j == (uint64_t)nbg * arp_pm[i] / 1000) {
			*k = (unsigned)i;
			return S_ARP;
		}
	if (j == (uint64_t)nbg * 300 / 1000 + 1)
		return S_MPLS;
	if (j == (uint64_t)nbg * 500 / 1000 + 1)
		return S_FRAG;
	if (j == (uint64_t)nbg * 700 / 1000 + 1)
		return S_TRUNC;
	return S_NONE;
}

int
main(int argc, char **argv)
{
	uint32_t seed = DEF_SEED, npk = DEF_PACKETS, nburst, nbg, j = 0, k = 0;
	uint64_t last = 0, tbg, tb, t, step;
	const char *out = NULL;
	struct pcap_pkthdr hdr;
	pcap_dumper_t *d;
	struct frame f;
	struct rng r;
	unsigned ipid = 1;
	pcap_t *p;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			if (parse_u32(argv[++i], 0, UINT32_MAX, &seed) != 0) {
				fprintf(stderr, "gentrace: bad --seed '%s'\n",
				    argv[i]);
				return 2;
			}
		} else if (strcmp(argv[i], "--packets") == 0 && i + 1 < argc) {
			if (parse_u32(argv[++i], 1, PACKETS_MAX, &npk) != 0) {
				fprintf(stderr, "gentrace: bad --packets '%s' "
				    "(1..%u)\n", argv[i], PACKETS_MAX);
				return 2;
			}
		} else if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage();
			return 0;
		} else if (argv[i][0] == '-' || out != NULL) {
			usage();
			return 2;
		} else {
			out = argv[i];
		}
	}
	if (out == NULL) {
		usage();
		return 2;
	}
	/* xorshift64 must not start at 0; mix the seed (splitmix64 step). */
	r.s = (uint64_t)seed + 0x9e3779b97f4a7c15ull;
	r.s = (r.s ^ (r.s >> 30)) * 0xbf58476d1ce4e5b9ull;
	r.s = (r.s ^ (r.s >> 27)) * 0x94d049bb133111ebull;
	r.s ^= r.s >> 31;
	if (r.s == 0)
		r.s = 1;
	flows_init();

	nburst = (uint32_t)((uint64_t)npk * 5 / 6);
	nbg = npk - nburst;
	step = SPAN_NS / (nbg == 0 ? 1 : nbg);

	p = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 262144,
	    PCAP_TSTAMP_PRECISION_NANO);
	if (p == NULL) {
		fprintf(stderr, "gentrace: pcap_open_dead failed\n");
		return 1;
	}
	if ((d = pcap_dump_open(p, out)) == NULL) {
		fprintf(stderr, "gentrace: %s\n", pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	/* Merge two increasing time lines: background and burst. */
	tbg = step / 4;
	tb = BURST_AT_NS;
	while (j < nbg || k < nburst) {
		size_t caplen;
		unsigned ak = 0;

		f.len = 0;
		if (j < nbg && (k == nburst || tbg <= tb)) {
			t = tbg;
			caplen = 0;
			switch (special_at(j, nbg, &ak)) {
			case S_ARP:
				arp(&f, ak);
				break;
			case S_MPLS:
				mpls(&f, &r, ipid++);
				break;
			case S_FRAG:
				fragment(&f, &r, ipid++);
				break;
			case S_TRUNC:
				caplen = truncated(&f, &r, ipid++);
				break;
			case S_NONE:
				background(&f, &r, ipid++);
				break;
			}
			if (caplen == 0)
				caplen = f.len;
			j++;
			tbg = (uint64_t)j * step + step / 4 +
			    below(&r, (uint32_t)(step / 2 > 1 ? step / 2 :
			    1));
		} else {
			t = tb;
			burst(&f, &r, ipid++);
			caplen = f.len;
			k++;
			tb = BURST_AT_NS + (uint64_t)k * BURST_SPAN_NS /
			    (nburst == 0 ? 1 : nburst);
		}
		if (t <= last && (j + k) > 1)
			t = last + 1;
		last = t;
		ipid &= 0xffff;
		hdr.ts.tv_sec = (time_t)(START_SEC + t / 1000000000u);
		/* In a nanosecond dump, tv_usec carries nanoseconds. */
		hdr.ts.tv_usec = (suseconds_t)(t % 1000000000u);
		hdr.caplen = (uint32_t)caplen;
		hdr.len = (uint32_t)f.len;
		pcap_dump((u_char *)d, &hdr, f.b);
	}
	if (pcap_dump_flush(d) != 0 || ferror(pcap_dump_file(d))) {
		fprintf(stderr, "gentrace: '%s': write failed: %s\n", out,
		    strerror(errno));
		pcap_dump_close(d);
		pcap_close(p);
		return 1;
	}
	pcap_dump_close(d);
	pcap_close(p);
	return 0;
}
