/*
 * test_trace.c - pcap/pcapng input, read from captures built in memory
 * (ft_trace_open_mem; no files). Layouts: draft-ietf-opsawg-pcap and
 * draft-ietf-opsawg-pcapng. The expected values are worked out by hand
 * from those layouts in the comments beside them: block offsets from the
 * block lengths, timestamps from if_tsresol and if_tsoffset.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "decode.h"
#include "limits.h"
#include "trace.h"

/* ---- classic pcap (read through libpcap) ---- */

/* Microsecond pcap, little-endian, Ethernet, two records. */
static const uint8_t pcap_us_le[] = {
	0xd4, 0xc3, 0xb2, 0xa1,		/* magic a1b2c3d4, LE */
	0x02, 0x00, 0x04, 0x00,		/* version 2.4 */
	0x00, 0x00, 0x00, 0x00,		/* thiszone */
	0x00, 0x00, 0x00, 0x00,		/* sigfigs */
	0xff, 0xff, 0x00, 0x00,		/* snaplen 65535 */
	0x01, 0x00, 0x00, 0x00,		/* LINKTYPE_ETHERNET */
	/* record 1: 1700000000 s 123456 us, caplen 4, len 60 */
	0x00, 0xf1, 0x53, 0x65, 0x40, 0xe2, 0x01, 0x00,
	0x04, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x00,
	0xde, 0xad, 0xbe, 0xef,
	/* record 2: 4294967295 s 999999 us (largest pcap time), 2/2 */
	0xff, 0xff, 0xff, 0xff, 0x3f, 0x42, 0x0f, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
	0x01, 0x02,
};

/* Nanosecond pcap, big-endian, raw IP, caplen 3 > len 1. */
static const uint8_t pcap_ns_be[] = {
	0xa1, 0xb2, 0x3c, 0x4d,		/* magic a1b23c4d, BE */
	0x00, 0x02, 0x00, 0x04,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xff, 0xff,
	0x00, 0x00, 0x00, 0x65,		/* LINKTYPE_RAW 101 */
	/* 2 s 5 ns, caplen 3, len 1 */
	0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x05,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,
	0x45, 0x00, 0x00,
};

/* pcapng written out byte by byte: SHB, IDB (SLL2, default us), 2 EPBs. */
static const uint8_t pcapng_sll2[] = {
	/* Section Header Block, 28 bytes */
	0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0x00, 0x00, 0x00,
	0x4d, 0x3c, 0x2b, 0x1a,		/* byte-order magic, LE */
	0x01, 0x00, 0x00, 0x00,		/* version 1.0 */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* length -1 */
	0x1c, 0x00, 0x00, 0x00,
	/* Interface Description Block, 20 bytes */
	0x01, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
	0x14, 0x01, 0x00, 0x00,		/* LINKTYPE_LINUX_SLL2 276 */
	0x00, 0x00, 0x04, 0x00,		/* snaplen 262144 */
	0x14, 0x00, 0x00, 0x00,
	/* Enhanced Packet Block, 36 bytes: 1500000000123456 us */
	0x06, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,		/* interface 0 */
	0x3d, 0x54, 0x05, 0x00,		/* timestamp high 0x5543d */
	0x40, 0xa2, 0x2b, 0xf7,		/* timestamp low 0xf72ba240 */
	0x03, 0x00, 0x00, 0x00,		/* caplen 3 */
	0x40, 0x00, 0x00, 0x00,		/* len 64 */
	0xaa, 0xbb, 0xcc, 0x00,		/* data + 1 pad byte */
	0x24, 0x00, 0x00, 0x00,
	/* Enhanced Packet Block: timestamp 2^64 - 1 us */
	0x06, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* caplen 0 */
	0x20, 0x00, 0x00, 0x00,
};

static struct ft_trace *
open_mem(const void *b, size_t n, const char *name)
{
	struct ft_err e;
	struct ft_trace *t;

	memset(&e, 0, sizeof(e));
	t = ft_trace_open_mem(b, n, name, &e);
	if (t == NULL)
		fprintf(stderr, "open: %s\n", e.msg);
	assert_non_null(t);
	return t;
}

/* Open must fail with exactly the message want. */
static void
open_fails(const void *b, size_t n, const char *name, const char *want)
{
	struct ft_err e;

	memset(&e, 0, sizeof(e));
	assert_null(ft_trace_open_mem(b, n, name, &e));
	assert_string_equal(e.msg, want);
}

static void
test_trace_pcap_microseconds_scaled(void **state)
{
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;

	(void)state;
	t = open_mem(pcap_us_le, sizeof(pcap_us_le), "us.pcap");
	assert_int_equal(ft_trace_linktype(t), FT_LINK_EN10MB);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == 1700000000123456000ULL);
	assert_int_equal(r.caplen, 4);
	assert_int_equal(r.len, 60);
	assert_memory_equal(r.data, "\xde\xad\xbe\xef", 4);
	assert_null(r.ifname);
	assert_int_equal(r.linktype, FT_LINK_EN10MB);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == 4294967295999999000ULL);
	assert_int_equal(r.caplen, 2);
	assert_int_equal(r.len, 2);
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	ft_trace_free(t);
}

static void
test_trace_pcap_nanoseconds_as_is(void **state)
{
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;

	(void)state;
	t = open_mem(pcap_ns_be, sizeof(pcap_ns_be), "ns.pcap");
	assert_int_equal(ft_trace_linktype(t), FT_LINK_RAW);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == 2000000005ULL);
	assert_int_equal(r.caplen, 3);
	assert_int_equal(r.len, 3);		/* raised to caplen */
	assert_int_equal(r.data[0], 0x45);
	assert_int_equal(r.linktype, FT_LINK_RAW);
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	ft_trace_free(t);
}

