/*
 * trace.c - packet sources: classic pcap and pcapng through their own
 * readers, live captures through libpcap, and files paced in real time;
 * nanosecond timestamps.
 *
 * Classic pcap is read here with read(2) into one large buffer, each
 * record handed out where it lies (no per-record copy): libpcap's reader
 * does two freads and a memcpy per record through stdio, about half of
 * a replay's instructions. The file header is still validated by libpcap
 * itself (the header's bytes, through pcap_fopen_offline), so the same
 * files are accepted, with libpcap's link type mapping and snapshot
 * length and libpcap's own error texts; every record is then checked as
 * libpcap's sf-pcap.c does (capture length against the link type's
 * maximum and the snapshot, longer records cut to the snapshot, old
 * versions' swapped lengths, both byte orders, microseconds scaled to
 * nanoseconds). FLOWTAP_READER=libpcap in the environment reads classic
 * pcap through libpcap instead (the reference the tests compare with).
 * One difference, on no packet flowtap decodes: libpcap byte-swaps the
 * pseudo-headers of USB, NFLOG and Linux cooked CAN frames written in
 * the other byte order; this reader leaves the bytes as in the file.
 *
 * libpcap also reads pcapng but does not tell on
 * which interface a record arrived (and refuses interfaces of different
 * link types), so pcapng files (first block type 0x0A0D0D0A) are read
 * here, block by block (draft-ietf-opsawg-pcapng):
 *
 *   block:  type u32, total length u32, body, total length u32 again
 *   SHB     0x0A0D0D0A: byte-order magic 0x1A2B3C4D, major u16, minor
 *           u16, section length u64, options; starts a section
 *   IDB     1: linktype u16, reserved u16, snaplen u32, options
 *   EPB     6: interface u32, timestamp high u32, low u32, caplen u32,
 *           original length u32, data padded to 4, options
 *   SPB     3: original length u32, data (caplen = min(len, space,
 *           snaplen)), interface 0
 *   PB      2: interface u16, drops u16, then as EPB (obsolete)
 *   option: code u16, length u16, value padded to 4; code 0 ends
 *
 * Every field is read through the byte order of the current section;
 * every length is checked against the block before it is used.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "limits.h"
#include "trace.h"

#define NS_PER_SEC	1000000000ULL

__extension__ typedef unsigned __int128 u128;

/*
 * libpcap reads a file through stdio, record header and data with one
 * fread each; with the default 4 KiB stdio buffer that is a read(2)
 * every dozen packets, a large share of the replay's time. The trace
 * opens the file itself with a larger buffer (the pcapng reader too).
 */
#define TRACE_STDIO_BUF	(1024 * 1024)

/*
 * Classic pcap: bytes read(2) at a time. 256 KiB stays within L2 while
 * the records are parsed and used (a larger buffer is slower, a smaller
 * one costs system calls); the buffer also holds one record of the
 * largest size the file allows beside it, so a record is never split.
 */
#define PC_FILL		(256 * 1024)
/* Batches are offered when the largest record is at most this big. */
#define PC_BATCH_REC_MAX	(FT_SNAPLEN_MAX + 64)

/* Classic pcap magics (sf-pcap.c), as read little-endian. */
#define PC_MAGIC_US	0xa1b2c3d4U
#define PC_MAGIC_NS	0xa1b23c4dU
#define PC_MAGIC_KUZ	0xa1b2cd34U	/* Kuznetzov: 24-byte record headers */
#define PC_FILE_HDR	24
/* Largest capture length libpcap accepts by link type (DLT values). */
#define PC_SNAP_DEFAULT	262144U

/* pcapng block types and option codes. */
#define NG_SHB		0x0A0D0D0AU
#define NG_IDB		1U
#define NG_PB		2U
#define NG_SPB		3U
#define NG_EPB		6U
#define NG_BOM		0x1A2B3C4DU
#define NG_OPT_END	0
#define NG_OPT_IFNAME	2
#define NG_OPT_TSRESOL	9
#define NG_OPT_TSOFFSET	14

/* First block buffer; grown by doubling up to FT_TRACE_BLOCK_MAX. */
#define NG_BLK_INIT	(64 * 1024)

struct ng_iface {
	int linktype;		/* LINKTYPE_* value */
	uint32_t snaplen;	/* 0: no limit */
	uint64_t res;		/* timestamp units per second */
	unsigned exp;		/* res = 10^exp or 2^exp */
	int binary;		/* res is a power of 2 */
	int64_t off;		/* if_tsoffset, seconds */
	int has_name;
	char name[FT_TRACE_IFNAME_MAX + 1];
};

struct ft_trace {
	pcap_t *pcap;		/* live, or classic pcap with FLOWTAP_READER=libpcap */
	int linktype;
	/*
	 * Classic pcap, own reader: unread bytes are buf[rpos..rend);
	 * rfd -1 for a capture in memory (buf is then the caller's).
	 */
	int classic;
	int rfd, own_rfd, rd_eof;
	uint8_t *buf;
	size_t bufcap, rpos, rend;
	int own_buf;
	int swapped;		/* the file's byte order is big-endian */
	int lenswap;		/* 0 no, 1 always, 2 when caplen > len */
	unsigned hdrsize;	/* 16, or 24 (Kuznetzov) */
	uint32_t scale;		/* 1 (ns) or 1000 (us) */
	uint32_t snapshot;	/* libpcap's snapshot length */
	uint32_t maxsnap;	/* libpcap's maximum for the link type */
	/* Batches: a deferred end (0) or error, and a record held back. */
	int bt_end, bt_rc;
	struct ft_err bt_err;
	int bt_held;
	struct ft_trace_rec bt_rec;
	char *path;		/* for messages; the interface when live */
	char *iobuf;		/* the FILE's buffer: freed after it closes */
	/* pcapng */
	FILE *fp;		/* NULL for classic pcap (libpcap owns it) */
	int own_fp;		/* fclose it (not stdin) */
	int be;			/* current section is big-endian */
	int nsections;		/* SHBs seen */
	uint64_t off;		/* file offset of the next block */
	uint64_t blk_off;	/* file offset of the block in blk */
	uint8_t *blk;		/* the current block, whole */
	size_t blkcap;
	struct ng_iface *ifs;	/* interfaces of the current section */
	uint32_t nif, ifcap;

	int eof;		/* a file has ended */
	/*
	 * A file cut short inside a record ends there (ft_trace_warning):
	 * records read from the file so far, and the warning once cut.
	 */
	uint64_t nread;
	int cut;
	char cutmsg[FT_ERR_MSG_MAX];
	struct ft_trace_stats st;
	/* live */
	int live;
	int fd;			/* selectable descriptor, -1 */
	uint64_t usec_scale;	/* 1: ns timestamps, 1000: us */
	int have_ps;		/* last_ps holds a reading */
	struct pcap_stat last_ps;
	/* paced */
	int paced;
	uint64_t speed_nano;	/* speed x 10^9, 0: top speed */
	ft_trace_clock_fn clock;
	void *clock_ctx;
	int started, have_first, held;
	uint64_t start_ns;	/* clock at the first ft_trace_next */
	uint64_t first_ts;	/* the first record's timestamp */
	uint64_t due_ns;	/* when the held record is due */
	struct ft_trace_rec hrec;	/* the held record */
};

/*
 * pcap_datalink() gives a DLT_* value, which differs from the file's
 * LINKTYPE_* value for raw IP (DLT_RAW is 12 or 14 by platform) and,
 * on OpenBSD, loopback. Everything else flowtap decodes is the same
 * number; unknown values pass through and decode reports them.
 */
