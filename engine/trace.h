/*
 * trace.h - packet sources behind one interface: classic pcap files
 * through libpcap, pcapng through trace.c's own block reader, a live
 * capture (libpcap), and a file paced in real time; nanosecond
 * timestamps, per-record link type and interface name.
 *
 * No libpcap type appears here; struct ft_trace is opaque. A driver
 * reads every kind the same way: ft_trace_next until it returns 0; a
 * file has then ended (ft_trace_eof), a live capture or a paced file has
 * nothing more yet (wait on ft_trace_fd, or until ft_trace_due_ns).
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
 * pcapng file may end at any block boundary; a file cut short inside a
 * record ends there, see ft_trace_warning) or, for a live capture or a
 * paced file, when no record is available now; or an error with e set to
 * one line: FT_EFORMAT when the file is damaged past reading (libpcap
 * reports an error mid-file; pcapng: "trace 'PATH': WHAT at byte OFFSET",
 * OFFSET being the start of the bad block: a bad block length, a caplen beyond its block or FT_SNAPLEN_MAX, a packet on
 * an undeclared interface, a cap of limits.h exceeded), FT_EIO on a read
 * error, FT_ENOMEM. Records with caplen > len are returned with len
 * raised to caplen. Timestamps beyond 64 bits of nanoseconds saturate at
 * UINT64_MAX; a pcapng time before the epoch (negative if_tsoffset) is 0.
 */
int ft_trace_next(struct ft_trace *t, struct ft_trace_rec *rec,
    struct ft_err *e);

/*
 * Batches, for a reader on another thread (pipeline.h): the next records
 * of a file placed in buffers of the caller's, so that they stay valid
 * while the trace reads on. buf holds cap bytes, at least
 * ft_trace_batch_bytes(); rec has room for max records. Classic pcap is
 * read(2) straight into buf (no copy); other files are copied record by
 * record. A trace is read either by ft_trace_next or in batches.
 */
struct ft_trace_batch {
	uint8_t *buf;
	size_t cap;
	struct ft_trace_rec *rec;
	unsigned max;
	unsigned n;		/* records placed by the last call */
};

/*
 * The buffer size a batch of this trace needs (a read's worth and the
 * largest record the file may hold); 0 when the trace cannot be read in
 * batches: a live capture, a paced file, or a link type whose records
 * may pass FT_SNAPLEN_MAX (libpcap allows up to 128 MiB for D-Bus).
 */
size_t ft_trace_batch_bytes(const struct ft_trace *t);

/*
 * Fill b with the next records in file order. Returns 1 with b->n >= 1,
 * or, with b->n == 0, what ft_trace_next would have returned once the
 * records before it were read: 0 at the end of the file (see
 * ft_trace_warning) or an error with e set (then again on every call).
 * The records of b stay valid until the caller reuses buf.
 */
int ft_trace_next_batch(struct ft_trace *t, struct ft_trace_batch *b,
    struct ft_err *e);

/*
 * Live capture on network interface iface through libpcap: promiscuous,
 * immediate mode (every packet handed over at once, no batching delay),
 * snaplen FT_SNAPLEN_MAX, a kernel buffer of bufsize bytes (0: libpcap's
 * default, 2 MiB on Linux; at most INT_MAX), the kernel's timestamps at
 * nanosecond precision where the platform has them (else microseconds,
 * scaled), packets received by the interface only (PCAP_D_IN: what the
 * host sends out of it, copies included, is not captured again), and
 * non-blocking: ft_trace_next returns 0 when nothing is waiting and the
 * caller polls ft_trace_fd. Records carry ifname = iface and the
 * interface's link type (LINKTYPE_* as for files). Returns NULL with e
 * set: "capture 'IFACE': REASON" (no such device, no permission...).
 */
struct ft_trace *ft_trace_open_live(const char *iface, unsigned bufsize,
    struct ft_err *e);

/*
 * A descriptor that becomes readable when a live capture has packets
 * (poll/select it, then call ft_trace_next until it returns 0); -1 for
 * files, which are always ready.
 */
int ft_trace_fd(const struct ft_trace *t);

/* 1 once a file (paced or not) has ended; never for a live capture. */
int ft_trace_eof(const struct ft_trace *t);

/*
 * A file cut short inside a record (a capture killed mid-write) ends
 * there: ft_trace_next returns 0 as at the end of the file, and this
 * returns the warning, one line: "trace 'PATH': cut short in the middle
 * of record N[ at byte OFFSET] (records 1 to N-1 read)" (pcapng names
 * the byte and, for a cut block that is no packet block, the block).
 * NULL while the file was not cut. A cut inside the file header, or
 * before a pcapng file's first interface, is still an error of
 * ft_trace_open.
 */
const char *ft_trace_warning(const struct ft_trace *t);

/*
 * Counters of a trace, 64 bits wide. received: records handed out by
 * ft_trace_next. Live captures only (0 for files): kernel_received,
 * libpcap's ps_recv (packets that reached the capture, dropped ones
 * included); dropped, ps_drop (no room in the capture buffer);
 * ifdropped, ps_ifdrop (dropped by the interface or its driver; Linux:
 * the interface's rx_dropped counter). libpcap's 32-bit counters are
 * widened here: call at least once per 2^32 packets (the status line
 * and the report do).
 */
struct ft_trace_stats {
	uint64_t received;
	uint64_t kernel_received;
	uint64_t dropped;
	uint64_t ifdropped;
};

/*
 * Fill *st. Returns 0, or FT_EIO with e set when libpcap cannot read a
 * live capture's statistics (the counters then hold their last values).
 */
int ft_trace_stats(struct ft_trace *t, struct ft_trace_stats *st,
    struct ft_err *e);

/*
 * Monotonic clock for pacing, in ns: CLOCK_MONOTONIC by default, another
 * one for tests.
 */
typedef uint64_t (*ft_trace_clock_fn)(void *ctx);

/*
 * Pace a file trace in real time (serve --trace --speed): a record is
 * handed out no earlier than start + (ts - first) / speed, where first
 * is the first record's timestamp and start the clock at the first
 * ft_trace_next call after this one; before that, ft_trace_next returns
 * 0 and holds the record. A record stamped earlier than the first (out
 * of order) is due at start. speed_nano is the speed times 10^9 (1x =
 * 1000000000); 0 is top speed: every record is due at once. clock NULL:
 * CLOCK_MONOTONIC. Timestamps of the records are unchanged (the PIC's
 * engine clock stays the trace's). Returns 0, or FT_EINVAL for a live
 * capture.
 */
int ft_trace_pace(struct ft_trace *t, uint64_t speed_nano,
    ft_trace_clock_fn clock, void *clock_ctx, struct ft_err *e);

/*
 * For a paced trace whose next record is held: the clock time (ns) at
 * which it is due (at most UINT64_MAX - 1). 0 when a record may be due
 * now or the trace is not paced (call ft_trace_next), UINT64_MAX once
 * the file has ended.
 */
uint64_t ft_trace_due_ns(const struct ft_trace *t);

/* Close; NULL is a no-op. */
void ft_trace_free(struct ft_trace *t);

#endif