/* Every link type flowtap decodes comes back as its LINKTYPE value. */
static void
test_trace_linktype_mapping(void **state)
{
	static const uint32_t types[] = { 0, 1, 101, 108, 113, 228, 229,
		276 };
	uint8_t b[24];
	struct ft_trace *t;
	size_t i;

	(void)state;
	memcpy(b, pcap_us_le, 24);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		/* network field, little-endian, at offset 20 */
		b[20] = (uint8_t)types[i];
		b[21] = (uint8_t)(types[i] >> 8);
		t = open_mem(b, sizeof(b), "lt.pcap");
		assert_int_equal(ft_trace_linktype(t), (int)types[i]);
		ft_trace_free(t);
	}
}

static void
test_trace_pcap_truncated_header(void **state)
{
	struct ft_err e;

	(void)state;
	memset(&e, 0, sizeof(e));
	assert_null(ft_trace_open_mem(pcap_us_le, 10, "short.pcap", &e));
	assert_memory_equal(e.msg, "trace 'short.pcap': ", 20);
	assert_true(strlen(e.msg) > 20);
	assert_null(strchr(e.msg, '\n'));
	/* An empty file is no capture either. */
	memset(&e, 0, sizeof(e));
	assert_null(ft_trace_open_mem(pcap_us_le, 0, "empty", &e));
	assert_memory_equal(e.msg, "trace 'empty': ", 15);
}

static void
test_trace_pcap_truncated_record(void **state)
{
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;

	(void)state;
	/*
	 * A record cut short ends the file with a warning naming it (a
	 * capture killed mid-write is read up to the cut, as tshark does).
	 * The header and 6 of the first record's 16 header bytes:
	 */
	t = open_mem(pcap_us_le, 24 + 6, "cut.pcap");
	memset(&e, 0, sizeof(e));
	assert_null(ft_trace_warning(t));
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	assert_true(ft_trace_eof(t));
	assert_string_equal(ft_trace_warning(t), "trace 'cut.pcap': cut short "
	    "in the middle of record 1 (no record before it)");
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	ft_trace_free(t);
	/* Record data cut: header says caplen 4, 2 bytes follow. */
	t = open_mem(pcap_us_le, 24 + 16 + 2, "cut2.pcap");
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	assert_string_equal(ft_trace_warning(t), "trace 'cut2.pcap': cut "
	    "short in the middle of record 1 (no record before it)");
	ft_trace_free(t);
}

static void
test_trace_nonexistent_path(void **state)
{
	static const char p[] = "/nonexistent-flowtap-dir/no-such-file.pcap";
	struct ft_trace *t;
	struct ft_err e;

	(void)state;
	memset(&e, 0, sizeof(e));
	t = ft_trace_open(p, &e);
	assert_null(t);
	assert_non_null(strstr(e.msg, p));
	assert_memory_equal(e.msg, "trace '", 7);
	/* NULL error buffer and NULL trace are accepted. */
	assert_null(ft_trace_open(p, NULL));
	ft_trace_free(NULL);
}

static void
test_trace_not_a_capture(void **state)
{
	static const uint8_t text[] = "ADD DTCP/0.7\r\nSeq: 1\r\n\r\n";
	static const uint8_t nl[] = "\nhello, world\n";
	struct ft_err e;

	(void)state;
	memset(&e, 0, sizeof(e));
	assert_null(ft_trace_open_mem(text, sizeof(text) - 1, "text", &e));
	assert_memory_equal(e.msg, "trace 'text': ", 14);
	/* Starts like an SHB (0x0a) but is none: libpcap's words. */
	open_fails(nl, sizeof(nl) - 1, "nl", "trace 'nl': unknown file format");
}

/* ---- pcapng ---- */

static void
test_trace_pcapng(void **state)
{
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;

	(void)state;
	t = open_mem(pcapng_sll2, sizeof(pcapng_sll2), "a.pcapng");
	assert_int_equal(ft_trace_linktype(t), FT_LINK_SLL2);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == 1500000000123456000ULL);
	assert_int_equal(r.caplen, 3);
	assert_int_equal(r.len, 64);
	assert_memory_equal(r.data, "\xaa\xbb\xcc", 3);
	assert_null(r.ifname);			/* no if_name option */
	assert_int_equal(r.linktype, FT_LINK_SLL2);
	/* 2^64 - 1 us does not fit in 64 bits of ns: saturates. */
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == UINT64_MAX);
	assert_int_equal(r.caplen, 0);
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	ft_trace_free(t);
}

/*
 * A pcapng image builder: fields in the section's byte order, blocks
 * closed with their length patched in and repeated at the end. Only
 * the layout; every expected value in the tests is worked out by hand.
 */
#define IMG_MAX (96 * 1024)

struct img {
	uint8_t b[IMG_MAX];
	size_t n;
	int be;
};

static struct img img;

static void
put(struct img *m, uint64_t v, unsigned nb)
{
	unsigned k;

	assert_true(nb <= 8 && m->n + nb <= sizeof(m->b));
	for (k = 0; k < nb; k++) {
		unsigned sh = m->be ? 8 * (nb - 1 - k) : 8 * k;

		m->b[m->n++] = (uint8_t)(v >> sh);
	}
}

static void
bytes(struct img *m, const void *p, size_t n)
{
	assert_true(m->n + n <= sizeof(m->b));
	memcpy(m->b + m->n, p, n);
	m->n += n;
	while (m->n % 4 != 0)
		m->b[m->n++] = 0;
}

static size_t
blk_open(struct img *m, uint32_t type)
{
	size_t at = m->n;

	put(m, type, 4);
	put(m, 0, 4);		/* patched by blk_close */
	return at;
}

static void
blk_close(struct img *m, size_t at)
{
	size_t end = m->n;
	uint32_t len = (uint32_t)(end - at + 4);

	put(m, len, 4);
	m->n = at + 4;
	put(m, len, 4);
	m->n = end + 4;
}

static void
opt(struct img *m, unsigned code, const void *v, size_t n)
{
	put(m, code, 2);
	put(m, n, 2);
	bytes(m, v, n);
}

static void
opt_u8(struct img *m, unsigned code, uint8_t v)
{
	opt(m, code, &v, 1);
}

static void
opt_i64(struct img *m, unsigned code, int64_t v)
{
	put(m, code, 2);
	put(m, 8, 2);
	put(m, (uint64_t)v, 8);
}

