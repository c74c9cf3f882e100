/*
 * trace.c - pcap/pcapng input through libpcap, nanosecond timestamps.
 *
 * libpcap reads both formats and, opened with nanosecond precision,
 * scales every timestamp (microsecond pcap, any pcapng if_tsresol) to
 * nanoseconds in tv_usec. This module only maps the link type to its
 * LINKTYPE_* value and the timestamp to one unsigned 64-bit count.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "trace.h"

#define NS_PER_SEC	1000000000ULL

/*
 * libpcap reads a file through stdio, record header and data with one
 * fread each; with the default 4 KiB stdio buffer that is a read(2)
 * every dozen packets, a large share of the replay's time. The trace
 * opens the file itself with a larger buffer.
 */
#define TRACE_STDIO_BUF	(1024 * 1024)

struct ft_trace {
	pcap_t *pcap;
	int linktype;
	char *path;	/* for messages */
	char *iobuf;	/* the FILE's buffer: freed after pcap_close */
};

/*
 * pcap_datalink() gives a DLT_* value, which differs from the file's
 * LINKTYPE_* value for raw IP (DLT_RAW is 12 or 14 by platform) and,
 * on OpenBSD, loopback. Everything else flowtap decodes is the same
 * number; unknown values pass through and decode reports them.
 */
static int
dlt_to_linktype(int dlt)
{
	if (dlt == DLT_RAW)
		return FT_LINK_RAW;
	if (dlt == DLT_LOOP)
		return FT_LINK_LOOP;
	if (dlt == DLT_NULL)
		return FT_LINK_NULL;
	if (dlt == DLT_EN10MB)
		return FT_LINK_EN10MB;
	if (dlt == DLT_LINUX_SLL)
		return FT_LINK_SLL;
	if (dlt == DLT_LINUX_SLL2)
		return FT_LINK_SLL2;
	if (dlt == DLT_IPV4)
		return FT_LINK_IPV4;
	if (dlt == DLT_IPV6)
		return FT_LINK_IPV6;
	return dlt;
}

/*
 * What pcap_open_offline_with_tstamp_precision does (same messages:
 * "PATH: strerror" when the file cannot be opened; "-" is standard
 * input), with the FILE's buffer set first.
 */
static pcap_t *
open_pcap(struct ft_trace *t, const char *path, char *errbuf)
{
	pcap_t *p;
	FILE *fp;
	int err;

	if (strcmp(path, "-") == 0)
		return pcap_open_offline_with_tstamp_precision(path,
		    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	fp = fopen(path, "rb");
	if (fp == NULL) {
		err = errno;
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s: %s", path,
		    strerror(err));
		return NULL;
	}
	t->iobuf = malloc(TRACE_STDIO_BUF);
	if (t->iobuf != NULL &&
	    setvbuf(fp, t->iobuf, _IOFBF, TRACE_STDIO_BUF) != 0) {
		free(t->iobuf);
		t->iobuf = NULL;	/* keep the default buffer */
	}
	p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL)
		fclose(fp);	/* libpcap closes it only once it is open */
	return p;
}

struct ft_trace *
ft_trace_open(const char *path, struct ft_err *e)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct ft_trace *t;
	const char *reason;
	size_t n;

	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		ft_err_set(e, FT_ENOMEM, "trace '%s': out of memory", path);
		return NULL;
	}
	n = strlen(path);
	t->path = malloc(n + 1);
	if (t->path == NULL) {
		ft_err_set(e, FT_ENOMEM, "trace '%s': out of memory", path);
		goto free_t;
	}
	memcpy(t->path, path, n + 1);
	errbuf[0] = '\0';
	t->pcap = open_pcap(t, path, errbuf);
	if (t->pcap == NULL) {
		errbuf[sizeof(errbuf) - 1] = '\0';
		/* libpcap may repeat the path: "PATH: No such file...". */
		reason = errbuf;
		if (strncmp(reason, path, n) == 0 && reason[n] == ':' &&
		    reason[n + 1] == ' ')
			reason += n + 2;
		ft_err_set(e, FT_EIO, "trace '%s': %s", path,
		    reason[0] != '\0' ? reason : "cannot open");
		goto free_path;
	}
	t->linktype = dlt_to_linktype(pcap_datalink(t->pcap));
	return t;
free_path:
	free(t->path);
	free(t->iobuf);
free_t:
	free(t);
	return NULL;
}

int
ft_trace_linktype(const struct ft_trace *t)
{
	return t->linktype;
}

/*
 * Seconds and nanoseconds as one unsigned count, without overflow UB.
 * The pcap format's 32-bit seconds field is unsigned, but libpcap hands
 * it out through a signed 32-bit value: a negative tv_sec in that range
 * is taken back as the unsigned field. Any other negative value or a
 * time too big for 64 bits of nanoseconds saturates at UINT64_MAX.
 */
static uint64_t
ts_to_ns(long long tv_sec, long long tv_nsec)
{
	uint64_t ns, sec, nsec;

	if (tv_sec < INT32_MIN || tv_nsec < 0)
		return UINT64_MAX;
	if (tv_sec < 0)
		sec = (uint32_t)tv_sec;
	else
		sec = (uint64_t)tv_sec;
	nsec = (uint64_t)tv_nsec;
	if (sec > UINT64_MAX / NS_PER_SEC)
		return UINT64_MAX;
	ns = sec * NS_PER_SEC;
	if (nsec > UINT64_MAX - ns)
		return UINT64_MAX;
	return ns + nsec;
}

int
ft_trace_next(struct ft_trace *t, struct ft_trace_rec *rec,
    struct ft_err *e)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	rc = pcap_next_ex(t->pcap, &h, &data);
	if (rc == PCAP_ERROR_BREAK || rc == 0)
		return 0;
	if (rc != 1)
		return ft_err_set(e, FT_EFORMAT, "trace '%s': %s", t->path,
		    pcap_geterr(t->pcap));
	rec->ts_ns = ts_to_ns((long long)h->ts.tv_sec,
	    (long long)h->ts.tv_usec);
	rec->caplen = h->caplen;
	rec->len = h->len > h->caplen ? h->len : h->caplen;
	rec->data = data;
	rec->ifname = NULL;
	return 1;
}

void
ft_trace_free(struct ft_trace *t)
{
	if (t == NULL)
		return;
	if (t->pcap != NULL)
		pcap_close(t->pcap);
	free(t->iobuf);
	free(t->path);
	free(t);
}