static int
dlt_to_linktype(int dlt)
{
	if (dlt == DLT_RAW)
		return FT_LINK_RAW;
	if (dlt == DLT_LOOP)
		return FT_LINK_LOOP;
	if (dlt == DLT_NULL)
		return FT_LINK_NULL;
	if (dlt == DLT_EN10MB)
		return FT_LINK_EN10MB;
	if (dlt == DLT_LINUX_SLL)
		return FT_LINK_SLL;
	if (dlt == DLT_LINUX_SLL2)
		return FT_LINK_SLL2;
	if (dlt == DLT_IPV4)
		return FT_LINK_IPV4;
	if (dlt == DLT_IPV6)
		return FT_LINK_IPV6;
	return dlt;
}

/*
 * Seconds and nanoseconds (< 10^9 or not) as one count, saturating at
 * UINT64_MAX.
 */
static uint64_t
sat_ns(uint64_t sec, uint64_t nsec)
{
	uint64_t ns;

	if (sec > UINT64_MAX / NS_PER_SEC)
		return UINT64_MAX;
	ns = sec * NS_PER_SEC;
	if (nsec > UINT64_MAX - ns)
		return UINT64_MAX;
	return ns + nsec;
}

/*
 * libpcap's seconds and nanoseconds as one unsigned count, without
 * overflow UB. The pcap format's 32-bit seconds field is unsigned, but
 * libpcap hands it out through a signed 32-bit value: a negative tv_sec
 * in that range is taken back as the unsigned field. Any other negative
 * value or a time too big for 64 bits of nanoseconds saturates at
 * UINT64_MAX.
 */
static uint64_t
ts_to_ns(long long tv_sec, long long tv_nsec)
{
	uint64_t sec;

	if (tv_sec < INT32_MIN || tv_nsec < 0)
		return UINT64_MAX;
	if (tv_sec < 0)
		sec = (uint32_t)tv_sec;
	else
		sec = (uint64_t)tv_sec;
	return sat_ns(sec, (uint64_t)tv_nsec);
}

/* ---- pcapng ---- */

static uint16_t
ng16(const struct ft_trace *t, const uint8_t *p)
{
	if (t->be)
		return (uint16_t)(p[0] << 8 | p[1]);
	return (uint16_t)(p[1] << 8 | p[0]);
}

