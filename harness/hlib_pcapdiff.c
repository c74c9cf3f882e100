/*
 * hlib_pcapdiff.c - the pcap-aware diff and the text diff shared by
 * ftharness and ftdiff. The byte comparison decides; the decode only
 * explains where two files part: the first differing packet, then its
 * record header, link layer, outer IP, UDP, jmirror and inner packet
 * fields, each as "packet N: LAYER FIELD: expected X, got Y".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "hlib.h"

#define MAX_FIELDS	96	/* decoded fields of one packet */
#define MAX_PKT_LINES	16	/* explanation lines for one packet */
#define MAX_LINE_SHOW	300	/* characters of a text line shown */
#define PCAP_HDR	24
#define REC_HDR		16

void
hl_buf_init(struct hl_buf *b)
{
	b->s = NULL;
	b->len = 0;
	b->cap = 0;
	b->full = 0;
}

void
hl_buf_release(struct hl_buf *b)
{
	free(b->s);
	hl_buf_init(b);
}

static int
buf_grow(struct hl_buf *b, size_t need)
{
	size_t ncap;
	char *ns;

	if (b->len + need + 1 <= b->cap)
		return 0;
	if (b->len + need + 1 > HL_BUF_MAX) {
		b->full = 1;
		return -1;
	}
	ncap = b->cap ? b->cap : 256;
	while (ncap < b->len + need + 1)
		ncap *= 2;
	if (ncap > HL_BUF_MAX)
		ncap = HL_BUF_MAX;
	ns = realloc(b->s, ncap);
	if (ns == NULL) {
		b->full = 1;
		return -1;
	}
	b->s = ns;
	b->cap = ncap;
	return 0;
}

void
hl_buf_put(struct hl_buf *b, const char *s, size_t n)
{
	if (b->full || buf_grow(b, n) != 0)
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
hl_buf_printf(struct hl_buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(tmp))
		n = (int)sizeof(tmp) - 1;
	hl_buf_put(b, tmp, (size_t)n);
}

int
hl_file_read(const char *path, unsigned char **out, size_t *len)
{
	FILE *f;
	unsigned char *buf = NULL, *nb;
	size_t cap = 0, n = 0, r;
	int saved;

	*out = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				saved = ENOMEM;
				goto fail;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		saved = EIO;
		goto fail;
	}
	fclose(f);
	if (buf == NULL) {
		buf = malloc(1);
		if (buf == NULL) {
			errno = ENOMEM;
			return -1;
		}
	}
	*out = buf;
	*len = n;
	return 0;
fail:
	fclose(f);
	free(buf);
	errno = saved;
	return -1;
}

/* ---- pcap reading ---- */

static uint32_t
rd32(const unsigned char *p, int swapped)
{
	if (swapped)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

static uint16_t
rd16(const unsigned char *p, int swapped)
{
	if (swapped)
		return (uint16_t)(p[0] << 8 | p[1]);
	return (uint16_t)(p[1] << 8 | p[0]);
}

void
hl_pcap_release(struct hl_pcap *p)
{
	free(p->buf);
	free(p->rec);
	memset(p, 0, sizeof(*p));
}

int
hl_pcap_load(const char *path, struct hl_pcap *p, char *err, size_t errlen)
{
	uint32_t magic;
	size_t off, cap = 0, idx;
	struct hl_rec *nr;

	memset(p, 0, sizeof(*p));
	if (hl_file_read(path, &p->buf, &p->size) != 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		    strerror(errno));
		return -1;
	}
	if (p->size < PCAP_HDR) {
		snprintf(err, errlen, "%s: not a pcap file (%zu bytes)",
		    path, p->size);
		goto fail;
	}
	magic = rd32(p->buf, 0);
	switch (magic) {
	case 0xa1b2c3d4:
		break;
	case 0xa1b23c4d:
		p->nano = 1;
		break;
	case 0xd4c3b2a1:
		p->swapped = 1;
		break;
	case 0x4d3cb2a1:
		p->swapped = 1;
		p->nano = 1;
		break;
	case 0x0a0d0d0a:
		snprintf(err, errlen, "%s: pcapng is not supported here "
		    "(convert with editcap -F pcap)", path);
		goto fail;
	default:
		snprintf(err, errlen, "%s: not a pcap file (magic 0x%08x)",
		    path, magic);
		goto fail;
	}
	p->vmajor = rd16(p->buf + 4, p->swapped);
	p->vminor = rd16(p->buf + 6, p->swapped);
	p->snaplen = rd32(p->buf + 16, p->swapped);
	p->linktype = rd32(p->buf + 20, p->swapped);
	off = PCAP_HDR;
	idx = 0;
	while (off < p->size) {
		const unsigned char *h = p->buf + off;
		uint32_t caplen;

		if (p->size - off < REC_HDR) {
			snprintf(err, errlen, "%s: record %zu: header cut at "
			    "file offset %zu", path, idx + 1, off);
			goto fail;
		}
		caplen = rd32(h + 8, p->swapped);
		if (caplen > p->size - off - REC_HDR) {
			snprintf(err, errlen, "%s: record %zu: caplen %u runs "
			    "past the end of the file", path, idx + 1, caplen);
			goto fail;
		}
		if (idx == cap) {
			cap = cap ? cap * 2 : 64;
			nr = realloc(p->rec, cap * sizeof(*nr));
			if (nr == NULL) {
				snprintf(err, errlen, "%s: out of memory",
				    path);
				goto fail;
			}
			p->rec = nr;
		}
		p->rec[idx].ts_sec = rd32(h, p->swapped);
		p->rec[idx].ts_frac = rd32(h + 4, p->swapped);
		p->rec[idx].caplen = caplen;
		p->rec[idx].len = rd32(h + 12, p->swapped);
		p->rec[idx].data = h + REC_HDR;
		idx++;
		off += REC_HDR + (size_t)caplen;
	}
	p->nrec = idx;
	return 0;
fail:
	hl_pcap_release(p);
	return -1;
}

