/*
 * test_sink.c - output files and the pcap writer (SPEC 8). Files are
 * this module's job, so these tests use a private mkdtemp directory.
 *
 * Expected bytes are from the pcap format (draft-ietf-opsawg-pcap):
 * nanosecond magic a1b23c4d, v2.4, LINKTYPE_RAW = 101, written LE.
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "sink.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ft_test_sink.XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static void
rm(const char *name)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unlink(p);
	rmdir(p);
}

static int
teardown(void **state)
{
	(void)state;
	rm("out.pcap");
	rm(".out.pcap.tmp");
	rm("d");
	rmdir(dir);
	return 0;
}

static int
exists(const char *name)
{
	char p[128];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return stat(p, &st) == 0;
}

static size_t
slurp(const char *name, uint8_t *buf, size_t cap)
{
	char p[128];
	FILE *fp;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fp = fopen(p, "rb");
	assert_non_null(fp);
	n = fread(buf, 1, cap, fp);
	fclose(fp);
	return n;
}

static const uint8_t pcap_hdr[24] = {
	0x4d, 0x3c, 0xb2, 0xa1,		/* magic a1b23c4d (ns) */
	0x02, 0x00, 0x04, 0x00,		/* 2.4 */
	0, 0, 0, 0, 0, 0, 0, 0,		/* thiszone, sigfigs */
	0x00, 0x00, 0x04, 0x00,		/* snaplen 262144 */
	0x65, 0x00, 0x00, 0x00,		/* LINKTYPE_RAW 101 */
};