static uint32_t
ng32(const struct ft_trace *t, const uint8_t *p)
{
	if (t->be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

static uint64_t
ng64(const struct ft_trace *t, const uint8_t *p)
{
	if (t->be)
		return (uint64_t)ng32(t, p) << 32 | ng32(t, p + 4);
	return (uint64_t)ng32(t, p + 4) << 32 | ng32(t, p);
}

/*
 * The warning of a file cut short before record t->nread + 1 (tshark:
 * "appears to have been cut short in the middle of a packet"); at: the
 * byte offset where the cut record starts, when known.
 */
static void
set_cut(struct ft_trace *t, int have_at, uint64_t at)
{
	char where[48], before[64];

	where[0] = '\0';
	if (have_at)
		snprintf(where, sizeof(where), " at byte %llu",
		    (unsigned long long)at);
	if (t->nread == 0)
		snprintf(before, sizeof(before), "no record before it");
	else if (t->nread == 1)
		snprintf(before, sizeof(before), "record 1 read");
	else
		snprintf(before, sizeof(before), "records 1 to %llu read",
		    (unsigned long long)t->nread);
	snprintf(t->cutmsg, sizeof(t->cutmsg), "trace '%s': cut short in the "
	    "middle of record %llu%s (%s)", t->path,
	    (unsigned long long)t->nread + 1, where, before);
	t->cut = 1;
}

/*
 * A short read at offset at: a read error, or the file ends there (cut
 * short: ng_next ends the file with a warning; while opening, an error).
 * type: the block's type when its first 4 bytes were read, else 0; a
 * cut block that is no packet block is named as a block.
 */
static int
ng_short(struct ft_trace *t, uint64_t at, uint32_t type, struct ft_err *e)
{
	int err = errno;

	if (ferror(t->fp))
		return ft_err_set(e, FT_EIO, "trace '%s': read error at "
		    "byte %llu: %s", t->path, (unsigned long long)at,
		    strerror(err));
	if (type == 0 || type == NG_EPB || type == NG_SPB || type == NG_PB) {
		set_cut(t, 1, at);
	} else {
		snprintf(t->cutmsg, sizeof(t->cutmsg), "trace '%s': cut short "
		    "in the middle of a block of type 0x%08x at byte %llu, "
		    "after record %llu", t->path, (unsigned)type,
		    (unsigned long long)at, (unsigned long long)t->nread);
		t->cut = 1;
	}
	return ft_err_set(e, FT_EFORMAT, "trace '%s': truncated block at "
	    "byte %llu", t->path, (unsigned long long)at);
}

/*
 * Read the next block whole into t->blk. Returns 1 with its type and
 * total length, 0 at end of file on a block boundary, or an error. The
 * section's byte order comes from an SHB's own byte-order magic, read
 * before its length (which is written in that order).
 */
static int
ng_read_block(struct ft_trace *t, uint32_t *type, uint32_t *len,
    struct ft_err *e)
{
	uint8_t h[12];
	size_t n, hl = 8, cap;
	uint32_t tl, trail;
	uint8_t *nb;
	const char *path = t->path;
	unsigned long long at = (unsigned long long)t->off;

	t->blk_off = t->off;
	n = fread(h, 1, 8, t->fp);
	if (n == 0 && !ferror(t->fp))
		return 0;
	if (n < 8)
		return ng_short(t, t->off, n < 4 ? 0 : ng32(t, h), e);
	if (h[0] == 0x0a && h[1] == 0x0d && h[2] == 0x0d && h[3] == 0x0a) {
		*type = NG_SHB;
		if (fread(h + 8, 1, 4, t->fp) != 4)
			return ng_short(t, t->off, NG_SHB, e);
		hl = 12;
		if (h[8] == 0x1a && h[9] == 0x2b && h[10] == 0x3c &&
		    h[11] == 0x4d)
			t->be = 1;
		else if (h[8] == 0x4d && h[9] == 0x3c && h[10] == 0x2b &&
		    h[11] == 0x1a)
			t->be = 0;
		else
			return ft_err_set(e, FT_EFORMAT, "trace '%s': bad "
			    "byte-order magic in section header at byte %llu",
			    path, at);
	} else if (t->nsections == 0) {
		/* Only said when the first byte looked like pcapng. */
		return ft_err_set(e, FT_EFORMAT, "trace '%s': unknown file "
		    "format", path);
	} else
		*type = ng32(t, h);
	tl = ng32(t, h + 4);
	if (tl < 12 || tl % 4 != 0)
		return ft_err_set(e, FT_EFORMAT, "trace '%s': bad block "
		    "length %u at byte %llu", path, (unsigned)tl, at);
	if (tl > FT_TRACE_BLOCK_MAX)
		return ft_err_set(e, FT_EFORMAT, "trace '%s': block of %u "
		    "bytes over the %u-byte cap at byte %llu", path,
		    (unsigned)tl, (unsigned)FT_TRACE_BLOCK_MAX, at);
	if (tl < hl + 4)	/* an SHB shorter than its magic */
		return ft_err_set(e, FT_EFORMAT, "trace '%s': section header "
		    "block too short at byte %llu", path, at);
	if (tl > t->blkcap) {
		cap = t->blkcap != 0 ? t->blkcap : NG_BLK_INIT;
		while (cap < tl)
			cap *= 2;
		if (cap > FT_TRACE_BLOCK_MAX)
			cap = FT_TRACE_BLOCK_MAX;
		nb = realloc(t->blk, cap);
		if (nb == NULL)
			return ft_err_set(e, FT_ENOMEM, "trace '%s': out of "
			    "memory for a block of %u bytes at byte %llu",
			    path, (unsigned)tl, at);
		t->blk = nb;
		t->blkcap = cap;
	}
	memcpy(t->blk, h, hl);
	if (fread(t->blk + hl, 1, tl - hl, t->fp) != tl - hl)
		return ng_short(t, t->off, *type, e);
	trail = ng32(t, t->blk + tl - 4);
	if (trail != tl)
		return ft_err_set(e, FT_EFORMAT, "trace '%s': block length "
		    "%u and trailing copy %u differ at byte %llu", path,
		    (unsigned)tl, (unsigned)trail, at);
	t->off += tl;
	*len = tl;
	return 1;
}

static int
ng_section(struct ft_trace *t, const uint8_t *b, size_t n, struct ft_err *e)
{
	unsigned major, minor;

	if (n < 16)
		return ft_err_set(e, FT_EFORMAT, "trace '%s': section header "
		    "block too short at byte %llu", t->path,
		    (unsigned long long)t->blk_off);
	major = ng16(t, b + 4);
	minor = ng16(t, b + 6);
	/* Minor versions are compatible by definition; libpcap: 0 or 2. */
	if (major != 1)
		return ft_err_set(e, FT_EFORMAT, "trace '%s': unsupported "
		    "pcapng version %u.%u at byte %llu", t->path, major,
		    minor, (unsigned long long)t->blk_off);
	t->nsections++;
	t->nif = 0;
	return 0;
}

/* An IDB option whose value is not what the spec says. */
static int
ng_bad_option(const struct ft_trace *t, const char *what, struct ft_err *e)
{
	return ft_err_set(e, FT_EFORMAT, "trace '%s': interface description "
	    "block %s at byte %llu", t->path, what,
	    (unsigned long long)t->blk_off);
}

/* if_tsresol: bit 7 clear 10^-v, set 2^-v (the value has to fit 64 bits). */
static int
ng_tsresol(const struct ft_trace *t, struct ng_iface *ifc, uint8_t v,
    struct ft_err *e)
{
	unsigned k;

	ifc->binary = (v & 0x80) != 0;
	ifc->exp = v & 0x7f;
	if (ifc->binary) {
		if (ifc->exp > 63)
			return ng_bad_option(t, "if_tsresol beyond 2^-63", e);
		ifc->res = (uint64_t)1 << ifc->exp;
		return 0;
	}
	if (ifc->exp > 19)
		return ng_bad_option(t, "if_tsresol beyond 10^-19", e);
	ifc->res = 1;
	for (k = 0; k < ifc->exp; k++)
		ifc->res *= 10;
	return 0;
}

static int
ng_options(const struct ft_trace *t, struct ng_iface *ifc,
    const uint8_t *p, size_t n, struct ft_err *e)
{
	unsigned code, olen;
	int seen_name = 0, seen_res = 0, seen_off = 0;
	const uint8_t *nul;
	size_t pad, k;
	uint64_t v;

	while (n >= 4) {
		code = ng16(t, p);
		olen = ng16(t, p + 2);
		p += 4;
		n -= 4;
		if (code == NG_OPT_END)
			break;
		pad = ((size_t)olen + 3) & ~(size_t)3;
		if (pad > n)
			return ng_bad_option(t, "option runs past the block",
			    e);
		switch (code) {
		case NG_OPT_IFNAME:
			if (seen_name)
				break;	/* one allowed: the first counts */
			seen_name = 1;
			nul = memchr(p, '\0', olen);
			k = nul != NULL ? (size_t)(nul - p) : olen;
			if (k == 0 || k > FT_TRACE_IFNAME_MAX)
				break;
			memcpy(ifc->name, p, k);
			ifc->name[k] = '\0';
			ifc->has_name = 1;
			break;
		case NG_OPT_TSRESOL:
			if (olen != 1)
				return ng_bad_option(t, "if_tsresol not 1 byte",
				    e);
			if (seen_res++)
				return ng_bad_option(t, "if_tsresol twice", e);
			if (ng_tsresol(t, ifc, p[0], e) != 0)
				return FT_EFORMAT;
			break;
		case NG_OPT_TSOFFSET:
			if (olen != 8)
				return ng_bad_option(t, "if_tsoffset not 8 "
				    "bytes", e);
			if (seen_off++)
				return ng_bad_option(t, "if_tsoffset twice", e);
			v = ng64(t, p);
			/* Two's complement without implementation-defined
			 * conversions. */
			if (v <= (uint64_t)INT64_MAX)
				ifc->off = (int64_t)v;
			else
				ifc->off = -(int64_t)~v - 1;
			break;
		default:
			break;
		}
		p += pad;
		n -= pad;
	}
	return 0;
}

static int
ng_interface(struct ft_trace *t, const uint8_t *b, size_t n,
    struct ft_err *e)
{
	struct ng_iface *ifc, *nifs;
	uint32_t cap;

	if (n < 8)
		return ng_bad_option(t, "too short", e);
	if (t->nif >= FT_TRACE_IFACES_MAX)
		return ft_err_set(e, FT_EFORMAT, "trace '%s': more than %u "
		    "interfaces in a section at byte %llu", t->path,
		    (unsigned)FT_TRACE_IFACES_MAX,
		    (unsigned long long)t->blk_off);
	if (t->nif == t->ifcap) {
		cap = t->ifcap != 0 ? t->ifcap * 2 : 4;
		if (cap > FT_TRACE_IFACES_MAX)
			cap = FT_TRACE_IFACES_MAX;
		nifs = realloc(t->ifs, cap * sizeof(*nifs));
		if (nifs == NULL)
			return ft_err_set(e, FT_ENOMEM, "trace '%s': out of "
			    "memory for %u interfaces", t->path,
			    (unsigned)cap);
		t->ifs = nifs;
		t->ifcap = cap;
	}
	ifc = &t->ifs[t->nif];
	memset(ifc, 0, sizeof(*ifc));
	ifc->linktype = ng16(t, b);
	ifc->snaplen = ng32(t, b + 4);
	ifc->res = 1000000;	/* default: microseconds */
	ifc->exp = 6;
	if (ng_options(t, ifc, b + 8, n - 8, e) != 0)
		return FT_EFORMAT;
	t->nif++;
	return 0;
}

/*
 * frac (< ifc->res) units of 1/res second in nanoseconds, rounded down,
 * without overflow: 10^exp scales by a power of ten; 2^exp multiplies by
 * 10^9 into 128 bits (two halves) and shifts right by exp.
 */
static uint64_t
ng_frac_ns(const struct ng_iface *ifc, uint64_t frac)
{
	uint64_t a, b, lo, hi, p10;
	unsigned k;

	if (!ifc->binary) {
		p10 = 1;
		if (ifc->exp <= 9) {
			for (k = ifc->exp; k < 9; k++)
				p10 *= 10;
			return frac * p10;
		}
		for (k = 9; k < ifc->exp; k++)
			p10 *= 10;
		return frac / p10;
	}
	if (ifc->exp == 0)
		return 0;	/* frac < 1 */
	a = (frac & 0xffffffffU) * NS_PER_SEC;
	b = (frac >> 32) * NS_PER_SEC;
	lo = a + (b << 32);
	hi = (b >> 32) + (lo < a);
	return lo >> ifc->exp | hi << (64 - ifc->exp);
}

/* A timestamp of ifc in ns since the epoch, saturating at both ends. */
static uint64_t
ng_ts_ns(const struct ng_iface *ifc, uint64_t ts)
{
	uint64_t sec = ts / ifc->res, m;

	if (ifc->off >= 0) {
		if (sec > UINT64_MAX - (uint64_t)ifc->off)
			return UINT64_MAX;
		sec += (uint64_t)ifc->off;
	} else {
		m = (uint64_t)(-(ifc->off + 1)) + 1;
		if (sec < m)
			return 0;	/* before the epoch */
		sec -= m;
	}
	return sat_ns(sec, ng_frac_ns(ifc, ts % ifc->res));
}

/*
 * Fill rec from a packet block of interface ifid: caplen bytes at data,
 * room bytes available there.
 */
static int
ng_record(struct ft_trace *t, struct ft_trace_rec *rec, uint32_t ifid,
    uint64_t ts, uint32_t caplen, uint32_t len, const uint8_t *data,
    size_t room, struct ft_err *e)
{
	const struct ng_iface *ifc;
	unsigned long long at = (unsigned long long)t->blk_off;

	if (ifid >= t->nif)
		return ft_err_set(e, FT_EFORMAT, "trace '%s': packet on "
		    "undeclared interface %u at byte %llu", t->path,
		    (unsigned)ifid, at);
	if (caplen > FT_SNAPLEN_MAX)
		return ft_err_set(e, FT_EFORMAT, "trace '%s': capture length "
		    "%u over %u at byte %llu", t->path, (unsigned)caplen,
		    (unsigned)FT_SNAPLEN_MAX, at);
	if (caplen > room)
		return ft_err_set(e, FT_EFORMAT, "trace '%s': capture length "
		    "%u beyond its block at byte %llu", t->path,
		    (unsigned)caplen, at);
	ifc = &t->ifs[ifid];
	rec->ts_ns = ng_ts_ns(ifc, ts);
	rec->caplen = caplen;
	rec->len = len > caplen ? len : caplen;
	rec->data = data;
	rec->ifname = ifc->has_name ? ifc->name : NULL;
	rec->linktype = ifc->linktype;
	return 1;
}

/*
 * Handle the block in t->blk: 1 with rec filled for a packet block, 0
 * for any other, or an error.
 */
static int
ng_block(struct ft_trace *t, uint32_t type, uint32_t tl,
    struct ft_trace_rec *rec, struct ft_err *e)
{
	const uint8_t *b = t->blk + 8;
	size_t n = tl - 12;
	uint32_t ifid, caplen, len;
	uint64_t ts;

	switch (type) {
	case NG_SHB:
		return ng_section(t, b, n, e);
	case NG_IDB:
		return ng_interface(t, b, n, e);
	case NG_EPB:
	case NG_PB:
		if (n < 20)
			return ft_err_set(e, FT_EFORMAT, "trace '%s': packet "
			    "block too short at byte %llu", t->path,
			    (unsigned long long)t->blk_off);
		ifid = type == NG_EPB ? ng32(t, b) : ng16(t, b);
		ts = (uint64_t)ng32(t, b + 4) << 32 | ng32(t, b + 8);
		caplen = ng32(t, b + 12);
		len = ng32(t, b + 16);
		return ng_record(t, rec, ifid, ts, caplen, len, b + 20,
		    n - 20, e);
	case NG_SPB:
		if (n < 4)
			return ft_err_set(e, FT_EFORMAT, "trace '%s': packet "
			    "block too short at byte %llu", t->path,
			    (unsigned long long)t->blk_off);
		len = ng32(t, b);
		caplen = len;
		if (caplen > n - 4)
			caplen = (uint32_t)(n - 4);
		if (t->nif > 0 && t->ifs[0].snaplen != 0 &&
		    caplen > t->ifs[0].snaplen)
			caplen = t->ifs[0].snaplen;
		/* No timestamp: time 0 of interface 0, as libpcap. */
		return ng_record(t, rec, 0, 0, caplen, len, b + 4, n - 4, e);
	default:
		return 0;	/* NRB, ISB, DSB, custom...: skipped */
	}
}

static int
ng_next(struct ft_trace *t, struct ft_trace_rec *rec, struct ft_err *e)
{
	uint32_t type, tl;
	int rc;

	for (;;) {
		rc = ng_read_block(t, &type, &tl, e);
		if (rc < 0 && t->cut)
			return 0;	/* cut short: the file ends here */
		if (rc <= 0)
			return rc;
		rc = ng_block(t, type, tl, rec, e);
		if (rc != 0)
			return rc;
	}
}

/*
 * Read a pcapng file up to its first interface: its link type is the
 * trace's (as libpcap, a file without one is refused).
 */
static int
ng_open(struct ft_trace *t, struct ft_err *e)
{
	struct ft_trace_rec rec;
	uint32_t type, tl;
	int rc;

	while (t->nif == 0) {
		rc = ng_read_block(t, &type, &tl, e);
		if (rc == 0)
			return ft_err_set(e, FT_EFORMAT, "trace '%s': no "
			    "interface description block", t->path);
		if (rc < 0)
			return rc;
		/* A packet block here names no declared interface. */
		rc = ng_block(t, type, tl, &rec, e);
		if (rc < 0)
			return rc;
	}
	t->linktype = t->ifs[0].linktype;
	return 0;
}

/* ---- classic pcap, own reader ---- */

/* libpcap's max_snaplen_for_dlt() (pcap-common.c, 1.10). */
static uint32_t
pc_maxsnap(int dlt)
{
	switch (dlt) {
	case 231:			/* DLT_DBUS */
		return 128U * 1024 * 1024;
	case 279:			/* DLT_EBHSCR */
		return 8U * 1024 * 1024;
	case 249:			/* DLT_USBPCAP */
		return 1024U * 1024;
	default:
		return PC_SNAP_DEFAULT;
	}
}

static uint32_t
le32v(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
be32v(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* A read error, in libpcap's words ("error reading dump file: ..."). */
static int
pc_read_error(const struct ft_trace *t, int err, struct ft_err *e)
{
	return ft_err_set(e, FT_EIO, "trace '%s': error reading dump file: "
	    "%s", t->path, strerror(err));
}

/*
 * Read from the file into buf[rend..bufcap) until at least need bytes
 * are unread or the file ends (buf grown and its unread bytes moved to
 * the front as needed). Returns 1 when need bytes are there, 0 when the
 * file ended first, or an error.
 */
static int
pc_refill(struct ft_trace *t, size_t need, struct ft_err *e)
{
	uint8_t *nb;
	size_t have = t->rend - t->rpos, ncap;
	ssize_t n;

	if (have >= need)
		return 1;
	if (t->rfd < 0 || t->rd_eof)
		return 0;
	if (need > t->bufcap) {
		ncap = t->bufcap * 2 > need ? t->bufcap * 2 : need;
		nb = malloc(ncap);
		if (nb == NULL)
			return ft_err_set(e, FT_ENOMEM, "trace '%s': out of "
			    "memory for a record of %zu bytes", t->path, need);
		memcpy(nb, t->buf + t->rpos, have);
		free(t->buf);
		t->buf = nb;
		t->bufcap = ncap;
		t->rpos = 0;
		t->rend = have;
	} else if (t->bufcap - t->rpos < need) {
		memmove(t->buf, t->buf + t->rpos, have);
		t->rpos = 0;
		t->rend = have;
	}
	while (t->rend - t->rpos < need) {
		n = read(t->rfd, t->buf + t->rend, t->bufcap - t->rend);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pc_read_error(t, errno, e);
		if (n == 0) {
			t->rd_eof = 1;
			return 0;
		}
		t->rend += (size_t)n;
	}
	return 1;
}

/*
 * The record at p (avail bytes there): 1 with rec filled and *size set
 * to its bytes in the file; 0 when avail does not hold it whole (*size:
 * the bytes it needs, known once its header is there); or an error
 * (libpcap's texts). The checks and their order are sf-pcap.c's.
 */
static int
pc_parse(const struct ft_trace *t, const uint8_t *p, size_t avail,
    struct ft_trace_rec *rec, size_t *size, struct ft_err *e)
{
	uint32_t sec, frac, caplen, len, x;

	if (avail < t->hdrsize) {
		*size = t->hdrsize;
		return 0;
	}
	if (!t->swapped) {
		sec = le32v(p);
		frac = le32v(p + 4);
		caplen = le32v(p + 8);
		len = le32v(p + 12);
	} else {
		sec = be32v(p);
		frac = be32v(p + 4);
		caplen = be32v(p + 8);
		len = be32v(p + 12);
	}
	if (t->lenswap != 0 && (t->lenswap == 1 || caplen > len)) {
		x = caplen;
		caplen = len;
		len = x;
	}
	if (caplen > t->maxsnap) {
		if (caplen > t->snapshot)
			return ft_err_set(e, FT_EFORMAT, "trace '%s': invalid "
			    "packet capture length %u, bigger than snaplen of "
			    "%d", t->path, caplen, (int)t->snapshot);
		return ft_err_set(e, FT_EFORMAT, "trace '%s': invalid packet "
		    "capture length %u, bigger than maximum of %u", t->path,
		    caplen, t->maxsnap);
	}
	*size = (size_t)t->hdrsize + caplen;
	if (avail < *size)
		return 0;
	/* Beyond the snapshot: the rest is read and dropped, as libpcap. */
	if (caplen > t->snapshot)
		caplen = t->snapshot;
	/*
	 * libpcap hands the 32-bit fields out as signed: the seconds come
	 * back unsigned (ts_to_ns), a negative fraction saturates.
	 */
	if (frac & 0x80000000U)
		rec->ts_ns = UINT64_MAX;
	else
		rec->ts_ns = (uint64_t)sec * NS_PER_SEC +
		    (uint64_t)frac * t->scale;
	rec->caplen = caplen;
	rec->len = len > caplen ? len : caplen;
	rec->data = p + t->hdrsize;
	rec->ifname = NULL;
	rec->linktype = t->linktype;
	return 1;
}

/* The next record, in place in the buffer. */
static int
pc_next(struct ft_trace *t, struct ft_trace_rec *rec, struct ft_err *e)
{
	size_t size = 0;
	int rc;

	for (;;) {
		rc = pc_parse(t, t->buf + t->rpos, t->rend - t->rpos, rec,
		    &size, e);
		if (rc == 1) {
			t->rpos += size;
			t->nread++;
			return 1;
		}
		if (rc < 0)
			return rc;
		rc = pc_refill(t, size, e);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			/* A record cut by the end of the file ends it. */
			if (t->rend != t->rpos)
				set_cut(t, 0, 0);
			t->rpos = t->rend;
			return 0;
		}
	}
}

/*
 * The file header (n bytes at h, n < 24 only when the file is that
 * short) through libpcap: accepted or refused as libpcap would, with its
 * message; on success the link type, snapshot and record layout.
 */
static int
pc_header(struct ft_trace *t, const uint8_t *h, size_t n, struct ft_err *e)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	uint8_t copy[PC_FILE_HDR];
	const char *reason;
	size_t plen = strlen(t->path);
	uint32_t magic;
	pcap_t *p;
	FILE *mf;
	int dlt, major, minor;

	if (n == 0)
		return ft_err_set(e, FT_EIO, "trace '%s': truncated dump "
		    "file; tried to read 4 file header bytes, only got 0",
		    t->path);
	memcpy(copy, h, n);
	mf = fmemopen(copy, n, "rb");
	if (mf == NULL)
		return ft_err_set(e, FT_ENOMEM, "trace '%s': %s", t->path,
		    strerror(errno));
	errbuf[0] = '\0';
	p = pcap_fopen_offline_with_tstamp_precision(mf,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL) {
		fclose(mf);
		errbuf[sizeof(errbuf) - 1] = '\0';
		reason = errbuf;
		if (strncmp(reason, t->path, plen) == 0 &&
		    reason[plen] == ':' && reason[plen + 1] == ' ')
			reason += plen + 2;
		return ft_err_set(e, FT_EIO, "trace '%s': %s", t->path,
		    reason[0] != '\0' ? reason : "cannot open");
	}
	dlt = pcap_datalink(p);
	t->linktype = dlt_to_linktype(dlt);
	t->snapshot = (uint32_t)pcap_snapshot(p);
	t->maxsnap = pc_maxsnap(dlt);
	t->swapped = pcap_is_swapped(p);
	major = pcap_major_version(p);
	minor = pcap_minor_version(p);
	pcap_close(p);		/* closes mf */
	magic = le32v(copy);
	if (t->swapped)
		magic = be32v(copy);
	t->hdrsize = magic == PC_MAGIC_KUZ ? 24 : 16;
	t->scale = magic == PC_MAGIC_NS ? 1 : 1000;
	/* Versions before 2.3 and DG/UX's 543.0 swapped caplen and len. */
	if ((major == 2 && minor < 3) || major == 543)
		t->lenswap = 1;
	else if (major == 2 && minor == 3)
		t->lenswap = 2;
	t->classic = 1;
	return 0;
}

/* Open a classic pcap file on fd, whose first byte c is already read. */
static int
pc_open_fd(struct ft_trace *t, int fd, int own, uint8_t c, struct ft_err *e)
{
	int rc;

	t->rfd = fd;
	t->own_rfd = own;
	t->bufcap = PC_FILL + PC_BATCH_REC_MAX;
	t->buf = malloc(t->bufcap);
	if (t->buf == NULL)
		return ft_err_set(e, FT_ENOMEM, "trace '%s': out of memory",
		    t->path);
	t->own_buf = 1;
	t->buf[0] = c;
	t->rend = 1;
	rc = pc_refill(t, PC_FILE_HDR, e);
	if (rc < 0)
		return rc;
	rc = pc_header(t, t->buf, t->rend < PC_FILE_HDR ? t->rend :
	    PC_FILE_HDR, e);
	if (rc != 0)
		return rc;
	t->rpos = PC_FILE_HDR;
	return 0;
}

/* The same over a capture in memory (not copied). */
static int
pc_open_mem(struct ft_trace *t, const void *buf, size_t len,
    struct ft_err *e)
{
	int rc;

	t->rfd = -1;
	t->rd_eof = 1;
	t->buf = (uint8_t *)(uintptr_t)buf;
	t->bufcap = len;
	t->rend = len;
	rc = pc_header(t, t->buf, len < PC_FILE_HDR ? len : PC_FILE_HDR, e);
	if (rc != 0)
		return rc;
	t->rpos = PC_FILE_HDR;
	return 0;
}

/* FLOWTAP_READER=libpcap: classic pcap through libpcap. */
static int
reader_is_libpcap(void)
{
	const char *r = getenv("FLOWTAP_READER");

	return r != NULL && strcmp(r, "libpcap") == 0;
}

/* ---- both formats ---- */

static struct ft_trace *
trace_new(const char *path, struct ft_err *e)
{
	struct ft_trace *t;
	size_t n;

	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		ft_err_set(e, FT_ENOMEM, "trace '%s': out of memory", path);
		return NULL;
	}
	n = strlen(path);
	t->path = malloc(n + 1);
	if (t->path == NULL) {
		ft_err_set(e, FT_ENOMEM, "trace '%s': out of memory", path);
		free(t);
		return NULL;
	}
	memcpy(t->path, path, n + 1);
	t->rfd = -1;
	return t;
}

/*
 * Read fp (closed here when own) as either format: pcapng when its first
 * byte is that of an SHB (no classic pcap magic starts with 0x0a), else
 * through libpcap, the byte pushed back first (one ungetc always works,
 * also on a pipe).
 */
static struct ft_trace *
trace_fopen(struct ft_trace *t, FILE *fp, int own, struct ft_err *e)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	const char *reason;
	size_t n = strlen(t->path);
	int c;

	c = getc(fp);
	if (c == 0x0a) {
		ungetc(c, fp);
		t->fp = fp;
		t->own_fp = own;
		if (ng_open(t, e) != 0) {
			ft_trace_free(t);
			return NULL;
		}
		return t;
	}
	if (c != EOF)
		ungetc(c, fp);
	errbuf[0] = '\0';
	t->pcap = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (t->pcap == NULL) {
		if (own)
			fclose(fp);	/* libpcap closes it only once open */
		errbuf[sizeof(errbuf) - 1] = '\0';
		/* libpcap may repeat the path: "PATH: No such file...". */
		reason = errbuf;
		if (strncmp(reason, t->path, n) == 0 && reason[n] == ':' &&
		    reason[n + 1] == ' ')
			reason += n + 2;
		ft_err_set(e, FT_EIO, "trace '%s': %s", t->path,
		    reason[0] != '\0' ? reason : "cannot open");
		ft_trace_free(t);
		return NULL;
	}
	t->linktype = dlt_to_linktype(pcap_datalink(t->pcap));
	return t;
}

