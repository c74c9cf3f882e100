/*
 * pic.c - the services PIC (pic.h): the per-packet pipeline and the
 * tasking state every driver shares.
 */
#include "pic.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "classify.h"
#include "decode.h"
#include "encap.h"
#include "ledger.h"
#include "translog.h"

struct ft_pic {
	const struct ft_routercfg *router;
	struct ft_budget_cfg budget;
	ft_pic_copy_fn copy;
	void *copy_ctx;
	ft_pic_observe_fn observe;
	void *observe_ctx;
	FILE *log;

	struct ft_tasking *tasking;
	struct ft_classify *table;	/* the tasking state's */
	int draft;		/* profile draft: criteria time out */
	struct ft_report rep;
	int rep_ok;
	struct ft_budget ingress, egress;
	struct ft_ledger led;
	uint64_t copies;	/* copies emitted so far: the IPv4 ID */
	uint8_t *copybuf;	/* one encapsulated copy */
	struct ft_rule *match[FT_MATCH_MAX];

	/*
	 * Scope (SPEC 6): from the configured interfaces, and the last
	 * record interface name seen with what it resolved to.
	 */
	uint16_t def_iif, def_vrf, oif;
	char last_if[FT_NAME_MAX + 1];
	int have_last_if;
	uint16_t last_iif, last_vrf;
};

static void
on_event(void *ctx, const struct ft_event *ev)
{
	struct ft_pic *p = ctx;

	if (p->log != NULL)
		ft_translog_event(p->log, ev);
}

/* The configured interfaces: declared units only. */
static int
resolve_interfaces(struct ft_pic *p, const struct ft_pic_cfg *cfg,
    struct ft_err *e)
{
	uint16_t vrf;

	if (cfg->input_interface != NULL) {
		ft_routercfg_scope(p->router, cfg->input_interface,
		    &p->def_iif, &p->def_vrf);
		if (p->def_iif == 0)
			return ft_err_set(e, FT_EINVAL, "--input-interface "
			    "'%s': not an interface unit of the router "
			    "configuration", cfg->input_interface);
	}
	if (cfg->output_interface != NULL) {
		ft_routercfg_scope(p->router, cfg->output_interface, &p->oif,
		    &vrf);
		if (p->oif == 0)
			return ft_err_set(e, FT_EINVAL, "--output-interface "
			    "'%s': not an interface unit of the router "
			    "configuration", cfg->output_interface);
	}
	return 0;
}

struct ft_pic *
ft_pic_new(const struct ft_pic_cfg *cfg, struct ft_err *e)
{
	const char *key = cfg->key != NULL ? cfg->key : FT_AUTH_DEFAULT_KEY;
	struct ft_tasking_cfg tc;
	struct ft_pic *p;

	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		ft_err_set(e, FT_ENOMEM, "out of memory");
		return NULL;
	}
	p->router = cfg->router;
	p->budget = cfg->budget;
	p->copy = cfg->copy;
	p->copy_ctx = cfg->copy_ctx;
	p->observe = cfg->observe;
	p->observe_ctx = cfg->observe_ctx;
	p->log = cfg->log;
	if (resolve_interfaces(p, cfg, e) != 0)
		goto free_p;

	memset(&tc, 0, sizeof(tc));
	tc.router = cfg->router;
	tc.profile = cfg->profile;
	tc.key = key;
	tc.keylen = strlen(key);
	tc.log = on_event;
	tc.log_ctx = p;
	tc.explain_mac = cfg->explain_mac;
	p->tasking = ft_tasking_new(&tc);
	p->copybuf = malloc(FT_SNAPLEN_MAX + FT_ENCAP_HDR_MAX);
	if (p->tasking == NULL || p->copybuf == NULL) {
		ft_err_set(e, FT_ENOMEM, "out of memory");
		goto free_p;
	}
	p->table = ft_tasking_table(p->tasking);
	p->draft = cfg->profile == FT_PROFILE_DRAFT;
	ft_classify_set_linear(p->table, cfg->linear);
	ft_budget_init(&p->ingress, &cfg->budget);
	ft_budget_init(&p->egress, &cfg->budget);
	ft_ledger_init(&p->led, cfg->ledger);
	if (ft_report_init(&p->rep, cfg->interval_ns, cfg->rates,
	    cfg->csrates, e) != 0)
		goto free_p;
	p->rep_ok = 1;
	return p;
free_p:
	ft_pic_free(p);
	return NULL;
}

void
ft_pic_free(struct ft_pic *p)
{
	if (p == NULL)
		return;
	if (p->rep_ok)
		ft_report_release(&p->rep);
	free(p->copybuf);
	ft_tasking_free(p->tasking);
	free(p);
}

struct ft_tasking *
ft_pic_tasking(struct ft_pic *p)
{
	return p->tasking;
}

/*
 * The packet's interface and VRF (SPEC 6): the record's interface name
 * when the trace gives one (resolved once per change of name), else the
 * configured input interface; the output interface as configured.
 */
static void
set_scope(struct ft_pic *p, const char *ifname, struct ft_pkt *pkt)
{
	pkt->oif = p->oif;
	if (ifname == NULL) {
		pkt->iif = p->def_iif;
		pkt->vrf = p->def_vrf;
		return;
	}
	if (!p->have_last_if || strcmp(ifname, p->last_if) != 0) {
		ft_routercfg_scope(p->router, ifname, &p->last_iif,
		    &p->last_vrf);
		/* A longer name than any unit's resolves to nothing anyway. */
		snprintf(p->last_if, sizeof(p->last_if), "%s", ifname);
		p->have_last_if = strlen(ifname) < sizeof(p->last_if);
	}
	pkt->iif = p->last_iif;
	pkt->vrf = p->last_vrf;
}

