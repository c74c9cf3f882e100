/*
 * test_pipeline.c - the two-stage runmode (pipeline.h) and the trace's
 * batches under it (ft_trace_next_batch): the records and decoded views
 * stage 2 sees are exactly those of ft_trace_next and ft_decode, in
 * order, for classic pcap read(2) into the batches (a memfd: no file on
 * disk) and for a capture in memory (copied); a file cut short gives the
 * same warning; an error of stage 2 stops the run without a hang.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "decode.h"
#include "err.h"
#include "pipeline.h"
#include "trace.h"

/* A classic pcap of n Ethernet/IPv4 records of varied sizes. */
static uint8_t *
make_pcap(unsigned n, size_t *len)
{
	static const uint32_t sizes[] = { 60, 0, 1514, 34, 200000, 90, 1, 9000 };
	size_t cap = 24, off;
	uint8_t *b, *r;
	unsigned i;
	uint32_t c, k;

	for (i = 0; i < n; i++)
		cap += 16 + sizes[i % 8];
	b = calloc(1, cap);
	assert_non_null(b);
	memcpy(b, "\xd4\xc3\xb2\xa1\x02\x00\x04\x00", 8);
	b[16] = 0x00;
	b[17] = 0x00;
	b[18] = 0x04;			/* snaplen 262144 */
	b[20] = 1;			/* LINKTYPE_ETHERNET */
	off = 24;
	for (i = 0; i < n; i++) {
		c = sizes[i % 8];
		r = b + off;
		r[0] = (uint8_t)i;
		r[1] = (uint8_t)(i >> 8);
		r[4] = (uint8_t)(i * 7);
		memcpy(r + 8, &c, 4);
		k = c + 10;
		memcpy(r + 12, &k, 4);
		for (k = 0; k < c; k++)
			r[16 + k] = (uint8_t)(k * 31 + i);
		if (c >= 34) {
			r[16 + 12] = 0x08;	/* IPv4 */
			r[16 + 13] = 0x00;
			r[16 + 14] = 0x45;
			r[16 + 16] = 0x00;
			r[16 + 17] = 20;
		}
		off += 16 + c;
	}
	*len = off;
	return b;
}

/* What one pass saw: a running hash of every record and view. */
struct seen {
	uint64_t n, hash;
	int stop_at;		/* fn fails at this record (0: never) */
};

static uint64_t
mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ULL;
}

static void
see(struct seen *s, const struct ft_trace_rec *r, const struct ft_pkt *p,
    enum ft_decode_reason why)
{
	uint32_t i;

	s->n++;
	s->hash = mix(s->hash, r->ts_ns);
	s->hash = mix(s->hash, r->caplen);
	s->hash = mix(s->hash, r->len);
	s->hash = mix(s->hash, (uint64_t)r->linktype);
	for (i = 0; i < r->caplen; i += 97)
		s->hash = mix(s->hash, r->data[i]);
	s->hash = mix(s->hash, (uint64_t)why);
	if (why == FT_DECODE_OK) {
		s->hash = mix(s->hash, p->family);
		s->hash = mix(s->hash, p->l3_len);
	}
}

static int
on_rec(void *ctx, const struct ft_trace_rec *rec, struct ft_pkt *pkt,
    enum ft_decode_reason why, struct ft_err *e)
{
	struct seen *s = ctx;

	see(s, rec, pkt, why);
	if (s->stop_at != 0 && s->n == (uint64_t)s->stop_at)
		return ft_err_set(e, FT_EIO, "stop");
	return 0;
}

/* The reference: ft_trace_next and ft_decode, one record at a time. */
static void
by_next(const uint8_t *b, size_t len, struct seen *s, const char **warn)
{
	struct ft_trace *t;
	struct ft_trace_rec r;
	struct ft_pkt p;
	struct ft_err e;
	int rc;

	t = ft_trace_open_mem(b, len, "x", &e);
	assert_non_null(t);
	while ((rc = ft_trace_next(t, &r, &e)) == 1)
		see(s, &r, &p, ft_decode(r.linktype, r.data, r.caplen, &p));
	assert_int_equal(rc, 0);
	*warn = ft_trace_warning(t) != NULL ? strdup(ft_trace_warning(t)) :
	    NULL;
	ft_trace_free(t);
}