/*
 * Open a file on fd (closed here when own): the first byte says which
 * format (0x0a: a pcapng SHB; no classic pcap magic starts with it).
 */
static struct ft_trace *
trace_fdopen(struct ft_trace *t, int fd, int own, struct ft_err *e)
{
	uint8_t c = 0;
	ssize_t n;
	FILE *fp;
	int err;

	do
		n = read(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		err = errno;
		pc_read_error(t, err, e);
		goto fail;
	}
	if (n == 1 && c == 0x0a) {
		fp = own ? fdopen(fd, "rb") : stdin;
		if (fp == NULL) {
			ft_err_set(e, FT_EIO, "trace '%s': %s", t->path,
			    strerror(errno));
			goto fail;
		}
		t->fp = fp;
		t->own_fp = own;
		if (own) {
			t->iobuf = malloc(TRACE_STDIO_BUF);
			if (t->iobuf != NULL && setvbuf(fp, t->iobuf, _IOFBF,
			    TRACE_STDIO_BUF) != 0) {
				free(t->iobuf);
				t->iobuf = NULL;
			}
		}
		ungetc(c, fp);
		if (ng_open(t, e) != 0) {
			ft_trace_free(t);
			return NULL;
		}
		return t;
	}
	if (n == 0) {
		pc_header(t, NULL, 0, e);
		goto fail;
	}
	if (pc_open_fd(t, fd, own, c, e) != 0) {
		ft_trace_free(t);	/* closes fd */
		return NULL;
	}
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return t;
fail:
	if (own)
		close(fd);
	ft_trace_free(t);
	return NULL;
}

