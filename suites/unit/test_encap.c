/*
 * test_encap.c - the copy's outer headers (SPEC 6), field by field.
 *
 * Literal checksums were computed independently with Python's struct
 * module (RFC 1071 sum over the same bytes); the header sums are also
 * re-verified here with a separate one's-complement routine.
 */
#include "testutil.h"

#include <arpa/inet.h>

#include "encap.h"
#include "err.h"

static uint8_t buf[65536 + 128];
static uint8_t big[65536];

/* Independent RFC 1071 sum (folded, not complemented). */
static unsigned
sum16(unsigned acc, const uint8_t *p, size_t n)
{
	size_t i;
	unsigned long s = acc;

	for (i = 0; i < n; i++)
		s += (i % 2 == 0) ? (unsigned long)p[i] << 8 : p[i];
	while (s > 0xffff)
		s = (s & 0xffff) + (s >> 16);
	return (unsigned)s;
}

static unsigned
be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The seed's content destination: 10.209.74.183:65534 -> 192.168.3.2:1814. */
static void
seed_rule(struct ft_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->family = 4;
	r->ncdest = 1;
	r->cdest[0].family = 4;
	assert_int_equal(inet_pton(AF_INET, "192.168.3.2", r->cdest[0].addr),
	    1);
	r->cdest[0].port = 1814;
	r->out_family = 4;
	assert_int_equal(inet_pton(AF_INET, "10.209.74.183", r->out_src), 1);
	r->out_sport = 65534;
	r->ttl = 255;
}

static void
v6_rule(struct ft_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->family = 6;
	r->ncdest = 1;
	r->cdest[0].family = 6;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:0:1::2",
	    r->cdest[0].addr), 1);
	r->cdest[0].port = 5000;
	r->out_family = 6;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::1", r->out_src), 1);
	r->out_sport = 40000;
	r->ttl = 64;
}

static void
test_encap_ipv4_seed_fields(void **state)
{
	struct ft_rule r;
	uint8_t pl[40];
	size_t i;
	int n;

	(void)state;
	seed_rule(&r);
	for (i = 0; i < sizeof(pl); i++)
		pl[i] = (uint8_t)(0x40 + i);
	n = ft_encap_build(buf, sizeof(buf), &r, 0, 0x1234, pl, sizeof(pl));
	assert_int_equal(n, 20 + 8 + 40);
	assert_int_equal(buf[0], 0x45);			/* v4, IHL 5 */
	assert_int_equal(buf[1], 0);			/* TOS */
	assert_int_equal(be16(buf + 2), 68);		/* total length */
	assert_int_equal(be16(buf + 4), 0x1234);	/* ID */
	assert_int_equal(be16(buf + 6), 0);		/* flags, frag */
	assert_int_equal(buf[8], 255);			/* TTL */
	assert_int_equal(buf[9], 17);			/* UDP */
	assert_int_equal(be16(buf + 10), 0x9042);	/* from Python */
	assert_int_equal(sum16(0, buf, 20), 0xffff);
	assert_memory_equal(buf + 12, "\x0a\xd1\x4a\xb7", 4);
	assert_memory_equal(buf + 16, "\xc0\xa8\x03\x02", 4);
	assert_int_equal(be16(buf + 20), 65534);	/* UDP sport */
	assert_int_equal(be16(buf + 22), 1814);		/* UDP dport */
	assert_int_equal(be16(buf + 24), 8 + 40);	/* UDP length */
	assert_int_equal(be16(buf + 26), 0);		/* no checksum (v4) */
	assert_memory_equal(buf + 28, pl, sizeof(pl));
}

static void
test_encap_ipv4_second_cdest_and_empty_payload(void **state)
{
	struct ft_rule r;
	int n;

	(void)state;
	seed_rule(&r);
	r.ncdest = 2;
	r.cdest[1].family = 4;
	assert_int_equal(inet_pton(AF_INET, "10.0.0.9", r.cdest[1].addr), 1);
	r.cdest[1].port = 7;
	r.ttl = 3;
	n = ft_encap_build(buf, sizeof(buf), &r, 1, 0xffff, NULL, 0);
	assert_int_equal(n, 28);
	assert_int_equal(be16(buf + 2), 28);
	assert_int_equal(be16(buf + 4), 0xffff);
	assert_int_equal(buf[8], 3);
	assert_memory_equal(buf + 16, "\x0a\x00\x00\x09", 4);
	assert_int_equal(be16(buf + 22), 7);
	assert_int_equal(be16(buf + 24), 8);
	assert_int_equal(sum16(0, buf, 20), 0xffff);
	/* ci beyond ncdest is refused */
	assert_int_equal(ft_encap_build(buf, sizeof(buf), &r, 2, 0, NULL, 0),
	    FT_EINVAL);
}

