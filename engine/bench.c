/*
 * bench.c - `flowtap bench`: the same packets through a libpcap read
 * loop, the decoder, the fast and the linear classifier, a libpcap BPF
 * program of the equivalent expression and the whole replay, each timed
 * as a loop and reported as the median of several repetitions.
 *
 * Criteria are random 5-tuples (prefixes, exact or ranged ports, TCP or
 * UDP) written three ways from one description: struct ft_rule (through
 * rule.c's own list parsers), a BPF expression and DTCP ADD messages of a
 * replay script. Generated packets either come from a criterion (inside
 * its prefixes and port ranges) or are background traffic aimed at the
 * same networks and ports, kept only if no criterion matches, so the
 * classifier sees near-misses rather than trivially foreign addresses.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "classify.h"
#include "decode.h"
#include "limits.h"
#include "replay.h"
#include "rule.h"

extern char **environ;

#define NS_PER_S	1000000000ULL
#define BUDGET_PPS	20000.0		/* the services PIC (SPEC 7) */
#define GEN_GAP_NS	10000ULL	/* generated packets: 100 Kpps */
#define GEN_RETRIES	16		/* redraws of a matching background */
#define ETH_LEN		14

/* --- random numbers ---------------------------------------------------- */

struct rng {
	uint64_t s;
};

static uint64_t
rnd(struct rng *r)
{
	/* xorshift64 (Marsaglia 2003). */
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static uint32_t
rndn(struct rng *r, uint32_t n)
{
	return (uint32_t)(rnd(r) % n);
}

/* --- criteria ------------------------------------------------------- */

/* One IPv4 5-tuple criterion. len 0: '*'; proto 0: '*'. */
struct crit {
	uint32_t src, dst;
	uint8_t slen, dlen;
	uint8_t proto;
	uint16_t sp_lo, sp_hi, dp_lo, dp_hi;
};

#define NSITES	24
static const uint16_t popular[] = { 21, 22, 23, 25, 53, 80, 110, 123, 143,
    161, 389, 443, 445, 993, 1194, 1812, 3306, 5060, 8080, 8443 };
#define NPOPULAR (sizeof(popular) / sizeof(popular[0]))

static uint32_t
mask_of(unsigned len)
{
	return len == 0 ? 0 : 0xffffffffU << (32 - len);
}

/* A host of one of the sites (private /16s and a few public ones). */
static uint32_t
site_host(struct rng *r, const uint32_t *sites)
{
	return sites[rndn(r, NSITES)] | (uint32_t)(rnd(r) & 0xffff);
}

static void
gen_ports(struct rng *r, struct crit *c)
{
	uint32_t x = rndn(r, 100), a, b;

	c->sp_lo = 0;
	c->sp_hi = 65535;
	if (x < 70) {
		c->dp_lo = c->dp_hi = rndn(r, 4) ? popular[rndn(r, NPOPULAR)] :
		    (uint16_t)(1024 + rndn(r, 64512));
	} else if (x < 85) {
		a = rndn(r, 65536);
		b = a + 1 + rndn(r, 2000);
		c->dp_lo = (uint16_t)a;
		c->dp_hi = (uint16_t)(b > 65535 ? 65535 : b);
	} else {
		c->dp_lo = 0;
		c->dp_hi = 65535;
	}
	if (rndn(r, 100) < 12) {
		if (rndn(r, 2)) {
			c->sp_lo = 1024;
		} else {
			c->sp_lo = (uint16_t)(1024 + rndn(r, 64512));
			c->sp_hi = c->sp_lo;
		}
	}
}

static void
gen_crit(struct rng *r, const uint32_t *sites, struct crit *c)
{
	static const uint8_t lens[] = { 16, 20, 24, 24, 28, 30, 32, 32, 32 };

	memset(c, 0, sizeof(*c));
	if (rndn(r, 100) >= 30) {
		c->slen = lens[rndn(r, sizeof(lens))];
		c->src = site_host(r, sites) & mask_of(c->slen);
	}
	if (rndn(r, 100) >= 10 || c->slen == 0) {
		c->dlen = lens[rndn(r, sizeof(lens))];
		c->dst = site_host(r, sites) & mask_of(c->dlen);
	}
	c->proto = rndn(r, 100) < 62 ? 6 : 17;
	gen_ports(r, c);
	if (rndn(r, 100) < 4) {		/* protocol and addresses only */
		c->sp_lo = c->dp_lo = 0;
		c->sp_hi = c->dp_hi = 65535;
	}
}

/* A criterion around a trace packet (host or prefix of its addresses). */
static void
crit_from_pkt(struct rng *r, const struct ft_pkt *p, struct crit *c)
{
	static const uint8_t lens[] = { 0, 16, 24, 32, 32 };
	uint32_t s = (uint32_t)p->src[0] << 24 | (uint32_t)p->src[1] << 16 |
	    (uint32_t)p->src[2] << 8 | p->src[3];
	uint32_t d = (uint32_t)p->dst[0] << 24 | (uint32_t)p->dst[1] << 16 |
	    (uint32_t)p->dst[2] << 8 | p->dst[3];

	memset(c, 0, sizeof(*c));
	c->slen = lens[rndn(r, sizeof(lens))];
	c->src = s & mask_of(c->slen);
	c->dlen = lens[1 + rndn(r, sizeof(lens) - 1)];
	c->dst = d & mask_of(c->dlen);
	c->sp_lo = c->dp_lo = 0;
	c->sp_hi = c->dp_hi = 65535;
	if (p->proto == 6 || p->proto == 17) {
		c->proto = p->proto;
		if ((p->flags & FT_PKT_PORTS) && rndn(r, 2))
			c->dp_lo = c->dp_hi = p->dport;
	}
}

static int
all_ports(uint16_t lo, uint16_t hi)
{
	return lo == 0 && hi == 65535;
}

static void
addr_text(char *buf, size_t cap, uint32_t a, unsigned len)
{
	if (len == 0)
		snprintf(buf, cap, "*");
	else
		snprintf(buf, cap, "%u.%u.%u.%u/%u", a >> 24, (a >> 16) & 255,
		    (a >> 8) & 255, a & 255, len);
}

static void
ports_text(char *buf, size_t cap, uint16_t lo, uint16_t hi)
{
	if (all_ports(lo, hi))
		snprintf(buf, cap, "*");
	else if (lo == hi)
		snprintf(buf, cap, "%u", lo);
	else
		snprintf(buf, cap, "%u-%u", lo, hi);
}

/* The criterion as DTCP filter values, parsed by rule.c into *r. */
static int
crit_rule(const struct crit *c, uint64_t id, struct ft_rule *r)
{
	char s[40], d[40], sp[16], dp[16], pr[8];
	uint8_t fam;
	int rc;

	memset(r, 0, sizeof(*r));
	r->id = id;
	r->family = 4;
	addr_text(s, sizeof(s), c->src, c->slen);
	addr_text(d, sizeof(d), c->dst, c->dlen);
	ports_text(sp, sizeof(sp), c->sp_lo, c->sp_hi);
	ports_text(dp, sizeof(dp), c->dp_lo, c->dp_hi);
	snprintf(pr, sizeof(pr), c->proto ? "%u" : "*", c->proto);
	rc = ft_rule_parse_addrs(s, strlen(s), &r->src, &fam);
	if (rc == 0)
		rc = ft_rule_parse_addrs(d, strlen(d), &r->dst, &fam);
	if (rc == 0)
		rc = ft_rule_parse_nums(pr, strlen(pr), 255, 3, 1, &r->proto);
	if (rc == 0)
		rc = ft_rule_parse_nums(sp, strlen(sp), 65535, 5, 1, &r->sport);
	if (rc == 0)
		rc = ft_rule_parse_nums(dp, strlen(dp), 65535, 5, 1, &r->dport);
	r->need_ports = r->sport.n != 0 || r->dport.n != 0;
	r->ncdest = 1;
	return rc;
}

/* Append text to a growing string. */
struct sbuf {
	char *s;
	size_t len, cap;
	int oom;
};

static void
sb_add(struct sbuf *b, const char *t)
{
	size_t n = strlen(t);

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t ncap = (b->cap + n + 1) * 2;
		char *ns = realloc(b->s, ncap);

		if (ns == NULL) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = ncap;
	}
	memcpy(b->s + b->len, t, n + 1);
	b->len += n;
}

