/*
 * replay.c - the offline loop: script events and trace records merged on
 * the engine clock (SPEC 9), each packet through decode -> classify ->
 * ingress budget -> per-criterion per-destination copies -> egress
 * budget -> intercept.pcap, with the ledger, rates and report beside it.
 */
#include "replay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auth.h"
#include "classify.h"
#include "decode.h"
#include "dtcp.h"
#include "encap.h"
#include "report.h"
#include "routercfg.h"
#include "script.h"
#include "sink.h"
#include "trace.h"
#include "translog.h"

#define NS_PER_S 1000000000ULL

/* Output files, in the order they are opened and committed. */
enum { OUT_PCAP, OUT_LOG, OUT_LEDGER, OUT_RATES, OUT_REPORT, OUT_COUNT };
static const char *const out_names[OUT_COUNT] = {
	"intercept.pcap", "dtcp.log", "ledger.tsv", "rates.csv", "report.json",
};

/*
 * ledger.tsv rows are built by hand in a buffer and written with fwrite:
 * fprintf's format parsing cost more than all the rest of a matching
 * packet's work. A piece that does not fit flushes the buffer first, so
 * rows of any length come out whole and in order; write errors show in
 * ferror() at commit, as they did with fprintf.
 */
#define LED_BUF		2048

struct ledger {
	FILE *fp;
	size_t len;
	char buf[LED_BUF];
};

struct replay {
	const struct ft_replay_opts *o;
	struct ft_routercfg cfg;
	struct ft_script script;
	struct ft_trace *trace;
	struct ft_tasking *tasking;
	struct ft_dtcp_reply *reply;
	struct ft_outfile out[OUT_COUNT];
	struct ft_report rep;

	size_t next_ev;		/* first script event not yet applied */
	uint64_t base_ns;	/* time of the first record */
	int have_base;
	uint64_t clock_ns;	/* engine clock: largest record time */
	int cur_sid;		/* current script session, -1: none */
	int explicit_sessions;	/* the script used @session */
	char cur_name[FT_NAME_MAX + 1];

	struct ft_budget ingress, egress;
	uint64_t copies;	/* copies emitted so far: the IPv4 ID */
	uint8_t *copybuf;	/* one encapsulated copy */
	struct ft_rule *match[FT_MATCH_MAX];
	struct ledger led;

	/* Scope (SPEC 6): from --input/--output-interface, and the last
	   pcapng interface name seen with what it resolved to. */
	uint16_t def_iif, def_vrf, oif;
	char last_if[FT_NAME_MAX + 1];
	int have_last_if;
	uint16_t last_iif, last_vrf;
};

/* --- ledger.tsv ------------------------------------------------------- */

static void
led_flush(struct ledger *l)
{
	if (l->len > 0)
		(void)fwrite(l->buf, 1, l->len, l->fp);
	l->len = 0;
}