static void
test_encap_jmirror_8byte_id(void **state)
{
	struct ft_rule r;
	uint8_t pl[20] = { 0x45 };
	int n;

	(void)state;
	seed_rule(&r);
	r.jmirror = 1;
	r.intercept_id = 0x01010101;
	r.session_id = 0x30010002;
	n = ft_encap_build(buf, sizeof(buf), &r, 0, 1, pl, sizeof(pl));
	assert_int_equal(n, 20 + 8 + 8 + 20);
	assert_int_equal(be16(buf + 2), 56);
	assert_int_equal(be16(buf + 24), 8 + 8 + 20);
	assert_memory_equal(buf + 28, "\x01\x01\x01\x01\x30\x01\x00\x02", 8);
	assert_memory_equal(buf + 36, pl, sizeof(pl));
	assert_int_equal(sum16(0, buf, 20), 0xffff);
}

static void
test_encap_jmirror_4byte_id_masks_top_bits(void **state)
{
	struct ft_rule r;
	int n;

	(void)state;
	seed_rule(&r);
	r.jmirror = 1;
	r.session_is_id = 1;
	r.intercept_id = 0xc1234567;	/* top 2 bits must not leak */
	r.session_id = 42;		/* tasking's Criteria-ID */
	n = ft_encap_build(buf, sizeof(buf), &r, 0, 0, NULL, 0);
	assert_int_equal(n, 36);
	assert_int_equal(be32(buf + 28), 0x01234567);
	assert_int_equal(be32(buf + 32), 42);
}

static void
test_encap_ipv6_fields_and_checksum(void **state)
{
	struct ft_rule r;
	uint8_t pl[30], ph[40];
	size_t i;
	int n;

	(void)state;
	v6_rule(&r);
	for (i = 0; i < sizeof(pl); i++)
		pl[i] = (uint8_t)(0x10 + i);
	n = ft_encap_build(buf, sizeof(buf), &r, 0, 0x7777, pl, sizeof(pl));
	assert_int_equal(n, 40 + 8 + 30);
	assert_int_equal(buf[0], 0x60);
	assert_int_equal(buf[1], 0);
	assert_int_equal(be16(buf + 2), 0);		/* flow label */
	assert_int_equal(be16(buf + 4), 8 + 30);	/* payload length */
	assert_int_equal(buf[6], 17);
	assert_int_equal(buf[7], 64);
	assert_memory_equal(buf + 8, r.out_src, 16);
	assert_memory_equal(buf + 24, r.cdest[0].addr, 16);
	assert_int_equal(be16(buf + 40), 40000);
	assert_int_equal(be16(buf + 42), 5000);
	assert_int_equal(be16(buf + 44), 38);
	assert_int_equal(be16(buf + 46), 0x3091);	/* from Python */
	assert_memory_equal(buf + 48, pl, sizeof(pl));
	/* Pseudo-header: src, dst, 32-bit length, 3 zero bytes, 17. */
	memcpy(ph, buf + 8, 32);
	memset(ph + 32, 0, 8);
	ph[34] = 0;
	ph[35] = 38;
	ph[39] = 17;
	assert_int_equal(sum16(sum16(0, ph, 40), buf + 40, 38), 0xffff);
}

static void
test_encap_ipv6_jmirror(void **state)
{
	struct ft_rule r;
	uint8_t pl[7] = { 1, 2, 3, 4, 5, 6, 7 }, ph[40];
	int n;

	(void)state;
	v6_rule(&r);
	r.jmirror = 1;
	r.intercept_id = 0x3fffffff;
	r.session_id = 0xffffffff;
	n = ft_encap_build(buf, sizeof(buf), &r, 0, 0, pl, sizeof(pl));
	assert_int_equal(n, 40 + 8 + 8 + 7);
	assert_int_equal(be16(buf + 4), 23);
	assert_int_equal(be16(buf + 44), 23);
	assert_memory_equal(buf + 48, "\x3f\xff\xff\xff\xff\xff\xff\xff", 8);
	assert_memory_equal(buf + 56, pl, sizeof(pl));
	memcpy(ph, buf + 8, 32);
	memset(ph + 32, 0, 8);
	ph[35] = 23;
	ph[39] = 17;
	/* odd length: the last byte is padded with a zero */
	assert_int_equal(sum16(sum16(0, ph, 40), buf + 40, 23), 0xffff);
}

