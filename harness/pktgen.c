/*
 * pktgen.c - the conformance suites' packet generator: a small text
 * description of packets in, a pcap or pcapng out (issue 3's packet
 * description language; suites/README.md).
 *
 *   pktgen [--seed N] IN.txt OUT
 *
 * One packet per line, '#' comments, tokens separated by spaces or tabs:
 *
 *   linktype NAME          before the first packet: en10mb (default), raw,
 *                          ipv4, ipv6, null, null-be, loop, sll, sll2, or
 *                          a number (an unsupported link type: the IP
 *                          packet is written as the whole frame)
 *   format pcap|pcapng     before the first packet: the output format
 *                          (default pcap)
 *   AT [if=NAME] [eth] [vlan=ID] [qinq=ID] [mpls=LABEL] L3 [L4]
 *      [payload=N] [pad=N] [caplen=N]
 *   AT [if=NAME] [eth] arp [pad=N] [caplen=N]
 *   repeat COUNT every SECONDS [each N] AT <the rest of a packet line>
 *                          (each N: N identical packets at every instant)
 *
 *   L3: ipv4 SRC > DST [ttl=N] [id=N] [opts=N] [frag=OFF8] [mf] [tos=N]
 *       ipv6 SRC > DST [hlim=N] [ext=hbh,dst,rt,ah,frag:OFF8[:m]]
 *   L4: tcp SPORT > DPORT [flags=SAPFRU], udp SPORT > DPORT,
 *       sctp SPORT > DPORT, icmp TYPE/CODE, proto=N
 *
 * AT is decimal seconds (up to ns) after 1297612600 (2011-02-13
 * 15:56:40 UTC). Timestamps are written with nanosecond precision.
 *
 * pcap goes through libpcap's dumper (host byte order). pcapng is
 * written here, little-endian: one SHB (version 1.0, no options), one
 * IDB per distinct if= name in order of first use (the file's link type
 * as a LINKTYPE value, a number as is; snaplen 262144; if_name;
 * if_tsresol 9), each packet an EPB on its interface. A packet without
 * if= is on the first interface of the file; when it comes before any
 * if=, that interface is named "if0". A description without packets
 * still gets an SHB and the IDB "if0" (readers want one interface).
 * Checksums (IPv4 header, TCP, UDP, ICMP, ICMPv6, SCTP CRC32c) are
 * computed over the whole packet before caplen= cuts the record.
 * The payload is a deterministic pattern of --seed (default 1).
 *
 * Errors are one line "FILE:LINE: what" on stderr, exit status 1; usage
 * errors exit 2. The same input always gives the same bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <pcap/pcap.h>

#include "csum.h"
#include "limits.h"
#include "num.h"

#define BASE_SEC	1297612600u	/* 2011-02-13 15:56:40 UTC */
#define MAX_SEC		1000000u	/* largest AT offset */
#define PKT_MAX		70000u		/* one frame, link header included */
#define IP_MAX		65535u		/* largest IP packet */
#define PAYLOAD_MAX	65000u
#define PAD_MAX		1500u
#define LINE_MAX_LEN	4096u
#define TOK_MAX		64u
#define REPEAT_MAX	1000000u
#define TAGS_MAX	2u
#define EXT_MAX		8u
#define SNAPLEN		262144
#define IFS_MAX		256u		/* pcapng interfaces */
#define IFNAME_MAX	FT_NAME_MAX	/* bytes of an if= name */
#define DEFAULT_IF	"if0"

enum lt {
	LT_EN10MB, LT_RAW, LT_IPV4, LT_IPV6, LT_NULL, LT_NULL_BE, LT_LOOP,
	LT_SLL, LT_SLL2, LT_OTHER
};

enum ext {
	EXT_HBH, EXT_DST, EXT_RT, EXT_AH, EXT_FRAG
};

struct extspec {
	enum ext kind;
	uint16_t off8;
	int more;
};

struct pkt {
	uint64_t at_ns;
	/* link */
	unsigned ntags;
	uint16_t tag_id[TAGS_MAX];
	int tag_qinq[TAGS_MAX];
	int has_mpls;
	uint32_t mpls_label;
	int arp;
	/* IP */
	int family;			/* 4, 6 or 0 (none yet) */
	uint8_t src[16], dst[16];
	unsigned ttl, ipid, opts, frag, mf, tos;
	unsigned next;			/* L4 protocol number */
	unsigned next_set;
	struct extspec ext[EXT_MAX];
	unsigned next_ext;
	/* L4 */
	enum { L4_NONE, L4_TCP, L4_UDP, L4_SCTP, L4_ICMP } l4;
	unsigned sport, dport, tcpflags, itype, icode;
	/* tail */
	unsigned payload, pad;
	int caplen_set;
	unsigned caplen;
	const char *ifname;		/* if=, in the line buffer; or NULL */
};

struct gen {
	const char *name;
	unsigned line;
	enum lt lt;
	int dlt;
	uint32_t seed;
	pcap_t *pd;
	pcap_dumper_t *dump;
	uint8_t buf[PKT_MAX];
	unsigned long count;
	/* format pcapng */
	int pcapng;
	uint32_t linktype;		/* LINKTYPE value for the IDBs */
	FILE *ng;
	char ifs[IFS_MAX][IFNAME_MAX + 1];
	unsigned nifs;
};

