/*
 * trace.h - capture input: classic pcap through libpcap, pcapng through
 * trace.c's own block reader; nanosecond timestamps, per-record link type
 * and interface name.
 *
 * No libpcap type appears here; struct ft_trace is opaque.
 *
 * pcapng (draft-ietf-opsawg-pcapng): every section (SHB, either byte
 * order) starts a new interface list; IDBs give each interface its link
 * type, snaplen, if_name, if_tsresol and if_tsoffset; EPB, SPB (interface
 * 0, no timestamp: time 0 + if_tsoffset, as libpcap) and the obsolete PB
 * are records; every other block type is skipped. Unlike libpcap, the
 * interfaces of a file may have different link types and snaplens, and
 * sections different byte orders.
 */
#ifndef FT_TRACE_H
#define FT_TRACE_H

#include <stddef.h>
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
	 * if_name of its interface description block), NUL-terminated
	 * (the option's value up to its first NUL), valid until the next
	 * ft_trace_next call; NULL when the file does not say (classic
	 * pcap, an IDB without if_name or with an empty one) and when the
	 * name is longer than FT_TRACE_IFNAME_MAX (limits.h): such a name
	 * could match no configured interface, and a truncated copy
	 * might match the wrong one.
	 */
	const char *ifname;
	/*
	 * Link type of the record as a LINKTYPE_* value (FT_LINK_* of
	 * decode.h): its interface's in pcapng, the file's in classic
	 * pcap. In pcapng it may differ from record to record.
	 */
	int linktype;
};

/*
 * Open a pcap or pcapng file ("-" is standard input). A pcapng file is
 * read up to its first interface description block (as libpcap does: a
 * packet block before it, or none at all, is an error). Returns NULL and
 * sets e on failure with a one-line message naming the file: "trace
 * 'PATH': REASON" (libpcap's reason for classic pcap).
 */
struct ft_trace *ft_trace_open(const char *path, struct ft_err *e);

/*
 * The same over a capture in memory: buf (len bytes, not copied: it must
 * outlive the trace) read as a file; name stands for the path in
 * messages. Used by the unit tests and the fuzz target.
 */
struct ft_trace *ft_trace_open_mem(const void *buf, size_t len,
    const char *name, struct ft_err *e);

/*
 * Link type as a LINKTYPE_* value (FT_LINK_* of decode.h): the file's in
 * classic pcap, the first interface's in pcapng. Records of a pcapng file
 * with several interfaces may have other types: see rec->linktype (the
 * replay loop still uses this value for every record).
 */
int ft_trace_linktype(const struct ft_trace *t);

/*
 * Read the next record. Returns 1 with *rec filled, 0 at end of file (a
 * pcapng file may end at any block boundary), or an error with e set to
 * one line: FT_EFORMAT when the file is damaged past reading (libpcap
 * reports an error mid-file; pcapng: "trace 'PATH': WHAT at byte OFFSET",
 * OFFSET being the start of the bad block: a block cut short, a bad
 * block length, a caplen beyond its block or FT_SNAPLEN_MAX, a packet on
 * an undeclared interface, a cap of limits.h exceeded), FT_EIO on a read
 * error, FT_ENOMEM. Records with caplen > len are returned with len
 * raised to caplen. Timestamps beyond 64 bits of nanoseconds saturate at
 * UINT64_MAX; a pcapng time before the epoch (negative if_tsoffset) is 0.
 */
int ft_trace_next(struct ft_trace *t, struct ft_trace_rec *rec,
    struct ft_err *e);

/* Close; NULL is a no-op. */
void ft_trace_free(struct ft_trace *t);

#endif
