/*
 * dataplane.c - the live router's data plane (dataplane.h): source ->
 * PIC -> delivery and copies file.
 */
#include "dataplane.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pic.h"
#include "trace.h"

#define NS_PER_S	1000000000ULL
#define NS_PER_MS	1000000ULL

struct ft_dataplane {
	struct ft_dataplane_opts o;
	struct ft_trace *src;
	struct ft_deliver *dlv;
	struct ft_pic *pic;
	int started;		/* a trace: its clock runs */
	int done;		/* a trace: played to its end */
	uint64_t index;		/* records fed, 1-based index of the last */
	uint64_t clock_ns;	/* engine clock: largest record time */
	int linktype;
	/* copies file */
	struct ft_outfile out;
	int have_out;
	uint64_t written;
	char speed[32];
	uint64_t fail_count[FT_DELIVER_F_COUNT];
	const char *fail_name[FT_DELIVER_F_COUNT];
};

void
ft_dataplane_opts_default(struct ft_dataplane_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->speed_nano = NS_PER_S;
	o->delivery = FT_DELIVER_AUTO;
	ft_sink_copyfmt_default(&o->copyfmt);
}

/* "2.5" from 2500000000: the speed as given, without trailing zeros. */
static void
speed_str(uint64_t nano, char *out, size_t cap)
{
	char frac[16];
	size_t n;

	if (nano == 0) {
		snprintf(out, cap, "top");
		return;
	}
	snprintf(frac, sizeof(frac), "%09llu",
	    (unsigned long long)(nano % NS_PER_S));
	n = strlen(frac);
	while (n > 0 && frac[n - 1] == '0')
		frac[--n] = '\0';
	snprintf(out, cap, "%llu%s%s", (unsigned long long)(nano / NS_PER_S),
	    n > 0 ? "." : "", frac);
}

/* Split path into its folder and file name for ft_outfile_open. */
static int
open_copies(struct ft_dataplane *dp, const char *path, struct ft_err *e)
{
	char dir[4096];
	const char *slash = strrchr(path, '/'), *name = path;
	size_t n;

	if (slash == NULL) {
		snprintf(dir, sizeof(dir), ".");
	} else {
		n = (size_t)(slash - path);
		if (n >= sizeof(dir))
			return ft_err_set(e, FT_EINVAL, "copies file '%s': "
			    "path too long", path);
		memcpy(dir, path, n);
		dir[n] = '\0';
		if (n == 0)
			snprintf(dir, sizeof(dir), "/");
		name = slash + 1;
	}
	if (name[0] == '\0')
		return ft_err_set(e, FT_EINVAL, "copies file '%s': no file "
		    "name", path);
	if (ft_outfile_open(&dp->out, dir, name, e) != 0)
		return FT_EIO;
	dp->have_out = 1;
	if (ft_sink_copies_header(&dp->out, &dp->o.copyfmt) != 0)
		return ft_err_set(e, FT_EIO, "cannot write '%s'", dp->out.tmp);
	return 0;
}

int
ft_dataplane_new(const struct ft_dataplane_opts *o,
    struct ft_dataplane **out, struct ft_err *e)
{
	struct ft_dataplane *dp;
	int rc, i;