/* Section Header Block (28 bytes): magic, version 1.0, length -1. */
static void
shb(struct img *m, int be)
{
	size_t at;

	m->be = be;
	at = blk_open(m, 0x0A0D0D0A);
	put(m, 0x1A2B3C4D, 4);
	put(m, 1, 2);
	put(m, 0, 2);
	put(m, UINT64_MAX, 8);
	blk_close(m, at);
}

/* IDB with no options (20 bytes). */
static void
idb(struct img *m, unsigned linktype, uint32_t snaplen)
{
	size_t at = blk_open(m, 1);

	put(m, linktype, 2);
	put(m, 0, 2);
	put(m, snaplen, 4);
	blk_close(m, at);
}

/* EPB: 32 bytes + caplen rounded up to 4. */
static void
epb(struct img *m, uint32_t ifid, uint64_t ts, uint32_t caplen,
    uint32_t len, const void *data)
{
	size_t at = blk_open(m, 6);

	put(m, ifid, 4);
	put(m, ts >> 32, 4);
	put(m, ts & 0xffffffffU, 4);
	put(m, caplen, 4);
	put(m, len, 4);
	bytes(m, data, caplen);
	blk_close(m, at);
}

static void
img_reset(void)
{
	memset(&img, 0, sizeof(img));
}

/*
 * SHB @0 (28), IDB0 @28 (48), IDB1 @76 (56), EPB @132 (36), EPB @168
 * (40), PB @208 (36), end @244:
 *   IDB0: Ethernet, if_name "ge-0/0/0.0" (opt 16), if_tsresol 9 (opt 8),
 *         opt_endofopt (4): 12 + 8 + 28 = 48
 *   IDB1: raw IP, snaplen 65535, if_name "xe-1/2/3" (opt 12),
 *         if_tsresol 0x8a = 2^-10 s (opt 8), if_tsoffset 1000 s (opt 12),
 *         end (4): 12 + 8 + 36 = 56
 *   EPB  on IDB1, ts 5632 = 5.5 * 1024: 1000 + 5.5 s = 1005500000000 ns
 *   EPB  on IDB0, ts 1500000000123456789 (ns units: as is), 5 of 60 bytes
 *   PB   on IDB1, ts 1 = 1/1024 s = 976562.5 ns, rounded down, + 1000 s
 */
static void
build_two_ifaces(int be)
{
	size_t at;

	img_reset();
	shb(&img, be);
	at = blk_open(&img, 1);
	put(&img, 1, 2);
	put(&img, 0, 2);
	put(&img, 0, 4);
	opt(&img, 2, "ge-0/0/0.0", 10);
	opt_u8(&img, 9, 9);
	put(&img, 0, 4);
	blk_close(&img, at);
	at = blk_open(&img, 1);
	put(&img, 101, 2);
	put(&img, 0, 2);
	put(&img, 65535, 4);
	opt(&img, 2, "xe-1/2/3", 8);
	opt_u8(&img, 9, 0x8a);
	opt_i64(&img, 14, 1000);
	put(&img, 0, 4);
	blk_close(&img, at);
	epb(&img, 1, 5632, 4, 4, "\x45\x00\x00\x14");
	epb(&img, 0, 1500000000123456789ULL, 5, 60, "\x00\x00\x5e\x00\x53");
	at = blk_open(&img, 2);		/* obsolete Packet Block */
	put(&img, 1, 2);		/* interface 1 */
	put(&img, 0, 2);		/* drops */
	put(&img, 0, 4);
	put(&img, 1, 4);		/* timestamp 1 */
	put(&img, 2, 4);
	put(&img, 2, 4);
	bytes(&img, "\x60\x00", 2);
	blk_close(&img, at);
}

static void
check_two_ifaces(const char *name)
{
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;

	assert_int_equal(img.n, 244);
	t = open_mem(img.b, img.n, name);
	assert_int_equal(ft_trace_linktype(t), FT_LINK_EN10MB);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == 1005500000000ULL);
	assert_int_equal(r.caplen, 4);
	assert_int_equal(r.len, 4);
	assert_memory_equal(r.data, "\x45\x00\x00\x14", 4);
	assert_string_equal(r.ifname, "xe-1/2/3");
	assert_int_equal(r.linktype, FT_LINK_RAW);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == 1500000000123456789ULL);
	assert_int_equal(r.caplen, 5);
	assert_int_equal(r.len, 60);
	assert_memory_equal(r.data, "\x00\x00\x5e\x00\x53", 5);
	assert_string_equal(r.ifname, "ge-0/0/0.0");
	assert_int_equal(r.linktype, FT_LINK_EN10MB);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == 1000000976562ULL);
	assert_int_equal(r.caplen, 2);
	assert_memory_equal(r.data, "\x60\x00", 2);
	assert_string_equal(r.ifname, "xe-1/2/3");
	assert_int_equal(r.linktype, FT_LINK_RAW);
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	ft_trace_free(t);
}

static void
test_trace_pcapng_two_interfaces_le(void **state)
{
	(void)state;
	build_two_ifaces(0);
	/* The builder's layout: LE byte-order magic, IDB type 1 at 28. */
	assert_memory_equal(img.b + 8, "\x4d\x3c\x2b\x1a", 4);
	assert_memory_equal(img.b + 28, "\x01\x00\x00\x00\x30\x00\x00\x00",
	    8);
	check_two_ifaces("le");
}

static void
test_trace_pcapng_two_interfaces_be(void **state)
{
	(void)state;
	build_two_ifaces(1);
	assert_memory_equal(img.b + 8, "\x1a\x2b\x3c\x4d", 4);
	assert_memory_equal(img.b + 28, "\x00\x00\x00\x01\x00\x00\x00\x30",
	    8);
	check_two_ifaces("be");
}

/*
 * SPB: interface 0, caplen = min(original length, space in the block,
 * snaplen), time 0 + if_tsoffset.
 *   section 1 (LE): IDB snaplen 64, if_tsoffset 7 s, no opt_endofopt
 *     SPB len 100, 68 data bytes: caplen min(100, 68, 64) = 64
 *     SPB len 3, data 3 + 1 pad: caplen min(3, 4, 64) = 3
 *   section 2 (BE): IDB snaplen 0 (no limit)
 *     SPB len 10, 8 data bytes: caplen min(10, 8) = 8, time 0
 */
