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
	assert_non_null(strstr(e.msg, "nonexistent/.out.pcap.tmp"));
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_sink_pcap_header_and_record_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sink_abort_removes_tmp,
		    setup, teardown),
		cmocka_unit_test(test_sink_abort_unopened_is_safe),
		cmocka_unit_test_setup_teardown(
		    test_sink_open_nonexistent_dir_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sink_commit_rename_failure_cleans_up, setup, teardown),
		cmocka_unit_test(test_sink_write_error_sets_failed),
		cmocka_unit_test_setup_teardown(
		    test_sink_record_over_snaplen_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
