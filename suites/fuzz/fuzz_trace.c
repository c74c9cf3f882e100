/*
 * fuzz_trace.c - libFuzzer target: capture files (trace.c's pcapng block
 * reader; classic pcap goes through libpcap).
 *
 * The input is a whole file, read through ft_trace_open_mem. Opening
 * either succeeds or fails with one message line "trace 'fuzz': ...";
 * every record then read has caplen <= FT_SNAPLEN_MAX and <= len, data
 * readable to caplen, an interface name NULL or 1..FT_TRACE_IFNAME_MAX
 * bytes, a link type in 0..65535 (pcapng); reading ends at end of file
 * or with a negative FT_E* and one message line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "limits.h"
#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A message as the project writes them: "trace 'fuzz': ...", one line. */
static void
check_msg(const struct ft_err *e)
{
	static const char head[] = "trace 'fuzz': ";

	if (memchr(e->msg, '\0', sizeof(e->msg)) == NULL)
		abort();
	if (strncmp(e->msg, head, sizeof(head) - 1) != 0 ||
	    e->msg[sizeof(head) - 1] == '\0' || strchr(e->msg, '\n') != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ft_trace_rec r;
	struct ft_trace *t;
	struct ft_err e;
	volatile uint8_t sink = 0;
	size_t n, k;
	int rc, ng;

	memset(&e, 0, sizeof(e));
	ng = size > 0 && data[0] == 0x0a;
	t = ft_trace_open_mem(data, size, "fuzz", &e);
	if (t == NULL) {
		check_msg(&e);
		return 0;
	}
	if (ng && (ft_trace_linktype(t) < 0 || ft_trace_linktype(t) > 65535))
		abort();
	while ((rc = ft_trace_next(t, &r, &e)) == 1) {
		if (r.caplen > FT_SNAPLEN_MAX || r.len < r.caplen)
			abort();
		if (r.caplen > 0 && r.data == NULL)
			abort();
		for (k = 0; k < r.caplen; k++)
			sink ^= r.data[k];
		if (r.ifname != NULL) {
			n = strlen(r.ifname);
			if (n == 0 || n > FT_TRACE_IFNAME_MAX || !ng)
				abort();
		}
		if (ng && (r.linktype < 0 || r.linktype > 65535))
			abort();
		if (!ng && r.linktype != ft_trace_linktype(t))
			abort();
	}
	if (rc != 0) {
		if (rc != FT_EFORMAT && rc != FT_EIO && rc != FT_ENOMEM)
			abort();
		check_msg(&e);
	}
	ft_trace_free(t);
	(void)sink;
	return 0;
}
