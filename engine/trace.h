/*
 * trace.h - pcap/pcapng input through libpcap, nanosecond timestamps.
 *
 * No libpcap type appears here; struct ft_trace is opaque.
 */
#ifndef FT_TRACE_H
#define FT_TRACE_H

#include <stdint.h>

#include "err.h"

struct ft_trace;

struct ft_trace_rec {
	uint64_t ts_ns;		/* record timestamp, ns since the epoch */
	uint32_t caplen;	/* bytes captured (data holds this many) */
	uint32_t len;		/* original wire length */
	const uint8_t *data;	/* valid until the next ft_trace_next call */
	/*
	 * Name of the interface the record was captured on (pcapng
	 * if_name of its interface description block), NUL-terminated,
	 * valid until the next ft_trace_next call; NULL when the file
	 * does not say (classic pcap, an IDB without if_name).
	 */
	const char *ifname;
};

/*
 * Open a pcap or pcapng file. Returns NULL and sets e on failure with a
 * one-line message naming the file and libpcap's reason.
 */
struct ft_trace *ft_trace_open(const char *path, struct ft_err *e);

/* Link type of the file as a LINKTYPE_* value (FT_LINK_* of decode.h). */
int ft_trace_linktype(const struct ft_trace *t);

/*
 * Read the next record. Returns 1 with *rec filled, 0 at end of file, or
 * FT_EIO/FT_EFORMAT with e set when the file is damaged past reading
 * (libpcap reports an error mid-file). Records with caplen > len are
 * returned with len raised to caplen.
 */
int ft_trace_next(struct ft_trace *t, struct ft_trace_rec *rec,
    struct ft_err *e);

/* Close; NULL is a no-op. */
void ft_trace_free(struct ft_trace *t);

#endif