/* ---- packet decode into named fields ---- */

struct field {
	char	name[40];
	char	val[64];
	int	inner;
};

struct dec {
	struct field	 f[MAX_FIELDS];
	size_t		 n;
	long		 inner_off;	/* inner packet offset, or -1 */
	long		 inner_end;
};

static void
add(struct dec *d, int inner, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add(struct dec *d, int inner, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (d->n >= MAX_FIELDS)
		return;
	snprintf(d->f[d->n].name, sizeof(d->f[d->n].name), "%s", name);
	va_start(ap, fmt);
	vsnprintf(d->f[d->n].val, sizeof(d->f[d->n].val), fmt, ap);
	va_end(ap);
	d->f[d->n].inner = inner;
	d->n++;
}

static unsigned
b16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned long
b32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	    (unsigned long)p[2] << 8 | p[3];
}

static void
addr(struct dec *d, int inner, const char *name, int af,
    const unsigned char *p)
{
	char s[INET6_ADDRSTRLEN];

	if (inet_ntop(af, p, s, sizeof(s)) == NULL)
		snprintf(s, sizeof(s), "?");
	add(d, inner, name, "%s", s);
}

/*
 * Decode the L4 header of an inner (or plain) packet: just enough to name
 * the field that differs. p/len is what was captured after the IP header.
 */
static void
dec_l4(struct dec *d, int inner, const char *pfx, unsigned proto,
    const unsigned char *p, size_t len)
{
	char n[40];

#define NAME(x) (snprintf(n, sizeof(n), "%s%s", pfx, (x)), n)
	switch (proto) {
	case 6:
		if (len < 20)
			return;
		add(d, inner, NAME("tcp.sport"), "%u", b16(p));
		add(d, inner, NAME("tcp.dport"), "%u", b16(p + 2));
		add(d, inner, NAME("tcp.seq"), "%lu", b32(p + 4));
		add(d, inner, NAME("tcp.ack"), "%lu", b32(p + 8));
		add(d, inner, NAME("tcp.flags"), "0x%03x",
		    b16(p + 12) & 0x1ff);
		add(d, inner, NAME("tcp.window"), "%u", b16(p + 14));
		add(d, inner, NAME("tcp.checksum"), "0x%04x", b16(p + 16));
		break;
	case 17:
		if (len < 8)
			return;
		add(d, inner, NAME("udp.sport"), "%u", b16(p));
		add(d, inner, NAME("udp.dport"), "%u", b16(p + 2));
		add(d, inner, NAME("udp.length"), "%u", b16(p + 4));
		add(d, inner, NAME("udp.checksum"), "0x%04x", b16(p + 6));
		break;
	case 132:
		if (len < 12)
			return;
		add(d, inner, NAME("sctp.sport"), "%u", b16(p));
		add(d, inner, NAME("sctp.dport"), "%u", b16(p + 2));
		break;
	case 1:
	case 58:
		if (len < 4)
			return;
		add(d, inner, NAME(proto == 1 ? "icmp.type" : "icmpv6.type"),
		    "%u", p[0]);
		add(d, inner, NAME(proto == 1 ? "icmp.code" : "icmpv6.code"),
		    "%u", p[1]);
		add(d, inner, NAME(proto == 1 ? "icmp.checksum" :
		    "icmpv6.checksum"), "0x%04x", b16(p + 2));
		break;
	default:
		break;
	}
#undef NAME
}

/*
 * Decode an IP header at p (len captured bytes). Sets *hl to the header
 * length, *proto to the payload protocol, *iplen to the length the IP
 * header claims. Returns 0, or -1 when it is not IP or is cut short.
 */
