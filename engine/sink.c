/*
 * sink.c - output files under a temporary name, renamed into place on
 * success; the little-endian nanosecond pcap writer (SPEC 8).
 */
#include "sink.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "limits.h"

#define PCAP_MAGIC_NS	0xa1b23c4dU
#define PCAP_VMAJOR	2
#define PCAP_VMINOR	4
#define LINKTYPE_RAW	101
#define LINKTYPE_ETHER	1
#define ETHER_HDR	14
#define NANO		1000000000ULL

int
ft_outfile_open(struct ft_outfile *o, const char *dir, const char *name,
    struct ft_err *e)
{
	int n;

	memset(o, 0, sizeof(*o));
	n = snprintf(o->final, sizeof(o->final), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(o->final))
		goto toolong;
	n = snprintf(o->tmp, sizeof(o->tmp), "%s/.%s.tmp", dir, name);
	if (n < 0 || (size_t)n >= sizeof(o->tmp))
		goto toolong;
	o->fp = fopen(o->tmp, "wb");
	if (o->fp == NULL) {
		n = errno;
		ft_err_set(e, FT_EIO, "cannot create '%s': %s", o->final,
		    strerror(n));
		o->tmp[0] = '\0';
		o->final[0] = '\0';
		return FT_EIO;
	}
	return 0;

toolong:
	o->tmp[0] = '\0';
	o->final[0] = '\0';
	return ft_err_set(e, FT_EIO, "output path too long: '%s/%s'", dir,
	    name);
}

/*
 * Rename the file being replaced (o->final) to DIR/.NAME.old (old, from
 * the temporary's name). Returns 1 when it was moved, 0 when there was
 * none (or it could not be moved: the rename into place then replaces
 * it as before).
 */
