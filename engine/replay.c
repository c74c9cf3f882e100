/*
 * replay.c - the offline driver of the PIC (pic.h): script events and
 * trace records merged on the engine clock (SPEC 9), the records fed to
 * ft_pic_packet, the events to its tasking state, the copies written to
 * intercept.pcap; every output file committed only when the whole run
 * succeeded. Without an output folder (the planner, plan.h) the same
 * run writes nothing and only feeds the observer.
 */
#include "replay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "dtcp.h"
#include "pic.h"
#include "pipeline.h"
#include "login.h"
#include "routercfg.h"
#include "script.h"
#include "sink.h"
#include "trace.h"
#include "translog.h"

/* "script=FILE:LINE" of a request line: a path and a number. */
#define ORIGIN_MAX	4200

#define NS_PER_S 1000000000ULL

/* Output files, in the order they are opened and committed. */
enum {
	OUT_PCAP, OUT_LOG, OUT_LEDGER, OUT_RATES, OUT_CSRATES, OUT_REPORT,
	OUT_COUNT
};
static const char *const out_names[OUT_COUNT] = {
	"intercept.pcap", "dtcp.log", "ledger.tsv", "rates.csv",
	"csources.csv", "report.json",
};
/* Their FT_REPLAY_OUT_* bits, in the same order. */
static const unsigned out_bits[OUT_COUNT] = {
	FT_REPLAY_OUT_PCAP, FT_REPLAY_OUT_LOG, FT_REPLAY_OUT_LEDGER,
	FT_REPLAY_OUT_RATES, FT_REPLAY_OUT_CSOURCES, FT_REPLAY_OUT_REPORT,
};

struct replay {
	const struct ft_replay_opts *o;
	struct ft_routercfg cfg;
	struct ft_script script;
	struct ft_trace *trace;
	struct ft_pic *pic;
	struct ft_tasking *tasking;	/* the PIC's */
	struct ft_dtcp_reply *reply;
	struct ft_outfile out[OUT_COUNT];

	size_t next_ev;		/* first script event not yet applied */
	uint64_t index;		/* records so far (1-based record number) */
	uint64_t base_ns;	/* time of the first record */
	int have_base;
	uint64_t clock_ns;	/* engine clock: largest record time */
	int cur_sid;		/* current script session, -1: none */
	int explicit_sessions;	/* the script used @session */
	char cur_name[FT_NAME_MAX + 1];
	const char **agencies;	/* the script's Csource-IDs, distinct */
	size_t nagencies;
};

/* "1.500000000" */
static void
secs(char *out, size_t n, uint64_t ns)
{
	snprintf(out, n, "%llu.%09llu", (unsigned long long)(ns / NS_PER_S),
	    (unsigned long long)(ns % NS_PER_S));
}

/* --- dtcp.log --------------------------------------------------------- */

/* A line of the replay's own (script notes), same layout as events. */
static void
log_note(struct replay *rp, uint64_t t_ns, unsigned line, const char *what)
{
	if (rp->out[OUT_LOG].fp == NULL)
		return;		/* no outputs (the planner) */
	ft_translog_line(rp->out[OUT_LOG].fp, t_ns, "note", "script=%s:%u: %s",
	    rp->o->script, line, what);
}

/* --- script events ---------------------------------------------------- */

/* The session a message goes on, opening the implicit one if needed. */
static int
message_session(struct replay *rp, const struct ft_script_event *ev,
    uint64_t t)
{
	int sid;

	if (rp->explicit_sessions)
		return rp->cur_sid;
	/* No @session in the script: one implicit session per Csource-ID. */
	if (ev->csource[0] == '\0')
		return -1;
	sid = ft_tasking_find(rp->tasking, ev->csource);
	if (sid >= 0)
		return sid;
	return ft_tasking_open(rp->tasking, ev->csource, ev->csource, NULL,
	    NULL, t);
}

/*
 * replay --radius: the login as the live router decides it (login.h),
 * the method that admitted or refused the user in the transcript.
 */