static int
dec_ip(struct dec *d, int inner, const char *pfx, const unsigned char *p,
    size_t len, size_t *hl, unsigned *proto, size_t *iplen)
{
	char n[40];
	unsigned v;

#define NAME(x) (snprintf(n, sizeof(n), "%s%s", pfx, (x)), n)
	if (len < 1)
		return -1;
	v = p[0] >> 4;
	add(d, inner, NAME("ip.version"), "%u", v);
	if (v == 4) {
		if (len < 20)
			return -1;
		add(d, inner, NAME("ipv4.ihl"), "%u", p[0] & 0xfu);
		add(d, inner, NAME("ipv4.tos"), "0x%02x", p[1]);
		add(d, inner, NAME("ipv4.total_length"), "%u", b16(p + 2));
		add(d, inner, NAME("ipv4.id"), "%u", b16(p + 4));
		add(d, inner, NAME("ipv4.flags"), "0x%x", p[6] >> 5);
		add(d, inner, NAME("ipv4.frag_offset"), "%u",
		    b16(p + 6) & 0x1fff);
		add(d, inner, NAME("ipv4.ttl"), "%u", p[8]);
		add(d, inner, NAME("ipv4.protocol"), "%u", p[9]);
		add(d, inner, NAME("ipv4.checksum"), "0x%04x", b16(p + 10));
		addr(d, inner, NAME("ipv4.src"), AF_INET, p + 12);
		addr(d, inner, NAME("ipv4.dst"), AF_INET, p + 16);
		*hl = (size_t)(p[0] & 0xfu) * 4;
		if (*hl < 20 || *hl > len)
			return -1;
		*proto = p[9];
		*iplen = b16(p + 2);
		/* Non-first fragments carry no L4 header. */
		if ((b16(p + 6) & 0x1fff) != 0)
			*proto = 256;
		return 0;
	}
	if (v == 6) {
		if (len < 40)
			return -1;
		add(d, inner, NAME("ipv6.traffic_class"), "0x%02x",
		    (unsigned)((b16(p) >> 4) & 0xff));
		add(d, inner, NAME("ipv6.flow_label"), "0x%05lx",
		    b32(p) & 0xfffffUL);
		add(d, inner, NAME("ipv6.payload_length"), "%u", b16(p + 4));
		add(d, inner, NAME("ipv6.next_header"), "%u", p[6]);
		add(d, inner, NAME("ipv6.hop_limit"), "%u", p[7]);
		addr(d, inner, NAME("ipv6.src"), AF_INET6, p + 8);
		addr(d, inner, NAME("ipv6.dst"), AF_INET6, p + 24);
		*hl = 40;
		*proto = p[6];
		*iplen = 40 + (size_t)b16(p + 4);
		return 0;
	}
	return -1;
#undef NAME
}

/* The offset of the IP header behind the link layer, or -1. */
static long
link_skip(struct dec *d, uint32_t linktype, const unsigned char *p,
    size_t len)
{
	size_t off;
	unsigned type;
	int tags;

	switch (linktype) {
	case 101:	/* raw */
	case 228:	/* ipv4 */
	case 229:	/* ipv6 */
	case 12:	/* raw on some BSDs */
	case 14:
		return 0;
	case 1:		/* en10mb */
		if (len < 14)
			return -1;
		add(d, 0, "eth.dst", "%02x:%02x:%02x:%02x:%02x:%02x",
		    p[0], p[1], p[2], p[3], p[4], p[5]);
		add(d, 0, "eth.src", "%02x:%02x:%02x:%02x:%02x:%02x",
		    p[6], p[7], p[8], p[9], p[10], p[11]);
		type = b16(p + 12);
		add(d, 0, "eth.type", "0x%04x", type);
		off = 14;
		for (tags = 0; tags < 2 && (type == 0x8100 || type == 0x88a8);
		    tags++) {
			if (len < off + 4)
				return -1;
			add(d, 0, tags ? "vlan.inner_id" : "vlan.id", "%u",
			    b16(p + off) & 0xfffu);
			type = b16(p + off + 2);
			add(d, 0, tags ? "vlan.inner_type" : "vlan.type",
			    "0x%04x", type);
			off += 4;
		}
		if (type != 0x0800 && type != 0x86dd)
			return -1;
		return (long)off;
	case 0:		/* null: host-order AF word */
	case 108:	/* loop: network-order AF word */
		if (len < 4)
			return -1;
		add(d, 0, "null.family", "%02x%02x%02x%02x", p[0], p[1],
		    p[2], p[3]);
		return 4;
	case 113:	/* Linux SLL */
		if (len < 16)
			return -1;
		add(d, 0, "sll.pkttype", "%u", b16(p));
		add(d, 0, "sll.protocol", "0x%04x", b16(p + 14));
		return 16;
	case 276:	/* Linux SLL2 */
		if (len < 20)
			return -1;
		add(d, 0, "sll2.protocol", "0x%04x", b16(p));
		add(d, 0, "sll2.ifindex", "%lu", b32(p + 4));
		return 20;
	default:
		return -1;
	}
}