/*
 * The accounting of each matching criterion (before the budget: offered
 * whether or not the packet passed ingress), then, when it passed, its
 * copies (SPEC 6, 7).
 */
static int
copies(struct ft_pic *p, const struct ft_trace_rec *rec,
    const struct ft_pkt *pkt, unsigned n, int in_ok, uint64_t t,
    struct ft_err *e)
{
	unsigned i, ci;
	int rc, why;

	for (i = 0; i < n; i++) {
		struct ft_rule *r = p->match[i];
		struct ft_report_crit *acct;

		acct = ft_report_offer(&p->rep, r->id, r->csource, r->ncdest,
		    rec->len, in_ok);
		if (!in_ok)
			continue;
		r->match_packets++;
		r->match_bytes += rec->len;
		r->last_match_ns = t;
		for (ci = 0; ci < r->ncdest; ci++) {
			const char *verdict;
			int len;

			len = ft_encap_build(p->copybuf,
			    pkt->l3_len + FT_ENCAP_HDR_MAX, r, ci,
			    (uint16_t)(p->copies & 0xffff), pkt->l3,
			    pkt->l3_len);
			if (len < 0) {
				ft_report_toobig(&p->rep, acct);
				verdict = "toobig";
			} else {
				why = ft_budget_judge(&p->egress, t,
				    (uint64_t)len);
				ft_report_egress(&p->rep, acct, (uint64_t)len,
				    why);
				verdict = why == 0 ? "pass" : "drop";
				if (why == 0 && p->copy != NULL) {
					rc = p->copy(p->copy_ctx, rec->ts_ns,
					    p->copybuf, (uint32_t)len, e);
					if (rc != 0)
						return rc;
				}
				if (why == 0)
					p->copies++;
			}
			ft_ledger_copy(&p->led, i == 0 && ci == 0, r->id,
			    r->cdest[ci].id, verdict);
		}
	}
	if (in_ok)
		ft_ledger_end(&p->led);
	return 0;
}

int
ft_pic_packet(struct ft_pic *p, uint64_t index,
    const struct ft_trace_rec *rec, uint64_t now_ns, struct ft_err *e)
{
	struct ft_pkt pkt;
	enum ft_decode_reason why;

	why = ft_decode(rec->linktype, rec->data, rec->caplen, &pkt);
	return ft_pic_decoded(p, index, rec, &pkt, why, now_ns, e);
}

int
ft_pic_decoded(struct ft_pic *p, uint64_t index,
    const struct ft_trace_rec *rec, struct ft_pkt *pkt,
    enum ft_decode_reason why, uint64_t now_ns, struct ft_err *e)
{
	struct ft_classify *table = p->table;
	unsigned n;
	int in_why;

	/* Only profile draft has timeouts: skip the call for the others. */
	if (p->draft)
		ft_tasking_tick(p->tasking, now_ns);
	ft_report_packet(&p->rep, now_ns);
	if (why != FT_DECODE_OK) {
		ft_report_skip(&p->rep, why);
		if (why == FT_DECODE_LINKTYPE)
			ft_report_warn(&p->rep, FT_REPORT_W_LINKTYPE, "record "
			    "%llu: link type %d is not decoded (skipped)",
			    (unsigned long long)index, rec->linktype);
		return 0;
	}
	set_scope(p, rec->ifname, pkt);
	/* The flow-tap unit only sees the families configured on it. */
	if ((pkt->family == 6 && !p->router->family_inet6) ||
	    (pkt->family == 4 && !p->router->family_inet)) {
		p->rep.family_off++;
		ft_report_warn(&p->rep, FT_REPORT_W_FAMILY, "record %llu: an "
		    "IPv%d packet, and family %s is not configured on the "
		    "flow-tap interface (not intercepted)",
		    (unsigned long long)index, pkt->family,
		    pkt->family == 6 ? "inet6" : "inet");
		return 0;
	}
	n = ft_classify_match(table, pkt, p->match, FT_MATCH_MAX);
	if (n == 0)
		return 0;
	if (p->observe != NULL)
		p->observe(p->observe_ctx, p->rep.base_ns, now_ns, rec, pkt,
		    p->match, n);

	in_why = ft_budget_judge(&p->ingress, now_ns, rec->len);
	ft_report_ingress(&p->rep, rec->len, in_why);
	ft_ledger_row(&p->led, index, rec->ts_ns, p->match, n);
	ft_ledger_ingress(&p->led, in_why == 0);
	return copies(p, rec, pkt, n, in_why == 0, now_ns, e);
}

void
ft_pic_warn(struct ft_pic *p, enum ft_report_warn w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ft_report_vwarn(&p->rep, w, fmt, ap);
	va_end(ap);
}

const struct ft_report_warning *
ft_pic_warnings(const struct ft_pic *p)
{
	return p->rep.warn;
}

int
ft_pic_report(struct ft_pic *p, struct ft_report_info *info, FILE *json,
    FILE *summary)
{
	info->budget = &p->budget;
	info->ingress = &p->ingress;
	info->egress = &p->egress;
	info->tasking = ft_tasking_stats(p->tasking);
	return ft_report_finish(&p->rep, info, json, summary);
}
