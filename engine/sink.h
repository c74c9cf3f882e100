/*
 * sink.h - output files: written under a temporary name in the output
 * folder and renamed into place only when the whole run succeeded, so a
 * failed run never leaves a half-written file; and the pcap writer
 * (LINKTYPE_RAW, little-endian, nanosecond timestamps, explicit byte
 * order so outputs compare byte for byte on any host).
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
};

/* Create dir/.name.tmp for writing. Returns 0 or FT_EIO with e set. */
int ft_outfile_open(struct ft_outfile *o, const char *dir, const char *name,
    struct ft_err *e);

/*
 * Flush, fsync-free close and rename the temporary into place.
 * Returns 0 or FT_EIO (the temporary is removed).
 */
int ft_outfile_commit(struct ft_outfile *o, struct ft_err *e);

/* Close and remove the temporary; safe to call on an unopened or
 * committed o (zero-initialise it first). */
void ft_outfile_abort(struct ft_outfile *o);

/* Write the pcap global header: magic a1b23c4d, v2.4, snaplen, LINKTYPE_RAW. */
int ft_sink_pcap_header(struct ft_outfile *o);

/* Write one record (ts in ns since the epoch). */
int ft_sink_pcap_record(struct ft_outfile *o, uint64_t ts_ns,
    const uint8_t *data, uint32_t len);

#endif