static void
decode(struct dec *d, uint32_t linktype, const struct hl_rec *r)
{
	const unsigned char *p = r->data;
	size_t len = r->caplen, hl, iplen, ihl, iiplen, ulen;
	unsigned proto, iproto;
	long off;
	const unsigned char *u, *in;
	size_t avail, inlen;
	int jm;

	d->n = 0;
	d->inner_off = -1;
	d->inner_end = -1;
	off = link_skip(d, linktype, p, len);
	if (off < 0)
		return;
	p += off;
	len -= (size_t)off;
	if (dec_ip(d, 0, "outer ", p, len, &hl, &proto, &iplen) != 0)
		return;
	if (proto != 17) {
		dec_l4(d, 0, "outer ", proto, p + hl, len - hl);
		return;
	}
	if (len - hl < 8)
		return;
	u = p + hl;
	ulen = b16(u + 4);
	add(d, 0, "outer udp.sport", "%u", b16(u));
	add(d, 0, "outer udp.dport", "%u", b16(u + 2));
	add(d, 0, "outer udp.length", "%u", b16(u + 4));
	add(d, 0, "outer udp.checksum", "0x%04x", b16(u + 6));
	avail = len - hl - 8;
	in = u + 8;
	/*
	 * jmirror framing: 8 bytes between UDP and the inner packet, seen
	 * as "UDP payload length - inner IP length == 8".
	 */
	jm = 0;
	if (ulen >= 8 + 8 + 20 && avail >= 8 + 4) {
		const unsigned char *c = in + 8;
		size_t clen = 0;

		if (c[0] >> 4 == 4)
			clen = b16(c + 2);
		else if (c[0] >> 4 == 6 && avail >= 8 + 6)
			clen = 40 + (size_t)b16(c + 4);
		if (clen != 0 && ulen - 8 - clen == 8)
			jm = 1;
	}
	if (!jm) {
		size_t plen = 0;

		if (avail < 4)
			return;
		if (in[0] >> 4 == 4)
			plen = b16(in + 2);
		else if (in[0] >> 4 == 6 && avail >= 6)
			plen = 40 + (size_t)b16(in + 4);
		if (plen == 0 || ulen < 8 || ulen - 8 != plen) {
			/* Not an IP copy: an ordinary UDP packet. */
			return;
		}
	}
	add(d, 0, "jmirror", "%s", jm ? "present" : "absent");
	if (jm) {
		if (avail < 8)
			return;
		add(d, 0, "jmirror.intercept_id", "%lu",
		    b32(in) & 0x3fffffffUL);
		add(d, 0, "jmirror.reserved", "%u", in[0] >> 6);
		add(d, 0, "jmirror.session_id", "%lu", b32(in + 4));
		in += 8;
		avail -= 8;
	}
	d->inner_off = (long)(in - r->data);
	d->inner_end = (long)(in - r->data) + (long)avail;
	inlen = avail;
	if (dec_ip(d, 1, "inner ", in, inlen, &ihl, &iproto, &iiplen) != 0)
		return;
	dec_l4(d, 1, "inner ", iproto, in + ihl, inlen - ihl);
}

static void
fmt_ts(char *s, size_t n, const struct hl_pcap *p, const struct hl_rec *r)
{
	if (p->nano)
		snprintf(s, n, "%u.%09u", r->ts_sec, r->ts_frac);
	else
		snprintf(s, n, "%u.%06u", r->ts_sec, r->ts_frac);
}

/* One line naming a packet that only one side has. */
static void
summary(struct hl_buf *out, const char *indent, const char *lab,
    const char *what, const struct hl_pcap *p, const struct hl_rec *r)
{
	struct dec *d;
	char ts[40];
	const char *src = NULL, *dst = NULL;
	size_t i;

	d = calloc(1, sizeof(*d));
	fmt_ts(ts, sizeof(ts), p, r);
	if (d != NULL) {
		decode(d, p->linktype, r);
		for (i = 0; i < d->n; i++) {
			if (d->f[i].inner)
				break;
			if (strstr(d->f[i].name, ".src") != NULL &&
			    strncmp(d->f[i].name, "outer ip", 8) == 0)
				src = d->f[i].val;
			if (strstr(d->f[i].name, ".dst") != NULL &&
			    strncmp(d->f[i].name, "outer ip", 8) == 0)
				dst = d->f[i].val;
		}
	}
	hl_buf_printf(out, "%s%s: %s (ts %s, len %u%s%s%s%s)\n", indent,
	    lab, what, ts, r->len, src ? ", " : "", src ? src : "",
	    dst ? " > " : "", dst ? dst : "");
	free(d);
}

/*
 * Explain how a packet differs (lab: "packet 5", or "packet 5 (got
 * packet 4)" when alignment shifted it); returns lines written.
 */