static void
test_trace_pcapng_simple_packet_block(void **state)
{
	uint8_t data[68];
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;
	size_t at, k;

	(void)state;
	for (k = 0; k < sizeof(data); k++)
		data[k] = (uint8_t)k;
	img_reset();
	shb(&img, 0);
	at = blk_open(&img, 1);
	put(&img, 1, 2);
	put(&img, 0, 2);
	put(&img, 64, 4);
	opt_i64(&img, 14, 7);
	blk_close(&img, at);
	at = blk_open(&img, 3);
	put(&img, 100, 4);
	bytes(&img, data, 68);
	blk_close(&img, at);
	at = blk_open(&img, 3);
	put(&img, 3, 4);
	bytes(&img, "\x01\x02\x03", 3);
	blk_close(&img, at);
	shb(&img, 1);
	idb(&img, 113, 0);
	at = blk_open(&img, 3);
	put(&img, 10, 4);
	bytes(&img, data, 8);
	blk_close(&img, at);

	t = open_mem(img.b, img.n, "spb");
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_int_equal(r.caplen, 64);		/* the snaplen */
	assert_int_equal(r.len, 100);
	assert_true(r.ts_ns == 7000000000ULL);
	assert_memory_equal(r.data, data, 64);
	assert_null(r.ifname);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_int_equal(r.caplen, 3);		/* the original length */
	assert_int_equal(r.len, 3);
	assert_memory_equal(r.data, "\x01\x02\x03", 3);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_int_equal(r.caplen, 8);		/* the block's space */
	assert_int_equal(r.len, 10);
	assert_true(r.ts_ns == 0);
	assert_int_equal(r.linktype, FT_LINK_SLL);
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	ft_trace_free(t);
}

/*
 * Each SHB starts a new interface list, in its own byte order:
 *   SHB LE @0 (28), IDB0 "a" @28 (32), IDB1 @60 (20), EPB if 1 @80 (32),
 *   SHB BE @112 (28), IDB0 SLL "b" @140 (32), EPB if 0 @172 (32),
 *   EPB if 1 @204: interface 1 is not declared in section 2.
 * Default resolution: 1000000 us = 1 s; 2000000 us = 2 s.
 */
static void
test_trace_pcapng_sections(void **state)
{
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;
	size_t at;

	(void)state;
	img_reset();
	shb(&img, 0);
	at = blk_open(&img, 1);
	put(&img, 1, 2);
	put(&img, 0, 2);
	put(&img, 0, 4);
	opt(&img, 2, "a", 1);
	put(&img, 0, 4);
	blk_close(&img, at);
	idb(&img, 1, 0);
	epb(&img, 1, 1000000, 0, 0, "");
	shb(&img, 1);
	at = blk_open(&img, 1);
	put(&img, 113, 2);
	put(&img, 0, 2);
	put(&img, 0, 4);
	opt(&img, 2, "b", 1);
	put(&img, 0, 4);
	blk_close(&img, at);
	epb(&img, 0, 2000000, 0, 0, "");
	epb(&img, 1, 3000000, 0, 0, "");
	assert_int_equal(img.n, 236);

	t = open_mem(img.b, img.n, "sections");
	assert_int_equal(ft_trace_linktype(t), FT_LINK_EN10MB);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == 1000000000ULL);
	assert_null(r.ifname);			/* IDB1 has no name */
	assert_int_equal(r.linktype, FT_LINK_EN10MB);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == 2000000000ULL);
	assert_string_equal(r.ifname, "b");
	assert_int_equal(r.linktype, FT_LINK_SLL);
	memset(&e, 0, sizeof(e));
	assert_int_equal(ft_trace_next(t, &r, &e), FT_EFORMAT);
	assert_string_equal(e.msg, "trace 'sections': packet on undeclared "
	    "interface 1 at byte 204");
	ft_trace_free(t);
}

/*
 * Blocks other than SHB, IDB, EPB, SPB and PB are skipped: NRB (4), ISB
 * (5), DSB (10), a custom block (0x00000BAD) and an unknown type with an
 * empty body.
 */
static void
test_trace_pcapng_skips_other_blocks(void **state)
{
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;
	size_t at;

	(void)state;
	img_reset();
	shb(&img, 1);
	at = blk_open(&img, 4);		/* NRB: just nrb_record_end */
	put(&img, 0, 4);
	blk_close(&img, at);
	idb(&img, 1, 0);
	at = blk_open(&img, 5);		/* ISB: interface, timestamp */
	put(&img, 0, 4);
	put(&img, 0, 8);
	blk_close(&img, at);
	epb(&img, 0, 1, 1, 1, "\x11");
	at = blk_open(&img, 0x0BAD);
	put(&img, 32473, 4);		/* PEN */
	put(&img, 0xffffffffU, 4);
	blk_close(&img, at);
	at = blk_open(&img, 10);	/* DSB: type, length, no secrets */
	put(&img, 0x544c534b, 4);
	put(&img, 0, 4);
	blk_close(&img, at);
	at = blk_open(&img, 0x80000001U);
	blk_close(&img, at);
	epb(&img, 0, 2, 1, 1, "\x22");

	t = open_mem(img.b, img.n, "skip");
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == 1000ULL);		/* 1 us */
	assert_int_equal(r.data[0], 0x11);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == 2000ULL);
	assert_int_equal(r.data[0], 0x22);
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	ft_trace_free(t);
}

/* The first block after SHB @0 (28) and IDB @28 (20) starts at 48. */
static void
base48(void)
{
	img_reset();
	shb(&img, 0);
	idb(&img, 1, 0);
	assert_int_equal(img.n, 48);
}

/* Reading past the SHB and IDB of base48 must fail with want. */
static void
next_fails(const char *want)
{
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;

	t = open_mem(img.b, img.n, "bad");
	memset(&e, 0, sizeof(e));
	assert_int_equal(ft_trace_next(t, &r, &e), FT_EFORMAT);
	assert_string_equal(e.msg, want);
	ft_trace_free(t);
}

