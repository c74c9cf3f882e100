/*
 * hlib.h - code shared by the harness programs (ftharness, ftdiff):
 * a classic-pcap reader, the pcap-aware diff and the text diff.
 * Never linked into the engine library.
 */
#ifndef FT_HLIB_H
#define FT_HLIB_H

#include <stddef.h>
#include <stdint.h>

/* A growing text buffer for explanations; never fails (truncates). */
struct hl_buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
	int	 full;		/* set once something was cut off */
};

#define HL_BUF_MAX (64 * 1024)	/* cap of one explanation (reason: */
				/* a case result travels in a pipe) */

void hl_buf_init(struct hl_buf *b);
void hl_buf_release(struct hl_buf *b);
/* Append printf-style text; stops silently at HL_BUF_MAX. */
void hl_buf_printf(struct hl_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void hl_buf_put(struct hl_buf *b, const char *s, size_t n);

/*
 * A whole classic pcap file in memory. Records are indexed; every offset
 * is checked against the file size when loaded.
 */
struct hl_rec {
	uint32_t	 ts_sec;
	uint32_t	 ts_frac;	/* us or ns, per hl_pcap.nano */
	uint32_t	 caplen;
	uint32_t	 len;
	const unsigned char *data;	/* caplen bytes */
};

struct hl_pcap {
	unsigned char	*buf;
	size_t		 size;
	int		 swapped;	/* file is big-endian */
	int		 nano;
	uint16_t	 vmajor;
	uint16_t	 vminor;
	uint32_t	 snaplen;
	uint32_t	 linktype;
	struct hl_rec	*rec;
	size_t		 nrec;
};

/* Read a whole file; returns 0, or -1 with errno set. *out is malloc'd. */
int hl_file_read(const char *path, unsigned char **out, size_t *len);

/*
 * Load a classic pcap (either byte order, us or ns). Returns 0, or -1 with
 * a message in err ("FILE: what is wrong").
 */
int hl_pcap_load(const char *path, struct hl_pcap *p, char *err,
    size_t errlen);
void hl_pcap_release(struct hl_pcap *p);

/*
 * Compare two pcaps, exp (the golden) and got. Returns 0 when the files
 * are byte-identical, 1 when they differ (explanation lines appended to
 * out, each starting with indent), 2 on an error (message in out).
 * Packets are aligned first (Myers' diff on whole records, up to 1000
 * differences; beyond, by position), so a packet missing from got or
 * extra in it is said as such, not as every later packet differing; a
 * differing pair is explained field by field. maxpkts bounds how many
 * differing packets are explained (>= 1); the last line is always "N
 * differing packets (C changed, M missing, E extra)".
 */
int hl_pcap_diff(const char *exp, const char *got, const char *indent,
    unsigned maxpkts, struct hl_buf *out);

/*
 * Compare two text files line by line. name is how the file is called in
 * the explanation ("dtcp.log"). Returns 0 identical, 1 different (first
 * differing line with 2 lines of context), 2 on error.
 */
int hl_text_diff(const char *name, const char *exp, const char *got,
    const char *indent, struct hl_buf *out);

#endif