static unsigned
explain_packet(struct hl_buf *out, const char *indent, const char *lab,
    const struct hl_pcap *pe, const struct hl_rec *re,
    const struct hl_pcap *pg, const struct hl_rec *rg)
{
	struct dec *de, *dg;
	char a[40], b[40];
	unsigned lines = 0;
	size_t i, k, n;
	int inner_said = 0, stopped = 0;

	fmt_ts(a, sizeof(a), pe, re);
	fmt_ts(b, sizeof(b), pg, rg);
	if (strcmp(a, b) != 0) {
		hl_buf_printf(out, "%s%s: ts: expected %s, got %s\n",
		    indent, lab, a, b);
		lines++;
	}
	if (re->caplen != rg->caplen) {
		hl_buf_printf(out, "%s%s: caplen: expected %u, "
		    "got %u\n", indent, lab, re->caplen, rg->caplen);
		lines++;
	}
	if (re->len != rg->len) {
		hl_buf_printf(out, "%s%s: len: expected %u, got %u\n",
		    indent, lab, re->len, rg->len);
		lines++;
	}
	de = calloc(1, sizeof(*de));
	dg = calloc(1, sizeof(*dg));
	if (de == NULL || dg == NULL)
		goto bytes;
	decode(de, pe->linktype, re);
	decode(dg, pg->linktype, rg);
	n = de->n < dg->n ? de->n : dg->n;
	for (i = 0; i < n && lines < MAX_PKT_LINES; i++) {
		const struct field *fe = &de->f[i], *fg = &dg->f[i];

		if (fe->inner && !inner_said && de->inner_off >= 0 &&
		    dg->inner_off >= 0) {
			/* First differing byte of the inner packet. */
			const unsigned char *xe = re->data + de->inner_off;
			const unsigned char *xg = rg->data + dg->inner_off;
			size_t le = (size_t)(de->inner_end - de->inner_off);
			size_t lg = (size_t)(dg->inner_end - dg->inner_off);
			size_t m = le < lg ? le : lg;

			inner_said = 1;
			for (k = 0; k < m && xe[k] == xg[k]; k++)
				;
			if (k < m) {
				hl_buf_printf(out, "%s%s: inner packet "
				    "byte %zu: expected 0x%02x, got 0x%02x\n",
				    indent, lab, k, xe[k], xg[k]);
				lines++;
			} else if (le != lg) {
				hl_buf_printf(out, "%s%s: inner packet "
				    "length: expected %zu, got %zu\n", indent,
				    lab, le, lg);
				lines++;
			}
		}
		if (strcmp(fe->name, fg->name) != 0) {
			hl_buf_printf(out, "%s%s: layout differs: "
			    "expected %s=%s, got %s=%s\n", indent, lab,
			    fe->name, fe->val, fg->name, fg->val);
			lines++;
			stopped = 1;
			break;
		}
		if (strcmp(fe->val, fg->val) != 0) {
			hl_buf_printf(out, "%s%s: %s: expected %s, "
			    "got %s\n", indent, lab, fe->name, fe->val,
			    fg->val);
			lines++;
		}
	}
	if (!stopped && de->n != dg->n && lines < MAX_PKT_LINES) {
		const struct field *f = de->n > dg->n ? &de->f[n] : &dg->f[n];

		hl_buf_printf(out, "%s%s: %s decodes further: %s=%s\n",
		    indent, lab, de->n > dg->n ? "expected" : "got", f->name,
		    f->val);
		lines++;
	}
bytes:
	if (lines == 0) {
		/* Nothing decoded differs: name the first differing byte. */
		size_t m = re->caplen < rg->caplen ? re->caplen : rg->caplen;

		for (k = 0; k < m && re->data[k] == rg->data[k]; k++)
			;
		if (k < m)
			hl_buf_printf(out, "%s%s: byte %zu: expected "
			    "0x%02x, got 0x%02x\n", indent, lab, k,
			    re->data[k], rg->data[k]);
		else
			hl_buf_printf(out, "%s%s: record bytes "
			    "differ\n", indent, lab);
		lines++;
	}
	free(de);
	free(dg);
	return lines;
}

static int
rec_equal(const struct hl_pcap *pe, const struct hl_rec *a,
    const struct hl_pcap *pg, const struct hl_rec *b)
{
	if (a->ts_sec != b->ts_sec || a->caplen != b->caplen ||
	    a->len != b->len)
		return 0;
	if (pe->nano == pg->nano && a->ts_frac != b->ts_frac)
		return 0;
	if (pe->nano != pg->nano) {
		uint64_t fa = pe->nano ? a->ts_frac : a->ts_frac * 1000ULL;
		uint64_t fb = pg->nano ? b->ts_frac : b->ts_frac * 1000ULL;

		if (fa != fb)
			return 0;
	}
	return memcmp(a->data, b->data, a->caplen) == 0;
}

/*
 * Alignment of two packet lists (Myers' O(ND) diff, "An O(ND) Difference
 * Algorithm and Its Variations", 1986): the fewest packets missing from
 * or extra in got, so that one packet missing is reported as such and
 * not as every later packet differing. Records compare by a hash of
 * their header and bytes, confirmed byte for byte.
 */
#define ALIGN_D_MAX	1000	/* edit distance aligned; beyond: by position */

enum { OP_SAME, OP_DEL, OP_INS };

struct aligner {
	const struct hl_pcap *pe, *pg;
	const uint64_t *he, *hg;	/* hashes of records pre, pre + 1... */
	size_t pre;			/* records before the aligned part */
};

static uint64_t
rec_hash(const struct hl_pcap *p, const struct hl_rec *r)
{
	uint64_t h = 14695981039346656037ULL, f;
	uint32_t k;

	f = p->nano ? r->ts_frac : (uint64_t)r->ts_frac * 1000ULL;
	h = (h ^ r->ts_sec) * 1099511628211ULL;
	h = (h ^ f) * 1099511628211ULL;
	h = (h ^ r->len) * 1099511628211ULL;
	for (k = 0; k < r->caplen; k++)
		h = (h ^ r->data[k]) * 1099511628211ULL;
	return h;
}

static int
same_at(const struct aligner *a, size_t i, size_t j)
{
	return a->he[i] == a->hg[j] && rec_equal(a->pe,
	    &a->pe->rec[a->pre + i], a->pg, &a->pg->rec[a->pre + j]);
}