static void
test_sink_pcap_header_and_record_bytes(void **state)
{
	struct ft_outfile o;
	struct ft_err e;
	uint8_t data[3] = { 0x45, 0xab, 0xcd }, buf[256];
	/* 1700000000 = 0x6553f100, 123456789 = 0x075bcd15 */
	static const uint8_t rec[16] = {
		0x00, 0xf1, 0x53, 0x65, 0x15, 0xcd, 0x5b, 0x07,
		0x03, 0, 0, 0, 0x03, 0, 0, 0,
	};

	(void)state;
	assert_int_equal(ft_outfile_open(&o, dir, "out.pcap", &e), 0);
	assert_true(exists(".out.pcap.tmp"));
	assert_false(exists("out.pcap"));
	assert_int_equal(ft_sink_pcap_header(&o), 0);
	assert_int_equal(ft_sink_pcap_record(&o, 1700000000123456789ULL,
	    data, 3), 0);
	assert_int_equal(ft_sink_pcap_record(&o, 0, data, 0), 0);
	assert_int_equal(ft_outfile_commit(&o, &e), 0);
	assert_true(exists("out.pcap"));
	assert_false(exists(".out.pcap.tmp"));
	assert_int_equal(slurp("out.pcap", buf, sizeof(buf)), 24 + 16 + 3 + 16);
	assert_memory_equal(buf, pcap_hdr, 24);
	assert_memory_equal(buf + 24, rec, 16);
	assert_memory_equal(buf + 40, data, 3);
	assert_memory_equal(buf + 43, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	/* abort after commit leaves the committed file alone */
	ft_outfile_abort(&o);
	ft_outfile_abort(&o);
	assert_true(exists("out.pcap"));
}

/*
 * Replacing the previous run's file: the new one takes its place (ext4's
 * flush on a rename over a file avoided by moving the old one aside), no
 * .NAME.old is left; a directory in the way is still refused and kept.
 */
static void
test_sink_commit_replaces_previous_file(void **state)
{
	struct ft_outfile o;
	struct ft_err e;
	uint8_t buf[64];
	char p[128];

	(void)state;
	assert_int_equal(ft_outfile_open(&o, dir, "out.pcap", &e), 0);
	assert_int_equal(fputs("old", o.fp) >= 0, 1);
	assert_int_equal(ft_outfile_commit(&o, &e), 0);
	assert_int_equal(ft_outfile_open(&o, dir, "out.pcap", &e), 0);
	assert_int_equal(fputs("newer", o.fp) >= 0, 1);
	assert_int_equal(ft_outfile_commit(&o, &e), 0);
	assert_int_equal(slurp("out.pcap", buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "newer", 5);
	assert_false(exists(".out.pcap.old"));
	assert_false(exists(".out.pcap.tmp"));

	rm("out.pcap");
	snprintf(p, sizeof(p), "%s/out.pcap", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/out.pcap/x", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(ft_outfile_open(&o, dir, "out.pcap", &e), 0);
	assert_int_equal(ft_outfile_commit(&o, &e), FT_EIO);
	assert_true(exists("out.pcap/x"));
	assert_false(exists(".out.pcap.old"));
	assert_false(exists(".out.pcap.tmp"));
	rmdir(p);
}

static void
test_sink_abort_removes_tmp(void **state)
{
	struct ft_outfile o;

	(void)state;
	assert_int_equal(ft_outfile_open(&o, dir, "out.pcap", NULL), 0);
	assert_int_equal(ft_sink_pcap_header(&o), 0);
	assert_true(exists(".out.pcap.tmp"));
	ft_outfile_abort(&o);
	assert_false(exists(".out.pcap.tmp"));
	assert_false(exists("out.pcap"));
	ft_outfile_abort(&o);		/* idempotent */
	assert_null(o.fp);
	/* writing after abort fails cleanly */
	assert_int_equal(ft_sink_pcap_header(&o), FT_EIO);
}

static void
test_sink_abort_unopened_is_safe(void **state)
{
	struct ft_outfile o;

	(void)state;
	memset(&o, 0, sizeof(o));
	ft_outfile_abort(&o);
	assert_null(o.fp);
	assert_int_equal(ft_outfile_commit(&o, NULL), FT_EIO);
}

static void
test_sink_open_nonexistent_dir_fails(void **state)
{
	struct ft_outfile o;
	struct ft_err e;
	char bad[128];

	(void)state;
	snprintf(bad, sizeof(bad), "%s/nonexistent", dir);
	e.msg[0] = '\0';
	assert_int_equal(ft_outfile_open(&o, bad, "out.pcap", &e), FT_EIO);
	/* The message names the file asked for, not the temporary. */
	assert_non_null(strstr(e.msg, "nonexistent/out.pcap'"));
	assert_null(strstr(e.msg, ".tmp"));
	assert_null(o.fp);
	ft_outfile_abort(&o);
	assert_int_equal(ft_outfile_commit(&o, NULL), FT_EIO);
}

static void
test_sink_commit_rename_failure_cleans_up(void **state)
{
	struct ft_outfile o;
	struct ft_err e;
	char d[128];

	(void)state;
	/* A directory where the final file should go: rename fails. */
	snprintf(d, sizeof(d), "%s/d", dir);
	assert_int_equal(mkdir(d, 0700), 0);
	assert_int_equal(ft_outfile_open(&o, dir, "d", &e), 0);
	assert_int_equal(ft_sink_pcap_header(&o), 0);
	e.msg[0] = '\0';
	assert_int_equal(ft_outfile_commit(&o, &e), FT_EIO);
	assert_non_null(strstr(e.msg, "rename"));
	assert_false(exists(".d.tmp"));
	ft_outfile_abort(&o);
}

/* A write error is reported at commit with the final name and errno. */
static void
test_sink_commit_names_file_and_reason(void **state)
{
	struct ft_outfile o;
	struct ft_err e;
	char want[160];

	(void)state;
	assert_int_equal(ft_outfile_open(&o, dir, "w.pcap", &e), 0);
	fclose(o.fp);
	o.fp = fopen("/dev/full", "wb");
	if (o.fp == NULL) {
		ft_outfile_abort(&o);
		skip();
	}
	fputs("bytes that the flush cannot write", o.fp);
	e.msg[0] = '\0';
	assert_int_equal(ft_outfile_commit(&o, &e), FT_EIO);
	snprintf(want, sizeof(want), "cannot write '%s/w.pcap': %s", dir,
	    strerror(ENOSPC));
	assert_string_equal(e.msg, want);
	assert_false(exists(".w.pcap.tmp"));
	assert_false(exists("w.pcap"));
}

static void
test_sink_write_error_sets_failed(void **state)
{
	struct ft_outfile o;
	uint8_t data[8] = { 0 };

	(void)state;
	memset(&o, 0, sizeof(o));
	o.fp = fopen("/dev/full", "wb");
	if (o.fp == NULL)
		skip();
	setvbuf(o.fp, NULL, _IONBF, 0);
	assert_int_equal(ft_sink_pcap_header(&o), FT_EIO);
	assert_int_equal(o.failed, 1);
	assert_int_equal(o.err, ENOSPC);	/* /dev/full's reason, kept */
	assert_int_equal(ft_sink_pcap_record(&o, 0, data, 8), FT_EIO);
	ft_outfile_abort(&o);
	assert_null(o.fp);
}

static void
test_sink_record_over_snaplen_refused(void **state)
{
	struct ft_outfile o;
	uint8_t d = 0;

	(void)state;
	assert_int_equal(ft_outfile_open(&o, dir, "out.pcap", NULL), 0);
	assert_int_equal(ft_sink_pcap_record(&o, 0, &d, 262145), FT_ELIMIT);
	assert_int_equal(o.failed, 0);
	ft_outfile_abort(&o);
	assert_false(exists(".out.pcap.tmp"));
}


/* --- copies files: raw IP or Ethernet frames (replay --copy-linktype) --- */

static void
test_sink_copyfmt_default_is_raw_with_documented_macs(void **state)
{
	struct ft_sink_copyfmt f;
	static const uint8_t src[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 2 };

	(void)state;
	memset(&f, 0xff, sizeof(f));
	ft_sink_copyfmt_default(&f);
	assert_int_equal(f.link, FT_SINK_LINK_RAW);
	assert_memory_equal(f.src_mac, src, 6);
	assert_memory_equal(f.dst_mac, dst, 6);
}

static void
test_sink_link_parse_names(void **state)
{
	enum ft_sink_link l = FT_SINK_LINK_RAW;

	(void)state;
	assert_int_equal(ft_sink_link_parse("ether", &l), 0);
	assert_int_equal(l, FT_SINK_LINK_ETHER);
	assert_int_equal(ft_sink_link_parse("raw", &l), 0);
	assert_int_equal(l, FT_SINK_LINK_RAW);
	assert_int_equal(ft_sink_link_parse("en10mb", &l), 0);
	assert_int_equal(l, FT_SINK_LINK_ETHER);
	assert_int_equal(ft_sink_link_parse("ethernet", &l), 0);
	l = FT_SINK_LINK_RAW;
	assert_int_equal(ft_sink_link_parse("Ether", &l), FT_EINVAL);
	assert_int_equal(ft_sink_link_parse("", &l), FT_EINVAL);
	assert_int_equal(ft_sink_link_parse("sll", &l), FT_EINVAL);
	assert_int_equal(l, FT_SINK_LINK_RAW);
}

static void
test_sink_mac_parse_accepts_colons_and_dashes(void **state)
{
	uint8_t m[6];
	static const uint8_t want[6] = { 0x00, 0x1b, 0xAC, 0xde, 0xf0, 0x09 };

	(void)state;
	assert_int_equal(ft_sink_mac_parse("00:1b:ac:DE:f0:09", m), 0);
	assert_memory_equal(m, want, 6);
	memset(m, 0, sizeof(m));
	assert_int_equal(ft_sink_mac_parse("00-1B-AC-de-F0-09", m), 0);
	assert_memory_equal(m, want, 6);
}

static void
test_sink_mac_parse_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"", "00:1b:ac:de:f0", "00:1b:ac:de:f0:09:", "00:1b:ac:de:f0:9",
		"0:1b:ac:de:f0:09", "00:1b:ac:de:f0:0g", "00:1b-ac:de:f0:09",
		"001b.acde.f009", "00:1b:ac:de:f0:090", " 0:1b:ac:de:f0:09",
		"00:1b:ac:de:f0:09 ", "00;1b;ac;de;f0;09",
	};
	uint8_t m[6] = { 1, 2, 3, 4, 5, 6 };
	static const uint8_t keep[6] = { 1, 2, 3, 4, 5, 6 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ft_sink_mac_parse(bad[i], m), FT_EINVAL);
		assert_memory_equal(m, keep, 6);	/* untouched */
	}
}