static void
bpf_ports(struct sbuf *b, const char *dir, uint16_t lo, uint16_t hi)
{
	char t[48];

	if (all_ports(lo, hi))
		return;
	if (lo == hi)
		snprintf(t, sizeof(t), " and %s port %u", dir, lo);
	else
		snprintf(t, sizeof(t), " and %s portrange %u-%u", dir, lo, hi);
	sb_add(b, t);
}

/* "(ip and src net A/l and dst net B/l and tcp and dst port P) or ..." */
static char *
bpf_expr(const struct crit *cs, unsigned n)
{
	struct sbuf b = { NULL, 0, 0, 0 };
	char t[64], a[40];
	unsigned i;

	for (i = 0; i < n; i++) {
		const struct crit *c = &cs[i];

		sb_add(&b, i ? " or (ip" : "(ip");
		if (c->slen != 0) {
			addr_text(a, sizeof(a), c->src, c->slen);
			snprintf(t, sizeof(t), " and src net %s", a);
			sb_add(&b, t);
		}
		if (c->dlen != 0) {
			addr_text(a, sizeof(a), c->dst, c->dlen);
			snprintf(t, sizeof(t), " and dst net %s", a);
			sb_add(&b, t);
		}
		if (c->proto != 0)
			sb_add(&b, c->proto == 6 ? " and tcp" : " and udp");
		bpf_ports(&b, "src", c->sp_lo, c->sp_hi);
		bpf_ports(&b, "dst", c->dp_lo, c->dp_hi);
		sb_add(&b, ")");
	}
	if (n == 0)
		sb_add(&b, "ip and not ip");
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* --- packets -------------------------------------------------------- */

struct pkts {
	uint8_t *buf;
	size_t used, cap;
	uint64_t *off;
	uint32_t *caplen, *len;
	uint64_t *ts;
	uint64_t n, max;
	int linktype;
	struct ft_pkt *dec;
	uint8_t *ok;
	uint64_t bytes;
};

static void
pkts_release(struct pkts *P)
{
	free(P->buf);
	free(P->off);
	free(P->caplen);
	free(P->len);
	free(P->ts);
	free(P->dec);
	free(P->ok);
	memset(P, 0, sizeof(*P));
}

static int
pkts_init(struct pkts *P, uint64_t max, size_t bytes)
{
	memset(P, 0, sizeof(*P));
	P->max = max;
	P->cap = bytes;
	P->buf = malloc(bytes);
	P->off = malloc(max * sizeof(*P->off));
	P->caplen = malloc(max * sizeof(*P->caplen));
	P->len = malloc(max * sizeof(*P->len));
	P->ts = malloc(max * sizeof(*P->ts));
	P->dec = malloc(max * sizeof(*P->dec));
	P->ok = malloc(max);
	if (P->buf == NULL || P->off == NULL || P->caplen == NULL ||
	    P->len == NULL || P->ts == NULL || P->dec == NULL || P->ok == NULL)
		return FT_ENOMEM;
	P->linktype = FT_LINK_EN10MB;
	return 0;
}

/* Room for caplen more bytes; returns where they go or NULL. */
static uint8_t *
pkts_room(struct pkts *P, uint32_t caplen)
{
	if (P->n >= P->max)
		return NULL;
	if (P->used + caplen > P->cap) {
		size_t ncap = P->cap * 2 + caplen;
		uint8_t *nb = realloc(P->buf, ncap);

		if (nb == NULL)
			return NULL;
		P->buf = nb;
		P->cap = ncap;
	}
	return P->buf + P->used;
}

static void
pkts_commit(struct pkts *P, uint32_t caplen, uint32_t len, uint64_t ts)
{
	P->off[P->n] = P->used;
	P->caplen[P->n] = caplen;
	P->len[P->n] = len;
	P->ts[P->n] = ts;
	P->used += caplen;
	P->bytes += len;
	P->n++;
}

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* Frame length: a mix of small, medium and full frames, mean ~353. */
static uint32_t
frame_len(struct rng *r)
{
	uint32_t x = rndn(r, 100);

	if (x < 50)
		return 60;
	if (x < 83)
		return 100 + rndn(r, 601);
	if (x < 91)
		return 1514;
	return 60 + rndn(r, 1455);
}

/* An Ethernet/IPv4/TCP or UDP frame of length flen into f. */
static void
build_frame(uint8_t *f, uint32_t flen, uint32_t src, uint32_t dst,
    uint8_t proto, uint16_t sport, uint16_t dport, uint16_t ipid)
{
	uint32_t sum = 0, iplen = flen - ETH_LEN, i, l4 = ETH_LEN + 20;
	uint8_t *ip = f + ETH_LEN;

	memset(f, 0, flen);
	f[0] = 0x00; f[1] = 0x05; f[2] = 0x85; f[5] = 0x01;
	f[6] = 0x00; f[7] = 0x0c; f[8] = 0x29; f[11] = 0x02;
	put16(f + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, iplen);
	put16(ip + 4, ipid);
	put16(ip + 6, 0x4000);		/* DF */
	ip[8] = 64;
	ip[9] = proto;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(ip + 10, ~sum & 0xffff);
	put16(f + l4, sport);
	put16(f + l4 + 2, dport);
	if (proto == 6) {
		put32(f + l4 + 4, ipid * 1000u);
		f[l4 + 12] = 0x50;	/* data offset 5 */
		f[l4 + 13] = 0x10;	/* ACK */
		put16(f + l4 + 14, 65535);
	} else {
		put16(f + l4 + 4, iplen - 20);
	}
}

static uint16_t
pick_port(struct rng *r, uint16_t lo, uint16_t hi)
{
	return (uint16_t)(lo + rndn(r, (uint32_t)hi - lo + 1));
}

static uint32_t
pick_in(struct rng *r, uint32_t net, unsigned len, const uint32_t *sites)
{
	if (len == 0)
		return site_host(r, sites);
	return net | ((uint32_t)rnd(r) & ~mask_of(len));
}

/* One generated frame; the classifier c vets background packets. */
static int
gen_packet(struct rng *r, struct pkts *P, const struct crit *cs,
    unsigned ncrit, uint64_t match_ppb, const uint32_t *sites,
    struct ft_classify *c, struct ft_rule **out)
{
	uint32_t flen = frame_len(r), src, dst, tries;
	uint16_t sport, dport;
	uint8_t proto, *f = pkts_room(P, 1514);
	int want = ncrit > 0 && rnd(r) % NS_PER_S < match_ppb;

	if (f == NULL)
		return FT_ENOMEM;
	for (tries = 0; ; tries++) {
		const struct crit *k = ncrit ? &cs[rndn(r, ncrit)] : NULL;
		const struct crit *k2 = ncrit ? &cs[rndn(r, ncrit)] : NULL;
		struct ft_pkt pk;

		if (want) {
			src = pick_in(r, k->src, k->slen, sites);
			dst = pick_in(r, k->dst, k->dlen, sites);
			proto = k->proto ? k->proto : rndn(r, 2) ? 6 : 17;
			sport = pick_port(r, k->sp_lo, k->sp_hi);
			dport = pick_port(r, k->dp_lo, k->dp_hi);
		} else {
			/* Near misses: criteria's networks, popular ports. */
			src = k != NULL && rndn(r, 2) ?
			    pick_in(r, k->src, k->slen, sites) :
			    site_host(r, sites);
			dst = k2 != NULL && rndn(r, 2) ?
			    pick_in(r, k2->dst, k2->dlen, sites) :
			    site_host(r, sites);
			proto = rndn(r, 100) < 62 ? 6 : 17;
			sport = (uint16_t)(1024 + rndn(r, 64512));
			dport = rndn(r, 2) ? popular[rndn(r, NPOPULAR)] :
			    (uint16_t)rndn(r, 65536);
		}
		build_frame(f, flen, src, dst, proto, sport, dport,
		    (uint16_t)P->n);
		if (want || c == NULL || tries >= GEN_RETRIES)
			break;
		if (ft_decode(FT_LINK_EN10MB, f, flen, &pk) != FT_DECODE_OK ||
		    ft_classify_match(c, &pk, out, 1) == 0)
			break;
	}
	pkts_commit(P, flen, flen, NS_PER_S * 1000000 + P->n * GEN_GAP_NS);
	return 0;
}

static int
load_trace(struct pkts *P, const char *path, uint64_t max, struct ft_err *e)
{
	char eb[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	int rc;

	p = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, eb);
	if (p == NULL)
		return ft_err_set(e, FT_EIO, "cannot open trace '%s': %s", path,
		    eb);
	rc = pkts_init(P, max, 64 * 1024 * 1024);
	if (rc != 0) {
		pcap_close(p);
		return ft_err_set(e, rc, "out of memory");
	}
	/* DLT_ and LINKTYPE_ values agree except for raw IP. */
	P->linktype = pcap_datalink(p);
	if (P->linktype == DLT_RAW)
		P->linktype = FT_LINK_RAW;
	while (P->n < max && (rc = pcap_next_ex(p, &h, &d)) == 1) {
		uint8_t *f = pkts_room(P, h->caplen);

		if (f == NULL) {
			pcap_close(p);
			return ft_err_set(e, FT_ENOMEM, "out of memory");
		}
		memcpy(f, d, h->caplen);
		pkts_commit(P, h->caplen, h->len > h->caplen ? h->len :
		    h->caplen, (uint64_t)h->ts.tv_sec * NS_PER_S +
		    (uint64_t)h->ts.tv_usec);
	}
	pcap_close(p);
	if (P->n == 0)
		return ft_err_set(e, FT_EFORMAT, "trace '%s' has no packets",
		    path);
	return 0;
}

static int
write_pcap(const struct pkts *P, const char *path, struct ft_err *e)
{
	pcap_t *p = pcap_open_dead_with_tstamp_precision(P->linktype, 262144,
	    PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *d;
	uint64_t i;

	if (p == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	d = pcap_dump_open(p, path);
	if (d == NULL) {
		ft_err_set(e, FT_EIO, "cannot write '%s': %s", path,
		    pcap_geterr(p));
		pcap_close(p);
		return FT_EIO;
	}
	for (i = 0; i < P->n; i++) {
		struct pcap_pkthdr h;

		h.ts.tv_sec = (time_t)(P->ts[i] / NS_PER_S);
		/* nanosecond file: tv_usec carries nanoseconds */
		h.ts.tv_usec = (suseconds_t)(P->ts[i] % NS_PER_S);
		h.caplen = P->caplen[i];
		h.len = P->len[i];
		pcap_dump((u_char *)d, &h, P->buf + P->off[i]);
	}
	if (pcap_dump_flush(d) != 0) {
		pcap_dump_close(d);
		pcap_close(p);
		return ft_err_set(e, FT_EIO, "cannot write '%s'", path);
	}
	pcap_dump_close(d);
	pcap_close(p);
	return 0;
}

/* The criteria as a replay script: one implicit session, STATIC ADDs. */
static int
write_script(const struct crit *cs, unsigned n, const char *path,
    struct ft_err *e)
{
	FILE *fp = fopen(path, "w");
	char s[40], d[40], sp[16], dp[16];
	unsigned i;

	if (fp == NULL)
		return ft_err_set(e, FT_EIO, "cannot write '%s': %s", path,
		    strerror(errno));
	fputs("# flowtap bench: generated criteria\n@at 0\n", fp);
	for (i = 0; i < n; i++) {
		const struct crit *c = &cs[i];

		addr_text(s, sizeof(s), c->src, c->slen);
		addr_text(d, sizeof(d), c->dst, c->dlen);
		ports_text(sp, sizeof(sp), c->sp_lo, c->sp_hi);
		ports_text(dp, sizeof(dp), c->dp_lo, c->dp_hi);
		fprintf(fp, "ADD DTCP/0.7\nCsource-ID: verint\nCdest-ID: cd1\n"
		    "Source-Address: %s\nDest-Address: %s\n", s, d);
		if (c->proto != 0)
			fprintf(fp, "Protocol: %u\n", c->proto);
		if (!all_ports(c->sp_lo, c->sp_hi) ||
		    !all_ports(c->dp_lo, c->dp_hi))
			fprintf(fp, "Source-Port: %s\nDest-Port: %s\n", sp, dp);
		fprintf(fp, "Flags: STATIC\n"
		    "X-JTap-Cdest-Dest-Address: 192.168.3.2\n"
		    "X-JTap-Cdest-Dest-Port: 1814\n"
		    "X-JTap-Cdest-Source-Address: 10.209.74.183\n"
		    "X-JTap-Cdest-Source-Port: 65534\n"
		    "Seq: %u\nAuthentication-Info: auto\n\n", i + 1);
	}
	if (fclose(fp) != 0)
		return ft_err_set(e, FT_EIO, "cannot write '%s'", path);
	return 0;
}

/* --- timing --------------------------------------------------------- */

/* The clock of this run: wall (default) or this thread's CPU time. */
static clockid_t bench_clock = CLOCK_MONOTONIC;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(bench_clock, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
median(uint64_t *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* What one pass over the packets produced, to check the passes agree. */
struct tally {
	uint64_t matched;	/* packets with at least one match */
	uint64_t hash;
};

/*
 * The per-packet measures run on packets in cache, as in the replay's
 * stream, where a packet is read, decoded and classified within a few
 * microseconds: the packets are taken in chunks of about one read(2)
 * of the replay's reader (engine/trace.c); each chunk is first touched
 * (the first two cache lines of each packet and its decoded view,
 * untimed), then the measure's loop over it is timed. A loop over the
 * whole 700 MB array would time memory misses instead (decode: ~60 ns
 * instead of ~10).
 *
 * Each measure first runs untimed (warm != 0) over the packets, all of
 * them or as many as WARM_NS allows, so that its tables are in cache as
 * in a running replay: the measures take turns, and each would otherwise
 * start with the tables the others pushed out (at 3000 criteria the fast
 * classifier's are about 2 MB, whose reload from memory was a third of a
 * 200,000-packet pass).
 */
#define CHUNK_BYTES	(128 * 1024)
#define WARM_NS		(200 * 1000 * 1000ULL)

static volatile uint8_t touch_sink;

/* The end of the chunk starting at i, its packets touched. */
static uint64_t
chunk(const struct pkts *P, uint64_t i)
{
	uint64_t end, bytes = 0;
	uint8_t x = 0;

	for (end = i; end < P->n && bytes < CHUNK_BYTES; end++) {
		const uint8_t *d = P->buf + P->off[end];
		const uint8_t *v = (const uint8_t *)&P->dec[end];

		bytes += P->caplen[end];
		if (P->caplen[end] > 0)
			x ^= d[0];
		if (P->caplen[end] > 64)
			x ^= d[64];
		x ^= v[0] ^ v[sizeof(P->dec[end]) - 1] ^ P->ok[end];
	}
	touch_sink ^= x;
	return end;
}

/* 1 when a warm-up pass that began at start has run long enough. */
static int
warm_done(int warm, uint64_t start)
{
	return warm && now_ns() - start >= WARM_NS;
}

static uint64_t
t_decode(const struct pkts *P, struct tally *t, int warm)
{
	struct ft_pkt pk;
	uint64_t i, j, end, total = 0, t0, start = now_ns();

	t->matched = 0;
	for (i = 0; i < P->n && !warm_done(warm, start); i = end) {
		end = chunk(P, i);
		t0 = now_ns();
		for (j = i; j < end; j++)
			t->matched += ft_decode(P->linktype, P->buf + P->off[j],
			    P->caplen[j], &pk) == FT_DECODE_OK;
		total += now_ns() - t0;
	}
	return total;
}

static uint64_t
t_classify(struct ft_classify *c, const struct pkts *P, struct ft_rule **out,
    unsigned max, struct tally *t, int warm)
{
	uint64_t i, j, end, matched = 0, hash = 0, t0, total = 0;
	uint64_t start = now_ns();
	unsigned k;

	(void)ft_classify_build(c);
	for (i = 0; i < P->n && !warm_done(warm, start); i = end) {
		end = chunk(P, i);
		t0 = now_ns();
		for (j = i; j < end; j++) {
			if (!P->ok[j])
				continue;
			k = ft_classify_match(c, &P->dec[j], out, max);
			if (k != 0) {
				matched++;
				hash += (j + 1) * (k * 0x9e3779b97f4a7c15ULL +
				    out[0]->id + (out[k - 1]->id << 20));
			}
		}
		total += now_ns() - t0;
	}
	t->matched = matched;
	t->hash = hash;
	return total;
}

static uint64_t
t_bpf(const struct bpf_program *prog, const struct pkts *P,
    struct tally *t, int warm)
{
	struct pcap_pkthdr h;
	uint64_t i, j, end, matched = 0, t0, total = 0, start = now_ns();

	memset(&h, 0, sizeof(h));
	for (i = 0; i < P->n && !warm_done(warm, start); i = end) {
		end = chunk(P, i);
		t0 = now_ns();
		for (j = i; j < end; j++) {
			h.caplen = P->caplen[j];
			h.len = P->len[j];
			matched += pcap_offline_filter(prog, &h,
			    P->buf + P->off[j]) != 0;
		}
		total += now_ns() - t0;
	}
	t->matched = matched;
	return total;
}

/*
 * The bare libpcap read loop: pcap_open_offline and pcap_next_ex over
 * the file, touching each packet's last byte; what `flowtap bench
 * --read-loop FILE` runs as the headline's baseline process.
 */
int
ft_bench_read_loop(const char *path, FILE *out, struct ft_err *e)
{
	char eb[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	uint64_t n = 0, sum = 0;
	pcap_t *p;
	int rc;

	p = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, eb);
	if (p == NULL)
		return ft_err_set(e, FT_EIO, "cannot open trace '%s': %s", path,
		    eb);
	while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
		n++;
		if (h->caplen > 0)
			sum += d[h->caplen - 1];	/* touch the packet */
	}
	pcap_close(p);
	if (rc == PCAP_ERROR)
		return ft_err_set(e, FT_EFORMAT, "trace '%s': read error",
		    path);
	fprintf(out, "%llu records, byte sum %llu\n", (unsigned long long)n,
	    (unsigned long long)sum);
	return 0;
}

/*
 * One child process (argv[0] is replaced by self), its output thrown
 * away: wall time from spawn to exit, or with --cpu-clock its user and
 * system time. 0 when it could not run or failed.
 */
static uint64_t
t_process(const char *self, char *const argv[])
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	struct timespec a, b;
	pid_t pid;
	int st = 0, rc;

	if (self == NULL ||
	    posix_spawn_file_actions_init(&fa) != 0)
		return 0;
	(void)posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO,
	    "/dev/null", O_WRONLY, 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	rc = posix_spawn(&pid, self, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return 0;
	if (wait4(pid, &st, 0, &ru) != pid)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 0;
	if (bench_clock != CLOCK_MONOTONIC)
		return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
		    NS_PER_S + (uint64_t)(ru.ru_utime.tv_usec +
		    ru.ru_stime.tv_usec) * 1000;
	return (uint64_t)(b.tv_sec - a.tv_sec) * NS_PER_S +
	    (uint64_t)b.tv_nsec - (uint64_t)a.tv_nsec;
}

/* VmHWM of a live process, KiB (0: unknown). */
static long
vm_hwm(pid_t pid)
{
	char path[64], line[256];
	long kib = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	fp = fopen(path, "r");
	if (fp == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		const char *p = line + 6;
		uint64_t v = 0;

		if (strncmp(line, "VmHWM:", 6) != 0)
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		while (*p >= '0' && *p <= '9')
			v = v * 10 + (uint64_t)(*p++ - '0');
		kib = (long)v;
	}
	fclose(fp);
	return kib;
}

/*
 * Peak resident memory of a `flowtap replay` child, KiB (0: unknown).
 * Polled from /proc: the child's rusage would include this process's
 * memory, which the kernel carries across the spawn's exec.
 */
static long
replay_peak_kib(const char *self, const char *trace, const char *script,
    const char *out)
{
	char *argv[] = { "flowtap", "replay", "--trace", NULL, "--script",
	    NULL, "--out", NULL, "-q", NULL };
	struct timespec nap = { 0, 2000000 };
	long peak = 0, v;
	pid_t pid;
	int st;

	argv[3] = (char *)trace;
	argv[5] = (char *)script;
	argv[7] = (char *)out;
	if (self == NULL || posix_spawn(&pid, self, NULL, NULL, argv,
	    environ) != 0)
		return 0;
	for (;;) {
		v = vm_hwm(pid);
		if (v > peak)
			peak = v;
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		nanosleep(&nap, NULL);
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 0;
	return peak;
}

/* --- the run -------------------------------------------------------- */

/*
 * M_READ, M_E2E and M_E2E1 are whole processes over the same file,
 * alternated (the headline); the others are timed loops in this one.
 */
enum {
	M_READ, M_E2E, M_E2E1, M_DECODE, M_FAST, M_LINEAR, M_BPF, M_COUNT
};
static const char *const m_name[M_COUNT] = {
	"libpcap read loop [p]", "replay [p]", "replay --threads 1 [p]",
	"decode only", "classify (fast)", "classify (linear)",
	"libpcap BPF filter",
};
static const char *const m_key[M_COUNT] = {
	"read_loop", "replay", "replay_threads1", "decode", "classify_fast",
	"classify_linear", "bpf",
};

struct result {
	unsigned criteria;
	uint64_t packets, decoded, bytes, matched, bpf_matched;
	double ns[M_COUNT];	/* < 0: not measured */
	double ratio, ratio1;	/* replay, --threads 1 / read loop (median) */
	int same;		/* fast and linear gave identical sets */
	long peak_kib;
	int bpf_ok;
};

struct ctx {
	const struct ft_bench_opts *o;
	struct rng rng;
	uint32_t sites[NSITES];
	struct crit *cs;
	struct ft_classify *fast, *lin;
	struct ft_rule **out;
	uint64_t next_id;	/* ids keep growing across a sweep */
	struct pkts P;
	char dir[256];
	int made_dir;
	char f_trace[300], f_script[300], f_out[300];
};

/*
 * The headline's three processes over the same file, one after the
 * other: the bare libpcap read loop, the replay (its default threads)
 * and the replay with --threads 1; every other repetition in reverse
 * order, so a drift of the host's speed weighs on both sides. t3 NULL:
 * once, untimed (the page cache). Returns 0, or FT_EIO when one failed.
 */
static int
t_processes(struct ctx *x, uint64_t t3[3], unsigned rep)
{
	char *rl[] = { "flowtap", "bench", "--read-loop", x->f_trace, NULL };
	char *r2[] = { "flowtap", "replay", "-q", "--trace", x->f_trace,
	    "--script", x->f_script, "--out", x->f_out, NULL };
	char *r1[] = { "flowtap", "replay", "-q", "--threads", "1",
	    "--trace", x->f_trace, "--script", x->f_script, "--out",
	    x->f_out, NULL };
	char *const *av[3] = { rl, r2, r1 };
	uint64_t t[3];
	unsigned i, k;

	for (i = 0; i < 3; i++) {
		k = rep % 2 ? 2 - i : i;
		t[k] = t_process(x->o->self, av[k]);
		if (t[k] == 0)
			return FT_EIO;
	}
	if (t3 != NULL)
		memcpy(t3, t, sizeof(t));
	return 0;
}

static void
make_sites(struct ctx *x)
{
	static const uint32_t bases[] = { 0x0a000000, 0xac100000, 0xc0a80000,
	    0x0a0a0000, 0x0aff0000, 0xac1f0000 };
	unsigned i;

	for (i = 0; i < NSITES; i++) {
		if (i < 12)
			x->sites[i] = bases[i % 6] |
			    ((uint32_t)rndn(&x->rng, 16) << 16);
		else
			x->sites[i] = (uint32_t)(rnd(&x->rng) & 0xffff0000U);
		if (i < 12 && (i % 6 == 2))
			x->sites[i] = 0xc0a80000;	/* 192.168/16 */
	}
}

static int
load_criteria(struct ctx *x, unsigned n, struct ft_err *e)
{
	struct ft_rule *r = malloc(sizeof(*r));
	unsigned i;
	int rc = 0;

	if (r == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	ft_classify_clear(x->fast);
	ft_classify_clear(x->lin);
	for (i = 0; i < n && rc == 0; i++) {
		rc = crit_rule(&x->cs[i], x->next_id++, r);
		if (rc == 0)
			rc = ft_classify_add(x->fast, r);
		if (rc == 0)
			rc = ft_classify_add(x->lin, r);
	}
	free(r);
	if (rc != 0)
		return ft_err_set(e, rc, "cannot load generated criterion %u",
		    i);
	return ft_classify_build(x->fast) != 0 ?
	    ft_err_set(e, FT_ENOMEM, "out of memory") : 0;
}

static void
decode_all(struct pkts *P)
{
	uint64_t i;

	for (i = 0; i < P->n; i++)
		P->ok[i] = ft_decode(P->linktype, P->buf + P->off[i],
		    P->caplen[i], &P->dec[i]) == FT_DECODE_OK;
}

/* Criteria and packets for a run with n criteria. */
static int
prepare(struct ctx *x, unsigned n, struct ft_err *e)
{
	const struct ft_bench_opts *o = x->o;
	uint64_t i;
	unsigned k;
	int rc;

	if (o->trace != NULL) {
		if (x->P.n == 0) {
			rc = load_trace(&x->P, o->trace, o->packets, e);
			if (rc != 0)
				return rc;
			decode_all(&x->P);
		}
		for (k = 0; k < n; k++) {
			uint64_t j = 0, tries;

			for (tries = 0; tries < 64; tries++) {
				j = rnd(&x->rng) % x->P.n;
				if (x->P.ok[j] && x->P.dec[j].family == 4)
					break;
			}
			if (!x->P.ok[j] || x->P.dec[j].family != 4)
				gen_crit(&x->rng, x->sites, &x->cs[k]);
			else
				crit_from_pkt(&x->rng, &x->P.dec[j],
				    &x->cs[k]);
		}
		return load_criteria(x, n, e);
	}
	for (k = 0; k < n; k++)
		gen_crit(&x->rng, x->sites, &x->cs[k]);
	rc = load_criteria(x, n, e);
	if (rc != 0)
		return rc;
	pkts_release(&x->P);
	rc = pkts_init(&x->P, o->packets, (size_t)o->packets * 360 + 4096);
	if (rc != 0)
		return ft_err_set(e, rc, "out of memory for %llu packets",
		    (unsigned long long)o->packets);
	for (i = 0; i < o->packets; i++) {
		rc = gen_packet(&x->rng, &x->P, x->cs, n, o->match_ppb,
		    x->sites, x->fast, x->out);
		if (rc != 0)
			return ft_err_set(e, rc, "out of memory");
	}
	decode_all(&x->P);
	return 0;
}

/* Time every measure reps times on the prepared packets. */
static int
measure(struct ctx *x, unsigned n, int e2e, struct result *res,
    struct ft_err *e)
{
	const struct ft_bench_opts *o = x->o;
	uint64_t *v[M_COUNT], *q, *q1;
	struct tally tf, tl, tb, td;
	struct bpf_program prog;
	pcap_t *dead;
	char *expr;
	unsigned rep, m;
	uint64_t i;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	res->criteria = n;
	res->packets = x->P.n;
	res->bytes = x->P.bytes;
	for (i = 0; i < x->P.n; i++)
		res->decoded += x->P.ok[i];
	for (m = 0; m < M_COUNT; m++) {
		res->ns[m] = -1;
		v[m] = calloc(o->reps, sizeof(uint64_t));
		if (v[m] == NULL)
			rc = FT_ENOMEM;
	}
	expr = bpf_expr(x->cs, n);
	dead = pcap_open_dead(x->P.linktype == FT_LINK_RAW ? DLT_RAW :
	    x->P.linktype, 65535);
	if (rc != 0 || expr == NULL || dead == NULL) {
		rc = ft_err_set(e, FT_ENOMEM, "out of memory");
		goto out_free;
	}
	res->bpf_ok = pcap_compile(dead, &prog, expr, 1,
	    PCAP_NETMASK_UNKNOWN) == 0;
	if (!res->bpf_ok)
		fprintf(stderr, "flowtap bench: BPF compile of %u criteria "
		    "failed: %s\n", n, pcap_geterr(dead));

	res->same = 1;
	q = calloc(o->reps, sizeof(*q));
	q1 = calloc(o->reps, sizeof(*q1));
	if (q == NULL || q1 == NULL) {
		rc = ft_err_set(e, FT_ENOMEM, "out of memory");
		goto out_prog;
	}
	if (e2e) {
		rc = t_processes(x, NULL, 0);	/* warm the page cache */
		if (rc != 0) {
			rc = ft_err_set(e, FT_EIO, "a timed process failed "
			    "(try 'flowtap replay' on %s)", x->f_trace);
			goto out_prog;
		}
	}
	for (rep = 0; rep < o->reps; rep++) {
		if (e2e) {
			uint64_t t3[3];

			if (t_processes(x, t3, rep) != 0) {
				rc = ft_err_set(e, FT_EIO, "a timed process "
				    "failed");
				goto out_prog;
			}
			v[M_READ][rep] = t3[0];
			v[M_E2E][rep] = t3[1];
			v[M_E2E1][rep] = t3[2];
			/* Ratios per repetition, side by side in time. */
			q[rep] = t3[1] * 1000000 / t3[0];
			q1[rep] = t3[2] * 1000000 / t3[0];
		}
		(void)t_decode(&x->P, &td, 1);
		v[M_DECODE][rep] = t_decode(&x->P, &td, 0);
		(void)t_classify(x->fast, &x->P, x->out, FT_CLASSIFY_CAP_MAX,
		    &tf, 1);
		v[M_FAST][rep] = t_classify(x->fast, &x->P, x->out,
		    FT_CLASSIFY_CAP_MAX, &tf, 0);
		(void)t_classify(x->lin, &x->P, x->out, FT_CLASSIFY_CAP_MAX,
		    &tl, 1);
		v[M_LINEAR][rep] = t_classify(x->lin, &x->P, x->out,
		    FT_CLASSIFY_CAP_MAX, &tl, 0);
		if (tf.matched != tl.matched || tf.hash != tl.hash)
			res->same = 0;
		res->matched = tf.matched;
		if (res->bpf_ok) {
			(void)t_bpf(&prog, &x->P, &tb, 1);
			v[M_BPF][rep] = t_bpf(&prog, &x->P, &tb, 0);
			res->bpf_matched = tb.matched;
		}
	}
	for (m = 0; m < M_COUNT; m++) {
		if ((m == M_READ || m == M_E2E || m == M_E2E1) && !e2e)
			continue;
		if (m == M_BPF && !res->bpf_ok)
			continue;
		res->ns[m] = (double)median(v[m], o->reps) / (double)x->P.n;
	}
	if (e2e) {
		res->ratio = (double)median(q, o->reps) / 1e6;
		res->ratio1 = (double)median(q1, o->reps) / 1e6;
		res->peak_kib = replay_peak_kib(o->self, x->f_trace,
		    x->f_script, x->f_out);
	}
out_prog:
	free(q);
	free(q1);
	if (res->bpf_ok)
		pcap_freecode(&prog);
out_free:
	if (dead != NULL)
		pcap_close(dead);
	free(expr);
	for (m = 0; m < M_COUNT; m++)
		free(v[m]);
	return rc;
}

/* --- reports -------------------------------------------------------- */

static void
print_text(FILE *fp, const struct ft_bench_opts *o, const struct result *r)
{
	double bpf = r->ns[M_BPF];
	unsigned m;

	fprintf(fp, "flowtap bench: %llu %s packets, mean frame %.1f bytes, "
	    "%u criteria\n", (unsigned long long)r->packets,
	    o->trace ? "trace" : "generated",
	    r->packets ? (double)r->bytes / (double)r->packets : 0.0,
	    r->criteria);
	fprintf(fp, "  %llu packets matched (%.2f %%), median of %u runs, "
	    "seed %llu, %s time\n", (unsigned long long)r->matched,
	    r->packets ? 100.0 * (double)r->matched / (double)r->packets : 0,
	    o->reps, (unsigned long long)o->seed,
	    o->cpu_clock ? "thread CPU" : "wall");
	fprintf(fp, "%-22s %10s %9s %12s %8s\n", "measure", "ns/packet",
	    "Mpps", "x 20 Kpps", "x BPF");
	for (m = 0; m < M_COUNT; m++) {
		double ns = r->ns[m];

		if (ns < 0)
			continue;
		fprintf(fp, "%-22s %10.1f %9.2f %12.0f", m_name[m], ns,
		    1e3 / ns, 1e9 / ns / BUDGET_PPS);
		if (bpf > 0)
			fprintf(fp, " %8.2f\n", bpf / ns);
		else
			fprintf(fp, " %8s\n", "-");
	}
	fprintf(fp, "fast vs linear: %.1fx faster, identical match sets: %s\n",
	    r->ns[M_LINEAR] / r->ns[M_FAST], r->same ? "yes" : "NO");
	if (r->bpf_ok)
		fprintf(fp, "BPF matched %llu packets, the classifier %llu%s\n",
		    (unsigned long long)r->bpf_matched,
		    (unsigned long long)r->matched,
		    r->bpf_matched == r->matched ? " (agree)" : "");
	if (r->ns[M_E2E] > 0 && r->ns[M_READ] > 0) {
		fprintf(fp, "[p]: whole processes over the same file, "
		    "alternated, all outputs written\n");
		fprintf(fp, "replay / libpcap read loop: %.2f, replay "
		    "--threads 1 / read loop: %.2f (medians of the %u "
		    "side-by-side ratios)\n", r->ratio, r->ratio1, o->reps);
	}
	if (r->peak_kib > 0)
		fprintf(fp, "replay peak memory: %.1f MiB (a child "
		    "`flowtap replay` on the same files)\n",
		    (double)r->peak_kib / 1024.0);
}

static void
json_num(FILE *fp, double v)
{
	if (v < 0)
		fputs("null", fp);
	else
		fprintf(fp, "%.3f", v);
}

static void
print_json(FILE *fp, const struct ft_bench_opts *o, const struct result *r)
{
	double bpf = r->ns[M_BPF];
	unsigned m;

	fprintf(fp, "{\n  \"source\": \"%s\",\n  \"packets\": %llu,\n"
	    "  \"mean_frame_bytes\": %.1f,\n  \"criteria\": %u,\n"
	    "  \"matched_packets\": %llu,\n  \"reps\": %u,\n"
	    "  \"seed\": %llu,\n  \"clock\": \"%s\",\n"
	    "  \"budget_pps\": %.0f,\n  \"measures\": {\n",
	    o->trace ? "trace" : "generated", (unsigned long long)r->packets,
	    r->packets ? (double)r->bytes / (double)r->packets : 0.0,
	    r->criteria, (unsigned long long)r->matched, o->reps,
	    (unsigned long long)o->seed, o->cpu_clock ? "thread_cpu" : "wall",
	    BUDGET_PPS);
	for (m = 0; m < M_COUNT; m++) {
		double ns = r->ns[m];

		fprintf(fp, "    \"%s\": {\"ns_per_packet\": ", m_key[m]);
		json_num(fp, ns);
		fputs(", \"mpps\": ", fp);
		json_num(fp, ns > 0 ? 1e3 / ns : -1);
		fputs(", \"x_budget\": ", fp);
		json_num(fp, ns > 0 ? 1e9 / ns / BUDGET_PPS : -1);
		fputs(", \"x_bpf\": ", fp);
		json_num(fp, ns > 0 && bpf > 0 ? bpf / ns : -1);
		fprintf(fp, "}%s\n", m + 1 < M_COUNT ? "," : "");
	}
	fputs("  },\n  \"fast_vs_linear\": ", fp);
	json_num(fp, r->ns[M_LINEAR] / r->ns[M_FAST]);
	fprintf(fp, ",\n  \"identical_match_sets\": %s,\n",
	    r->same ? "true" : "false");
	fprintf(fp, "  \"bpf_matched_packets\": %llu,\n",
	    (unsigned long long)r->bpf_matched);
	fputs("  \"replay_vs_read_loop\": ", fp);
	json_num(fp, r->ns[M_E2E] > 0 && r->ns[M_READ] > 0 ? r->ratio : -1);
	fputs(",\n  \"replay_threads1_vs_read_loop\": ", fp);
	json_num(fp, r->ns[M_E2E1] > 0 && r->ns[M_READ] > 0 ? r->ratio1 : -1);
	fputs(",\n  \"replay_peak_kib\": ", fp);
	if (r->peak_kib > 0)
		fprintf(fp, "%ld", r->peak_kib);
	else
		fputs("null", fp);
	fputs("\n}\n", fp);
}

/* --- setup ---------------------------------------------------------- */

void
ft_bench_opts_default(struct ft_bench_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->packets = 2000000;
	o->criteria = 100;
	o->match_ppb = 45000000;	/* 4.5 % */
	o->reps = 5;
	o->seed = 1;
	o->e2e = 1;
	o->self = "/proc/self/exe";
	o->out = stdout;
}

static int
make_files(struct ctx *x, struct ft_err *e)
{
	const struct ft_bench_opts *o = x->o;
	int rc;

	if (o->tmpdir != NULL) {
		snprintf(x->dir, sizeof(x->dir), "%s", o->tmpdir);
		if (mkdir(x->dir, 0777) != 0 && errno != EEXIST)
			return ft_err_set(e, FT_EIO, "cannot create '%s': %s",
			    x->dir, strerror(errno));
	} else {
		snprintf(x->dir, sizeof(x->dir), "/tmp/flowtap-bench-XXXXXX");
		if (mkdtemp(x->dir) == NULL)
			return ft_err_set(e, FT_EIO, "cannot create a "
			    "temporary folder: %s", strerror(errno));
		x->made_dir = 1;
	}
	snprintf(x->f_script, sizeof(x->f_script), "%s/bench.dtcp", x->dir);
	snprintf(x->f_out, sizeof(x->f_out), "%s/out", x->dir);
	if (o->trace != NULL) {
		snprintf(x->f_trace, sizeof(x->f_trace), "%s", o->trace);
	} else {
		snprintf(x->f_trace, sizeof(x->f_trace), "%s/bench.pcap",
		    x->dir);
		rc = write_pcap(&x->P, x->f_trace, e);
		if (rc != 0)
			return rc;
	}
	return write_script(x->cs, o->criteria, x->f_script, e);
}

static void
remove_files(struct ctx *x)
{
	static const char *const outs[] = { "intercept.pcap", "dtcp.log",
	    "ledger.tsv", "rates.csv", "report.json" };
	char p[400];
	size_t i;

	if (x->dir[0] == '\0' || x->o->keep)
		return;
	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", x->f_out, outs[i]);
		unlink(p);
	}
	rmdir(x->f_out);
	unlink(x->f_script);
	if (x->o->trace == NULL)
		unlink(x->f_trace);
	if (x->made_dir)
		rmdir(x->dir);
}

static int
run_sweep(struct ctx *x, struct ft_err *e)
{
	const struct ft_bench_opts *o = x->o;
	struct result r;
	unsigned i;
	int rc;

	if (o->data != NULL)
		fputs("# criteria fast_ns linear_ns bpf_ns "
		    "(ns/packet, median)\n", o->data);
	for (i = 0; i < o->nsweep; i++) {
		rc = prepare(x, o->sweep[i], e);
		if (rc == 0)
			rc = measure(x, o->sweep[i], 0, &r, e);
		if (rc != 0)
			return rc;
		if (o->json)
			print_json(o->out, o, &r);
		else
			print_text(o->out, o, &r);
		if (o->json_out != NULL)
			print_json(o->json_out, o, &r);
		if (o->data != NULL) {
			fprintf(o->data, "%u %.3f %.3f ", o->sweep[i],
			    r.ns[M_FAST], r.ns[M_LINEAR]);
			if (r.ns[M_BPF] > 0)
				fprintf(o->data, "%.3f\n", r.ns[M_BPF]);
			else
				fputs("NaN\n", o->data);
			fflush(o->data);
		}
		fflush(o->out);
	}
	return 0;
}

int
ft_bench_run(const struct ft_bench_opts *o, struct ft_err *e)
{
	struct ctx x;
	struct result r;
	unsigned maxc = o->criteria, i;
	int rc, e2e;

	if (o->reps == 0 || o->packets == 0 || o->seed == 0 ||
	    o->criteria == 0 || o->criteria > FT_CLASSIFY_CAP_MAX)
		return ft_err_set(e, FT_EINVAL, "bench needs packets, "
		    "criteria 1..%d, reps and a seed > 0", FT_CLASSIFY_CAP_MAX);
	for (i = 0; i < o->nsweep; i++) {
		if (o->sweep[i] == 0 || o->sweep[i] > FT_CLASSIFY_CAP_MAX)
			return ft_err_set(e, FT_EINVAL, "sweep criteria "
			    "counts are 1..%d", FT_CLASSIFY_CAP_MAX);
		if (o->sweep[i] > maxc)
			maxc = o->sweep[i];
	}
	memset(&x, 0, sizeof(x));
	x.o = o;
	bench_clock = o->cpu_clock ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC;
	x.rng.s = o->seed;
	x.next_id = 1;
	make_sites(&x);
	x.cs = calloc(maxc, sizeof(*x.cs));
	x.out = calloc(FT_CLASSIFY_CAP_MAX, sizeof(*x.out));
	x.fast = ft_classify_new_cap(maxc, 0);
	x.lin = ft_classify_new_cap(maxc, 1);
	if (x.cs == NULL || x.out == NULL || x.fast == NULL || x.lin == NULL) {
		rc = ft_err_set(e, FT_ENOMEM, "out of memory");
		goto out;
	}
	if (o->nsweep > 0) {
		rc = run_sweep(&x, e);
		goto out;
	}
	rc = prepare(&x, o->criteria, e);
	if (rc != 0)
		goto out;
	/* The chassis takes FT_CRITERIA_MAX: beyond, a replay differs. */
	e2e = o->e2e && o->criteria <= FT_CRITERIA_MAX;
	if (e2e) {
		rc = make_files(&x, e);
		if (rc != 0)
			goto out;
	}
	rc = measure(&x, o->criteria, e2e, &r, e);
	if (rc != 0)
		goto out;
	if (o->json)
		print_json(o->out, o, &r);
	else
		print_text(o->out, o, &r);
	if (o->json_out != NULL)
		print_json(o->json_out, o, &r);
	if (!r.same)
		rc = ft_err_set(e, FT_EINVAL, "fast and linear classifiers "
		    "disagree");
out:
	remove_files(&x);
	pkts_release(&x.P);
	ft_classify_free(x.fast);
	ft_classify_free(x.lin);
	free(x.out);
	free(x.cs);
	return rc;
}
