/*
 * test_trace.c - pcap/pcapng input. trace.c reads files by design, so
 * these tests write tiny hand-made captures into a mkdtemp directory
 * (removed afterwards) and read them back. File layouts: the pcap and
 * pcapng formats (draft-ietf-opsawg-pcap, draft-ietf-opsawg-pcapng).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "decode.h"
#include "trace.h"

static char dir[64];
static char paths[16][128];
static int npaths;

/* Write n bytes to a new file in the temp dir; returns its path. */
static const char *
put_file(const char *name, const uint8_t *b, size_t n)
{
	char *p;
	FILE *f;

	assert_true(npaths < 16);
	p = paths[npaths++];
	assert_true(snprintf(p, sizeof(paths[0]), "%s/%s", dir, name) <
	    (int)sizeof(paths[0]));
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	return p;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ft_trace_XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	npaths = 0;
	return 0;
}

static int
teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < npaths; i++)
		unlink(paths[i]);
	return rmdir(dir);
}

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

/* pcapng: SHB, IDB (SLL2, default microsecond resolution), two EPBs. */
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

static void
test_trace_pcap_microseconds_scaled(void **state)
{
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;
	const char *p;

	(void)state;
	p = put_file("us.pcap", pcap_us_le, sizeof(pcap_us_le));
	t = ft_trace_open(p, &e);
	assert_non_null(t);
	assert_int_equal(ft_trace_linktype(t), FT_LINK_EN10MB);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == 1700000000123456000ULL);
	assert_int_equal(r.caplen, 4);
	assert_int_equal(r.len, 60);
	assert_memory_equal(r.data, "\xde\xad\xbe\xef", 4);
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
	const char *p;

	(void)state;
	p = put_file("ns.pcap", pcap_ns_be, sizeof(pcap_ns_be));
	t = ft_trace_open(p, &e);
	assert_non_null(t);
	assert_int_equal(ft_trace_linktype(t), FT_LINK_RAW);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == 2000000005ULL);
	assert_int_equal(r.caplen, 3);
	assert_int_equal(r.len, 3);		/* raised to caplen */
	assert_int_equal(r.data[0], 0x45);
	assert_int_equal(ft_trace_next(t, &r, &e), 0);
	ft_trace_free(t);
}

static void
test_trace_pcapng(void **state)
{
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;
	const char *p;

	(void)state;
	p = put_file("a.pcapng", pcapng_sll2, sizeof(pcapng_sll2));
	t = ft_trace_open(p, &e);
	assert_non_null(t);
	assert_int_equal(ft_trace_linktype(t), FT_LINK_SLL2);
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == 1500000000123456000ULL);
	assert_int_equal(r.caplen, 3);
	assert_int_equal(r.len, 64);
	assert_memory_equal(r.data, "\xaa\xbb\xcc", 3);
	/* 2^64 - 1 us does not fit in 64 bits of ns: saturates. */
	assert_int_equal(ft_trace_next(t, &r, &e), 1);
	assert_true(r.ts_ns == UINT64_MAX);
	assert_int_equal(r.caplen, 0);
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
	struct ft_err e;
	const char *p;
	char name[32];
	size_t i;

	(void)state;
	memcpy(b, pcap_us_le, 24);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		/* network field, little-endian, at offset 20 */
		b[20] = (uint8_t)types[i];
		b[21] = (uint8_t)(types[i] >> 8);
		snprintf(name, sizeof(name), "lt%u.pcap", (unsigned)types[i]);
		p = put_file(name, b, sizeof(b));
		t = ft_trace_open(p, &e);
		assert_non_null(t);
		assert_int_equal(ft_trace_linktype(t), (int)types[i]);
		ft_trace_free(t);
	}
}

static void
test_trace_truncated_header(void **state)
{
	struct ft_trace *t;
	struct ft_err e;
	const char *p;
	char want[160];

	(void)state;
	p = put_file("short.pcap", pcap_us_le, 10);
	memset(&e, 0, sizeof(e));
	t = ft_trace_open(p, &e);
	assert_null(t);
	snprintf(want, sizeof(want), "trace '%s': ", p);
	assert_memory_equal(e.msg, want, strlen(want));
	assert_true(strlen(e.msg) > strlen(want));
	assert_null(strchr(e.msg, '\n'));
}

static void
test_trace_truncated_record(void **state)
{
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;
	const char *p;
	char want[160];

	(void)state;
	/* The header and 6 of the first record's 16 header bytes. */
	p = put_file("cut.pcap", pcap_us_le, 24 + 6);
	t = ft_trace_open(p, &e);
	assert_non_null(t);
	memset(&e, 0, sizeof(e));
	assert_int_equal(ft_trace_next(t, &r, &e), FT_EFORMAT);
	snprintf(want, sizeof(want), "trace '%s': ", p);
	assert_memory_equal(e.msg, want, strlen(want));
	ft_trace_free(t);
	/* Record data cut: header says caplen 4, 2 bytes follow. */
	p = put_file("cut2.pcap", pcap_us_le, 24 + 16 + 2);
	t = ft_trace_open(p, &e);
	assert_non_null(t);
	assert_int_equal(ft_trace_next(t, &r, &e), FT_EFORMAT);
	assert_memory_equal(e.msg, "trace '", 7);
	ft_trace_free(t);
}

static void
test_trace_nonexistent_path(void **state)
{
	struct ft_trace *t;
	struct ft_err e;
	char p[128];

	(void)state;
	snprintf(p, sizeof(p), "%s/no-such-file.pcap", dir);
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
	struct ft_trace *t;
	struct ft_err e;
	const char *p;

	(void)state;
	p = put_file("text.pcap", text, sizeof(text) - 1);
	memset(&e, 0, sizeof(e));
	t = ft_trace_open(p, &e);
	assert_null(t);
	assert_non_null(strstr(e.msg, p));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_trace_pcap_microseconds_scaled, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_trace_pcap_nanoseconds_as_is, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace_pcapng, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_trace_linktype_mapping,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace_truncated_header,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace_truncated_record,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace_nonexistent_path,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace_not_a_capture,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