static void
test_sink_copies_raw_same_bytes_as_pcap_writer(void **state)
{
	struct ft_outfile o;
	struct ft_sink_copyfmt f;
	uint8_t a[256], b[256], data[20] = { 0x45 };
	size_t na, nb;

	(void)state;
	ft_sink_copyfmt_default(&f);
	assert_int_equal(ft_outfile_open(&o, dir, "out.pcap", NULL), 0);
	assert_int_equal(ft_sink_pcap_header(&o), 0);
	assert_int_equal(ft_sink_pcap_record(&o, 5, data, 20), 0);
	assert_int_equal(ft_outfile_commit(&o, NULL), 0);
	na = slurp("out.pcap", a, sizeof(a));
	assert_int_equal(ft_outfile_open(&o, dir, "out.pcap", NULL), 0);
	assert_int_equal(ft_sink_copies_header(&o, &f), 0);
	assert_int_equal(ft_sink_copies_record(&o, &f, 5, data, 20), 0);
	assert_int_equal(ft_outfile_commit(&o, NULL), 0);
	nb = slurp("out.pcap", b, sizeof(b));
	assert_int_equal(na, 24 + 16 + 20);
	assert_int_equal(nb, na);
	assert_memory_equal(a, b, na);
	assert_memory_equal(b, pcap_hdr, 24);
}