struct ft_trace *
ft_trace_open(const char *path, struct ft_err *e)
{
	struct ft_trace *t;
	FILE *fp;
	int err, fd;

	t = trace_new(path, e);
	if (t == NULL)
		return NULL;
	if (!reader_is_libpcap()) {
		if (strcmp(path, "-") == 0)
			return trace_fdopen(t, STDIN_FILENO, 0, e);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			err = errno;
			ft_err_set(e, FT_EIO, "trace '%s': %s", path,
			    strerror(err));
			ft_trace_free(t);
			return NULL;
		}
		return trace_fdopen(t, fd, 1, e);
	}
	/* Standard input keeps its own buffer: it outlives the trace. */
	if (strcmp(path, "-") == 0)
		return trace_fopen(t, stdin, 0, e);
	fp = fopen(path, "rb");
	if (fp == NULL) {
		err = errno;
		ft_err_set(e, FT_EIO, "trace '%s': %s", path, strerror(err));
		ft_trace_free(t);
		return NULL;
	}
	t->iobuf = malloc(TRACE_STDIO_BUF);
	if (t->iobuf != NULL &&
	    setvbuf(fp, t->iobuf, _IOFBF, TRACE_STDIO_BUF) != 0) {
		free(t->iobuf);
		t->iobuf = NULL;	/* keep the default buffer */
	}
	return trace_fopen(t, fp, 1, e);
}