/*
 * Edit script of exp[0..n) into got[0..m) into ops (room n + m), its
 * length in *nops. Returns 0, or -1 when more than ALIGN_D_MAX packets
 * differ (or on no memory): the caller compares by position then.
 */
static int
align(const struct aligner *a, size_t n, size_t m, unsigned char *ops,
    size_t *nops)
{
	long dmax = ALIGN_D_MAX, d, k, x, y, off;
	long *v, **trace;
	size_t cap, no = 0, lo;
	int rc = -1;

	if ((long)(n + m) < dmax)
		dmax = (long)(n + m);
	off = dmax + 1;
	v = calloc((size_t)(2 * off + 1), sizeof(*v));
	trace = calloc((size_t)dmax + 1, sizeof(*trace));
	if (v == NULL || trace == NULL)
		goto out;
	for (d = 0; d <= dmax; d++) {
		for (k = -d; k <= d; k += 2) {
			if (k == -d ||
			    (k != d && v[off + k - 1] < v[off + k + 1]))
				x = v[off + k + 1];
			else
				x = v[off + k - 1] + 1;
			y = x - k;
			while ((size_t)x < n && (size_t)y < m &&
			    same_at(a, (size_t)x, (size_t)y)) {
				x++;
				y++;
			}
			v[off + k] = x;
			if ((size_t)x >= n && (size_t)y >= m)
				break;
		}
		/* Keep V for the backtrack: its -d..d part. */
		trace[d] = malloc((size_t)(2 * d + 1) * sizeof(**trace));
		if (trace[d] == NULL)
			goto out;
		memcpy(trace[d], v + off - d, (size_t)(2 * d + 1) * sizeof(*v));
		if (k <= d)
			break;
	}
	if (d > dmax)
		goto out;
	/* Backtrack from (n, m), the ops collected in reverse. */
	cap = n + m;
	x = (long)n;
	y = (long)m;
	for (; d > 0; d--) {
		const long *pv = trace[d - 1];	/* index k + (d - 1) */
		long px, py, pk;

		k = x - y;
		if (k == -d ||
		    (k != d && pv[k - 1 + d - 1] < pv[k + 1 + d - 1]))
			pk = k + 1;
		else
			pk = k - 1;
		px = pv[pk + d - 1];
		py = px - pk;
		while (x > px && y > py) {
			ops[cap - ++no] = OP_SAME;
			x--;
			y--;
		}
		ops[cap - ++no] = x == px ? OP_INS : OP_DEL;
		x = px;
		y = py;
	}
	while (x > 0 && y > 0) {
		ops[cap - ++no] = OP_SAME;
		x--;
		y--;
	}
	lo = cap - no;
	memmove(ops, ops + lo, no);
	*nops = no;
	rc = 0;
out:
	if (trace != NULL)
		for (d = 0; d <= dmax; d++)
			free(trace[d]);
	free(trace);
	free(v);
	return rc;
}

/* Counts of a pcap comparison, and how many were explained. */
struct tally {
	size_t changed, missing, extra, said;
};

static void
say_changed(struct hl_buf *out, const char *indent, unsigned maxpkts,
    struct tally *t, const struct hl_pcap *pe, size_t i,
    const struct hl_pcap *pg, size_t j)
{
	char lab[64];

	t->changed++;
	if (t->said >= maxpkts)
		return;
	if (i == j)
		snprintf(lab, sizeof(lab), "packet %zu", i + 1);
	else
		snprintf(lab, sizeof(lab), "packet %zu (got packet %zu)",
		    i + 1, j + 1);
	explain_packet(out, indent, lab, pe, &pe->rec[i], pg, &pg->rec[j]);
	t->said++;
}

static void
say_missing(struct hl_buf *out, const char *indent, unsigned maxpkts,
    struct tally *t, const struct hl_pcap *pe, size_t i)
{
	char lab[64];

	t->missing++;
	if (t->said >= maxpkts)
		return;
	snprintf(lab, sizeof(lab), "packet %zu", i + 1);
	summary(out, indent, lab, "missing, expected", pe, &pe->rec[i]);
	t->said++;
}

static void
say_extra(struct hl_buf *out, const char *indent, unsigned maxpkts,
    struct tally *t, const struct hl_pcap *pg, size_t j)
{
	char lab[64];

	t->extra++;
	if (t->said >= maxpkts)
		return;
	snprintf(lab, sizeof(lab), "got packet %zu", j + 1);
	summary(out, indent, lab, "not expected", pg, &pg->rec[j]);
	t->said++;
}

/*
 * The packets of exp[i0..i1) and got[j0..j1), which differ, as a run of
 * an edit script: paired as changed while both sides have one, the rest
 * missing or extra.
 */
static void
say_run(struct hl_buf *out, const char *indent, unsigned maxpkts,
    struct tally *t, const struct hl_pcap *pe, size_t i0, size_t i1,
    const struct hl_pcap *pg, size_t j0, size_t j1)
{
	while (i0 < i1 && j0 < j1)
		say_changed(out, indent, maxpkts, t, pe, i0++, pg, j0++);
	while (i0 < i1)
		say_missing(out, indent, maxpkts, t, pe, i0++);
	while (j0 < j1)
		say_extra(out, indent, maxpkts, t, pg, j0++);
}