static void
test_trace_pcapng_bad_block_length(void **state)
{
	(void)state;
	/* Not a multiple of 4. */
	base48();
	put(&img, 6, 4);
	put(&img, 30, 4);
	memset(img.b + img.n, 0, 22);
	img.n += 22;
	next_fails("trace 'bad': bad block length 30 at byte 48");
	/* Shorter than type + length + trailing length. */
	base48();
	put(&img, 6, 4);
	put(&img, 8, 4);
	next_fails("trace 'bad': bad block length 8 at byte 48");
	/* The trailing copy differs. */
	base48();
	epb(&img, 0, 0, 0, 0, "");
	img.b[img.n - 4] = 36;
	next_fails("trace 'bad': block length 32 and trailing copy 36 differ "
	    "at byte 48");
	/* Over FT_TRACE_BLOCK_MAX: refused before anything is read. */
	base48();
	put(&img, 6, 4);
	put(&img, FT_TRACE_BLOCK_MAX + 4, 4);
	next_fails("trace 'bad': block of 16777220 bytes over the "
	    "16777216-byte cap at byte 48");
}

/*
 * A packet block's caplen must fit its block (EPB @48: 32 + 4 bytes of
 * data, caplen 5) and FT_SNAPLEN_MAX; too short a fixed part is an error.
 */
static void
test_trace_pcapng_bad_caplen(void **state)
{
	size_t at;

	(void)state;
	base48();
	at = blk_open(&img, 6);
	put(&img, 0, 4);
	put(&img, 0, 8);
	put(&img, 5, 4);
	put(&img, 5, 4);
	put(&img, 0, 4);
	blk_close(&img, at);
	next_fails("trace 'bad': capture length 5 beyond its block at byte "
	    "48");
	base48();
	at = blk_open(&img, 6);
	put(&img, 0, 4);
	put(&img, 0, 8);
	put(&img, FT_SNAPLEN_MAX + 1, 4);
	put(&img, FT_SNAPLEN_MAX + 1, 4);
	blk_close(&img, at);
	next_fails("trace 'bad': capture length 262145 over 262144 at byte "
	    "48");
	/* EPB of 28 bytes: 16 of its 20 fixed bytes. */
	base48();
	at = blk_open(&img, 6);
	put(&img, 0, 8);
	put(&img, 0, 8);
	blk_close(&img, at);
	next_fails("trace 'bad': packet block too short at byte 48");
	/* SPB of 12 bytes: no length field. */
	base48();
	at = blk_open(&img, 3);
	blk_close(&img, at);
	next_fails("trace 'bad': packet block too short at byte 48");
}

/*
 * A file may end on any block boundary; inside a block (or its 8-byte
 * header) it is cut short, as libpcap says. Offsets: build_two_ifaces.
 */
static void
test_trace_pcapng_truncated(void **state)
{
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;

	(void)state;
	build_two_ifaces(0);
	t = open_mem(img.b, 132, "cut");	/* after IDB1 */
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	ft_trace_free(t);
	t = open_mem(img.b, 168, "cut");	/* after the first EPB */
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	assert_null(ft_trace_warning(t));
	ft_trace_free(t);
	/* Inside a record the file ends there, with a warning. */
	t = open_mem(img.b, 150, "cut");	/* inside the first EPB */
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	assert_true(ft_trace_eof(t));
	assert_string_equal(ft_trace_warning(t), "trace 'cut': cut short in "
	    "the middle of record 1 at byte 132 (no record before it)");
	ft_trace_free(t);
	t = open_mem(img.b, 135, "cut");	/* inside its header */
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	assert_string_equal(ft_trace_warning(t), "trace 'cut': cut short in "
	    "the middle of record 1 at byte 132 (no record before it)");
	ft_trace_free(t);
	t = open_mem(img.b, 180, "cut");	/* inside the second EPB */
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	assert_string_equal(ft_trace_warning(t), "trace 'cut': cut short in "
	    "the middle of record 2 at byte 168 (record 1 read)");
	ft_trace_free(t);
	/* Inside IDB0, while opening. */
	open_fails(img.b, 30, "cut", "trace 'cut': truncated block at byte 28");
	open_fails(img.b, 10, "cut", "trace 'cut': truncated block at byte 0");
}

static void
test_trace_pcapng_open_errors(void **state)
{
	size_t at;

	(void)state;
	/* A section without interfaces: no link type (libpcap refuses). */
	img_reset();
	shb(&img, 0);
	open_fails(img.b, img.n, "x", "trace 'x': no interface description "
	    "block");
	/* A packet before any IDB. */
	epb(&img, 0, 0, 0, 0, "");
	open_fails(img.b, img.n, "x", "trace 'x': packet on undeclared "
	    "interface 0 at byte 28");
	img_reset();
	shb(&img, 0);
	at = blk_open(&img, 3);
	put(&img, 0, 4);
	blk_close(&img, at);
	open_fails(img.b, img.n, "x", "trace 'x': packet on undeclared "
	    "interface 0 at byte 28");
	/* Byte-order magic neither way round. */
	img_reset();
	shb(&img, 0);
	idb(&img, 1, 0);
	img.b[8] = 0x4e;
	open_fails(img.b, img.n, "x", "trace 'x': bad byte-order magic in "
	    "section header at byte 0");
	/* Major version 2. */
	img.b[8] = 0x4d;
	img.b[12] = 2;
	open_fails(img.b, img.n, "x", "trace 'x': unsupported pcapng version "
	    "2.0 at byte 0");
	/* An SHB of 20 bytes: no room for version and section length. */
	img_reset();
	img.be = 0;
	at = blk_open(&img, 0x0A0D0D0A);
	put(&img, 0x1A2B3C4D, 4);
	put(&img, 0x00000001, 4);
	blk_close(&img, at);
	open_fails(img.b, img.n, "x", "trace 'x': section header block too "
	    "short at byte 0");
	/* An IDB of 16 bytes: half its fixed part. */
	img_reset();
	shb(&img, 0);
	at = blk_open(&img, 1);
	put(&img, 1, 4);
	blk_close(&img, at);
	open_fails(img.b, img.n, "x", "trace 'x': interface description "
	    "block too short at byte 28");
}