struct ft_trace *
ft_trace_open_mem(const void *buf, size_t len, const char *name,
    struct ft_err *e)
{
	struct ft_trace *t;
	FILE *fp;
	int err;

	t = trace_new(name, e);
	if (t == NULL)
		return NULL;
	if (!reader_is_libpcap() && (len == 0 ||
	    ((const uint8_t *)buf)[0] != 0x0a)) {
		if (pc_open_mem(t, buf, len, e) != 0) {
			ft_trace_free(t);
			return NULL;
		}
		return t;
	}
	/* fmemopen only reads through the pointer in mode "rb". */
	fp = fmemopen((void *)(uintptr_t)buf, len, "rb");
	if (fp == NULL) {
		err = errno;
		ft_err_set(e, FT_EIO, "trace '%s': %s", name, strerror(err));
		ft_trace_free(t);
		return NULL;
	}
	return trace_fopen(t, fp, 1, e);
}

int
ft_trace_linktype(const struct ft_trace *t)
{
	return t->linktype;
}

/* The next record of a file, unpaced. */
static int
file_next(struct ft_trace *t, struct ft_trace_rec *rec, struct ft_err *e)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	if (t->classic)
		return t->cut ? 0 : pc_next(t, rec, e);
	if (t->pcap == NULL) {
		rc = t->cut ? 0 : ng_next(t, rec, e);
		if (rc == 1)
			t->nread++;
		return rc;
	}
	if (t->eof)
		return 0;
	rc = pcap_next_ex(t->pcap, &h, &data);
	if (rc == PCAP_ERROR_BREAK || rc == 0)
		return 0;
	/*
	 * A record cut short by the end of the file (libpcap: "truncated
	 * dump file; tried to read N ... bytes, only got M") ends the file.
	 */
	if (rc == PCAP_ERROR && strncmp(pcap_geterr(t->pcap),
	    "truncated dump file", 19) == 0) {
		set_cut(t, 0, 0);
		return 0;
	}
	if (rc != 1)
		return ft_err_set(e, FT_EFORMAT, "trace '%s': %s", t->path,
		    pcap_geterr(t->pcap));
	t->nread++;
	rec->ts_ns = ts_to_ns((long long)h->ts.tv_sec,
	    (long long)h->ts.tv_usec);
	rec->caplen = h->caplen;
	rec->len = h->len > h->caplen ? h->len : h->caplen;
	rec->data = data;
	rec->ifname = NULL;
	rec->linktype = t->linktype;
	return 1;
}