int
hl_pcap_diff(const char *exp, const char *got, const char *indent,
    unsigned maxpkts, struct hl_buf *out)
{
	struct hl_pcap pe, pg;
	struct aligner al;
	struct tally t;
	uint64_t *he = NULL, *hg = NULL;
	unsigned char *ops = NULL;
	char err[512];
	size_t i, j, n, m, pre, suf, nops = 0, q, di, dj;
	int rc = 1, hdr = 0;

	if (hl_pcap_load(exp, &pe, err, sizeof(err)) != 0) {
		hl_buf_printf(out, "%s%s\n", indent, err);
		return 2;
	}
	if (hl_pcap_load(got, &pg, err, sizeof(err)) != 0) {
		hl_buf_printf(out, "%s%s\n", indent, err);
		hl_pcap_release(&pe);
		return 2;
	}
	if (pe.size == pg.size && memcmp(pe.buf, pg.buf, pe.size) == 0) {
		rc = 0;
		goto done;
	}
	if (maxpkts == 0)
		maxpkts = 1;
	memset(&t, 0, sizeof(t));
	if (pe.swapped != pg.swapped || pe.nano != pg.nano) {
		hl_buf_printf(out, "%sfile header: format: expected %s-endian "
		    "%s, got %s-endian %s\n", indent,
		    pe.swapped ? "big" : "little", pe.nano ? "ns" : "us",
		    pg.swapped ? "big" : "little", pg.nano ? "ns" : "us");
		hdr++;
	}
	if (pe.vmajor != pg.vmajor || pe.vminor != pg.vminor) {
		hl_buf_printf(out, "%sfile header: version: expected %u.%u, "
		    "got %u.%u\n", indent, pe.vmajor, pe.vminor, pg.vmajor,
		    pg.vminor);
		hdr++;
	}
	if (pe.snaplen != pg.snaplen) {
		hl_buf_printf(out, "%sfile header: snaplen: expected %u, "
		    "got %u\n", indent, pe.snaplen, pg.snaplen);
		hdr++;
	}
	if (pe.linktype != pg.linktype) {
		hl_buf_printf(out, "%sfile header: linktype: expected %u, "
		    "got %u\n", indent, pe.linktype, pg.linktype);
		hdr++;
	}

	/* The common head and tail need no alignment. */
	n = pe.nrec;
	m = pg.nrec;
	for (pre = 0; pre < n && pre < m &&
	    rec_equal(&pe, &pe.rec[pre], &pg, &pg.rec[pre]); pre++)
		;
	for (suf = 0; suf < n - pre && suf < m - pre &&
	    rec_equal(&pe, &pe.rec[n - 1 - suf], &pg, &pg.rec[m - 1 - suf]);
	    suf++)
		;
	di = n - pre - suf;
	dj = m - pre - suf;
	he = malloc((di + 1) * sizeof(*he));
	hg = malloc((dj + 1) * sizeof(*hg));
	ops = malloc(di + dj + 1);
	if (he != NULL && hg != NULL && ops != NULL) {
		for (i = 0; i < di; i++)
			he[i] = rec_hash(&pe, &pe.rec[pre + i]);
		for (j = 0; j < dj; j++)
			hg[j] = rec_hash(&pg, &pg.rec[pre + j]);
	}
	memset(&al, 0, sizeof(al));
	al.pe = &pe;
	al.pg = &pg;
	al.he = he;
	al.hg = hg;
	al.pre = pre;
	if (he != NULL && hg != NULL && ops != NULL && (di == 0 || dj == 0 ||
	    align(&al, di, dj, ops, &nops) == 0)) {
		if (di == 0 || dj == 0) {
			say_run(out, indent, maxpkts, &t, &pe, pre, pre + di,
			    &pg, pre, pre + dj);
		} else {
			/* Runs of DEL/INS between SAMEs. */
			i = 0;
			j = 0;
			for (q = 0; q < nops; ) {
				size_t i0 = i, j0 = j;

				if (ops[q] == OP_SAME) {
					i++;
					j++;
					q++;
					continue;
				}
				for (; q < nops && ops[q] != OP_SAME; q++) {
					if (ops[q] == OP_DEL)
						i++;
					else
						j++;
				}
				say_run(out, indent, maxpkts, &t, &pe,
				    pre + i0, pre + i, &pg, pre + j0, pre + j);
			}
		}
	} else {
		/* Too many differences to align: position by position. */
		hl_buf_printf(out, "%s(more than %d packets differ: compared "
		    "by position, not aligned)\n", indent, ALIGN_D_MAX);
		for (i = pre; i < n && i < m; i++)
			if (!rec_equal(&pe, &pe.rec[i], &pg, &pg.rec[i]))
				say_changed(out, indent, maxpkts, &t, &pe, i,
				    &pg, i);
		say_run(out, indent, maxpkts, &t, &pe, i, n, &pg, i, m);
	}
	if (pe.nrec != pg.nrec)
		hl_buf_printf(out, "%spacket count: expected %zu, got %zu\n",
		    indent, pe.nrec, pg.nrec);
	if (hdr == 0 && t.changed + t.missing + t.extra == 0) {
		size_t mm = pe.size < pg.size ? pe.size : pg.size, k;

		for (k = 0; k < mm && pe.buf[k] == pg.buf[k]; k++)
			;
		hl_buf_printf(out, "%sfile byte %zu differs (file header)\n",
		    indent, k);
	}
	if (t.said < t.changed + t.missing + t.extra)
		hl_buf_printf(out, "%s(%zu more differing packets not shown)\n",
		    indent, t.changed + t.missing + t.extra - t.said);
	hl_buf_printf(out, "%s%zu differing packet%s (%zu changed, %zu "
	    "missing, %zu extra)\n", indent, t.changed + t.missing + t.extra,
	    t.changed + t.missing + t.extra == 1 ? "" : "s", t.changed,
	    t.missing, t.extra);
done:
	free(he);
	free(hg);
	free(ops);
	hl_pcap_release(&pe);
	hl_pcap_release(&pg);
	return rc;
}