static void
test_encap_ipv6_zero_checksum_sent_as_ffff(void **state)
{
	struct ft_rule r;
	uint8_t pl[4] = { 0, 0, 0, 0 }, ph[40], udp[12];
	unsigned s;
	int n;

	(void)state;
	v6_rule(&r);
	/*
	 * Choose the last payload word w so that the one's-complement sum
	 * of pseudo-header + UDP header (checksum 0) + payload is 0xffff:
	 * its complement, the computed checksum, is then 0.
	 */
	memcpy(ph, r.out_src, 16);
	memcpy(ph + 16, r.cdest[0].addr, 16);
	memset(ph + 32, 0, 8);
	ph[35] = 12;
	ph[39] = 17;
	memset(udp, 0, sizeof(udp));
	udp[0] = 40000 >> 8;
	udp[1] = 40000 & 0xff;
	udp[2] = 5000 >> 8;
	udp[3] = 5000 & 0xff;
	udp[5] = 12;
	s = sum16(sum16(0, ph, 40), udp, 12);
	pl[2] = (uint8_t)((0xffff - s) >> 8);
	pl[3] = (uint8_t)(0xffff - s);
	memcpy(udp + 8, pl, 4);
	assert_int_equal(sum16(sum16(0, ph, 40), udp, 12), 0xffff);

	n = ft_encap_build(buf, sizeof(buf), &r, 0, 0, pl, sizeof(pl));
	assert_int_equal(n, 52);
	assert_int_equal(be16(buf + 46), 0xffff);
	assert_memory_equal(buf + 48, pl, 4);
}

static void
test_encap_len(void **state)
{
	struct ft_rule r;

	(void)state;
	seed_rule(&r);
	assert_int_equal(ft_encap_len(&r, 0, 100), 128);
	r.jmirror = 1;
	assert_int_equal(ft_encap_len(&r, 0, 100), 136);
	v6_rule(&r);
	assert_int_equal(ft_encap_len(&r, 0, 100), 148);
	r.jmirror = 1;
	assert_int_equal(ft_encap_len(&r, 0, 0), 56);
	assert_true(ft_encap_len(&r, 0, 0) <= FT_ENCAP_HDR_MAX);
}

static void
test_encap_limit_cap_too_small(void **state)
{
	struct ft_rule r;
	uint8_t pl[10] = { 0 };

	(void)state;
	seed_rule(&r);
	memset(buf, 0xee, 64);
	assert_int_equal(ft_encap_build(buf, 37, &r, 0, 0, pl, 10),
	    FT_ELIMIT);
	assert_int_equal(ft_encap_build(buf, 0, &r, 0, 0, pl, 10), FT_ELIMIT);
	assert_int_equal(buf[0], 0xee);		/* nothing written */
	assert_int_equal(ft_encap_build(buf, 38, &r, 0, 0, pl, 10), 38);
	v6_rule(&r);
	assert_int_equal(ft_encap_build(buf, 57, &r, 0, 0, pl, 10),
	    FT_ELIMIT);
	assert_int_equal(ft_encap_build(buf, 58, &r, 0, 0, pl, 10), 58);
}

static void
test_encap_limit_length_field(void **state)
{
	struct ft_rule r;
	int n;

	(void)state;
	seed_rule(&r);
	/* IPv4 total length 20 + 8 + plen <= 65535: plen <= 65507 */
	n = ft_encap_build(buf, sizeof(buf), &r, 0, 0, big, 65507);
	assert_int_equal(n, 65535);
	assert_int_equal(be16(buf + 2), 65535);
	assert_int_equal(ft_encap_build(buf, sizeof(buf), &r, 0, 0, big,
	    65508), FT_ELIMIT);
	r.jmirror = 1;
	assert_int_equal(ft_encap_build(buf, sizeof(buf), &r, 0, 0, big,
	    65500), FT_ELIMIT);
	assert_int_equal(ft_encap_build(buf, sizeof(buf), &r, 0, 0, big,
	    65499), 65535);
	/* IPv6 payload length 8 + plen <= 65535: plen <= 65527 */
	v6_rule(&r);
	n = ft_encap_build(buf, sizeof(buf), &r, 0, 0, big, 65527);
	assert_int_equal(n, 40 + 65535);
	assert_int_equal(be16(buf + 4), 65535);
	assert_int_equal(ft_encap_build(buf, sizeof(buf), &r, 0, 0, big,
	    65528), FT_ELIMIT);
	assert_int_equal(ft_encap_build(buf, sizeof(buf), &r, 0, 0, big,
	    (size_t)1 << 20), FT_ELIMIT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encap_ipv4_seed_fields),
		cmocka_unit_test(
		    test_encap_ipv4_second_cdest_and_empty_payload),
		cmocka_unit_test(test_encap_jmirror_8byte_id),
		cmocka_unit_test(test_encap_jmirror_4byte_id_masks_top_bits),
		cmocka_unit_test(test_encap_ipv6_fields_and_checksum),
		cmocka_unit_test(test_encap_ipv6_jmirror),
		cmocka_unit_test(test_encap_ipv6_zero_checksum_sent_as_ffff),
		cmocka_unit_test(test_encap_len),
		cmocka_unit_test(test_encap_limit_cap_too_small),
		cmocka_unit_test(test_encap_limit_length_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