/* An IDB @28 with the options opts(), then an EPB with ts; its record. */
static int
one_record(void (*opts)(void), uint64_t ts, struct ft_trace_rec *r,
    struct ft_err *e)
{
	static char name[FT_TRACE_IFNAME_MAX + 1];
	struct ft_trace *t;
	size_t at;
	int rc;

	img_reset();
	shb(&img, 0);
	at = blk_open(&img, 1);
	put(&img, 1, 2);
	put(&img, 0, 2);
	put(&img, 0, 4);
	opts();
	blk_close(&img, at);
	epb(&img, 0, ts, 0, 0, "");
	memset(e, 0, sizeof(*e));
	t = ft_trace_open_mem(img.b, img.n, "o", e);
	if (t == NULL)
		return -100;
	rc = ft_trace_next(t, r, e);
	/* r->ifname points into t: copy what the caller checks. */
	if (rc == 1 && r->ifname != NULL) {
		memcpy(name, r->ifname, strlen(r->ifname) + 1);
		r->ifname = name;
	}
	ft_trace_free(t);
	return rc;
}

static void
opts_nul_inside(void)
{
	opt(&img, 2, "em1\0junk", 8);
}

static void
opts_name_64(void)
{
	char n[FT_TRACE_IFNAME_MAX];

	memset(n, 'x', sizeof(n));
	opt(&img, 2, n, sizeof(n));
}

static void
opts_name_65(void)
{
	char n[FT_TRACE_IFNAME_MAX + 1];

	memset(n, 'x', sizeof(n));
	opt(&img, 2, n, sizeof(n));
}

static void
opts_name_empty(void)
{
	opt(&img, 2, "", 0);
}

static void
opts_name_twice(void)
{
	opt(&img, 2, "first", 5);
	opt(&img, 3, "a description", 13);	/* if_description */
	opt(&img, 2, "second", 6);
	put(&img, 0, 4);
	opt(&img, 2, "after the end", 13);	/* not read */
}

static void
test_trace_pcapng_ifname(void **state)
{
	struct ft_trace_rec r;
	struct ft_err e;
	char want[FT_TRACE_IFNAME_MAX + 1];

	(void)state;
	/* The name ends at the first NUL of the option. */
	assert_int_equal(one_record(opts_nul_inside, 0, &r, &e), 1);
	assert_string_equal(r.ifname, "em1");
	/* FT_TRACE_IFNAME_MAX bytes are kept... */
	assert_int_equal(one_record(opts_name_64, 0, &r, &e), 1);
	memset(want, 'x', FT_TRACE_IFNAME_MAX);
	want[FT_TRACE_IFNAME_MAX] = '\0';
	assert_string_equal(r.ifname, want);
	/* ...one more makes the name unknown, never a truncated one. */
	assert_int_equal(one_record(opts_name_65, 0, &r, &e), 1);
	assert_null(r.ifname);
	assert_int_equal(one_record(opts_name_empty, 0, &r, &e), 1);
	assert_null(r.ifname);
	/* The first if_name counts; nothing after opt_endofopt is read. */
	assert_int_equal(one_record(opts_name_twice, 0, &r, &e), 1);
	assert_string_equal(r.ifname, "first");
}

static void
opts_res_19(void)
{
	opt_u8(&img, 9, 19);
}

static void
opts_res_2_63(void)
{
	opt_u8(&img, 9, 0x80 | 63);
}

static void
opts_res_s(void)
{
	opt_u8(&img, 9, 0);		/* 10^0: seconds */
}

static void
opts_res_ms_neg(void)
{
	opt_u8(&img, 9, 3);
	opt_i64(&img, 14, -10);
}

static void
opts_off_min(void)
{
	opt_i64(&img, 14, INT64_MIN);
}

static void
opts_off_max(void)
{
	opt_i64(&img, 14, INT64_MAX);
}

static void
test_trace_pcapng_timestamps(void **state)
{
	struct ft_trace_rec r;
	struct ft_err e;

	(void)state;
	/*
	 * 10^-19: 15000000000500000000 units = 1 s + 0.50000000005 s,
	 * rounded down to 500000000 ns.
	 */
	assert_int_equal(one_record(opts_res_19, 15000000000500000000ULL,
	    &r, &e), 1);
	assert_true(r.ts_ns == 1500000000ULL);
	/* 2^-63: 2^63 + 2^62 units = 1.5 s. */
	assert_int_equal(one_record(opts_res_2_63, (1ULL << 63) |
	    (1ULL << 62), &r, &e), 1);
	assert_true(r.ts_ns == 1500000000ULL);
	/* 2^63 - 1 units of 2^-63 s: 999999999.99... ns, rounded down. */
	assert_int_equal(one_record(opts_res_2_63, INT64_MAX, &r, &e), 1);
	assert_true(r.ts_ns == 999999999ULL);
	/* 2^64 - 1 s: beyond 64 bits of ns. */
	assert_int_equal(one_record(opts_res_s, UINT64_MAX, &r, &e), 1);
	assert_true(r.ts_ns == UINT64_MAX);
	/* 18446744073 s + 0 ns fits: 18446744073000000000 ns. */
	assert_int_equal(one_record(opts_res_s, 18446744073ULL, &r, &e), 1);
	assert_true(r.ts_ns == 18446744073000000000ULL);
	/* 5 s (ms units) - 10 s: before the epoch, 0. */
	assert_int_equal(one_record(opts_res_ms_neg, 5000, &r, &e), 1);
	assert_true(r.ts_ns == 0);
	/* 12.5 s - 10 s = 2.5 s. */
	assert_int_equal(one_record(opts_res_ms_neg, 12500, &r, &e), 1);
	assert_true(r.ts_ns == 2500000000ULL);
	assert_int_equal(one_record(opts_off_min, UINT64_MAX, &r, &e), 1);
	assert_true(r.ts_ns == 0);
	assert_int_equal(one_record(opts_off_max, 0, &r, &e), 1);
	assert_true(r.ts_ns == UINT64_MAX);
}