/* ---- text diff ---- */

struct lines {
	unsigned char	*buf;
	size_t		 size;
	size_t		*start;	/* start offset of each line */
	size_t		 n;
};

static int
lines_load(const char *path, struct lines *l)
{
	size_t i, cap = 0;
	size_t *ns;

	memset(l, 0, sizeof(*l));
	if (hl_file_read(path, &l->buf, &l->size) != 0)
		return -1;
	for (i = 0; i < l->size; i++) {
		if (i != 0 && l->buf[i - 1] != '\n')
			continue;
		if (l->n == cap) {
			cap = cap ? cap * 2 : 256;
			ns = realloc(l->start, cap * sizeof(*ns));
			if (ns == NULL) {
				free(l->buf);
				free(l->start);
				errno = ENOMEM;
				return -1;
			}
			l->start = ns;
		}
		l->start[l->n++] = i;
	}
	return 0;
}

/* Length of line i including its newline (if any). */
static size_t
line_len(const struct lines *l, size_t i)
{
	size_t end = i + 1 < l->n ? l->start[i + 1] : l->size;

	return end - l->start[i];
}

static void
show_line(struct hl_buf *out, const struct lines *l, size_t i)
{
	const unsigned char *s;
	size_t n, k;
	char esc[8];
	int nl = 0;

	if (i >= l->n) {
		hl_buf_printf(out, "<end of file>\n");
		return;
	}
	s = l->buf + l->start[i];
	n = line_len(l, i);
	if (n > 0 && s[n - 1] == '\n') {
		n--;
		nl = 1;
	}
	for (k = 0; k < n && k < MAX_LINE_SHOW; k++) {
		if (s[k] == '\t' || (s[k] >= 0x20 && s[k] < 0x7f)) {
			hl_buf_put(out, (const char *)s + k, 1);
		} else {
			snprintf(esc, sizeof(esc), "\\x%02x", s[k]);
			hl_buf_put(out, esc, strlen(esc));
		}
	}
	if (k < n)
		hl_buf_printf(out, "... (%zu more bytes)", n - k);
	if (!nl)
		hl_buf_printf(out, " <no newline at end of file>");
	hl_buf_put(out, "\n", 1);
}

int
hl_text_diff(const char *name, const char *exp, const char *got,
    const char *indent, struct hl_buf *out)
{
	struct lines le, lg;
	size_t i, c;

	if (lines_load(exp, &le) != 0) {
		hl_buf_printf(out, "%s%s: cannot read: %s\n", indent, exp,
		    strerror(errno));
		return 2;
	}
	if (lines_load(got, &lg) != 0) {
		hl_buf_printf(out, "%s%s: cannot read: %s\n", indent, got,
		    strerror(errno));
		free(le.buf);
		free(le.start);
		return 2;
	}
	if (le.size == lg.size && memcmp(le.buf, lg.buf, le.size) == 0) {
		free(le.buf);
		free(le.start);
		free(lg.buf);
		free(lg.start);
		return 0;
	}
	for (i = 0; i < le.n && i < lg.n; i++) {
		if (line_len(&le, i) != line_len(&lg, i) ||
		    memcmp(le.buf + le.start[i], lg.buf + lg.start[i],
		    line_len(&le, i)) != 0)
			break;
	}
	c = i >= 2 ? i - 2 : 0;
	for (; c < i; c++) {
		hl_buf_printf(out, "%s%s:%zu:           ", indent, name, c + 1);
		show_line(out, &le, c);
	}
	hl_buf_printf(out, "%s%s:%zu: expected: ", indent, name, i + 1);
	show_line(out, &le, i);
	hl_buf_printf(out, "%s%s:%zu: got:      ", indent, name, i + 1);
	show_line(out, &lg, i);
	if (le.n != lg.n)
		hl_buf_printf(out, "%s%s: expected %zu lines, got %zu\n",
		    indent, name, le.n, lg.n);
	free(le.buf);
	free(le.start);
	free(lg.buf);
	free(lg.start);
	return 1;
}
