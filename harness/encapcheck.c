/*
 * encapcheck - writes DIR/encap.pcap with four encapsulated copies (SPEC
 * 6) for harness/check_encap_tshark.sh to decode with tshark, an
 * independent dissector. The inner packets are literal bytes (valid
 * checksums, computed with Python's struct module).
 *
 *   1. IPv4 outer, seed values: 10.209.74.183:65534 -> 192.168.3.2:1814,
 *      TTL 255, ID 0; inner IPv4 TCP SYN 10.1.1.1:1234 -> 10.2.2.2:80
 *   2. IPv6 outer 2001:db8::1:40000 -> [2001:db8:0:1::2]:5000, hop
 *      limit 64; inner IPv6 UDP [2001:db8:a::1]:5353 -> [2001:db8:b::2]:53
 *   3. IPv4 outer jmirror 10.209.74.183:65534 -> 192.168.3.2:30030, TTL
 *      64, ID 2, intercept 0x01010101, session 0x30010002; inner IPv4
 *      UDP 192.0.2.1:1000 -> 198.51.100.2:2000 "hello"
 *   4. IPv6 outer jmirror 2001:db8::1:40000 -> [2001:db8:0:1::2]:30030,
 *      hop limit 1, intercept 0x3fffffff, session 7; inner ICMPv6 echo
 *      2001:db8:c::1 -> 2001:db8:d::2
 *
 * Usage: encapcheck DIR. Prints nothing on success; exit 1 on failure.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "encap.h"
#include "err.h"
#include "limits.h"
#include "sink.h"

static const uint8_t in_a[40] = {
	0x45, 0x00, 0x00, 0x28, 0x11, 0x11, 0x40, 0x00,
	0x40, 0x06, 0x12, 0xba, 0x0a, 0x01, 0x01, 0x01,
	0x0a, 0x02, 0x02, 0x02, 0x04, 0xd2, 0x00, 0x50,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x50, 0x02, 0xff, 0xff, 0x93, 0xba, 0x00, 0x00,
};

static const uint8_t in_b[52] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x11, 0x40,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0a, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0b, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x14, 0xe9, 0x00, 0x35, 0x00, 0x0c, 0xca, 0x67,
	0x61, 0x62, 0x63, 0x64,
};

static const uint8_t in_c[33] = {
	0x45, 0x00, 0x00, 0x21, 0x22, 0x22, 0x40, 0x00,
	0x40, 0x11, 0x2c, 0x73, 0xc0, 0x00, 0x02, 0x01,
	0xc6, 0x33, 0x64, 0x02, 0x03, 0xe8, 0x07, 0xd0,
	0x00, 0x0d, 0xc4, 0x12, 0x68, 0x65, 0x6c, 0x6c,
	0x6f,
};

static const uint8_t in_d[48] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x3a, 0x40,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0c, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0d, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x80, 0x00, 0x24, 0x2d, 0x00, 0x01, 0x00, 0x01,
};

static struct ft_rule r4, r6;
static uint8_t out[FT_ENCAP_HDR_MAX + 256];

static int
rules(void)
{
	r4.family = 4;
	r4.ncdest = 1;
	r4.cdest[0].family = 4;
	r4.out_family = 4;
	r4.out_sport = 65534;
	if (inet_pton(AF_INET, "192.168.3.2", r4.cdest[0].addr) != 1 ||
	    inet_pton(AF_INET, "10.209.74.183", r4.out_src) != 1)
		return -1;
	r6.family = 6;
	r6.ncdest = 1;
	r6.cdest[0].family = 6;
	r6.out_family = 6;
	r6.out_sport = 40000;
	if (inet_pton(AF_INET6, "2001:db8:0:1::2", r6.cdest[0].addr) != 1 ||
	    inet_pton(AF_INET6, "2001:db8::1", r6.out_src) != 1)
		return -1;
	return 0;
}

static int
emit(struct ft_outfile *o, const struct ft_rule *r, uint16_t ipid,
    uint64_t ts, const uint8_t *p, size_t plen)
{
	int n;

	n = ft_encap_build(out, sizeof(out), r, 0, ipid, p, plen);
	if (n < 0)
		return n;
	return ft_sink_pcap_record(o, ts, out, (uint32_t)n);
}

int
main(int argc, char **argv)
{
	struct ft_outfile o;
	struct ft_err e;
	int rc;

	memset(&o, 0, sizeof(o));
	if (argc != 2) {
		fprintf(stderr, "usage: encapcheck DIR\n");
		return 2;
	}
	if (rules() != 0) {
		fprintf(stderr, "encapcheck: bad literal address\n");
		return 1;
	}
	if (ft_outfile_open(&o, argv[1], "encap.pcap", &e) != 0) {
		fprintf(stderr, "encapcheck: %s\n", e.msg);
		return 1;
	}
	rc = ft_sink_pcap_header(&o);

	r4.cdest[0].port = 1814;
	r4.ttl = 255;
	if (rc == 0)
		rc = emit(&o, &r4, 0, 1700000000000000001ULL, in_a,
		    sizeof(in_a));

	r6.cdest[0].port = 5000;
	r6.ttl = 64;
	if (rc == 0)
		rc = emit(&o, &r6, 1, 1700000000500000000ULL, in_b,
		    sizeof(in_b));

	r4.cdest[0].port = 30030;
	r4.ttl = 64;
	r4.jmirror = 1;
	r4.intercept_id = 0x01010101;
	r4.session_id = 0x30010002;
	if (rc == 0)
		rc = emit(&o, &r4, 2, 1700000001000000000ULL, in_c,
		    sizeof(in_c));

	r6.cdest[0].port = 30030;
	r6.ttl = 1;
	r6.jmirror = 1;
	r6.intercept_id = 0x3fffffff;
	r6.session_id = 7;
	if (rc == 0)
		rc = emit(&o, &r6, 3, 1700000001999999999ULL, in_d,
		    sizeof(in_d));

	if (rc != 0) {
		ft_outfile_abort(&o);
		fprintf(stderr, "encapcheck: %s\n", ft_err_name(rc));
		return 1;
	}
	if (ft_outfile_commit(&o, &e) != 0) {
		fprintf(stderr, "encapcheck: %s\n", e.msg);
		return 1;
	}
	return 0;
}