static void
opts_res_20(void)
{
	opt_u8(&img, 9, 20);
}

static void
opts_res_2_64(void)
{
	opt_u8(&img, 9, 0x80 | 64);
}

static void
opts_res_long(void)
{
	opt(&img, 9, "\x06\x00", 2);
}

static void
opts_res_twice(void)
{
	opt_u8(&img, 9, 6);
	opt_u8(&img, 9, 9);
}

static void
opts_off_short(void)
{
	opt(&img, 14, "\x01\x00\x00\x00", 4);
}

static void
opts_off_twice(void)
{
	opt_i64(&img, 14, 1);
	opt_i64(&img, 14, 2);
}

static void
opts_overrun(void)
{
	put(&img, 2, 2);
	put(&img, 5, 2);	/* 5 bytes, 8 with padding; 4 follow */
	put(&img, 0, 4);
}

static void
test_trace_pcapng_bad_options(void **state)
{
	static const struct {
		void (*opts)(void);
		const char *what;
	} bad[] = {
		{ opts_res_20, "if_tsresol beyond 10^-19" },
		{ opts_res_2_64, "if_tsresol beyond 2^-63" },
		{ opts_res_long, "if_tsresol not 1 byte" },
		{ opts_res_twice, "if_tsresol twice" },
		{ opts_off_short, "if_tsoffset not 8 bytes" },
		{ opts_off_twice, "if_tsoffset twice" },
		{ opts_overrun, "option runs past the block" },
	};
	struct ft_trace_rec r;
	struct ft_err e;
	char want[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(one_record(bad[i].opts, 0, &r, &e), -100);
		snprintf(want, sizeof(want), "trace 'o': interface "
		    "description block %s at byte 28", bad[i].what);
		assert_string_equal(e.msg, want);
	}
}

/* FT_TRACE_IFACES_MAX IDBs in a section are fine; one more is not. */
static void
test_trace_pcapng_interface_cap(void **state)
{
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;
	char want[120];
	unsigned k;

	(void)state;
	img_reset();
	shb(&img, 0);
	for (k = 0; k < FT_TRACE_IFACES_MAX; k++)
		idb(&img, 1, 0);
	epb(&img, FT_TRACE_IFACES_MAX - 1, 0, 0, 0, "");
	t = open_mem(img.b, img.n, "caps");
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	ft_trace_free(t);
	img.n -= 32;
	idb(&img, 1, 0);
	t = open_mem(img.b, img.n, "caps");
	memset(&e, 0, sizeof(e));
	assert_int_equal(ft_trace_next(t, &r, &e), FT_EFORMAT);
	/* SHB 28 + 4096 IDBs of 20 bytes */
	snprintf(want, sizeof(want), "trace 'caps': more than %u interfaces "
	    "in a section at byte %u", FT_TRACE_IFACES_MAX,
	    28 + 20 * FT_TRACE_IFACES_MAX);
	assert_string_equal(e.msg, want);
	ft_trace_free(t);
}

/* ---- pacing (serve --trace --speed) and the live source ---- */

/*
 * Nanosecond pcap, LE, raw IP, four records of one byte: 10 s, 10.5 s,
 * 9 s (out of order: before the first), 12 s.
 */
static const uint8_t pcap_pace[] = {
	0x4d, 0x3c, 0xb2, 0xa1, 0x02, 0x00, 0x04, 0x00,
	0, 0, 0, 0, 0, 0, 0, 0,
	0x00, 0x00, 0x04, 0x00, 0x65, 0x00, 0x00, 0x00,
	/* 10 s 0 ns */
	0x0a, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0x01,
	/* 10 s 500000000 ns (0x1dcd6500) */
	0x0a, 0, 0, 0, 0x00, 0x65, 0xcd, 0x1d, 1, 0, 0, 0, 1, 0, 0, 0, 0x02,
	/* 9 s */
	0x09, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0x03,
	/* 12 s */
	0x0c, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0x04,
};

static uint64_t fake_now;

static uint64_t
fake_clock(void *ctx)
{
	(void)ctx;
	return fake_now;
}

/* The next record's first byte, or -1 when none is handed out. */
static int
next_byte(struct ft_trace *t)
{
	struct ft_trace_rec r;
	struct ft_err e;
	int rc;

	rc = ft_trace_next(t, &r, &e);
	assert_true(rc >= 0);
	return rc == 1 ? r.data[0] : -1;
}

static void
test_trace_paced_at_speed_one(void **state)
{
	struct ft_trace *t;
	struct ft_trace_stats st;

	(void)state;
	t = open_mem(pcap_pace, sizeof(pcap_pace), "pace.pcap");
	fake_now = 1000;
	assert_int_equal(ft_trace_pace(t, 1000000000ULL, fake_clock, NULL,
	    NULL), 0);
	/* The clock starts at the first call: the first record is due. */
	assert_true(ft_trace_due_ns(t) == 0);
	assert_int_equal(next_byte(t), 1);
	/* 0.5 s later in the trace: due at 1000 + 5e8, held until then. */
	assert_int_equal(next_byte(t), -1);
	assert_true(ft_trace_due_ns(t) == 1000 + 500000000ULL);
	assert_false(ft_trace_eof(t));
	fake_now = 1000 + 499999999ULL;
	assert_int_equal(next_byte(t), -1);
	fake_now = 1000 + 500000000ULL;
	assert_int_equal(next_byte(t), 2);
	/* Stamped before the first record: due at the start, at once. */
	assert_int_equal(next_byte(t), 3);
	/* 12 s: 2 s after the first record. */
	assert_int_equal(next_byte(t), -1);
	assert_true(ft_trace_due_ns(t) == 1000 + 2000000000ULL);
	fake_now = 5000000000ULL;
	assert_int_equal(next_byte(t), 4);
	assert_false(ft_trace_eof(t));
	assert_int_equal(next_byte(t), -1);
	assert_true(ft_trace_eof(t));
	assert_true(ft_trace_due_ns(t) == UINT64_MAX);
	assert_int_equal(ft_trace_stats(t, &st, NULL), 0);
	assert_true(st.received == 4);
	assert_true(st.dropped == 0 && st.ifdropped == 0 &&
	    st.kernel_received == 0);
	ft_trace_free(t);
}