static int
radius_session(struct replay *rp, const struct ft_script_event *ev,
    uint64_t t)
{
	struct ft_login lg;
	char note[FT_LOGIN_TEXT_MAX + 32];
	int sid;

	ft_login_check(&rp->cfg, FT_LOGIN_RADIUS, ev->user, ev->password,
	    ev->from[0] ? ev->from : NULL, &lg);
	if (!lg.admitted) {
		snprintf(note, sizeof(note), "authentication failed (%s)",
		    lg.text);
		ft_tasking_refuse(rp->tasking, ev->name, ev->user, note, t);
		return -1;
	}
	snprintf(note, sizeof(note), "admitted by %s (%s)",
	    ft_login_method_name(lg.method), lg.text);
	sid = ft_tasking_open_as(rp->tasking, ev->name, ev->user, lg.perms,
	    note, ev->from[0] ? ev->from : NULL, t);
	return sid;
}

static void
apply_event(struct replay *rp, const struct ft_script_event *ev, uint64_t t)
{
	char origin[ORIGIN_MAX];
	const char *name;
	int sid, code;

	switch (ev->kind) {
	case FT_SCRIPT_SESSION:
		sid = ft_tasking_find(rp->tasking, ev->name);
		if (sid < 0 && rp->o->radius)
			sid = radius_session(rp, ev, t);
		else if (sid < 0)
			sid = ft_tasking_open(rp->tasking, ev->name, ev->user,
			    ev->password, ev->from[0] ? ev->from : NULL, t);
		rp->cur_sid = sid;
		snprintf(rp->cur_name, sizeof(rp->cur_name), "%s", ev->name);
		break;
	case FT_SCRIPT_CLOSE:
		name = ev->name[0] ? ev->name : rp->cur_name;
		sid = ft_tasking_find(rp->tasking, name);
		if (sid < 0) {
			log_note(rp, t, ev->line, "@close: no open session");
			break;
		}
		ft_tasking_close(rp->tasking, sid, t);
		if (sid == rp->cur_sid)
			rp->cur_sid = -1;
		break;
	case FT_SCRIPT_RESTART:
		ft_tasking_restart(rp->tasking, ev->reason, t);
		rp->cur_sid = -1;
		break;
	case FT_SCRIPT_MSG:
		sid = message_session(rp, ev, t);
		if (sid < 0 || (rp->explicit_sessions &&
		    ft_tasking_find(rp->tasking, rp->cur_name) != sid)) {
			log_note(rp, t, ev->line,
			    "message not sent: no open session");
			ft_pic_warn(rp->pic, FT_REPORT_W_UNDELIVERED, "script "
			    "'%s' line %u: message not sent: no open session",
			    rp->o->script, ev->line);
			break;
		}
		/* The request line names the script line it came from. */
		snprintf(origin, sizeof(origin), "script=%s:%u",
		    rp->o->script, ev->line);
		code = ft_tasking_request_from(rp->tasking, sid, origin,
		    ev->msg, ev->msg_len, t, rp->reply);
		(void)code;
		break;
	}
}

/* Apply every event due at or before the engine clock `upto`. */
static void
apply_due(struct replay *rp, uint64_t upto, int all)
{
	while (rp->next_ev < rp->script.n) {
		const struct ft_script_event *ev = &rp->script.ev[rp->next_ev];
		uint64_t t = rp->base_ns + ev->at_ns;

		if (!all && t > upto)
			break;
		if (all) {
			char at[32], last[32];

			/* Events left are all later than the last record. */
			secs(at, sizeof(at), ev->at_ns);
			secs(last, sizeof(last), rp->clock_ns - rp->base_ns);
			if (rp->have_base)
				ft_pic_warn(rp->pic, FT_REPORT_W_AFTER_TRACE,
				    "script '%s' line %u (@at %s): after the "
				    "last record (at %s), applied after it",
				    rp->o->script, ev->line, at, last);
			else
				ft_pic_warn(rp->pic, FT_REPORT_W_AFTER_TRACE,
				    "script '%s' line %u (@at %s): the trace "
				    "has no record, applied at its own time",
				    rp->o->script, ev->line, at);
		}
		if (t < rp->clock_ns)
			t = rp->clock_ns;
		ft_tasking_tick(rp->tasking, t);
		apply_event(rp, ev, t);
		rp->next_ev++;
	}
}

/* --- copies ----------------------------------------------------------- */

static int
write_copy(void *ctx, uint64_t ts_ns, const uint8_t *copy, uint32_t len,
    struct ft_err *e)
{
	struct replay *rp = ctx;

	struct ft_outfile *o = &rp->out[OUT_PCAP];
	int rc;