/* The bytes in a memfd, opened by its /proc path (no file on disk). */
static struct ft_trace *
open_memfd(const uint8_t *b, size_t len, int *fd)
{
	char path[64];
	struct ft_err e;
	size_t off = 0;
	ssize_t w;

	*fd = (int)syscall(SYS_memfd_create, "ft", 0);
	if (*fd < 0)
		return NULL;
	while (off < len) {
		w = write(*fd, b + off, len - off);
		assert_true(w > 0);
		off += (size_t)w;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", *fd);
	return ft_trace_open(path, &e);
}

static void
check_file(unsigned n, size_t cut, int mem)
{
	struct seen ref = { 0, 0, 0 }, got = { 0, 0, 0 };
	struct ft_trace *t;
	const char *wref, *wgot;
	struct ft_err e;
	uint8_t *b;
	size_t len;
	int fd = -1;

	b = make_pcap(n, &len);
	if (cut != 0)
		len -= cut;
	by_next(b, len, &ref, &wref);
	if (mem) {
		t = ft_trace_open_mem(b, len, "x", &e);
	} else {
		t = open_memfd(b, len, &fd);
		if (t == NULL) {
			free(b);
			skip();
		}
	}
	assert_non_null(t);
	assert_true(ft_pipeline_usable(t));
	assert_int_equal(ft_pipeline_run(t, on_rec, &got, &e), 0);
	assert_int_equal(got.n, ref.n);
	assert_true(got.hash == ref.hash);
	wgot = ft_trace_warning(t);
	if (wref == NULL) {
		assert_null(wgot);
	} else {
		assert_non_null(wgot);
		/* The same text, the path aside. */
		assert_non_null(strstr(wgot, strstr(wref, "cut short")));
	}
	ft_trace_free(t);
	if (fd >= 0)
		close(fd);
	free((void *)(uintptr_t)wref);
	free(b);
}

static void
test_pipeline_same_records_as_next_file(void **state)
{
	(void)state;
	check_file(20000, 0, 0);
}

static void
test_pipeline_same_records_as_next_mem(void **state)
{
	(void)state;
	check_file(3000, 0, 1);
}

static void
test_pipeline_cut_file_same_warning(void **state)
{
	(void)state;
	check_file(5001, 700, 0);
	check_file(5001, 5, 0);
}

static void
test_pipeline_small_files(void **state)
{
	(void)state;
	check_file(0, 0, 0);
	check_file(1, 0, 0);
	check_file(2, 0, 1);
}

static void
test_pipeline_fn_error_stops(void **state)
{
	struct seen got = { 0, 0, 0 };
	struct ft_trace *t;
	struct ft_err e;
	uint8_t *b;
	size_t len;
	int fd;

	(void)state;
	b = make_pcap(20000, &len);
	t = open_memfd(b, len, &fd);
	if (t == NULL) {
		free(b);
		skip();
	}
	got.stop_at = 7777;
	assert_int_equal(ft_pipeline_run(t, on_rec, &got, &e), FT_EIO);
	assert_string_equal(e.msg, "stop");
	assert_int_equal(got.n, 7777);
	ft_trace_free(t);
	close(fd);
	free(b);
}

static void
test_pipeline_bad_record_error_after_records(void **state)
{
	struct seen ref = { 0, 0, 0 }, got = { 0, 0, 0 };
	struct ft_trace *t;
	struct ft_err e, e2;
	uint8_t *b;
	size_t len, off = 24;
	uint32_t c, big = 300000;
	unsigned i;
	int fd, rc;

	(void)state;
	b = make_pcap(4000, &len);
	/* Record 3001 claims 300000 bytes: libpcap's "bigger than" error. */
	for (i = 0; i < 3000; i++) {
		memcpy(&c, b + off + 8, 4);
		off += 16 + c;
	}
	memcpy(b + off + 8, &big, 4);
	t = ft_trace_open_mem(b, len, "x", &e);
	assert_non_null(t);
	{
		struct ft_trace_rec r;
		struct ft_pkt p;

		while ((rc = ft_trace_next(t, &r, &e)) == 1)
			see(&ref, &r, &p, ft_decode(r.linktype, r.data,
			    r.caplen, &p));
	}
	assert_true(rc < 0);
	ft_trace_free(t);
	t = open_memfd(b, len, &fd);
	if (t == NULL) {
		free(b);
		skip();
	}
	rc = ft_pipeline_run(t, on_rec, &got, &e2);
	assert_true(rc < 0);
	assert_int_equal(got.n, 3000);
	assert_true(got.hash == ref.hash);
	assert_non_null(strstr(e2.msg, "invalid packet capture length 300000"));
	assert_non_null(strstr(e.msg, "invalid packet capture length 300000"));
	ft_trace_free(t);
	close(fd);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipeline_same_records_as_next_file),
		cmocka_unit_test(test_pipeline_same_records_as_next_mem),
		cmocka_unit_test(test_pipeline_cut_file_same_warning),
		cmocka_unit_test(test_pipeline_small_files),
		cmocka_unit_test(test_pipeline_fn_error_stops),
		cmocka_unit_test(test_pipeline_bad_record_error_after_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