static void
test_trace_paced_speed_and_topspeed(void **state)
{
	struct ft_trace *t;

	(void)state;
	/* 2.5x: 0.5 s of trace is 0.2 s, 2 s is 0.8 s. */
	t = open_mem(pcap_pace, sizeof(pcap_pace), "pace.pcap");
	fake_now = 7;
	assert_int_equal(ft_trace_pace(t, 2500000000ULL, fake_clock, NULL,
	    NULL), 0);
	assert_int_equal(next_byte(t), 1);
	assert_int_equal(next_byte(t), -1);
	assert_true(ft_trace_due_ns(t) == 7 + 200000000ULL);
	fake_now = 7 + 200000000ULL;
	assert_int_equal(next_byte(t), 2);
	assert_int_equal(next_byte(t), 3);
	assert_int_equal(next_byte(t), -1);
	assert_true(ft_trace_due_ns(t) == 7 + 800000000ULL);
	ft_trace_free(t);

	/* Top speed: every record at once, the clock never consulted. */
	t = open_mem(pcap_pace, sizeof(pcap_pace), "pace.pcap");
	fake_now = 0;
	assert_int_equal(ft_trace_pace(t, 0, fake_clock, NULL, NULL), 0);
	assert_int_equal(next_byte(t), 1);
	assert_int_equal(next_byte(t), 2);
	assert_int_equal(next_byte(t), 3);
	assert_int_equal(next_byte(t), 4);
	assert_int_equal(next_byte(t), -1);
	assert_true(ft_trace_eof(t));
	ft_trace_free(t);
}

static void
test_trace_paced_slow_speed_saturates(void **state)
{
	struct ft_trace *t;

	(void)state;
	/*
	 * 10^-9 x: 0.5 s of trace would be 5 * 10^17 s after a start near
	 * the end of the clock: capped one short of "ended", held.
	 */
	t = open_mem(pcap_pace, sizeof(pcap_pace), "pace.pcap");
	fake_now = UINT64_MAX - 10;
	assert_int_equal(ft_trace_pace(t, 1, fake_clock, NULL, NULL), 0);
	assert_int_equal(next_byte(t), 1);
	assert_int_equal(next_byte(t), -1);
	assert_true(ft_trace_due_ns(t) == UINT64_MAX - 1);
	assert_false(ft_trace_eof(t));
	ft_trace_free(t);
}

static void
test_trace_file_not_live(void **state)
{
	struct ft_trace *t;
	struct ft_trace_stats st;
	struct ft_trace_rec r;
	struct ft_err e;

	(void)state;
	t = open_mem(pcap_pace, sizeof(pcap_pace), "pace.pcap");
	/* A file is always ready: no descriptor, no due time. */
	assert_int_equal(ft_trace_fd(t), -1);
	assert_true(ft_trace_due_ns(t) == 0);
	assert_false(ft_trace_eof(t));
	while (ft_trace_next(t, &r, &e) == 1)
		;
	assert_true(ft_trace_eof(t));
	assert_int_equal(ft_trace_stats(t, &st, &e), 0);
	assert_true(st.received == 4);
	ft_trace_free(t);
}

static void
test_trace_live_bad_interface(void **state)
{
	struct ft_err e;
	char name[FT_TRACE_IFNAME_MAX + 2];

	(void)state;
	memset(&e, 0, sizeof(e));
	assert_null(ft_trace_open_live("", 0, &e));
	assert_string_equal(e.msg, "capture '': bad interface name");
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_null(ft_trace_open_live(name, 0, &e));
	assert_non_null(strstr(e.msg, "bad interface name"));
	assert_null(ft_trace_open_live("ft-no-such0", 1u << 31, &e));
	assert_non_null(strstr(e.msg, "over 2147483647"));
	/* libpcap's reason (no such device, or no permission). */
	memset(&e, 0, sizeof(e));
	assert_null(ft_trace_open_live("ft-no-such0", 0, &e));
	assert_true(strncmp(e.msg, "capture 'ft-no-such0': ", 23) == 0);
	assert_true(strlen(e.msg) > 23);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_pcap_microseconds_scaled),
		cmocka_unit_test(test_trace_pcap_nanoseconds_as_is),
		cmocka_unit_test(test_trace_linktype_mapping),
		cmocka_unit_test(test_trace_pcap_truncated_header),
		cmocka_unit_test(test_trace_pcap_truncated_record),
		cmocka_unit_test(test_trace_nonexistent_path),
		cmocka_unit_test(test_trace_not_a_capture),
		cmocka_unit_test(test_trace_pcapng),
		cmocka_unit_test(test_trace_pcapng_two_interfaces_le),
		cmocka_unit_test(test_trace_pcapng_two_interfaces_be),
		cmocka_unit_test(test_trace_pcapng_simple_packet_block),
		cmocka_unit_test(test_trace_pcapng_sections),
		cmocka_unit_test(test_trace_pcapng_skips_other_blocks),
		cmocka_unit_test(test_trace_pcapng_bad_block_length),
		cmocka_unit_test(test_trace_pcapng_bad_caplen),
		cmocka_unit_test(test_trace_pcapng_truncated),
		cmocka_unit_test(test_trace_pcapng_open_errors),
		cmocka_unit_test(test_trace_pcapng_ifname),
		cmocka_unit_test(test_trace_paced_at_speed_one),
		cmocka_unit_test(test_trace_paced_speed_and_topspeed),
		cmocka_unit_test(test_trace_paced_slow_speed_saturates),
		cmocka_unit_test(test_trace_file_not_live),
		cmocka_unit_test(test_trace_live_bad_interface),
		cmocka_unit_test(test_trace_pcapng_timestamps),
		cmocka_unit_test(test_trace_pcapng_bad_options),
		cmocka_unit_test(test_trace_pcapng_interface_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