static int fail(const struct gen *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print "FILE:LINE: what" on stderr; always returns -1. */
static int
fail(const struct gen *g, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%u: ", g->name, g->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* Parse an unsigned number token of at most max. */
static int
num(const struct gen *g, const char *what, const char *s, uint64_t max,
    unsigned *out)
{
	uint64_t v;

	if (ft_num_u64(s, strlen(s), 20, 0, max, &v) != 0) {
		fprintf(stderr, "%s:%u: bad %s '%s' (0..%llu)\n", g->name,
		    g->line, what, s, (unsigned long long)max);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* The value of "key=value" when tok starts with key=, else NULL. */
static const char *
kv(const char *tok, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(tok, key, n) == 0 && tok[n] == '=')
		return tok + n + 1;
	return NULL;
}

static int
parse_time(const struct gen *g, const char *s, uint64_t *ns)
{
	if (ft_num_seconds_ns(s, strlen(s), MAX_SEC, ns) != 0)
		return fail(g, "bad time '%s' (decimal seconds, up to 9 "
		    "fractional digits)", s);
	return 0;
}

static int
parse_addr(const struct gen *g, struct pkt *p, const char *s, uint8_t *out)
{
	int r;

	if (p->family == 4)
		r = inet_pton(AF_INET, s, out);
	else
		r = inet_pton(AF_INET6, s, out);
	if (r != 1)
		return fail(g, "bad address '%s'", s);
	return 0;
}

static int
parse_ext(const struct gen *g, struct pkt *p, const char *s)
{
	char item[TOK_MAX];
	const char *c = s;

	while (*c != '\0') {
		const char *end = strchr(c, ',');
		size_t n = end != NULL ? (size_t)(end - c) : strlen(c);
		struct extspec *e;

		if (n == 0 || n >= sizeof(item))
			return fail(g, "bad ext= list '%s'", s);
		if (p->next_ext >= EXT_MAX)
			return fail(g, "more than 8 extension headers in '%s'",
			    s);
		memcpy(item, c, n);
		item[n] = '\0';
		e = &p->ext[p->next_ext];
		memset(e, 0, sizeof(*e));
		if (strcmp(item, "hbh") == 0)
			e->kind = EXT_HBH;
		else if (strcmp(item, "dst") == 0)
			e->kind = EXT_DST;
		else if (strcmp(item, "rt") == 0)
			e->kind = EXT_RT;
		else if (strcmp(item, "ah") == 0)
			e->kind = EXT_AH;
		else if (strncmp(item, "frag:", 5) == 0) {
			char *m = strchr(item + 5, ':');
			unsigned off;

			e->kind = EXT_FRAG;
			if (m != NULL) {
				if (strcmp(m, ":m") != 0)
					return fail(g, "bad fragment '%s' "
					    "(frag:OFFSET8[:m])", item);
				*m = '\0';
				e->more = 1;
			}
			if (num(g, "fragment offset", item + 5, 8191,
			    &off) != 0)
				return -1;
			e->off8 = (uint16_t)off;
		} else
			return fail(g, "unknown extension header '%s'", item);
		p->next_ext++;
		c += n;
		if (*c == ',')
			c++;
	}
	return 0;
}

static int
parse_tcpflags(const struct gen *g, const char *s, unsigned *out)
{
	unsigned f = 0;

	for (; *s != '\0'; s++) {
		switch (*s) {
		case 'F': f |= 0x01; break;
		case 'S': f |= 0x02; break;
		case 'R': f |= 0x04; break;
		case 'P': f |= 0x08; break;
		case 'A': f |= 0x10; break;
		case 'U': f |= 0x20; break;
		default:
			return fail(g, "bad TCP flag in '%s' (F S R P A U)", s);
		}
	}
	*out = f;
	return 0;
}

/* "SPORT > DPORT" starting at tok[i]; advances *i past it. */
static int
parse_ports(const struct gen *g, char **tok, unsigned ntok, unsigned *i,
    struct pkt *p)
{
	if (*i + 3 > ntok || strcmp(tok[*i + 1], ">") != 0)
		return fail(g, "expected 'SPORT > DPORT' after '%s'",
		    tok[*i - 1]);
	if (num(g, "port", tok[*i], 65535, &p->sport) != 0 ||
	    num(g, "port", tok[*i + 2], 65535, &p->dport) != 0)
		return -1;
	*i += 3;
	return 0;
}

/* Parse the packet tokens tok[i..ntok) (after AT) into p. */
static int
parse_packet(const struct gen *g, char **tok, unsigned ntok, unsigned i,
    struct pkt *p)
{
	int seen_l3 = 0;
	unsigned n;

	p->ttl = 64;
	for (; i < ntok; i++) {
		const char *t = tok[i], *v;

		if ((v = kv(t, "if")) != NULL) {
			if (!g->pcapng)
				return fail(g, "'%s' needs 'format pcapng'", t);
			if (p->ifname != NULL)
				return fail(g, "second interface at '%s'", t);
			if (v[0] == '\0' || strlen(v) > IFNAME_MAX)
				return fail(g, "bad interface name '%s' (1..%u "
				    "bytes)", v, (unsigned)IFNAME_MAX);
			p->ifname = v;
		} else if (strcmp(t, "eth") == 0 && !seen_l3) {
			if (g->lt != LT_EN10MB)
				return fail(g, "'%s' needs linktype en10mb", t);
		} else if (((v = kv(t, "vlan")) != NULL ||
		    (v = kv(t, "qinq")) != NULL) && !seen_l3) {
			if (g->lt != LT_EN10MB)
				return fail(g, "'%s' needs linktype en10mb", t);
			if (p->ntags >= TAGS_MAX)
				return fail(g, "more than two tags at '%s'", t);
			if (num(g, "VLAN ID", v, 4095, &n) != 0)
				return -1;
			p->tag_id[p->ntags] = (uint16_t)n;
			p->tag_qinq[p->ntags] = t[0] == 'q';
			p->ntags++;
		} else if ((v = kv(t, "mpls")) != NULL && !seen_l3) {
			if (g->lt != LT_EN10MB)
				return fail(g, "'%s' needs linktype en10mb", t);
			if (num(g, "MPLS label", v, 1048575, &n) != 0)
				return -1;
			p->mpls_label = n;
			p->has_mpls = 1;
		} else if (strcmp(t, "arp") == 0 && !seen_l3) {
			if (g->lt != LT_EN10MB)
				return fail(g, "'%s' needs linktype en10mb", t);
			p->arp = 1;
			seen_l3 = 1;
		} else if ((strcmp(t, "ipv4") == 0 || strcmp(t, "ipv6") == 0)
		    && !seen_l3) {
			p->family = t[3] == '4' ? 4 : 6;
			if (p->has_mpls && p->family != 4)
				return fail(g, "%s", "mpls= carries ipv4 only");
			if (i + 4 > ntok || strcmp(tok[i + 2], ">") != 0)
				return fail(g, "expected '%s SRC > DST'", t);
			if (parse_addr(g, p, tok[i + 1], p->src) != 0 ||
			    parse_addr(g, p, tok[i + 3], p->dst) != 0)
				return -1;
			i += 3;
			seen_l3 = 1;
		} else if (!seen_l3) {
			return fail(g, "expected ipv4, ipv6 or arp at '%s'", t);
		} else if ((v = kv(t, "ttl")) != NULL && p->family == 4) {
			if (num(g, "ttl", v, 255, &p->ttl) != 0)
				return -1;
		} else if ((v = kv(t, "hlim")) != NULL && p->family == 6) {
			if (num(g, "hlim", v, 255, &p->ttl) != 0)
				return -1;
		} else if ((v = kv(t, "id")) != NULL && p->family == 4) {
			if (num(g, "id", v, 65535, &p->ipid) != 0)
				return -1;
		} else if ((v = kv(t, "opts")) != NULL && p->family == 4) {
			if (num(g, "opts", v, 10, &p->opts) != 0)
				return -1;
		} else if ((v = kv(t, "frag")) != NULL && p->family == 4) {
			if (num(g, "fragment offset", v, 8191, &p->frag) != 0)
				return -1;
		} else if (strcmp(t, "mf") == 0 && p->family == 4) {
			p->mf = 1;
		} else if ((v = kv(t, "tos")) != NULL && p->family == 4) {
			if (num(g, "tos", v, 255, &p->tos) != 0)
				return -1;
		} else if ((v = kv(t, "ext")) != NULL && p->family == 6) {
			if (parse_ext(g, p, v) != 0)
				return -1;
		} else if (p->l4 == L4_NONE && !p->next_set && !p->arp &&
		    (strcmp(t, "tcp") == 0 || strcmp(t, "udp") == 0 ||
		    strcmp(t, "sctp") == 0)) {
			i++;
			if (parse_ports(g, tok, ntok, &i, p) != 0)
				return -1;
			i--;
			if (t[0] == 't') {
				p->l4 = L4_TCP;
				p->next = 6;
				p->tcpflags = 0x10;
			} else if (t[0] == 'u') {
				p->l4 = L4_UDP;
				p->next = 17;
			} else {
				p->l4 = L4_SCTP;
				p->next = 132;
			}
			p->next_set = 1;
		} else if ((v = kv(t, "flags")) != NULL && p->l4 == L4_TCP) {
			if (parse_tcpflags(g, v, &p->tcpflags) != 0)
				return -1;
		} else if (strcmp(t, "icmp") == 0 && p->l4 == L4_NONE &&
		    !p->next_set && !p->arp) {
			char tc[TOK_MAX], *slash;

			if (i + 1 >= ntok || strlen(tok[i + 1]) >= sizeof(tc))
				return fail(g, "%s", "expected 'icmp TYPE/CODE'");
			memcpy(tc, tok[i + 1], strlen(tok[i + 1]) + 1);
			slash = strchr(tc, '/');
			if (slash == NULL)
				return fail(g, "expected TYPE/CODE, not '%s'",
				    tok[i + 1]);
			*slash = '\0';
			if (num(g, "ICMP type", tc, 255, &p->itype) != 0 ||
			    num(g, "ICMP code", slash + 1, 255, &p->icode) != 0)
				return -1;
			p->l4 = L4_ICMP;
			p->next = p->family == 4 ? 1 : 58;
			p->next_set = 1;
			i++;
		} else if ((v = kv(t, "proto")) != NULL && p->l4 == L4_NONE &&
		    !p->next_set && !p->arp) {
			if (num(g, "protocol", v, 255, &p->next) != 0)
				return -1;
			p->next_set = 1;
		} else if ((v = kv(t, "payload")) != NULL && !p->arp) {
			if (num(g, "payload", v, PAYLOAD_MAX, &p->payload) != 0)
				return -1;
		} else if ((v = kv(t, "pad")) != NULL) {
			if (num(g, "pad", v, PAD_MAX, &p->pad) != 0)
				return -1;
		} else if ((v = kv(t, "caplen")) != NULL) {
			if (num(g, "caplen", v, PKT_MAX, &p->caplen) != 0)
				return -1;
			p->caplen_set = 1;
		} else
			return fail(g, "unexpected token '%s'", t);
	}
	if (!seen_l3)
		return fail(g, "%s", "a packet needs ipv4, ipv6 or arp");
	if (g->lt != LT_EN10MB && g->lt != LT_SLL && g->lt != LT_SLL2 &&
	    p->pad != 0)
		return fail(g, "%s", "pad= needs a link type with a length-free "
		    "header (en10mb, sll, sll2)");
	if (!p->next_set)	/* IPv6 "no next header"; IPv4 experimental */
		p->next = p->family == 6 ? 59 : 253;
	return 0;
}

/* ---- packet building ---- */

struct out {
	uint8_t *b;
	size_t len;
	size_t cap;
};

static void
put8(struct out *o, unsigned v)
{
	if (o->len < o->cap)
		o->b[o->len] = (uint8_t)v;
	o->len++;
}

static void
put16(struct out *o, unsigned v)
{
	put8(o, (v >> 8) & 0xff);
	put8(o, v & 0xff);
}

static void
put32(struct out *o, uint32_t v)
{
	put16(o, (v >> 16) & 0xffff);
	put16(o, v & 0xffff);
}

static void
putn(struct out *o, const uint8_t *b, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		put8(o, b[k]);
}

static void
set16(uint8_t *b, unsigned v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/* CRC32c (Castagnoli, reflected 0x82f63b78), bitwise. */
static uint32_t
crc32c(const uint8_t *b, size_t n)
{
	uint32_t c = 0xffffffffu;
	size_t k;
	int j;

	for (k = 0; k < n; k++) {
		c ^= b[k];
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1u)));
	}
	return ~c;
}

/* The deterministic payload pattern: byte k of the payload. */
static uint8_t
pattern(uint32_t seed, size_t k)
{
	uint32_t x = (uint32_t)k * 2654435761u + seed * 40503u;

	return (uint8_t)(x >> 13);
}

/* Write the L4 header and payload at o; return its start. */
static size_t
build_l4(const struct gen *g, const struct pkt *p, struct out *o)
{
	size_t start = o->len, k;

	switch (p->l4) {
	case L4_TCP:
		put16(o, p->sport);
		put16(o, p->dport);
		put32(o, 1000);				/* seq */
		put32(o, (p->tcpflags & 0x10) ? 1 : 0);	/* ack */
		put8(o, 5 << 4);
		put8(o, p->tcpflags);
		put16(o, 65535);			/* window */
		put16(o, 0);				/* checksum */
		put16(o, 0);				/* urgent */
		break;
	case L4_UDP:
		put16(o, p->sport);
		put16(o, p->dport);
		put16(o, 8 + p->payload);
		put16(o, 0);
		break;
	case L4_SCTP:
		put16(o, p->sport);
		put16(o, p->dport);
		put32(o, 0x5ca1ab1e);			/* verification tag */
		put32(o, 0);				/* CRC32c */
		if (p->payload > 0) {
			/* one DATA chunk carrying the payload */
			put8(o, 0);
			put8(o, 3);			/* B and E bits */
			put16(o, 16 + p->payload);
			put32(o, 1);			/* TSN */
			put16(o, 0);			/* stream */
			put16(o, 0);			/* stream seq */
			put32(o, 0);			/* PPID */
		}
		break;
	case L4_ICMP:
		put8(o, p->itype);
		put8(o, p->icode);
		put16(o, 0);
		put16(o, 0x4654);			/* id "FT" */
		put16(o, 1);				/* seq */
		break;
	case L4_NONE:
		break;
	}
	for (k = 0; k < p->payload; k++)
		put8(o, pattern(g->seed, k));
	if (p->l4 == L4_SCTP && p->payload > 0)
		while ((o->len - start) % 4 != 0)
			put8(o, 0);
	return start;
}

/* Fill in the L4 checksum of the segment at b[0..n). */
static void
l4_checksum(const struct pkt *p, uint8_t *b, size_t n)
{
	uint64_t s = 0;
	unsigned c;
	uint8_t ph[4];

	if (p->l4 == L4_NONE)
		return;
	if (p->l4 == L4_SCTP) {
		uint32_t crc = crc32c(b, n);

		/* CRC32c goes in little-endian byte order (RFC 4960 B) */
		b[8] = (uint8_t)crc;
		b[9] = (uint8_t)(crc >> 8);
		b[10] = (uint8_t)(crc >> 16);
		b[11] = (uint8_t)(crc >> 24);
		return;
	}
	if (!(p->l4 == L4_ICMP && p->family == 4)) {
		size_t alen = p->family == 4 ? 4 : 16;

		s = ft_csum_add(s, p->src, alen);
		s = ft_csum_add(s, p->dst, alen);
		ph[0] = 0;
		ph[1] = (uint8_t)p->next;
		set16(ph + 2, (unsigned)n);
		s = ft_csum_add(s, ph, 4);
		if (p->family == 6) {
			s += (uint32_t)(n >> 16);
		}
	}
	s = ft_csum_add(s, b, n);
	c = ft_csum_fold(s);
	if (p->l4 == L4_UDP && c == 0)
		c = 0xffff;
	switch (p->l4) {
	case L4_TCP:
		set16(b + 16, c);
		break;
	case L4_UDP:
		set16(b + 6, c);
		break;
	default:
		set16(b + 2, c);
		break;
	}
}

static unsigned
ext_proto(enum ext k)
{
	switch (k) {
	case EXT_HBH: return 0;
	case EXT_DST: return 60;
	case EXT_RT: return 43;
	case EXT_AH: return 51;
	case EXT_FRAG: return 44;
	}
	return 59;
}

/* Build the IP packet into o. Returns 0 or -1. */
static int
build_ip(struct gen *g, const struct pkt *p, struct out *o)
{
	size_t ip = o->len, l4, k;

	if (p->family == 4) {
		unsigned hl = 5 + p->opts;

		put8(o, 0x40 | hl);
		put8(o, p->tos);
		put16(o, 0);			/* total length */
		put16(o, p->ipid);
		put16(o, (p->mf ? 0x2000 : 0) | p->frag);
		put8(o, p->ttl);
		put8(o, p->next);
		put16(o, 0);
		putn(o, p->src, 4);
		putn(o, p->dst, 4);
		for (k = 0; k < p->opts * 4u; k++)
			put8(o, 1);		/* NOP */
		l4 = build_l4(g, p, o);
		if (o->len - ip > IP_MAX || o->len > o->cap)
			return fail(g, "%s", "packet longer than 65535 bytes");
		set16(o->b + ip + 2, (unsigned)(o->len - ip));
		if (p->frag == 0)
			l4_checksum(p, o->b + l4, o->len - l4);
		set16(o->b + ip + 10, ft_csum_fold(ft_csum_add(0, o->b + ip, hl * 4u)));
		return 0;
	}
	put32(o, 0x60000000u);
	put16(o, 0);				/* payload length */
	put8(o, p->next_ext > 0 ? ext_proto(p->ext[0].kind) : p->next);
	put8(o, p->ttl);
	putn(o, p->src, 16);
	putn(o, p->dst, 16);
	{
		int first = 1;

		for (k = 0; k < p->next_ext; k++) {
			const struct extspec *e = &p->ext[k];
			unsigned nx = k + 1 < p->next_ext ?
			    ext_proto(p->ext[k + 1].kind) : p->next;

			switch (e->kind) {
			case EXT_HBH:
			case EXT_DST:
				put8(o, nx);
				put8(o, 0);
				put8(o, 1);	/* PadN, 4 bytes */
				put8(o, 4);
				put32(o, 0);
				break;
			case EXT_RT:
				/* type 4 (segment routing) would need a SID;
				 * a type 0 header with no address and
				 * segments left 0 is the shortest valid one */
				put8(o, nx);
				put8(o, 0);
				put8(o, 0);
				put8(o, 0);
				put32(o, 0);
				break;
			case EXT_AH:
				put8(o, nx);
				put8(o, 4);	/* (24 / 4) - 2 */
				put16(o, 0);
				put32(o, 0x100);	/* SPI */
				put32(o, 1);		/* sequence */
				put32(o, 0);		/* ICV, 96 bits */
				put32(o, 0);
				put32(o, 0);
				break;
			case EXT_FRAG:
				put8(o, nx);
				put8(o, 0);
				put16(o, (unsigned)e->off8 << 3 |
				    (e->more ? 1 : 0));
				put32(o, 0x46540001u);
				if (e->off8 != 0)
					first = 0;
				break;
			}
		}
		l4 = build_l4(g, p, o);
		if (o->len - ip - 40 > IP_MAX || o->len > o->cap)
			return fail(g, "%s", "IPv6 payload longer than 65535 "
			    "bytes");
		set16(o->b + ip + 4, (unsigned)(o->len - ip - 40));
		if (first)
			l4_checksum(p, o->b + l4, o->len - l4);
	}
	return 0;
}

/* ---- pcapng output (little-endian) ---- */

static void
le16(uint8_t *b, unsigned v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
}

static void
le32(uint8_t *b, uint32_t v)
{
	le16(b, v & 0xffff);
	le16(b + 2, v >> 16);
}

/* Write n bytes; a failure shows at the final fflush/fclose check. */
static void
ng_write(struct gen *g, const void *b, size_t n)
{
	(void)fwrite(b, 1, n, g->ng);
}

/* Section Header Block: byte-order magic, 1.0, section length -1. */
static void
ng_shb(struct gen *g)
{
	uint8_t b[28];

	le32(b, 0x0A0D0D0Au);
	le32(b + 4, sizeof(b));
	le32(b + 8, 0x1A2B3C4Du);
	le16(b + 12, 1);
	le16(b + 14, 0);
	memset(b + 16, 0xff, 8);
	le32(b + 24, sizeof(b));
	ng_write(g, b, sizeof(b));
}

/* Interface Description Block: link type, snaplen, if_name, if_tsresol. */
static void
ng_idb(struct gen *g, const char *name)
{
	uint8_t b[16 + 4 + IFNAME_MAX + 3 + 8 + 4 + 4];
	size_t n = strlen(name), pad = (4 - n % 4) % 4, k = 0, len;

	len = 16 + 4 + n + pad + 8 + 4 + 4;
	le32(b, 1);
	le32(b + 4, (uint32_t)len);
	le16(b + 8, g->linktype & 0xffff);
	le16(b + 10, 0);
	le32(b + 12, SNAPLEN);
	k = 16;
	le16(b + k, 2);				/* if_name */
	le16(b + k + 2, (unsigned)n);
	memcpy(b + k + 4, name, n);
	memset(b + k + 4 + n, 0, pad);
	k += 4 + n + pad;
	le16(b + k, 9);				/* if_tsresol: 10^-9 */
	le16(b + k + 2, 1);
	le32(b + k + 4, 9);
	k += 8;
	le32(b + k, 0);				/* opt_endofopt */
	le32(b + k + 4, (uint32_t)len);
	ng_write(g, b, len);
}

/* Interface index of name (NULL: the first), writing its IDB if new. */
static int
ng_iface(struct gen *g, const char *name)
{
	unsigned k;

	if (name == NULL) {
		if (g->nifs > 0)
			return 0;
		name = DEFAULT_IF;
	}
	for (k = 0; k < g->nifs; k++)
		if (strcmp(g->ifs[k], name) == 0)
			return (int)k;
	if (g->nifs >= IFS_MAX)
		return fail(g, "more than %u interfaces at 'if=%s'", IFS_MAX,
		    name);
	memcpy(g->ifs[g->nifs], name, strlen(name) + 1);
	ng_idb(g, name);
	return (int)g->nifs++;
}

/* Enhanced Packet Block: timestamp in ns (if_tsresol 9). */
static int
ng_epb(struct gen *g, const struct pkt *p, uint32_t caplen, uint32_t len)
{
	static const uint8_t zero[3];
	uint8_t h[28], t[4];
	uint64_t ts = (uint64_t)BASE_SEC * 1000000000u + p->at_ns;
	size_t pad = (4 - caplen % 4) % 4;
	uint32_t tl = (uint32_t)(28 + caplen + pad + 4);
	int ifid;

	ifid = ng_iface(g, p->ifname);
	if (ifid < 0)
		return -1;
	le32(h, 6);
	le32(h + 4, tl);
	le32(h + 8, (uint32_t)ifid);
	le32(h + 12, (uint32_t)(ts >> 32));
	le32(h + 16, (uint32_t)ts);
	le32(h + 20, caplen);
	le32(h + 24, len);
	le32(t, tl);
	ng_write(g, h, sizeof(h));
	ng_write(g, g->buf, caplen);
	ng_write(g, zero, pad);
	ng_write(g, t, sizeof(t));
	return 0;
}

static const uint8_t mac_dst[6] = { 0x00, 0x00, 0x5e, 0x00, 0x53, 0x02 };
static const uint8_t mac_src[6] = { 0x00, 0x00, 0x5e, 0x00, 0x53, 0x01 };

static int
emit(struct gen *g, const struct pkt *p)
{
	struct out o = { g->buf, 0, sizeof(g->buf) };
	struct pcap_pkthdr h;
	unsigned k, ethtype = p->family == 6 ? 0x86dd : 0x0800;

	if (p->has_mpls)
		ethtype = 0x8847;
	if (p->arp)
		ethtype = 0x0806;
	switch (g->lt) {
	case LT_EN10MB:
		putn(&o, mac_dst, 6);
		putn(&o, mac_src, 6);
		for (k = 0; k < p->ntags; k++) {
			put16(&o, p->tag_qinq[k] ? 0x88a8 : 0x8100);
			put16(&o, p->tag_id[k]);
		}
		put16(&o, ethtype);
		if (p->has_mpls)
			put32(&o, p->mpls_label << 12 | 1u << 8 | 64u);
		break;
	case LT_NULL:		/* little-endian AF word, as on x86 */
		put8(&o, p->family == 6 ? 24 : 2);
		put8(&o, 0);
		put16(&o, 0);
		break;
	case LT_NULL_BE:
	case LT_LOOP:
		put32(&o, p->family == 6 ? 24 : 2);
		break;
	case LT_SLL:
		put16(&o, 0);		/* to us */
		put16(&o, 1);		/* ARPHRD_ETHER */
		put16(&o, 6);
		putn(&o, mac_src, 6);
		put16(&o, 0);
		put16(&o, ethtype);
		break;
	case LT_SLL2:
		put16(&o, ethtype);
		put16(&o, 0);
		put32(&o, 1);		/* interface index */
		put16(&o, 1);		/* ARPHRD_ETHER */
		put8(&o, 0);		/* to us */
		put8(&o, 6);
		putn(&o, mac_src, 6);
		put16(&o, 0);
		break;
	case LT_RAW:
	case LT_IPV4:
	case LT_IPV6:
	case LT_OTHER:
		break;
	}
	if ((g->lt == LT_IPV4 && p->family != 4) ||
	    (g->lt == LT_IPV6 && p->family != 6))
		return fail(g, "%s", "the IP version does not match the "
		    "link type");
	if (p->arp) {
		static const uint8_t spa[4] = { 192, 0, 2, 1 };
		static const uint8_t tpa[4] = { 192, 0, 2, 2 };

		put16(&o, 1);
		put16(&o, 0x0800);
		put8(&o, 6);
		put8(&o, 4);
		put16(&o, 1);		/* request */
		putn(&o, mac_src, 6);
		putn(&o, spa, 4);
		for (k = 0; k < 6; k++)
			put8(&o, 0);
		putn(&o, tpa, 4);
	} else if (build_ip(g, p, &o) != 0)
		return -1;
	for (k = 0; k < p->pad; k++)
		put8(&o, 0);
	if (o.len > o.cap)
		return fail(g, "%s", "frame too long");
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(BASE_SEC + p->at_ns / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(p->at_ns % 1000000000u);
	h.len = (bpf_u_int32)o.len;
	h.caplen = (bpf_u_int32)o.len;
	if (p->caplen_set) {
		if (p->caplen > o.len)
			return fail(g, "%s", "caplen= longer than the packet");
		h.caplen = p->caplen;
	}
	if (g->pcapng) {
		if (ng_epb(g, p, h.caplen, h.len) != 0)
			return -1;
	} else
		pcap_dump((u_char *)g->dump, &h, g->buf);
	g->count++;
	return 0;
}

static int
set_linktype(struct gen *g, const char *s)
{
	/* DLT for libpcap's dumper, LINKTYPE for pcapng (RAW: 12 vs 101). */
	static const struct {
		const char *name;
		enum lt lt;
		int dlt;
		uint32_t linktype;
	} map[] = {
		{ "en10mb", LT_EN10MB, DLT_EN10MB, 1 },
		{ "raw", LT_RAW, DLT_RAW, 101 },
		{ "ipv4", LT_IPV4, 228, 228 },
		{ "ipv6", LT_IPV6, 229, 229 },
		{ "null", LT_NULL, DLT_NULL, 0 },
		{ "null-be", LT_NULL_BE, DLT_NULL, 0 },
		{ "loop", LT_LOOP, DLT_LOOP, 108 },
		{ "sll", LT_SLL, DLT_LINUX_SLL, 113 },
		{ "sll2", LT_SLL2, 276, 276 },
	};
	size_t k;
	unsigned v;

	for (k = 0; k < sizeof(map) / sizeof(map[0]); k++) {
		if (strcmp(s, map[k].name) == 0) {
			g->lt = map[k].lt;
			g->dlt = map[k].dlt;
			g->linktype = map[k].linktype;
			return 0;
		}
	}
	if (num(g, "link type", s, 65535, &v) != 0)
		return fail(g, "unknown link type '%s'", s);
	g->lt = LT_OTHER;
	g->dlt = (int)v;
	g->linktype = v;
	return 0;
}

static int
open_out(struct gen *g, const char *path)
{
	if (g->pcapng) {
		g->ng = fopen(path, "wb");
		if (g->ng == NULL) {
			fprintf(stderr, "pktgen: %s: %s\n", path,
			    strerror(errno));
			return -1;
		}
		ng_shb(g);
		return 0;
	}
	g->pd = pcap_open_dead_with_tstamp_precision(g->dlt, SNAPLEN,
	    PCAP_TSTAMP_PRECISION_NANO);
	if (g->pd == NULL) {
		fprintf(stderr, "pktgen: cannot use link type %d\n", g->dlt);
		return -1;
	}
	g->dump = pcap_dump_open(g->pd, path);
	if (g->dump == NULL) {
		fprintf(stderr, "pktgen: %s: %s\n", path, pcap_geterr(g->pd));
		return -1;
	}
	return 0;
}

/* Split line into at most TOK_MAX tokens; returns the count or -1. */
static int
split(const struct gen *g, char *line, char **tok)
{
	unsigned n = 0;
	char *c = line;

	for (;;) {
		while (*c == ' ' || *c == '\t' || *c == '\r' || *c == '\n')
			*c++ = '\0';
		if (*c == '\0' || *c == '#')
			break;
		if (n >= TOK_MAX)
			return fail(g, "%s", "more than 64 tokens");
		tok[n++] = c;
		while (*c != '\0' && *c != ' ' && *c != '\t' && *c != '\r' &&
		    *c != '\n')
			c++;
	}
	*c = '\0';
	return (int)n;
}

static int
do_line(struct gen *g, char *line, const char *outpath, int *opened)
{
	char *tok[TOK_MAX];
	struct pkt p;
	unsigned count = 1, k, first = 0, each = 1, e;
	uint64_t step = 0;
	int n = split(g, line, tok);

	if (n <= 0)
		return n;
	if (strcmp(tok[0], "linktype") == 0) {
		if (*opened)
			return fail(g, "%s", "linktype must come before the "
			    "first packet");
		if (n != 2)
			return fail(g, "%s", "linktype takes one NAME");
		if (set_linktype(g, tok[1]) != 0)
			return -1;
		return 0;
	}
	if (strcmp(tok[0], "format") == 0) {
		if (*opened)
			return fail(g, "%s", "format must come before the "
			    "first packet");
		if (n != 2 || (strcmp(tok[1], "pcap") != 0 &&
		    strcmp(tok[1], "pcapng") != 0))
			return fail(g, "%s", "format takes pcap or pcapng");
		g->pcapng = strcmp(tok[1], "pcapng") == 0;
		return 0;
	}
	if (!*opened) {
		if (open_out(g, outpath) != 0)
			return -1;
		*opened = 1;
	}
	if (strcmp(tok[0], "repeat") == 0) {
		if (n < 5 || strcmp(tok[2], "every") != 0)
			return fail(g, "%s", "expected 'repeat COUNT every "
			    "SECONDS AT ...'");
		if (num(g, "count", tok[1], REPEAT_MAX, &count) != 0 ||
		    parse_time(g, tok[3], &step) != 0)
			return -1;
		first = 4;
		/* "each N": N packets at each of the COUNT instants. */
		if ((unsigned)n > first + 1 && strcmp(tok[first], "each") == 0) {
			if (num(g, "each", tok[first + 1], REPEAT_MAX,
			    &each) != 0 || each == 0)
				return -1;
			first += 2;
		}
	}
	memset(&p, 0, sizeof(p));
	if (parse_time(g, tok[first], &p.at_ns) != 0 ||
	    parse_packet(g, tok, (unsigned)n, first + 1, &p) != 0)
		return -1;
	for (k = 0; k < count; k++) {
		for (e = 0; e < each; e++)
			if (emit(g, &p) != 0)
				return -1;
		p.at_ns += step;
	}
	return 0;
}

static int
usage(void)
{
	fputs("usage: pktgen [--seed N] IN.txt OUT.pcap|OUT.pcapng\n", stderr);
	return 2;
}

int
main(int argc, char **argv)
{
	static struct gen g;
	char line[LINE_MAX_LEN];
	FILE *in;
	int ai = 1, opened = 0, rc = 0;
	unsigned seed = 1;

	if (argc > 1 && strcmp(argv[1], "--seed") == 0) {
		g.name = "pktgen";
		if (argc < 3 || num(&g, "seed", argv[2], 0xffffffffu,
		    &seed) != 0)
			return usage();
		ai = 3;
	}
	if (argc - ai != 2)
		return usage();
	g.name = argv[ai];
	g.seed = seed;
	g.lt = LT_EN10MB;
	g.dlt = DLT_EN10MB;
	g.linktype = 1;
	in = fopen(argv[ai], "r");
	if (in == NULL) {
		fprintf(stderr, "pktgen: %s: %s\n", argv[ai], strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), in) != NULL) {
		g.line++;
		if (strchr(line, '\n') == NULL && !feof(in)) {
			fail(&g, "%s", "line longer than 4095 bytes");
			rc = 1;
			break;
		}
		if (do_line(&g, line, argv[ai + 1], &opened) != 0) {
			rc = 1;
			break;
		}
	}
	if (rc == 0 && ferror(in)) {
		fprintf(stderr, "pktgen: %s: read error\n", argv[ai]);
		rc = 1;
	}
	fclose(in);
	if (rc == 0 && !opened && open_out(&g, argv[ai + 1]) != 0)
		rc = 1;
	if (g.ng != NULL) {
		if (rc == 0 && g.nifs == 0)
			(void)ng_iface(&g, NULL);
		if (fflush(g.ng) != 0 || ferror(g.ng)) {
			fprintf(stderr, "pktgen: %s: write error\n",
			    argv[ai + 1]);
			rc = 1;
		}
		if (fclose(g.ng) != 0 && rc == 0) {
			fprintf(stderr, "pktgen: %s: write error\n",
			    argv[ai + 1]);
			rc = 1;
		}
	}
	if (g.dump != NULL) {
		if (pcap_dump_flush(g.dump) != 0) {
			fprintf(stderr, "pktgen: %s: write error\n",
			    argv[ai + 1]);
			rc = 1;
		}
		pcap_dump_close(g.dump);
	}
	if (g.pd != NULL)
		pcap_close(g.pd);
	if (rc != 0)
		remove(argv[ai + 1]);
	return rc;
}