static void
led_put(struct ledger *l, const char *s, size_t n)
{
	if (n > LED_BUF - l->len)
		led_flush(l);
	if (n > LED_BUF) {
		(void)fwrite(s, 1, n, l->fp);
		return;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void
led_char(struct ledger *l, char c)
{
	if (l->len == LED_BUF)
		led_flush(l);
	l->buf[l->len++] = c;
}

/* v in decimal, at least `width` digits (zero-padded), width <= 20. */
static void
led_u64(struct ledger *l, uint64_t v, unsigned width)
{
	char d[20];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (sizeof(d) - i < width && i > 0)
		d[--i] = '0';
	led_put(l, d + i, sizeof(d) - i);
}

/* A NUL-terminated name of at most FT_NAME_MAX bytes. */
static void
led_name(struct ledger *l, const char *s)
{
	const char *end = memchr(s, '\0', FT_NAME_MAX + 1);

	led_put(l, s, end != NULL ? (size_t)(end - s) : FT_NAME_MAX);
}

/* --- dtcp.log --------------------------------------------------------- */

static void
on_event(void *ctx, const struct ft_event *ev)
{
	struct replay *rp = ctx;

	ft_translog_event(rp->out[OUT_LOG].fp, ev);
}

/* A line of the replay's own (script notes), same layout as events. */
static void
log_note(struct replay *rp, uint64_t t_ns, unsigned line, const char *what)
{
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

static void
apply_event(struct replay *rp, const struct ft_script_event *ev, uint64_t t)
{
	const char *name;
	int sid, code;

	switch (ev->kind) {
	case FT_SCRIPT_SESSION:
		sid = ft_tasking_find(rp->tasking, ev->name);
		if (sid < 0)
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
			break;
		}
		code = ft_tasking_request(rp->tasking, sid, ev->msg,
		    ev->msg_len, t, rp->reply);
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
		if (t < rp->clock_ns)
			t = rp->clock_ns;
		ft_tasking_tick(rp->tasking, t);
		apply_event(rp, ev, t);
		rp->next_ev++;
	}
}

/* --- data path -------------------------------------------------------- */

/*
 * The packet's interface and VRF (SPEC 6): the record's interface name
 * when the trace gives one (resolved once per change of name), else
 * --input-interface; the output interface from --output-interface.
 */
static void
set_scope(struct replay *rp, const char *ifname, struct ft_pkt *pkt)
{
	pkt->oif = rp->oif;
	if (ifname == NULL) {
		pkt->iif = rp->def_iif;
		pkt->vrf = rp->def_vrf;
		return;
	}
	if (!rp->have_last_if || strcmp(ifname, rp->last_if) != 0) {
		ft_routercfg_scope(&rp->cfg, ifname, &rp->last_iif,
		    &rp->last_vrf);
		/* A longer name than any unit's resolves to nothing anyway. */
		snprintf(rp->last_if, sizeof(rp->last_if), "%s", ifname);
		rp->have_last_if = strlen(ifname) < sizeof(rp->last_if);
	}
	pkt->iif = rp->last_iif;
	pkt->vrf = rp->last_vrf;
}

static int
packet(struct replay *rp, uint64_t index, const struct ft_trace_rec *rec,
    int linktype, struct ft_err *e)
{
	struct ft_classify *table = ft_tasking_table(rp->tasking);
	struct ft_pkt pkt;
	enum ft_decode_reason why;
	unsigned n, i, ci;
	uint64_t t = rp->clock_ns;
	struct ledger *led = &rp->led;
	int in_ok;

	ft_report_packet(&rp->rep, t);
	why = ft_decode(linktype, rec->data, rec->caplen, &pkt);
	if (why != FT_DECODE_OK) {
		ft_report_skip(&rp->rep, why);
		return 0;
	}
	set_scope(rp, rec->ifname, &pkt);
	/* The flow-tap unit only sees the families configured on it (SPEC 4). */
	if ((pkt.family == 6 && !rp->cfg.family_inet6) ||
	    (pkt.family == 4 && !rp->cfg.family_inet)) {
		rp->rep.family_off++;
		return 0;
	}
	n = ft_classify_match(table, &pkt, rp->match, FT_MATCH_MAX);
	if (n == 0)
		return 0;

	in_ok = ft_budget_offer(&rp->ingress, t, rec->len);
	ft_report_ingress(&rp->rep, in_ok);
	/* index, time, criteria, ingress verdict: "%llu\t%llu.%09llu\t..." */
	led_u64(led, index, 1);
	led_char(led, '\t');
	led_u64(led, rec->ts_ns / NS_PER_S, 1);
	led_char(led, '.');
	led_u64(led, rec->ts_ns % NS_PER_S, 9);
	led_char(led, '\t');
	for (i = 0; i < n; i++) {
		if (i)
			led_char(led, ',');
		led_u64(led, rp->match[i]->id, 1);
	}
	if (!in_ok) {
		led_put(led, "\tdrop\t-\n", 8);
		led_flush(led);
		return 0;
	}
	led_put(led, "\tpass\t", 6);

	for (i = 0; i < n; i++) {
		struct ft_rule *r = rp->match[i];
		struct ft_report_crit *acct;

		r->match_packets++;
		r->match_bytes += rec->len;
		r->last_match_ns = t;
		acct = ft_report_match(&rp->rep, r->id, r->csource, rec->len);
		for (ci = 0; ci < r->ncdest; ci++) {
			int len, ok;
			const char *verdict;

			len = ft_encap_build(rp->copybuf,
			    pkt.l3_len + FT_ENCAP_HDR_MAX, r, ci,
			    (uint16_t)(rp->copies & 0xffff), pkt.l3, pkt.l3_len);
			if (len < 0) {
				rp->rep.encap_errors++;
				verdict = "toobig";
			} else {
				ok = ft_budget_offer(&rp->egress, t,
				    (uint64_t)len);
				ft_report_egress(&rp->rep, acct, ok);
				verdict = ok ? "pass" : "drop";
				if (ok) {
					if (ft_sink_pcap_record(&rp->out[OUT_PCAP],
					    rec->ts_ns, rp->copybuf,
					    (uint32_t)len) != 0)
						return ft_err_set(e, FT_EIO,
						    "cannot write '%s'",
						    rp->out[OUT_PCAP].tmp);
					rp->copies++;
				}
			}
			if (i || ci)
				led_char(led, ' ');
			led_u64(led, r->id, 1);
			led_char(led, '>');
			led_name(led, r->cdest[ci].id);
			led_char(led, '=');
			led_put(led, verdict, strlen(verdict));
		}
	}
	led_char(led, '\n');
	led_flush(led);
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

/* --input-interface / --output-interface: declared units only. */
static int
resolve_interfaces(struct replay *rp, struct ft_err *e)
{
	const struct ft_replay_opts *o = rp->o;
	uint16_t vrf;

	if (o->input_interface != NULL) {
		ft_routercfg_scope(&rp->cfg, o->input_interface, &rp->def_iif,
		    &rp->def_vrf);
		if (rp->def_iif == 0)
			return ft_err_set(e, FT_EINVAL, "--input-interface "
			    "'%s': not an interface unit of the router "
			    "configuration", o->input_interface);
	}
	if (o->output_interface != NULL) {
		ft_routercfg_scope(&rp->cfg, o->output_interface, &rp->oif,
		    &vrf);
		if (rp->oif == 0)
			return ft_err_set(e, FT_EINVAL, "--output-interface "
			    "'%s': not an interface unit of the router "
			    "configuration", o->output_interface);
	}
	return 0;
}

static int
setup(struct replay *rp, struct ft_err *e)
{
	const struct ft_replay_opts *o = rp->o;
	const char *key = o->key ? o->key : FT_AUTH_DEFAULT_KEY;
	struct ft_tasking_cfg tc;
	int rc, i;

	if (o->config != NULL)
		rc = ft_routercfg_load(&rp->cfg, o->config, e);
	else
		rc = ft_routercfg_default(&rp->cfg);
	if (rc != 0)
		return rc;
	rc = resolve_interfaces(rp, e);
	if (rc != 0)
		return rc;
	rc = ft_script_load(&rp->script, o->script, key, strlen(key), e);
	if (rc != 0)
		return rc;
	for (i = 0; (size_t)i < rp->script.n; i++)
		if (rp->script.ev[i].kind == FT_SCRIPT_SESSION)
			rp->explicit_sessions = 1;
	rp->trace = ft_trace_open(o->trace, e);
	if (rp->trace == NULL)
		return FT_EIO;

	rc = mkdir_p(o->out, e);
	if (rc != 0)
		return rc;
	for (i = 0; i < OUT_COUNT; i++) {
		rc = ft_outfile_open(&rp->out[i], o->out, out_names[i], e);
		if (rc != 0)
			return rc;
	}
	if (ft_sink_pcap_header(&rp->out[OUT_PCAP]) != 0)
		return ft_err_set(e, FT_EIO, "cannot write '%s'",
		    rp->out[OUT_PCAP].tmp);
	fputs("# index\ttime\tcriteria\tingress\tcopies "
	      "(criteria-id>cdest-id=verdict)\n", rp->out[OUT_LEDGER].fp);
	rp->led.fp = rp->out[OUT_LEDGER].fp;

	memset(&tc, 0, sizeof(tc));
	tc.router = &rp->cfg;
	tc.profile = o->profile;
	tc.key = key;
	tc.keylen = strlen(key);
	tc.log = on_event;
	tc.log_ctx = rp;
	rp->tasking = ft_tasking_new(&tc);
	rp->reply = malloc(sizeof(*rp->reply));
	rp->copybuf = malloc(FT_SNAPLEN_MAX + FT_ENCAP_HDR_MAX);
	if (rp->tasking == NULL || rp->reply == NULL || rp->copybuf == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	ft_classify_set_linear(ft_tasking_table(rp->tasking),
	    o->classifier == FT_REPLAY_CLASSIFIER_LINEAR);
	ft_budget_init(&rp->ingress, &o->budget);
	ft_budget_init(&rp->egress, &o->budget);
	return ft_report_init(&rp->rep, o->interval_ns, rp->out[OUT_RATES].fp,
	    e);
}

static void
teardown(struct replay *rp)
{
	int i;

	for (i = 0; i < OUT_COUNT; i++)
		ft_outfile_abort(&rp->out[i]);
	ft_report_release(&rp->rep);
	free(rp->copybuf);
	free(rp->reply);
	ft_tasking_free(rp->tasking);
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
}

static int
run(struct replay *rp, struct ft_err *e)
{
	const struct ft_replay_opts *o = rp->o;
	struct ft_trace_rec rec;
	struct ft_report_info info;
	uint64_t index = 0;
	int linktype, rc, i;

	rc = setup(rp, e);
	if (rc != 0)
		return rc;
	linktype = ft_trace_linktype(rp->trace);
	while ((rc = ft_trace_next(rp->trace, &rec, e)) == 1) {
		index++;
		if (!rp->have_base) {
			rp->base_ns = rec.ts_ns;
			rp->clock_ns = rec.ts_ns;
			rp->have_base = 1;
		}
		/*
		 * Events due up to this record's time happen first, each at
		 * its own script time (never before the clock); then the
		 * record moves the clock (SPEC 9).
		 */
		apply_due(rp, rec.ts_ns > rp->clock_ns ? rec.ts_ns :
		    rp->clock_ns, 0);
		if (rec.ts_ns > rp->clock_ns)
			rp->clock_ns = rec.ts_ns;
		ft_tasking_tick(rp->tasking, rp->clock_ns);
		rc = packet(rp, index, &rec, linktype, e);
		if (rc != 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	/* Events after the last record happen in order, at their own time. */
	apply_due(rp, 0, 1);

	memset(&info, 0, sizeof(info));
	info.trace = o->trace;
	info.script = o->script;
	info.config = o->config;
	info.profile = ft_profile_name(o->profile);
	info.linktype = linktype;
	info.budget = &o->budget;
	info.ingress = &rp->ingress;
	info.egress = &rp->egress;
	info.tasking = ft_tasking_stats(rp->tasking);
	rc = ft_report_finish(&rp->rep, &info, rp->out[OUT_REPORT].fp,
	    o->summary);
	if (rc != 0)
		return ft_err_set(e, rc, "cannot write the report");
	for (i = 0; i < OUT_COUNT; i++) {
		rc = ft_outfile_commit(&rp->out[i], e);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
ft_replay_run(const struct ft_replay_opts *o, struct ft_err *e)
{
	struct replay *rp;
	int rc;

	if (o->interval_ns == 0 || o->trace == NULL || o->script == NULL ||
	    o->out == NULL)
		return ft_err_set(e, FT_EINVAL,
		    "replay needs a trace, a script, an output folder and "
		    "an interval > 0");
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