	rc = ft_sink_copies_record(o, &rp->o->copyfmt, ts_ns, copy, len);
	if (rc == FT_EIO)
		return ft_err_set(e, FT_EIO, "cannot write '%s': %s",
		    o->final, o->err != 0 ? strerror(o->err) : "write error");
	if (rc != 0)
		return ft_err_set(e, rc, "cannot write '%s': a copy of %u "
		    "bytes cannot be written", o->final, (unsigned)len);
	return 0;
}

/* --- setup and teardown ----------------------------------------------- */

static int
mkdir_p(const char *path, struct ft_err *e)
{
	char buf[4096];
	size_t i, len = strlen(path);

	if (len == 0 || len >= sizeof(buf))
		return ft_err_set(e, FT_EINVAL, "output folder '%s': bad name",
		    path);
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return ft_err_set(e, FT_EIO,
			    "cannot create output folder '%s': %s", buf,
			    strerror(errno));
		buf[i] = path[i];
	}
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The script's distinct Csource-IDs (the agencies the summary checks for
 * a match), sorted; they point into the script's events.
 */
static int
collect_agencies(struct replay *rp, struct ft_err *e)
{
	size_t i, n = 0;

	if (rp->script.n == 0)
		return 0;
	rp->agencies = malloc(rp->script.n * sizeof(*rp->agencies));
	if (rp->agencies == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	for (i = 0; i < rp->script.n; i++)
		if (rp->script.ev[i].kind == FT_SCRIPT_MSG &&
		    rp->script.ev[i].csource[0] != '\0')
			rp->agencies[n++] = rp->script.ev[i].csource;
	if (n > 1)
		qsort(rp->agencies, n, sizeof(*rp->agencies), cmp_name);
	for (i = 0; i < n; i++)
		if (rp->nagencies == 0 || strcmp(rp->agencies[i],
		    rp->agencies[rp->nagencies - 1]) != 0)
			rp->agencies[rp->nagencies++] = rp->agencies[i];
	return 0;
}

static int
setup(struct replay *rp, struct ft_err *e)
{
	const struct ft_replay_opts *o = rp->o;
	const char *key = o->key ? o->key : FT_AUTH_DEFAULT_KEY;
	struct ft_pic_cfg pc;
	int rc, i;

	if (o->config != NULL)
		rc = ft_routercfg_load(&rp->cfg, o->config, e);
	else
		rc = ft_routercfg_default(&rp->cfg);
	if (rc != 0)
		return rc;
	if (o->script_text != NULL)
		rc = ft_script_parse(&rp->script, o->script_text,
		    o->script_len, o->script, key, strlen(key), e);
	else
		rc = ft_script_load(&rp->script, o->script, key, strlen(key),
		    e);
	if (rc != 0)
		return rc;
	for (i = 0; (size_t)i < rp->script.n; i++)
		if (rp->script.ev[i].kind == FT_SCRIPT_SESSION)
			rp->explicit_sessions = 1;
	rc = collect_agencies(rp, e);
	if (rc != 0)
		return rc;
	rp->trace = ft_trace_open(o->trace, e);
	if (rp->trace == NULL)
		return FT_EIO;

	/* Without an output folder (the planner) nothing is written. */
	if (o->out != NULL) {
		rc = mkdir_p(o->out, e);
		if (rc != 0)
			return rc;
		for (i = 0; i < OUT_COUNT; i++) {
			if ((o->outputs & out_bits[i]) == 0)
				continue;
			rc = ft_outfile_open(&rp->out[i], o->out,
			    out_names[i], e);
			if (rc != 0)
				return rc;
		}
		if (rp->out[OUT_PCAP].fp != NULL &&
		    ft_sink_copies_header(&rp->out[OUT_PCAP], &o->copyfmt) != 0)
			return ft_err_set(e, FT_EIO, "cannot write '%s': %s",
			    rp->out[OUT_PCAP].final,
			    strerror(rp->out[OUT_PCAP].err));
	}

	memset(&pc, 0, sizeof(pc));
	pc.router = &rp->cfg;
	pc.profile = o->profile;
	pc.key = o->key;
	pc.budget = o->budget;
	pc.interval_ns = o->interval_ns;
	pc.linear = o->classifier == FT_REPLAY_CLASSIFIER_LINEAR;
	pc.input_interface = o->input_interface;
	pc.output_interface = o->output_interface;
	pc.explain_mac = o->explain_mac;
	pc.log = rp->out[OUT_LOG].fp;
	pc.ledger = rp->out[OUT_LEDGER].fp;
	pc.rates = rp->out[OUT_RATES].fp;
	pc.csrates = rp->out[OUT_CSRATES].fp;
	pc.copy = rp->out[OUT_PCAP].fp != NULL ? write_copy : NULL;
	pc.copy_ctx = rp;
	pc.observe = o->observe;
	pc.observe_ctx = o->observe_ctx;
	rp->pic = ft_pic_new(&pc, e);
	if (rp->pic == NULL)
		return FT_EINVAL;	/* e says what: memory or an interface */
	rp->tasking = ft_pic_tasking(rp->pic);
	rp->reply = malloc(sizeof(*rp->reply));
	if (rp->reply == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	if (rp->script.n == 0)
		ft_pic_warn(rp->pic, FT_REPORT_W_EMPTY_SCRIPT, "script '%s' "
		    "has no event: no DTCP message and no directive",
		    o->script);
	return 0;
}

static void
teardown(struct replay *rp)
{
	int i;

	for (i = 0; i < OUT_COUNT; i++)
		ft_outfile_abort(&rp->out[i]);
	free(rp->reply);
	ft_routercfg_wipe(&rp->cfg);	/* RADIUS secrets */
	free(rp->agencies);
	ft_pic_free(rp->pic);
	ft_trace_free(rp->trace);
	ft_script_release(&rp->script);
}

void
ft_replay_opts_default(struct ft_replay_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->profile = FT_PROFILE_FLOWTAP;
	ft_budget_cfg_default(&o->budget);
	o->interval_ns = NS_PER_S;
	ft_sink_copyfmt_default(&o->copyfmt);
	o->outputs = FT_REPLAY_OUT_ALL;
}

int
ft_replay_outputs_parse(const char *list, unsigned *mask, struct ft_err *e)
{
	const char *p = list, *end;
	unsigned m = 0;
	size_t len, stem;
	int i;

	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == 3 && strncmp(p, "all", 3) == 0) {
			m |= FT_REPLAY_OUT_ALL;
		} else {
			for (i = 0; i < OUT_COUNT; i++) {
				stem = strcspn(out_names[i], ".");
				if ((len == strlen(out_names[i]) &&
				    strncmp(p, out_names[i], len) == 0) ||
				    (len == stem &&
				    strncmp(p, out_names[i], len) == 0))
					break;
			}
			if (i == OUT_COUNT)
				return ft_err_set(e, FT_EINVAL, "unknown "
				    "output '%.*s' (intercept.pcap, dtcp.log, "
				    "ledger.tsv, rates.csv, csources.csv, "
				    "report.json, or all)",
				    (int)(len > 64 ? 64 : len), p);
			m |= out_bits[i];
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	*mask = m;
	return 0;
}

/*
 * One record with its decoded view (pipeline.h's stage-2 function; the
 * one-thread loop calls it too): the engine clock, the script events due
 * before the record, then the PIC.
 */
static int
on_record(void *ctx, const struct ft_trace_rec *rec, struct ft_pkt *pkt,
    enum ft_decode_reason why, struct ft_err *e)
{
	struct replay *rp = ctx;
	const struct ft_replay_opts *o = rp->o;
	uint64_t upto;

	if (o->stop != NULL && *o->stop)
		return FT_EINTR;	/* run() says "interrupted" */
	rp->index++;
	if (!rp->have_base) {
		rp->base_ns = rec->ts_ns;
		rp->clock_ns = rec->ts_ns;
		rp->have_base = 1;
	} else if (rec->ts_ns < rp->clock_ns) {
		char back[32];

		secs(back, sizeof(back), rp->clock_ns - rec->ts_ns);
		ft_pic_warn(rp->pic, FT_REPORT_W_TS_ORDER, "record "
		    "%llu is %s s older than an earlier record "
		    "(processed at the engine clock)",
		    (unsigned long long)rp->index, back);
	}
	/*
	 * Events due up to this record's time happen first, each at its
	 * own script time (never before the clock); then the record moves
	 * the clock (SPEC 9). Most records have none due: test here.
	 */
	upto = rec->ts_ns > rp->clock_ns ? rec->ts_ns : rp->clock_ns;
	if (rp->next_ev < rp->script.n &&
	    rp->base_ns + rp->script.ev[rp->next_ev].at_ns <= upto)
		apply_due(rp, upto, 0);
	rp->clock_ns = upto;
	return ft_pic_decoded(rp->pic, rp->index, rec, pkt, why, rp->clock_ns,
	    e);
}

/* replay --threads: 0 (default) is 2 when two CPUs are online. */
static int
use_pipeline(const struct replay *rp)
{
	unsigned n = rp->o->threads;

	if (n == 0)
		n = sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
	return n >= 2 && ft_pipeline_usable(rp->trace);
}

static int
run(struct replay *rp, struct ft_err *e)
{
	const struct ft_replay_opts *o = rp->o;
	struct ft_trace_rec rec;
	struct ft_report_info info;
	struct ft_pkt pkt;
	enum ft_decode_reason why;
	int linktype, rc, i;

	rc = setup(rp, e);
	if (rc != 0)
		return rc;
	linktype = ft_trace_linktype(rp->trace);
	if (use_pipeline(rp)) {
		/* Read and decode on a second thread (pipeline.h). */
		rc = ft_pipeline_run(rp->trace, on_record, rp, e);
	} else {
		while ((rc = ft_trace_next(rp->trace, &rec, e)) == 1) {
			why = ft_decode(rec.linktype, rec.data, rec.caplen,
			    &pkt);
			rc = on_record(rp, &rec, &pkt, why, e);
			if (rc != 0)
				break;
		}
	}
	if (o->stop != NULL && *o->stop)
		return ft_err_set(e, FT_EINTR, "interrupted");
	if (rc < 0)
		return rc;
	if (ft_trace_warning(rp->trace) != NULL)
		ft_pic_warn(rp->pic, FT_REPORT_W_TRACE_CUT, "%s",
		    ft_trace_warning(rp->trace));
	/* Events after the last record happen in order, at their own time. */
	apply_due(rp, 0, 1);
	if (o->stats != NULL)
		*o->stats = *ft_tasking_stats(rp->tasking);
	if (o->out == NULL)
		return 0;

	memset(&info, 0, sizeof(info));
	info.trace = o->trace;
	info.script = o->script;
	info.config = o->config;
	info.profile = ft_profile_name(o->profile);
	info.linktype = linktype;
	info.agencies = rp->agencies;
	info.nagencies = rp->nagencies;
	rc = ft_pic_report(rp->pic, &info, rp->out[OUT_REPORT].fp,
	    o->summary);
	if (rc != 0)
		return ft_err_set(e, rc, "cannot write '%s'",
		    rp->out[OUT_REPORT].final);
	if (o->stop != NULL && *o->stop)
		return ft_err_set(e, FT_EINTR, "interrupted");
	for (i = 0; i < OUT_COUNT; i++) {
		if (rp->out[i].fp == NULL)
			continue;
		rc = ft_outfile_commit(&rp->out[i], e);
		if (rc != 0)
			return rc;
	}
	if (o->result != NULL) {
		struct ft_replay_result *res = o->result;

		memset(res, 0, sizeof(*res));
		memcpy(res->warn, ft_pic_warnings(rp->pic), sizeof(res->warn));
		res->stats = *info.tasking;
		res->budget_drops = info.ingress->dropped +
		    info.egress->dropped;
		res->skipped_linktype =
		    res->warn[FT_REPORT_W_LINKTYPE].count;
	}
	return 0;
}

int
ft_replay_run(const struct ft_replay_opts *o, struct ft_err *e)
{
	struct replay *rp;
	int rc;

	if (o->interval_ns == 0 || o->trace == NULL || o->script == NULL ||
	    (o->out == NULL && o->observe == NULL))
		return ft_err_set(e, FT_EINVAL,
		    "replay needs a trace, a script, an output folder (or an "
		    "observer) and an interval > 0");
	if (strcmp(o->trace, "-") == 0 && strcmp(o->script, "-") == 0 &&
	    o->script_text == NULL)
		return ft_err_set(e, FT_EINVAL, "the trace and the script "
		    "cannot both be standard input ('-')");
	rp = calloc(1, sizeof(*rp));
	if (rp == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	rp->o = o;
	rp->cur_sid = -1;
	rc = run(rp, e);
	teardown(rp);
	free(rp);
	return rc;
}
