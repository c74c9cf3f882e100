/*
 * ftdiff - the pcap-aware diff on its own.
 *
 *   ftdiff [--max N] EXPECTED.pcap GOT.pcap
 *
 * Exit 0 when the files are byte-identical, 1 when they differ (the
 * packets are aligned first, so a missing or extra packet is said as
 * such; the first N differing packets are explained, decoded: record
 * header, outer IP, UDP, jmirror, inner packet; the last line is the
 * number of differing packets), 2 on an error or bad usage.
 */
#include <stdio.h>
#include <string.h>

#include "hlib.h"
#include "num.h"

static const char usage[] =
"usage: ftdiff [--max N] EXPECTED.pcap GOT.pcap\n"
"\n"
"Compare two classic pcap files byte for byte; on a difference, align\n"
"the packets (the fewest missing and extra ones) and name the differing\n"
"packets (1-based) and their differing fields, decoded; the last line\n"
"counts them:\n"
"  packet 17: outer ipv4.ttl: expected 255, got 64\n"
"  packet 20: missing, expected (ts 1297612600.300000000, len 86, ...)\n"
"  packet 25 (got packet 24): outer ipv4.id: expected 24, got 23\n"
"  got packet 31: not expected (ts 1297612601.000000000, len 86, ...)\n"
"  4 differing packets (2 changed, 1 missing, 1 extra)\n"
"\n"
"  --max N   explain at most N differing packets (default 5)\n"
"Exit status: 0 identical, 1 different, 2 error.\n";

int
main(int argc, char **argv)
{
	struct hl_buf out;
	uint64_t max = 5;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--max") == 0 && i + 1 < argc) {
			if (ft_num_u64(argv[i + 1], strlen(argv[i + 1]), 9, 1,
			    100000000, &max) != 0) {
				fprintf(stderr, "ftdiff: bad --max '%s'\n",
				    argv[i + 1]);
				return 2;
			}
			i++;
		} else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "ftdiff: unknown option '%s'\n%s",
			    argv[i], usage);
			return 2;
		} else {
			break;
		}
	}
	if (argc - i != 2) {
		fputs(usage, stderr);
		return 2;
	}
	hl_buf_init(&out);
	rc = hl_pcap_diff(argv[i], argv[i + 1], "", (unsigned)max, &out);
	if (out.s != NULL)
		fputs(out.s, rc == 2 ? stderr : stdout);
	if (out.full)
		fputs("(explanation cut short)\n", rc == 2 ? stderr : stdout);
	hl_buf_release(&out);
	return rc;
}