/* ---- batches ---- */

/* A batch stops reading once it holds this much (L2-sized handovers). */
#define PC_BATCH_FILL	(128 * 1024)

size_t
ft_trace_batch_bytes(const struct ft_trace *t)
{
	if (t->live || t->paced)
		return 0;
	if (t->classic && (size_t)t->hdrsize + t->maxsnap > PC_BATCH_REC_MAX)
		return 0;
	if (t->pcap != NULL && pc_maxsnap(pcap_datalink(t->pcap)) >
	    PC_SNAP_DEFAULT)
		return 0;
	return PC_FILL + PC_BATCH_REC_MAX;
}

/*
 * Classic pcap read straight into the batch: the unread bytes of the
 * trace's buffer first, read(2) after them, records parsed in place,
 * the bytes of a record cut by the buffer's end copied back to the
 * trace's buffer for the next batch. Returns as ft_trace_next_batch,
 * but with records placed before an end or an error.
 */
static int
pc_batch(struct ft_trace *t, struct ft_trace_batch *b, struct ft_err *e)
{
	size_t have = t->rend - t->rpos, used, off = 0, size = 0, fill, want;
	ssize_t n;
	int rc = 1, prc;

	if (b->cap < t->bufcap || b->cap <= PC_BATCH_FILL)
		return ft_err_set(e, FT_EINVAL, "trace '%s': batch buffer "
		    "of %zu bytes too small", t->path, b->cap);
	memcpy(b->buf, t->buf + t->rpos, have);
	used = have;
	t->rpos = t->rend = 0;
	fill = PC_BATCH_FILL;
	for (;;) {
		while (rc == 1 && !t->rd_eof && used < fill) {
			/*
			 * About `fill` bytes a batch (at least 64 KiB a read):
			 * a record cap hit early leaves the rest to be copied
			 * back to the trace's buffer.
			 */
			want = fill - used > 65536 ? fill - used : 65536;
			if (want > b->cap - used)
				want = b->cap - used;
			n = read(t->rfd, b->buf + used, want);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				rc = pc_read_error(t, errno, e);
			else if (n == 0)
				t->rd_eof = 1;
			else
				used += (size_t)n;
		}
		while (b->n < b->max) {
			prc = pc_parse(t, b->buf + off, used - off,
			    &b->rec[b->n], &size, e);
			if (prc < 0 && rc == 1)
				rc = prc;
			if (prc <= 0)
				break;
			off += size;
			b->n++;
			t->nread++;
		}
		/* One record larger than the fill: read up to its end. */
		if (b->n > 0 || rc != 1 || t->rd_eof || size <= used)
			break;
		fill = size;
	}
	memcpy(t->buf, b->buf + off, used - off);
	t->rend = used - off;
	if (rc != 1)
		return rc;
	if (b->n == 0 && t->rd_eof) {
		if (t->rend != 0)
			set_cut(t, 0, 0);
		t->rend = 0;
		return 0;
	}
	return 1;
}

/* Other files: each record copied into the batch. */
static int
copy_batch(struct ft_trace *t, struct ft_trace_batch *b, struct ft_err *e)
{
	struct ft_trace_rec *r = &t->bt_rec, *out;
	size_t used = 0, need, nl;
	int rc;

	while (b->n < b->max) {
		if (!t->bt_held) {
			rc = file_next(t, r, e);
			if (rc <= 0)
				return rc;
			t->bt_held = 1;
		}
		nl = r->ifname != NULL ? strlen(r->ifname) + 1 : 0;
		need = (size_t)r->caplen + nl;
		if (need > b->cap - used) {
			if (b->n > 0)
				return 1;
			return ft_err_set(e, FT_EINVAL, "trace '%s': batch "
			    "buffer of %zu bytes too small", t->path, b->cap);
		}
		out = &b->rec[b->n++];
		*out = *r;
		if (r->caplen > 0)
			memcpy(b->buf + used, r->data, r->caplen);
		out->data = b->buf + used;
		used += r->caplen;
		if (nl > 0) {
			memcpy(b->buf + used, r->ifname, nl);
			out->ifname = (const char *)b->buf + used;
			used += nl;
		}
		t->bt_held = 0;
	}
	return 1;
}

int
ft_trace_next_batch(struct ft_trace *t, struct ft_trace_batch *b,
    struct ft_err *e)
{
	int rc;

	b->n = 0;
	if (t->live || t->paced)
		return ft_err_set(e, FT_EINVAL, "trace '%s': not a file read "
		    "at full speed", t->path);
	if (!t->bt_end) {
		if (t->classic && t->rfd >= 0)
			rc = t->cut ? 0 : pc_batch(t, b, &t->bt_err);
		else if (t->classic || t->pcap != NULL)
			rc = t->cut ? 0 : copy_batch(t, b, &t->bt_err);
		else
			rc = copy_batch(t, b, &t->bt_err);
		t->st.received += b->n;
		if (rc == 1)
			return 1;
		t->bt_end = 1;
		t->bt_rc = rc;
		if (rc == 0)
			t->eof = 1;
		if (b->n > 0)
			return 1;
	}
	if (t->bt_rc < 0 && e != NULL)
		*e = t->bt_err;
	return t->bt_rc;
}

/* ---- live capture ---- */

/* libpcap's message, or its status text when it has none. */
static const char *
pcap_reason(pcap_t *p, int status)
{
	const char *m = pcap_geterr(p);

	if (m != NULL && m[0] != '\0')
		return m;
	return pcap_statustostr(status);
}

struct ft_trace *
ft_trace_open_live(const char *iface, unsigned bufsize, struct ft_err *e)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct ft_trace *t;
	int rc;

	if (iface == NULL || iface[0] == '\0' ||
	    strlen(iface) > FT_TRACE_IFNAME_MAX) {
		ft_err_set(e, FT_EINVAL, "capture '%s': bad interface name",
		    iface != NULL ? iface : "");
		return NULL;
	}
	if (bufsize > INT_MAX) {
		ft_err_set(e, FT_EINVAL, "capture '%s': buffer of %u bytes "
		    "over %d", iface, bufsize, INT_MAX);
		return NULL;
	}
	t = trace_new(iface, e);
	if (t == NULL)
		return NULL;
	t->live = 1;
	t->fd = -1;
	errbuf[0] = '\0';
	t->pcap = pcap_create(iface, errbuf);
	if (t->pcap == NULL) {
		errbuf[sizeof(errbuf) - 1] = '\0';
		ft_err_set(e, FT_EIO, "capture '%s': %s", iface,
		    errbuf[0] != '\0' ? errbuf : "cannot open");
		goto fail;
	}
	/*
	 * Settings before activation; each can only fail on a handle
	 * already active. Nanosecond precision may be refused (not all
	 * platforms have it): microseconds are scaled then.
	 */
	(void)pcap_set_snaplen(t->pcap, FT_SNAPLEN_MAX);
	(void)pcap_set_promisc(t->pcap, 1);
	(void)pcap_set_immediate_mode(t->pcap, 1);
	if (bufsize != 0)
		(void)pcap_set_buffer_size(t->pcap, (int)bufsize);
	(void)pcap_set_tstamp_precision(t->pcap, PCAP_TSTAMP_PRECISION_NANO);
	rc = pcap_activate(t->pcap);
	if (rc < 0) {
		ft_err_set(e, FT_EIO, "capture '%s': %s", iface,
		    pcap_reason(t->pcap, rc));
		goto fail;
	}
	/* rc > 0 is a warning (promiscuous mode not supported...): go on. */
	t->usec_scale = pcap_get_tstamp_precision(t->pcap) ==
	    PCAP_TSTAMP_PRECISION_NANO ? 1 : 1000;
	/*
	 * Only what the interface receives: what this host sends out of it
	 * (copies to a content destination behind it) must not come back.
	 */
	if (pcap_setdirection(t->pcap, PCAP_D_IN) != 0) {
		ft_err_set(e, FT_EIO, "capture '%s': cannot capture incoming "
		    "packets only: %s", iface, pcap_geterr(t->pcap));
		goto fail;
	}
	if (pcap_setnonblock(t->pcap, 1, errbuf) != 0) {
		errbuf[sizeof(errbuf) - 1] = '\0';
		ft_err_set(e, FT_EIO, "capture '%s': cannot make it "
		    "non-blocking: %s", iface, errbuf);
		goto fail;
	}
	t->fd = pcap_get_selectable_fd(t->pcap);
	if (t->fd < 0) {
		ft_err_set(e, FT_EIO, "capture '%s': no selectable descriptor",
		    iface);
		goto fail;
	}
	t->linktype = dlt_to_linktype(pcap_datalink(t->pcap));
	return t;