static void
test_sink_copies_ether_frames_by_version(void **state)
{
	struct ft_outfile o;
	struct ft_sink_copyfmt f;
	uint8_t buf[512], v4[48], v6[60];
	static const uint8_t eth_v4[14] = {
		0x02, 0, 0, 0, 0, 0x0b,		/* dst */
		0x02, 0, 0, 0, 0, 0x0a,		/* src */
		0x08, 0x00,
	};
	static const uint8_t eth_v6[14] = {
		0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, 0, 0, 0, 0x0a, 0x86, 0xdd,
	};
	/* 1 s 2 ns; lengths 48 + 14 = 62 (0x3e), 60 + 14 = 74 (0x4a) */
	static const uint8_t rec4[16] = {
		1, 0, 0, 0, 2, 0, 0, 0, 0x3e, 0, 0, 0, 0x3e, 0, 0, 0,
	};
	static const uint8_t rec6[16] = {
		1, 0, 0, 0, 3, 0, 0, 0, 0x4a, 0, 0, 0, 0x4a, 0, 0, 0,
	};
	size_t n, off;

	(void)state;
	memset(v4, 0xa4, sizeof(v4));
	v4[0] = 0x45;
	memset(v6, 0xa6, sizeof(v6));
	v6[0] = 0x60;
	ft_sink_copyfmt_default(&f);
	assert_int_equal(ft_sink_link_parse("ether", &f.link), 0);
	assert_int_equal(ft_sink_mac_parse("02:00:00:00:00:0a", f.src_mac), 0);
	assert_int_equal(ft_sink_mac_parse("02:00:00:00:00:0b", f.dst_mac), 0);
	assert_int_equal(ft_outfile_open(&o, dir, "out.pcap", NULL), 0);
	assert_int_equal(ft_sink_copies_header(&o, &f), 0);
	assert_int_equal(ft_sink_copies_record(&o, &f, 1000000002ULL, v4,
	    sizeof(v4)), 0);
	assert_int_equal(ft_sink_copies_record(&o, &f, 1000000003ULL, v6,
	    sizeof(v6)), 0);
	assert_int_equal(ft_outfile_commit(&o, NULL), 0);
	n = slurp("out.pcap", buf, sizeof(buf));
	assert_int_equal(n, 24 + 16 + 14 + 48 + 16 + 14 + 60);
	/* The header says LINKTYPE_ETHERNET (1), otherwise as for raw. */
	assert_memory_equal(buf, pcap_hdr, 20);
	assert_memory_equal(buf + 20, "\x01\0\0\0", 4);
	off = 24;
	assert_memory_equal(buf + off, rec4, 16);
	assert_memory_equal(buf + off + 16, eth_v4, 14);
	assert_memory_equal(buf + off + 30, v4, sizeof(v4));
	off += 16 + 14 + sizeof(v4);
	assert_memory_equal(buf + off, rec6, 16);
	assert_memory_equal(buf + off + 16, eth_v6, 14);
	assert_memory_equal(buf + off + 30, v6, sizeof(v6));
}

static void
test_sink_copies_ether_refuses_non_ip_and_oversize(void **state)
{
	struct ft_outfile o;
	struct ft_sink_copyfmt f;
	static uint8_t big[262144 - 13];
	uint8_t bad[20] = { 0x55 }, buf[64];

	(void)state;
	ft_sink_copyfmt_default(&f);
	f.link = FT_SINK_LINK_ETHER;
	big[0] = 0x45;
	assert_int_equal(ft_outfile_open(&o, dir, "out.pcap", NULL), 0);
	assert_int_equal(ft_sink_copies_header(&o, &f), 0);
	assert_int_equal(ft_sink_copies_record(&o, &f, 0, bad, 20),
	    FT_EINVAL);
	assert_int_equal(ft_sink_copies_record(&o, &f, 0, bad, 0), FT_EINVAL);
	/* 14 + 262131 is one byte over the snaplen */
	assert_int_equal(ft_sink_copies_record(&o, &f, 0, big, sizeof(big)),
	    FT_ELIMIT);
	assert_int_equal(o.failed, 0);
	assert_int_equal(ft_outfile_commit(&o, NULL), 0);
	/* Nothing but the file header was written. */
	assert_int_equal(slurp("out.pcap", buf, sizeof(buf)), 24);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_sink_pcap_header_and_record_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sink_commit_replaces_previous_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sink_abort_removes_tmp,
		    setup, teardown),
		cmocka_unit_test(test_sink_abort_unopened_is_safe),
		cmocka_unit_test_setup_teardown(
		    test_sink_open_nonexistent_dir_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sink_commit_rename_failure_cleans_up, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sink_commit_names_file_and_reason, setup, teardown),
		cmocka_unit_test(test_sink_write_error_sets_failed),
		cmocka_unit_test_setup_teardown(
		    test_sink_record_over_snaplen_refused, setup, teardown),
		cmocka_unit_test(
		    test_sink_copyfmt_default_is_raw_with_documented_macs),
		cmocka_unit_test(test_sink_link_parse_names),
		cmocka_unit_test(test_sink_mac_parse_accepts_colons_and_dashes),
		cmocka_unit_test(test_sink_mac_parse_rejects_malformed),
		cmocka_unit_test_setup_teardown(
		    test_sink_copies_raw_same_bytes_as_pcap_writer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_sink_copies_ether_frames_by_version, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sink_copies_ether_refuses_non_ip_and_oversize, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