static int
set_aside(const struct ft_outfile *o, char *old, size_t cap)
{
	size_t n = strlen(o->tmp);
	struct stat st;

	/* Only a regular file: anything else is refused by the rename. */
	if (n < 4 || n >= cap || strcmp(o->tmp + n - 4, ".tmp") != 0 ||
	    lstat(o->final, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	memcpy(old, o->tmp, n - 4);
	memcpy(old + n - 4, ".old", 5);
	(void)unlink(old);	/* a leftover of a run that was killed */
	return rename(o->final, old) == 0;
}

int
ft_outfile_commit(struct ft_outfile *o, struct ft_err *e)
{
	char old[sizeof(o->tmp)];
	FILE *fp = o->fp;
	int err = 0, aside;

	if (fp == NULL) {
		ft_outfile_abort(o);
		return ft_err_set(e, FT_EIO, "output file not open");
	}
	o->fp = NULL;
	/*
	 * A failed write leaves its bytes in the stdio buffer, so the
	 * flush tries again and says why (ENOSPC, EDQUOT, EIO...). The
	 * message names the file the user asked for, not the temporary.
	 */
	errno = 0;
	if (fflush(fp) != 0 || ferror(fp) || o->failed) {
		err = errno != 0 ? errno : o->err;
		fclose(fp);
		unlink(o->tmp);
		ft_err_set(e, FT_EIO, "cannot write '%s': %s", o->final,
		    err != 0 ? strerror(err) : "write error");
		o->tmp[0] = '\0';
		return FT_EIO;
	}
	if (fclose(fp) != 0) {
		err = errno;
		unlink(o->tmp);
		ft_err_set(e, FT_EIO, "cannot write '%s': %s", o->final,
		    strerror(err));
		o->tmp[0] = '\0';
		return FT_EIO;
	}
	/*
	 * ext4 (auto_da_alloc) writes a file's data out synchronously when
	 * it is renamed over an existing file: tens of milliseconds for a
	 * large capture. The previous run's file is renamed aside first, so
	 * the new one replaces nothing; if the rename into place fails, the
	 * previous file goes back, so a failed run still leaves it intact.
	 */
	aside = set_aside(o, old, sizeof(old));
	if (rename(o->tmp, o->final) != 0) {
		err = errno;
		if (aside)
			(void)rename(old, o->final);
		unlink(o->tmp);
		ft_err_set(e, FT_EIO, "cannot rename '%s' to '%s': %s",
		    o->tmp, o->final, strerror(err));
		o->tmp[0] = '\0';
		return FT_EIO;
	}
	if (aside)
		(void)unlink(old);
	o->tmp[0] = '\0';
	return 0;
}

void
ft_outfile_abort(struct ft_outfile *o)
{
	if (o->fp != NULL) {
		fclose(o->fp);
		o->fp = NULL;
	}
	if (o->tmp[0] != '\0') {
		unlink(o->tmp);
		o->tmp[0] = '\0';
	}
}

static void
le16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static int
put(struct ft_outfile *o, const void *p, size_t n)
{
	if (o->fp == NULL || o->failed)
		return FT_EIO;
	if (n > 0 && fwrite(p, 1, n, o->fp) != n) {
		o->failed = 1;
		o->err = errno;
		return FT_EIO;
	}
	return 0;
}

static int
pcap_header(struct ft_outfile *o, uint32_t linktype)
{
	uint8_t h[24];

	le32(h, PCAP_MAGIC_NS);
	le16(h + 4, PCAP_VMAJOR);
	le16(h + 6, PCAP_VMINOR);
	le32(h + 8, 0);			/* thiszone */
	le32(h + 12, 0);		/* sigfigs */
	le32(h + 16, FT_SNAPLEN_MAX);
	le32(h + 20, linktype);
	return put(o, h, sizeof(h));
}

int
ft_sink_pcap_header(struct ft_outfile *o)
{
	return pcap_header(o, LINKTYPE_RAW);
}

/* A record header for len bytes of data. */
static int
record_header(struct ft_outfile *o, uint64_t ts_ns, uint32_t len)
{
	uint8_t h[16];

	/* Readers refuse records longer than the header's snaplen. */
	if (len > FT_SNAPLEN_MAX)
		return FT_ELIMIT;
	/* ts_sec is 32 bits in the format: wraps after 2106. */
	le32(h, (uint32_t)(ts_ns / NANO));
	le32(h + 4, (uint32_t)(ts_ns % NANO));
	le32(h + 8, len);
	le32(h + 12, len);
	return put(o, h, sizeof(h));
}

int
ft_sink_pcap_record(struct ft_outfile *o, uint64_t ts_ns,
    const uint8_t *data, uint32_t len)
{
	int rc;

	rc = record_header(o, ts_ns, len);
	if (rc != 0)
		return rc;
	return put(o, data, len);
}

void
ft_sink_copyfmt_default(struct ft_sink_copyfmt *f)
{
	memset(f, 0, sizeof(*f));
	f->link = FT_SINK_LINK_RAW;
	(void)ft_sink_mac_parse(FT_SINK_SRC_MAC_DEF, f->src_mac);
	(void)ft_sink_mac_parse(FT_SINK_DST_MAC_DEF, f->dst_mac);
}

int
ft_sink_link_parse(const char *s, enum ft_sink_link *out)
{
	if (strcmp(s, "raw") == 0)
		*out = FT_SINK_LINK_RAW;
	else if (strcmp(s, "ether") == 0 || strcmp(s, "ethernet") == 0 ||
	    strcmp(s, "en10mb") == 0)
		*out = FT_SINK_LINK_ETHER;
	else
		return FT_EINVAL;
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
ft_sink_mac_parse(const char *s, uint8_t mac[6])
{
	uint8_t m[6];
	char sep;
	int i, hi, lo;

	if (strlen(s) != 17)
		return FT_EINVAL;
	sep = s[2];
	if (sep != ':' && sep != '-')
		return FT_EINVAL;
	for (i = 0; i < 6; i++) {
		hi = hexval(s[3 * i]);
		lo = hexval(s[3 * i + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != sep))
			return FT_EINVAL;
		m[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, m, 6);
	return 0;
}

int
ft_sink_copies_header(struct ft_outfile *o, const struct ft_sink_copyfmt *f)
{
	return pcap_header(o, f->link == FT_SINK_LINK_ETHER ? LINKTYPE_ETHER :
	    LINKTYPE_RAW);
}

int
ft_sink_copies_record(struct ft_outfile *o, const struct ft_sink_copyfmt *f,
    uint64_t ts_ns, const uint8_t *copy, uint32_t len)
{
	uint8_t eh[ETHER_HDR];
	unsigned version;
	int rc;

	if (f->link != FT_SINK_LINK_ETHER)
		return ft_sink_pcap_record(o, ts_ns, copy, len);
	if (len == 0)
		return FT_EINVAL;
	version = copy[0] >> 4;
	if (version != 4 && version != 6)
		return FT_EINVAL;
	if (len > FT_SNAPLEN_MAX - ETHER_HDR)
		return FT_ELIMIT;
	memcpy(eh, f->dst_mac, 6);
	memcpy(eh + 6, f->src_mac, 6);
	eh[12] = version == 4 ? 0x08 : 0x86;
	eh[13] = version == 4 ? 0x00 : 0xdd;
	rc = record_header(o, ts_ns, len + ETHER_HDR);
	if (rc == 0)
		rc = put(o, eh, sizeof(eh));
	if (rc == 0)
		rc = put(o, copy, len);
	return rc;
}