	*out = NULL;
	if (o->capture != NULL && o->trace != NULL)
		return ft_err_set(e, FT_EINVAL, "a capture and a trace "
		    "exclude each other");
	dp = calloc(1, sizeof(*dp));
	if (dp == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	dp->o = *o;
	dp->linktype = -1;
	speed_str(o->speed_nano, dp->speed, sizeof(dp->speed));
	for (i = 0; i < FT_DELIVER_F_COUNT; i++)
		dp->fail_name[i] =
		    ft_deliver_fail_name((enum ft_deliver_fail)i);
	if (o->capture != NULL) {
		dp->src = ft_trace_open_live(o->capture, o->capture_buffer, e);
		if (dp->src == NULL) {
			rc = FT_EIO;
			goto fail;
		}
		dp->linktype = ft_trace_linktype(dp->src);
		dp->started = 1;
	} else if (o->trace != NULL) {
		dp->src = ft_trace_open(o->trace, e);
		if (dp->src == NULL) {
			rc = FT_EIO;
			goto fail;
		}
		dp->linktype = ft_trace_linktype(dp->src);
		rc = ft_trace_pace(dp->src, o->speed_nano, NULL, NULL, e);
		if (rc != 0)
			goto fail;
		dp->started = !o->trace_wait;
	}
	/*
	 * Without a source nothing is ever copied: no sockets (raw ones
	 * least of all), no start-up line.
	 */
	if (dp->src != NULL)
		rc = ft_deliver_new(o->delivery, o->info, &dp->dlv, e);
	else
		rc = ft_deliver_new(FT_DELIVER_NONE, NULL, &dp->dlv, e);
	if (rc != 0)
		goto fail;
	if (o->write_copies != NULL) {
		rc = open_copies(dp, o->write_copies, e);
		if (rc != 0)
			goto fail;
	}
	*out = dp;
	return 0;

fail:
	ft_dataplane_free(dp);
	return rc;
}

void
ft_dataplane_free(struct ft_dataplane *dp)
{
	if (dp == NULL)
		return;
	if (dp->have_out)
		ft_outfile_abort(&dp->out);
	ft_deliver_free(dp->dlv);
	ft_trace_free(dp->src);
	free(dp);
}

int
ft_dataplane_copy(void *ctx, uint64_t ts_ns, const uint8_t *copy,
    uint32_t len, struct ft_err *e)
{
	struct ft_dataplane *dp = ctx;

	(void)ft_deliver_send(dp->dlv, copy, len);
	if (dp->have_out) {
		if (ft_sink_copies_record(&dp->out, &dp->o.copyfmt, ts_ns, copy,
		    len) != 0)
			return ft_err_set(e, FT_EIO, "cannot write '%s'",
			    dp->out.tmp);
		dp->written++;
	}
	return 0;
}

void
ft_dataplane_attach(struct ft_dataplane *dp, struct ft_pic *pic)
{
	dp->pic = pic;
}

int
ft_dataplane_start(struct ft_dataplane *dp)
{
	if (dp->src == NULL || dp->started)
		return 0;
	dp->started = 1;
	return 1;
}

int
ft_dataplane_fd(const struct ft_dataplane *dp)
{
	return dp->src != NULL ? ft_trace_fd(dp->src) : -1;
}

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

int
ft_dataplane_timeout_ms(const struct ft_dataplane *dp, int max_ms)
{
	uint64_t due, now, ms;

	if (dp->src == NULL || !dp->started || dp->done ||
	    ft_trace_fd(dp->src) >= 0)
		return max_ms;
	due = ft_trace_due_ns(dp->src);
	if (due == 0)
		return 0;
	if (due == UINT64_MAX)
		return max_ms;
	now = mono_ns();
	if (due <= now)
		return 0;
	/* Rounded up: waking early would only poll again. */
	ms = (due - now + NS_PER_MS - 1) / NS_PER_MS;
	return ms < (uint64_t)max_ms ? (int)ms : max_ms;
}

int
ft_dataplane_run(struct ft_dataplane *dp, unsigned max, struct ft_err *e)
{
	struct ft_trace_rec rec;
	unsigned n;
	int rc;

	if (dp->src == NULL || !dp->started || dp->done || dp->pic == NULL)
		return 0;
	for (n = 0; n < max; n++) {
		rc = ft_trace_next(dp->src, &rec, e);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			if (ft_trace_eof(dp->src))
				dp->done = 1;
			break;
		}
		dp->index++;
		if (rec.ts_ns > dp->clock_ns)
			dp->clock_ns = rec.ts_ns;
		if (dp->o.ifname != NULL)
			rec.ifname = dp->o.ifname;
		rc = ft_pic_packet(dp->pic, dp->index, &rec, dp->clock_ns, e);
		if (rc != 0)
			return rc;
	}
	return (int)n;
}

int
ft_dataplane_trace_done(const struct ft_dataplane *dp)
{
	return dp->done;
}

void
ft_dataplane_live(struct ft_dataplane *dp, struct ft_report_live *lv)
{
	const struct ft_deliver_stats *ds = ft_deliver_stats(dp->dlv);
	struct ft_trace_stats ts;
	int i;

	memset(lv, 0, sizeof(*lv));
	memset(&ts, 0, sizeof(ts));
	if (dp->src != NULL)
		(void)ft_trace_stats(dp->src, &ts, NULL);
	lv->source = dp->o.capture != NULL ? "capture" :
	    dp->o.trace != NULL ? "trace" : "none";
	lv->name = dp->o.capture != NULL ? dp->o.capture : dp->o.trace;
	lv->speed = dp->o.trace != NULL ? dp->speed : NULL;
	lv->records = dp->index;
	lv->capture_received = ts.kernel_received;
	lv->capture_drops = ts.dropped;
	lv->capture_ifdrops = ts.ifdropped;
	lv->delivery = ft_deliver_mode_name(dp->dlv);
	lv->sent = ds->sent;
	lv->send_failed = ds->failed;
	for (i = 0; i < FT_DELIVER_F_COUNT; i++)
		dp->fail_count[i] = ds->fail[i];
	lv->nfail = FT_DELIVER_F_COUNT;
	lv->fail_name = dp->fail_name;
	lv->fail_count = dp->fail_count;
	lv->link_sent = ds->link_sent;
	lv->ipid_kernel = ds->ipid_kernel;
	lv->port_fallback = ds->port_fallback;
	lv->copies_file = dp->o.write_copies;
	lv->copies_written = dp->written;
}

int
ft_dataplane_linktype(const struct ft_dataplane *dp)
{
	return dp->linktype;
}

int
ft_dataplane_finish(struct ft_dataplane *dp, struct ft_err *e)
{
	if (!dp->have_out)
		return 0;
	dp->have_out = 0;
	return ft_outfile_commit(&dp->out, e);
}