fail:
	ft_trace_free(t);
	return NULL;
}

static int
live_next(struct ft_trace *t, struct ft_trace_rec *rec, struct ft_err *e)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t frac;
	int rc;

	rc = pcap_next_ex(t->pcap, &h, &data);
	if (rc == 0 || rc == PCAP_ERROR_BREAK)
		return 0;	/* nothing waiting */
	if (rc != 1)
		return ft_err_set(e, FT_EIO, "capture '%s': %s", t->path,
		    pcap_reason(t->pcap, rc));
	frac = h->ts.tv_usec < 0 ? 0 : (uint64_t)h->ts.tv_usec * t->usec_scale;
	rec->ts_ns = h->ts.tv_sec < 0 ? 0 : sat_ns((uint64_t)h->ts.tv_sec,
	    frac);
	rec->caplen = h->caplen;
	rec->len = h->len > h->caplen ? h->len : h->caplen;
	rec->data = data;
	rec->ifname = t->path;
	rec->linktype = t->linktype;
	return 1;
}

const char *
ft_trace_warning(const struct ft_trace *t)
{
	return t->cut ? t->cutmsg : NULL;
}

int
ft_trace_fd(const struct ft_trace *t)
{
	return t->live ? t->fd : -1;
}

int
ft_trace_eof(const struct ft_trace *t)
{
	return !t->live && t->eof && !t->held;
}

/* Add the 32-bit counter's progress since the last reading. */
static void
widen(uint64_t *acc, u_int now, u_int last)
{
	*acc += (uint32_t)((uint32_t)now - (uint32_t)last);
}

int
ft_trace_stats(struct ft_trace *t, struct ft_trace_stats *st,
    struct ft_err *e)
{
	struct pcap_stat ps;
	int rc = 0;

	if (t->live) {
		memset(&ps, 0, sizeof(ps));
		if (pcap_stats(t->pcap, &ps) != 0) {
			rc = ft_err_set(e, FT_EIO, "capture '%s': cannot read "
			    "statistics: %s", t->path, pcap_geterr(t->pcap));
		} else {
			if (!t->have_ps)
				memset(&t->last_ps, 0, sizeof(t->last_ps));
			widen(&t->st.kernel_received, ps.ps_recv,
			    t->last_ps.ps_recv);
			widen(&t->st.dropped, ps.ps_drop, t->last_ps.ps_drop);
			widen(&t->st.ifdropped, ps.ps_ifdrop,
			    t->last_ps.ps_ifdrop);
			t->last_ps = ps;
			t->have_ps = 1;
		}
	}
	*st = t->st;
	return rc;
}

/* ---- pacing ---- */

static uint64_t
mono_ns(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

int
ft_trace_pace(struct ft_trace *t, uint64_t speed_nano,
    ft_trace_clock_fn clock, void *clock_ctx, struct ft_err *e)
{
	if (t->live)
		return ft_err_set(e, FT_EINVAL, "capture '%s': a live capture "
		    "cannot be paced", t->path);
	t->paced = 1;
	t->speed_nano = speed_nano;
	t->clock = clock != NULL ? clock : mono_ns;
	t->clock_ctx = clock != NULL ? clock_ctx : NULL;
	t->started = 0;
	return 0;
}

/* When a record stamped ts is due: start + (ts - first) / speed. */
static uint64_t
due_at(const struct ft_trace *t, uint64_t ts)
{
	u128 d;

	if (t->speed_nano == 0 || ts <= t->first_ts)
		return t->start_ns;
	d = (u128)(ts - t->first_ts) * NS_PER_SEC / t->speed_nano;
	/* UINT64_MAX is ft_trace_due_ns's "ended": one less at most. */
	if (d >= (u128)(UINT64_MAX - t->start_ns))
		return UINT64_MAX - 1;
	return t->start_ns + (uint64_t)d;
}

static int
paced_next(struct ft_trace *t, struct ft_trace_rec *rec, struct ft_err *e)
{
	uint64_t now;
	int rc;

	now = t->clock(t->clock_ctx);
	if (!t->started) {
		t->start_ns = now;
		t->started = 1;
	}
	if (!t->held) {
		if (t->eof)
			return 0;
		rc = file_next(t, &t->hrec, e);
		if (rc == 0)
			t->eof = 1;
		if (rc <= 0)
			return rc;
		if (!t->have_first) {
			t->first_ts = t->hrec.ts_ns;
			t->have_first = 1;
		}
		t->due_ns = due_at(t, t->hrec.ts_ns);
		t->held = 1;
	}
	if (t->due_ns > now)
		return 0;
	*rec = t->hrec;
	t->held = 0;
	return 1;
}

uint64_t
ft_trace_due_ns(const struct ft_trace *t)
{
	if (!t->paced)
		return 0;
	if (t->held)
		return t->due_ns;
	return t->eof ? UINT64_MAX : 0;
}

int
ft_trace_next(struct ft_trace *t, struct ft_trace_rec *rec,
    struct ft_err *e)
{
	size_t size;
	int rc;

	/*
	 * Classic pcap at full speed, the record whole in the buffer: the
	 * common case, parsed here; anything else (a refill, the end, an
	 * error) takes the general path, which parses the record again.
	 */
	if (t->classic && !t->paced && !t->cut &&
	    pc_parse(t, t->buf + t->rpos, t->rend - t->rpos, rec, &size,
	    NULL) == 1) {
		t->rpos += size;
		t->nread++;
		t->st.received++;
		return 1;
	}
	if (t->live)
		rc = live_next(t, rec, e);
	else if (t->paced)
		rc = paced_next(t, rec, e);
	else {
		rc = file_next(t, rec, e);
		if (rc == 0)
			t->eof = 1;
	}
	if (rc == 1)
		t->st.received++;
	return rc;
}

void
ft_trace_free(struct ft_trace *t)
{
	if (t == NULL)
		return;
	if (t->pcap != NULL)
		pcap_close(t->pcap);
	if (t->fp != NULL && t->own_fp)
		fclose(t->fp);
	if (t->own_rfd && t->rfd >= 0)
		close(t->rfd);
	if (t->own_buf)
		free(t->buf);
	free(t->iobuf);
	free(t->blk);
	free(t->ifs);
	free(t->path);
	free(t);
}
