/*
 * sink.h - output files: written under a temporary name in the output
 * folder and renamed into place only when the whole run succeeded, so a
 * failed run never leaves a half-written file; and the pcap writer
 * (LINKTYPE_RAW, little-endian, nanosecond timestamps, explicit byte
 * order so outputs compare byte for byte on any host), optionally with
 * every copy framed in Ethernet (LINKTYPE_ETHERNET) so the file can be
 * sent to a device with tcpreplay.
 */
#ifndef FT_SINK_H
#define FT_SINK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

struct ft_outfile {
	FILE *fp;		/* buffered stream to write to */
	char tmp[4096];		/* dir/.name.tmp */
	char final[4096];	/* dir/name */
	int failed;		/* a write failed */
	int err;		/* its errno (0: unknown) */
};

/* Create dir/.name.tmp for writing. Returns 0 or FT_EIO with e set. */
int ft_outfile_open(struct ft_outfile *o, const char *dir, const char *name,
    struct ft_err *e);

/*
 * Flush, fsync-free close and rename the temporary into place.
 * Returns 0 or FT_EIO (the temporary is removed) with e naming the
 * output file and the system's reason: "cannot write 'DIR/NAME': No
 * space left on device".
 */
int ft_outfile_commit(struct ft_outfile *o, struct ft_err *e);

/* Close and remove the temporary; safe to call on an unopened or
 * committed o (zero-initialise it first). */
void ft_outfile_abort(struct ft_outfile *o);

/* Write the pcap global header: magic a1b23c4d, v2.4, snaplen, LINKTYPE_RAW. */
int ft_sink_pcap_header(struct ft_outfile *o);

/*
 * Write one record (ts in ns since the epoch). Returns 0, FT_EIO (the
 * file is marked failed, the errno kept in o->err) or FT_ELIMIT (len
 * over FT_SNAPLEN_MAX).
 */
int ft_sink_pcap_record(struct ft_outfile *o, uint64_t ts_ns,
    const uint8_t *data, uint32_t len);

/*
 * The link layer of a copies file (intercept.pcap, serve --write-copies).
 * RAW is SPEC 8's format. ETHER puts a 14-byte Ethernet II header in
 * front of every copy: dst, src, then EtherType 0x0800 or 0x86dd by the
 * version nibble of the copy's outer header; the file's link type is then
 * LINKTYPE_ETHERNET (1). Frames are not padded to 60 bytes (a copy is at
 * least 48 bytes, so every frame is at least 62).
 */
enum ft_sink_link {
	FT_SINK_LINK_RAW = 0,
	FT_SINK_LINK_ETHER
};

/*
 * Defaults of the Ethernet addresses: locally administered unicast
 * addresses (first octet 02), the "router" and the "mediation device".
 * A receiving host drops frames that are not for its own address, so
 * a test bench sets the destination to the device's MAC.
 */
#define FT_SINK_SRC_MAC_DEF	"02:00:00:00:00:01"
#define FT_SINK_DST_MAC_DEF	"02:00:00:00:00:02"

struct ft_sink_copyfmt {
	enum ft_sink_link link;
	uint8_t src_mac[6];	/* ETHER only */
	uint8_t dst_mac[6];
};

/* RAW, and the default MACs above (used if link is set to ETHER). */
void ft_sink_copyfmt_default(struct ft_sink_copyfmt *f);

/* "raw" or "ether" (also "ethernet", "en10mb"). Returns 0 or FT_EINVAL. */
int ft_sink_link_parse(const char *s, enum ft_sink_link *out);

/*
 * Parse a MAC address: six pairs of hex digits separated by ':' (or
 * all by '-'), nothing else. Returns 0 or FT_EINVAL.
 */
int ft_sink_mac_parse(const char *s, uint8_t mac[6]);

/* The pcap global header of a copies file in format f. */
int ft_sink_copies_header(struct ft_outfile *o,
    const struct ft_sink_copyfmt *f);

/*
 * One copy (an outer IPv4 or IPv6 packet, len bytes) in format f.
 * Returns 0, FT_EIO, FT_ELIMIT (the record would pass FT_SNAPLEN_MAX) or,
 * for ETHER, FT_EINVAL when the copy is empty or its version nibble is
 * neither 4 nor 6 (nothing is written then).
 */
int ft_sink_copies_record(struct ft_outfile *o,
    const struct ft_sink_copyfmt *f, uint64_t ts_ns, const uint8_t *copy,
    uint32_t len);

#endif
